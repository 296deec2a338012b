/**
 * What the platform fakes share (DESIGN §5: third-party APIs are tested against local servers that speak their
 * documented shapes): an HTTP server on a free port that records every request with its body, checks the bearer
 * token, and lets a test script failures in the platform's own error shape:
 *
 * - `failNext(count, status, { match })`: the next matching requests answer `status`;
 * - `dropNext(count, match)`: the next matching requests lose their connection after the body was read (no reply,
 *   nothing stored), as a network drop mid-upload;
 * - `failAlways(status, { match })`: a permanent failure until `failAlways(undefined)`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** The decoded path, without the query. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The status answered; 0 for a dropped connection. */
  status: number;
}

export type Matcher = (req: RecordedRequest) => boolean;

export interface FakeReply {
  status: number;
  headers?: Record<string, string | number>;
  /** Objects are sent as JSON; strings and buffers as they are. */
  body?: unknown;
}

export interface FailureOptions {
  match?: Matcher;
  /** The platform's error message. */
  message?: string;
  headers?: Record<string, string | number>;
}

export interface FakePlatformControls {
  /** e.g. http://127.0.0.1:5555 */
  url: string;
  requests: RecordedRequest[];
  /** The recorded requests that match, e.g. `count((r) => r.method === 'PUT')`. */
  count(match: Matcher): number;
  failNext(count: number, status: number, options?: FailureOptions): void;
  dropNext(count: number, match?: Matcher): void;
  failAlways(status: number | undefined, options?: FailureOptions): void;
  close(): Promise<void>;
}

export interface FakePlatformOptions {
  /** The bearer tokens accepted now (read on every request, so a fake can issue new ones). */
  tokens: () => Set<string>;
  /** Requests that carry no token (pre-signed upload URLs, the OAuth token endpoint). */
  isPublic?: Matcher;
  /** The platform's error reply for a status (and a message). */
  error: (status: number, message?: string) => FakeReply;
  /** The reply to a missing or unknown token (default: `error(401)`). */
  unauthorized?: () => FakeReply;
  handle: (req: RecordedRequest, base: string) => Promise<FakeReply> | FakeReply;
}

interface Scripted {
  remaining: number;
  status: number;
  options: FailureOptions;
}

export function bearerOf(headers: IncomingHttpHeaders): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
}

/** The multipart/form-data or urlencoded fields of a recorded request. */
export async function formOf(req: RecordedRequest): Promise<FormData> {
  const type = req.headers['content-type'] ?? '';
  return new Response(new Uint8Array(req.body), { headers: { 'content-type': type } }).formData();
}

export function jsonOf<T = any>(req: RecordedRequest): T {
  return JSON.parse(req.body.toString('utf8') || '{}') as T;
}

export const randomDigits = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    i === 0 ? 1 + Math.floor(Math.random() * 9) : Math.floor(Math.random() * 10),
  ).join('');

export const randomId = () => randomUUID().replace(/-/g, '');

export async function startFakePlatformServer(options: FakePlatformOptions): Promise<FakePlatformControls> {
  const requests: RecordedRequest[] = [];
  const failures: Scripted[] = [];
  let drops: { remaining: number; match?: Matcher } | undefined;
  let permanent: { status: number; options: FailureOptions } | undefined;
  let base = '';

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });

  function send(res: ServerResponse, record: RecordedRequest, reply: FakeReply): void {
    record.status = reply.status;
    const headers: Record<string, string | number> = { ...reply.headers };
    let body: Buffer | string | undefined;
    if (Buffer.isBuffer(reply.body) || typeof reply.body === 'string') body = reply.body;
    else if (reply.body !== undefined) {
      body = JSON.stringify(reply.body);
      headers['content-type'] ??= 'application/json; charset=UTF-8';
    }
    res.writeHead(reply.status, headers);
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = new URL(req.url ?? '/', 'http://localhost');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(parsed.pathname),
      query: Object.fromEntries(parsed.searchParams),
      headers: req.headers,
      body: Buffer.concat(chunks),
      status: 0,
    };
    requests.push(record);

    if (drops && (!drops.match || drops.match(record))) {
      if (--drops.remaining <= 0) drops = undefined;
      req.socket.destroy();
      return;
    }
    const scripted = failures.find((f) => !f.options.match || f.options.match(record));
    if (scripted) {
      if (--scripted.remaining <= 0) failures.splice(failures.indexOf(scripted), 1);
      const reply = options.error(scripted.status, scripted.options.message);
      return send(res, record, { ...reply, headers: { ...reply.headers, ...scripted.options.headers } });
    }
    if (permanent && (!permanent.options.match || permanent.options.match(record))) {
      const reply = options.error(permanent.status, permanent.options.message);
      return send(res, record, { ...reply, headers: { ...reply.headers, ...permanent.options.headers } });
    }
    if (!options.isPublic?.(record)) {
      const token = bearerOf(req.headers) ?? record.query.access_token;
      if (!token || !options.tokens().has(token))
        return send(res, record, options.unauthorized?.() ?? options.error(401, 'Invalid access token'));
    }
    send(res, record, await options.handle(record, base));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    requests,
    count: (match) => requests.filter(match).length,
    failNext(count, status, opts = {}) {
      if (count > 0) failures.push({ remaining: count, status, options: opts });
    },
    dropNext(count, match) {
      drops = count > 0 ? { remaining: count, match } : undefined;
    },
    failAlways(status, opts = {}) {
      permanent = status === undefined ? undefined : { status, options: opts };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
