/** One place that turns errors into RFC 9457 problem documents. Never a stack trace. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ConnectionError, DatabaseError } from 'sequelize';
import { AppError, NotFoundError, ServiceUnavailableError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { requestLog } from '../request-log';

/** Seconds a client is asked to wait when the database is away (a restart, a failover). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** PostgreSQL shutting down, starting up, or gone mid-query: a passing state, not our bug. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006']);

/** The database cannot be reached now (sequelize's connection errors, or PostgreSQL saying it is going away). */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (err instanceof ConnectionError) return true;
  const code = err instanceof DatabaseError ? (err.original as { code?: string } | undefined)?.code : undefined;
  return code !== undefined && UNAVAILABLE_SQLSTATES.has(code);
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  expose?: boolean;
}

export function toProblem(err: unknown, instance?: string) {
  if (isDatabaseUnavailable(err))
    err = new ServiceUnavailableError('The database is unavailable for a moment; try again shortly');
  if (err instanceof AppError) {
    return {
      type: err.type,
      title: err.title,
      status: err.status,
      detail: err.message,
      ...(instance ? { instance } : {}),
      ...(err.errors ? { errors: err.errors } : {}),
      ...(err.extra ?? {}),
    };
  }
  const bp = err as BodyParserError;
  if (bp && bp.type === 'entity.too.large') {
    return {
      type: 'https://studioflow.dev/problems/payload-too-large',
      title: 'Payload too large',
      status: 413,
      detail: 'The request body is too large',
    };
  }
  if (bp && bp.type === 'entity.parse.failed') {
    return {
      type: 'https://studioflow.dev/problems/malformed-json',
      title: 'Malformed JSON',
      status: 400,
      detail: 'The request body is not valid JSON',
      errors: [{ field: 'body', message: 'not valid JSON' }],
    };
  }
  // A path segment that is not valid percent-encoding (`/brands/%ff`): the router cannot decode it.
  if (err instanceof URIError) {
    return {
      type: 'https://studioflow.dev/problems/validation',
      title: 'Invalid request',
      status: 400,
      detail: 'The path is not valid percent-encoded UTF-8',
      errors: [{ field: 'path', message: 'malformed percent-encoding' }],
    };
  }
  if (bp && typeof bp.status === 'number' && bp.status >= 400 && bp.status < 500) {
    // A library's 4xx: its message only when the library marks it safe to show.
    const text = bp.expose ? bp.message : 'The request was refused';
    return { type: 'about:blank', title: text, status: bp.status, detail: text };
  }
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: 'Something went wrong on our side; it has been logged.',
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`No route for ${req.method} ${req.path}`));
};

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const problem = loggedProblem(err, requestLog(res), req.originalUrl, req.path);
  if (res.headersSent) return;
  if (isDatabaseUnavailable(err)) res.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
  res.status(problem.status).type('application/problem+json').json(problem);
};

/** The problem document for an error, logged as a failure (5xx) or a refusal; the start lane answers with it too. */
export function loggedProblem(err: unknown, log: Logger, instance: string, path: string) {
  const problem = toProblem(err, instance);
  if (problem.status >= 500) log.error('Request failed', { err, path });
  else log.info('Request refused', { status: problem.status, detail: problem.detail, path });
  return problem;
}
