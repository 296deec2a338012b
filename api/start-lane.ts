/**
 * The start lane: `POST /api/v1/runs` with an API key, the hot path of integrations, answered without Express's
 * request pipeline. Express with its routers, body parser and response helpers cost a start ~0.25 ms of the API
 * thread's CPU at rest and ~0.7 ms on two busy cores, a third of what the SDK's own start costs there (bench phase
 * 1, docs/benchmarks.md).
 *
 * It takes only the plain case, decided from the headers before a byte of the body is read: exactly this path, an
 * `Authorization` header, a JSON body of a declared length within the limit, no `Prefer`. Everything else (a session,
 * `Prefer: respond-async`, a query string, a chunked or compressed body) goes to Express unread. A request it takes
 * passes the same checks in the same order as the Express route (JSON, hostile keys, API key, rate limit, role, the
 * body's schema), answers with the same headers and problem documents (errors.ts), and is timed and logged under the
 * same route; `test/integration/start-lane.test.ts` holds the two side by side.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { assertRole, principalFromAuthorization } from './middleware/auth';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable, loggedProblem } from './middleware/errors';
import type { RateLimits } from './middleware/rate-limit';
import { addLogFields, beginRequest, requestLog } from './request-log';
import { startRun, startRunSchema, type StartRunOptions } from './routes/runs.routes';
import type { AccountService } from './services/account.service';
import type { RunService } from './services/run.service';
import { parse, refuseHostileJson } from './validation';

export const START_PATH = '/api/v1/runs';

/** JSON as body-parser takes it here: no charset or UTF-8. */
const JSON_TYPE = /^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i;

export interface StartLane {
  /** Takes the request and answers it, or returns false having touched nothing. */
  (req: IncomingMessage, res: ServerResponse): boolean;
  /** Requests this lane answered, for tests and the bench. */
  readonly served: () => number;
}

export function createStartLane(deps: {
  accounts: AccountService;
  runs: RunService;
  limits: RateLimits;
  startRun: StartRunOptions;
  securityHeaders: [string, string][];
  timeRoute: (res: ServerResponse, method: string, route: string) => void;
  maxBodyBytes: number;
}): StartLane {
  let served = 0;

  const answer = (res: ServerResponse, status: number, type: string, body: unknown) => {
    if (res.headersSent) return;
    res.statusCode = status;
    res.setHeader('Content-Type', `${type}; charset=utf-8`);
    res.end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse, text: string): Promise<void> {
    try {
      const body = parseJson(text);
      refuseHostileJson(body);
      const principal = await principalFromAuthorization(deps.accounts, req.headers.authorization!);
      addLogFields(res, { workspaceId: principal.workspaceId, actor: principal.name });
      await deps.limits.countApiRequest(res, principal);
      assertRole(principal, 'editor');
      const started = await startRun(deps.runs, deps.startRun, principal, parse(startRunSchema, body));
      res.setHeader('Location', started.location);
      answer(res, started.status, 'application/json', started.run);
    } catch (err) {
      const problem = loggedProblem(err, requestLog(res), START_PATH, START_PATH);
      if (isDatabaseUnavailable(err)) res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      answer(res, problem.status, 'application/problem+json', problem);
    }
  }

  const lane = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'POST' || req.url !== START_PATH) return false;
    const { headers } = req;
    const length = Number(headers['content-length']);
    if (
      !headers.authorization ||
      headers.prefer !== undefined ||
      headers['transfer-encoding'] !== undefined ||
      (headers['content-encoding'] !== undefined && headers['content-encoding'] !== 'identity') ||
      !JSON_TYPE.test(headers['content-type'] ?? '') ||
      !(length > 0 && length <= deps.maxBodyBytes)
    )
      return false;
    served += 1;
    beginRequest(req, res, () => START_PATH);
    deps.timeRoute(res, 'POST', START_PATH);
    for (const [name, value] of deps.securityHeaders) res.setHeader(name, value);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => void handle(req, res, Buffer.concat(chunks).toString('utf8')));
    return true;
  };
  return Object.assign(lane, { served: () => served });
}

/** JSON.parse with body-parser's strict rule (an object or an array) and its error, so errors.ts answers the same. */
function parseJson(text: string): unknown {
  // iconv, under body-parser, drops a byte-order mark.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = body.trimStart()[0];
  try {
    if (first !== '{' && first !== '[') throw new SyntaxError('not an object or an array');
    return JSON.parse(body) as unknown;
  } catch (err) {
    throw Object.assign(err as Error, { type: 'entity.parse.failed', status: 400, expose: true });
  }
}
