/**
 * A local ElevenLabs text-to-speech endpoint for tests (DESIGN §5: third-party APIs are tested against a local server
 * that speaks their documented shapes).
 *
 *   POST /v1/text-to-speech/{voice_id}[?output_format=mp3_44100_128]
 *     headers: xi-api-key (required), Content-Type: application/json, Accept: audio/mpeg
 *     body:    { text: string (required), model_id?: string, voice_settings?: { stability, similarity_boost,
 *              style?, use_speaker_boost?, speed? (0.7-1.2) }, language_code?: string }
 *     200 audio/mpeg (the MP3 given at start) | 401 { detail: { status: 'invalid_api_key', message } }
 *     | 404 { detail: { status: 'voice_not_found', message } } | 422 { detail: [{ loc, msg, type }] }
 *   GET /v1/models → [{ model_id, name }] (with a valid key)
 *
 * Replies can be scripted per request (errors with headers, delays, a request that never answers); every request is
 * recorded with its path, headers and parsed JSON body.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface RecordedTtsRequest {
  method: string;
  /** Path and query as sent, e.g. `/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb?output_format=mp3_44100_128`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export type FakeTtsReply =
  | { kind: 'audio'; delayMs?: number; contentType?: string; bytes?: Buffer }
  | { kind: 'error'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Accepts the request and never answers (until the server closes). */
  | { kind: 'hang' };

export interface FakeElevenLabs {
  url: string;
  apiKey: string;
  requests: RecordedTtsRequest[];
  /** Replies used by the next requests, in order, before the server's normal behaviour resumes. */
  script(...replies: FakeTtsReply[]): void;
  close(): Promise<void>;
}

export const FAKE_VOICE_IDS = ['JBFqnCBsd6RMkjVDRZzb', 'Xb7hH8MSUJpSbSDYk0k2'];

/** A real MP3 (a sine tone) made with ffmpeg, `seconds` long. */
export function makeTestMp3(seconds = 1): Buffer {
  return execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:duration=${seconds}`,
      '-c:a',
      'libmp3lame',
      '-b:a',
      '64k',
      '-f',
      'mp3',
      'pipe:1',
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
}

export const errors = {
  unauthorized: (): FakeTtsReply => ({
    kind: 'error',
    status: 401,
    body: { detail: { status: 'invalid_api_key', message: 'Invalid API key' } },
  }),
  quotaExceeded: (): FakeTtsReply => ({
    kind: 'error',
    status: 401,
    body: {
      detail: {
        status: 'quota_exceeded',
        message: 'This request exceeds your quota. You have 12 credits remaining, while 80 credits are required.',
      },
    },
  }),
  rateLimited: (retryAfterSeconds = 3): FakeTtsReply => ({
    kind: 'error',
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds) },
    body: { detail: { status: 'too_many_concurrent_requests', message: 'Too many concurrent requests.' } },
  }),
  validation: (): FakeTtsReply => ({
    kind: 'error',
    status: 422,
    body: { detail: [{ loc: ['body', 'text'], msg: 'field required', type: 'value_error.missing' }] },
  }),
  serverError: (): FakeTtsReply => ({ kind: 'error', status: 503, body: 'upstream connect error' }),
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
    ...headers,
  });
  res.end(text);
}

export async function startFakeElevenLabs(options: { apiKey?: string; mp3?: Buffer } = {}): Promise<FakeElevenLabs> {
  const apiKey = options.apiKey ?? 'test-xi-key';
  const mp3 = options.mp3 ?? makeTestMp3(1);
  const requests: RecordedTtsRequest[] = [];
  const scripted: FakeTtsReply[] = [];

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      let body: any;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });

      const reply = scripted.shift();
      if (reply?.kind === 'hang') return;
      if (reply?.kind === 'error') return json(res, reply.status, reply.body ?? '', reply.headers);

      if (req.headers['xi-api-key'] !== apiKey) {
        return json(res, 401, { detail: { status: 'invalid_api_key', message: 'Invalid API key' } });
      }
      const url = new URL(req.url ?? '/', 'http://fake');
      if (req.method === 'GET' && url.pathname === '/v1/models') {
        return json(res, 200, [{ model_id: 'eleven_multilingual_v2', name: 'Eleven Multilingual v2' }]);
      }
      const tts = /^\/v1\/text-to-speech\/([^/]+)$/.exec(url.pathname);
      if (req.method !== 'POST' || !tts) return json(res, 404, { detail: 'Not Found' });
      if (!FAKE_VOICE_IDS.includes(decodeURIComponent(tts[1]))) {
        return json(res, 404, {
          detail: { status: 'voice_not_found', message: `A voice with voice_id ${tts[1]} was not found.` },
        });
      }
      if (typeof body?.text !== 'string' || body.text.length === 0) {
        return json(res, 422, {
          detail: [{ loc: ['body', 'text'], msg: 'field required', type: 'value_error.missing' }],
        });
      }
      const speed = body.voice_settings?.speed;
      if (speed !== undefined && (typeof speed !== 'number' || speed < 0.7 || speed > 1.2)) {
        return json(res, 400, { detail: { status: 'invalid_voice_settings', message: 'speed must be in [0.7, 1.2]' } });
      }
      if (reply?.kind === 'audio' && reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (res.destroyed) return;
      res.writeHead(200, {
        'content-type': reply?.kind === 'audio' && reply.contentType ? reply.contentType : 'audio/mpeg',
      });
      res.end(reply?.kind === 'audio' && reply.bytes ? reply.bytes : mp3);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    script: (...replies) => scripted.push(...replies),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
