/**
 * A local OpenAI Images endpoint for tests (DESIGN §5: third-party APIs are tested against a local server that speaks
 * their documented shapes). Implements `POST /v1/images/generations` answering `{ created, data: [{ b64_json }] }` with
 * a real PNG drawn here (a small landscape at the requested aspect ratio), scripted errors per test, and a record of
 * every request.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import zlib from 'node:zlib';

/** A generated image; `delayMs` holds the answer back (to test timeouts and cancellation). */
export type FakeImageReply = { kind: 'image'; delayMs?: number };
/** A reply with an image URL instead of base64, as DALL·E answers without `response_format`. */
export type FakeUrlReply = { kind: 'url' };
/** An HTTP error with an OpenAI-style error body. */
export type FakeImageErrorReply = {
  kind: 'error';
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
};
export type FakeImagesReply = FakeImageReply | FakeUrlReply | FakeImageErrorReply;

export interface ImageGenerationBody {
  model: string;
  prompt: string;
  size?: string;
  n?: number;
  response_format?: string;
  output_format?: string;
  quality?: string;
  [key: string]: unknown;
}

export interface RecordedImagesRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

function openAiError(status: number, message: string, type: string, code: string | null): FakeImageErrorReply {
  return { kind: 'error', status, body: { error: { message, type, param: null, code } } };
}

/** Ready-made behaviours, with the bodies the real API sends. */
export const imageReplies = {
  image: (delayMs?: number): FakeImageReply => ({ kind: 'image', delayMs }),
  url: (): FakeUrlReply => ({ kind: 'url' }),
  unauthorized: (): FakeImageErrorReply =>
    openAiError(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'),
  rateLimited: (retryAfterSeconds = 3): FakeImageErrorReply => ({
    ...openAiError(429, 'Rate limit reached for images per minute.', 'requests', 'rate_limit_exceeded'),
    headers: { 'retry-after': String(retryAfterSeconds) },
  }),
  contentPolicy: (): FakeImageErrorReply =>
    openAiError(
      400,
      'Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.',
      'invalid_request_error',
      'content_policy_violation',
    ),
  moderationBlocked: (): FakeImageErrorReply =>
    openAiError(
      400,
      'Your request was rejected by the safety system.',
      'image_generation_user_error',
      'moderation_blocked',
    ),
  serverError: (): FakeImageErrorReply =>
    openAiError(500, 'The server had an error processing your request.', 'server_error', null),
};

// ---------------------------------------------------------------------------------------------------------------
// A real PNG, drawn pixel by pixel

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGB PNG of `width`×`height` whose pixels `paint(x, y)` gives. */
export function encodePng(width: number, height: number, paint: (x: number, y: number) => [number, number, number]) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) raw.set(paint(x, y), row + 1 + x * 3);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, RGB, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A small "photo": a warm sky, a sun and two ranges of hills, at the aspect ratio of `size` (`1024x1536`). */
export function fakePhoto(size = '1024x1536'): Buffer {
  const [w, h] = (/^(\d+)x(\d+)$/.exec(size)?.slice(1) ?? ['1024', '1536']).map(Number);
  const width = Math.max(16, Math.round((w / Math.max(w, h)) * 192));
  const height = Math.max(16, Math.round((h / Math.max(w, h)) * 192));
  const sun = { x: width * 0.68, y: height * 0.34, r: Math.min(width, height) * 0.13 };
  return encodePng(width, height, (x, y) => {
    const t = y / height;
    const far = height * (0.62 + 0.05 * Math.sin((x / width) * Math.PI * 2));
    const near = height * (0.76 + 0.06 * Math.cos((x / width) * Math.PI * 3));
    if (y > near) return [34, 92, 60];
    if (y > far) return [70, 130, 96];
    if ((x - sun.x) ** 2 + (y - sun.y) ** 2 < sun.r ** 2) return [255, 236, 170];
    return [Math.round(250 - 120 * t), Math.round(170 + 40 * t), Math.round(120 + 110 * t)];
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The server

export interface FakeImagesServer {
  /** The API root to configure as `baseUrl`, e.g. http://127.0.0.1:41234/v1. */
  readonly baseUrl: string;
  readonly requests: RecordedImagesRequest[];
  /** The bodies of the generation requests, in order. */
  generations(): ImageGenerationBody[];
  /** Replies for the next generation requests, used once each, in order; afterwards the default reply applies. */
  enqueue(...next: FakeImagesReply[]): void;
  setDefault(reply: FakeImagesReply): void;
  /** Forget recorded requests and queued replies between tests. */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeImagesServerOptions {
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401 like the real API. */
  apiKey?: string;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const piece of req) chunks.push(piece as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeImagesServer(options: FakeImagesServerOptions = {}): Promise<FakeImagesServer> {
  const requests: RecordedImagesRequest[] = [];
  let queue: FakeImagesReply[] = [];
  let fallback: FakeImagesReply = imageReplies.image();
  const timers = new Set<NodeJS.Timeout>();

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function answer(res: ServerResponse, body: ImageGenerationBody): Promise<void> {
    const reply = queue.shift() ?? fallback;
    if ('delayMs' in reply && reply.delayMs) await wait(reply.delayMs);
    if (res.destroyed) return;
    if (reply.kind === 'error') return send(res, reply.status, reply.body ?? {}, reply.headers);
    if (reply.kind === 'url') {
      return send(res, 200, { created: 1_700_000_000, data: [{ url: 'https://images.example/generated.png' }] });
    }
    const data = fakePhoto(body.size);
    send(res, 200, {
      created: 1_700_000_000,
      data: [{ b64_json: data.toString('base64'), revised_prompt: body.prompt }],
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const path = (req.url ?? '/').split('?')[0];
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return send(res, 401, imageReplies.unauthorized().body);
    }
    if (req.method === 'POST' && path === '/v1/images/generations') return answer(res, body as ImageGenerationBody);
    send(res, 404, { error: { message: `Unknown path ${path}`, type: 'invalid_request_error', code: 'not_found' } });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { error: { message: String(err), type: 'server_error' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    generations: () =>
      requests.filter((r) => r.path === '/v1/images/generations').map((r) => r.body as ImageGenerationBody),
    enqueue: (...next) => void queue.push(...next),
    setDefault: (reply) => {
      fallback = reply;
    },
    reset: () => {
      requests.length = 0;
      queue = [];
      fallback = imageReplies.image();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
