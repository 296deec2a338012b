/**
 * A request's id and logger. The logger is made when something first logs: a winston child per request (three, with
 * the component and the principal) cost more of a run start's CPU than its validation, and most requests log nothing
 * at the levels kept. Keyed by the response object, so Express's routes and the start lane (api/start-lane.ts) share it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { logger, type Logger } from '../lib/logger';

interface RequestLogState {
  requestId: string;
  fields?: Record<string, unknown>;
  log?: Logger;
}

const states = new WeakMap<ServerResponse, RequestLogState>();

/**
 * Takes the caller's `X-Request-Id` (or makes one) and answers with it; logs the request line when the `http` level
 * is kept. `path` is read when the response is finished (Express's `req.path`).
 */
export function beginRequest(req: IncomingMessage, res: ServerResponse, path: () => string): void {
  const given = req.headers['x-request-id'];
  const requestId = (typeof given === 'string' ? given.slice(0, 100) : '') || randomUUID();
  res.setHeader('x-request-id', requestId);
  states.set(res, { requestId });
  // winston formats an entry before its transports drop it by level: skip the request line when nobody keeps it.
  if (!logger().isLevelEnabled('http')) return;
  const started = Date.now();
  res.on('finish', () =>
    requestLog(res).http('request', {
      method: req.method,
      path: path(),
      status: res.statusCode,
      ms: Date.now() - started,
    }),
  );
}

/** Adds fields to every later line of this request (a logger already made is replaced). */
export function addLogFields(res: ServerResponse, fields: Record<string, unknown>): void {
  const state = states.get(res);
  if (!state) return;
  state.fields = { ...state.fields, ...fields };
  state.log = undefined;
}

export function requestLog(res: ServerResponse): Logger {
  const state = states.get(res);
  if (!state) return logger('api');
  state.log ??= logger('api').child({ requestId: state.requestId, ...state.fields });
  return state.log;
}
