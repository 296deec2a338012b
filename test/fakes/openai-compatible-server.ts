/**
 * A local OpenAI-compatible endpoint for tests (DESIGN §5: third-party APIs are tested against a local server that
 * speaks their documented shapes). Implements `POST /v1/chat/completions` (JSON mode, tool calls, `usage`) and
 * `GET /v1/models`, with scripted replies per test and a record of every request.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type PostCopy } from '../../lib/social';

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

/** A well-formed reply whose content is this copy as JSON. */
export type FakeCopyReply = { kind: 'copy'; copy?: PostCopy; model?: string; usage?: FakeUsage; delayMs?: number };
/** A well-formed reply whose content is any value as JSON (e.g. a report analysis). */
export type FakeJsonReply = { kind: 'json'; value: unknown; model?: string; usage?: FakeUsage; delayMs?: number };
/** A reply with arbitrary assistant content (garbage, prose, invalid copy). */
export type FakeContentReply = {
  kind: 'content';
  content: string;
  finishReason?: string;
  usage?: FakeUsage;
  delayMs?: number;
};
/** An HTTP error with an OpenAI-style error body. */
export type FakeErrorReply = {
  kind: 'error';
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
};
/** An assistant turn that calls tools; `arguments` given as a string is sent as is (e.g. broken JSON). */
export type FakeToolCallsReply = {
  kind: 'tools';
  calls: { name: string; arguments: unknown; id?: string }[];
  content?: string;
  model?: string;
  usage?: FakeUsage;
  delayMs?: number;
};
export type FakeReply = FakeCopyReply | FakeJsonReply | FakeContentReply | FakeErrorReply | FakeToolCallsReply;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface ChatMessage {
  role: string;
  content: string;
  tool_call_id?: string;
  tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
}

export interface ChatRequestBody {
  model: string;
  messages: ChatMessage[];
  response_format?: { type: string };
  [key: string]: unknown;
}

export const FAKE_COPY: PostCopy = {
  caption: 'Fresh from the roastery: our autumn blend is here, with notes of cocoa and hazelnut.',
  hashtags: ['BluebirdRoasters', 'AutumnBlend'],
  callToAction: 'Find it in our shop today.',
  altText: 'Bluebird Roasters graphic with the headline "Our autumn blend is here"',
};

/** Ready-made behaviours for the common cases. */
export const replies = {
  validCopy: (copy: PostCopy = FAKE_COPY, usage?: FakeUsage): FakeCopyReply => ({ kind: 'copy', copy, usage }),
  json: (value: unknown, usage?: FakeUsage): FakeJsonReply => ({ kind: 'json', value, usage }),
  /** One tool call (the agent's tools, or a structured-output tool such as `qualification`). */
  toolCall: (name: string, args: unknown, usage?: FakeUsage): FakeToolCallsReply => ({
    kind: 'tools',
    calls: [{ name, arguments: args }],
    usage,
  }),
  garbage: (content = 'Sure! Here is a lovely post about coffee, enjoy.'): FakeContentReply => ({
    kind: 'content',
    content,
  }),
  unauthorized: (): FakeErrorReply =>
    openAiError(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'),
  rateLimited: (retryAfterSeconds = 7): FakeErrorReply => ({
    ...openAiError(429, 'Rate limit reached for requests.', 'requests', 'rate_limit_exceeded'),
    headers: { 'retry-after': String(retryAfterSeconds) },
  }),
  quotaExhausted: (): FakeErrorReply =>
    openAiError(
      429,
      'You exceeded your current quota, please check your plan and billing details.',
      'insufficient_quota',
      'insufficient_quota',
    ),
  badRequest: (message = "Invalid value for 'messages'."): FakeErrorReply =>
    openAiError(400, message, 'invalid_request_error', null),
  unavailable: (): FakeErrorReply => openAiError(503, 'The server is overloaded.', 'server_error', null),
  slow: (delayMs: number, copy: PostCopy = FAKE_COPY): FakeCopyReply => ({ kind: 'copy', copy, delayMs }),
};

function openAiError(status: number, message: string, type: string, code: string | null): FakeErrorReply {
  return { kind: 'error', status, body: { error: { message, type, param: null, code } } };
}

export interface FakeOpenAiServer {
  /** The API root to configure as `baseUrl`, e.g. http://127.0.0.1:41234/v1. */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** When each chat request whose client hung up before the reply was dropped (ms since the epoch), in order. */
  readonly abandoned: number[];
  /** The bodies of the chat-completion requests, in order. */
  chatRequests(): ChatRequestBody[];
  /** Replies for the next chat requests, used once each, in order; afterwards the default reply applies. */
  enqueue(...next: FakeReply[]): void;
  setDefault(reply: FakeReply): void;
  /** Forget recorded requests and queued replies between tests. */
  reset(): void;
  /** Stops listening and drops open connections; the base URL then refuses connections ("endpoint down"). */
  close(): Promise<void>;
}

export interface FakeOpenAiServerOptions {
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401 like the real API. */
  apiKey?: string;
  /** Model id reported by /v1/models and in replies unless a reply overrides it. */
  model?: string;
  defaultReply?: FakeReply;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Rough token count, stable across runs, for replies without explicit usage. */
const tokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

type ToolCallOut = NonNullable<ChatMessage['tool_calls']>[number];

function completion(
  body: ChatRequestBody,
  content: string | null,
  model: string,
  finishReason: string,
  usage?: FakeUsage,
  toolCalls?: ToolCallOut[],
  id = 'chatcmpl-fake',
) {
  const promptTokens = usage?.prompt_tokens ?? tokens(body.messages.map((m) => m.content ?? '').join('\n'));
  const completionTokens = usage?.completion_tokens ?? tokens(content ?? JSON.stringify(toolCalls ?? ''));
  return {
    id,
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null, ...(toolCalls ? { tool_calls: toolCalls } : {}) },
        finish_reason: finishReason,
        logprobs: null,
      },
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}

export async function startFakeOpenAiServer(options: FakeOpenAiServerOptions = {}): Promise<FakeOpenAiServer> {
  const model = options.model ?? 'fake-gpt';
  const requests: RecordedRequest[] = [];
  const abandoned: number[] = [];
  let queue: FakeReply[] = [];
  let fallback: FakeReply = options.defaultReply ?? replies.validCopy();
  const timers = new Set<NodeJS.Timeout>();
  let toolCallIds = 0;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function answerChat(res: ServerResponse, body: ChatRequestBody): Promise<void> {
    res.on('close', () => {
      if (!res.writableFinished) abandoned.push(Date.now());
    });
    const reply = queue.shift() ?? fallback;
    if (reply.delayMs) await wait(reply.delayMs);
    if (res.destroyed) return;
    if (reply.kind === 'error') return send(res, reply.status, reply.body ?? {}, reply.headers);
    if (reply.kind === 'tools') {
      const calls = reply.calls.map((c) => ({
        id: c.id ?? `call_fake_${++toolCallIds}`,
        type: 'function' as const,
        function: {
          name: c.name,
          arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
        },
      }));
      const toolModel = reply.model || body.model || model;
      // A distinct id per turn, as real servers give: LangChain's message list replaces a message whose id it has seen.
      const id = `chatcmpl-fake-tools-${toolCallIds}`;
      return send(res, 200, completion(body, reply.content ?? null, toolModel, 'tool_calls', reply.usage, calls, id));
    }
    const content =
      reply.kind === 'copy'
        ? JSON.stringify(reply.copy ?? FAKE_COPY)
        : reply.kind === 'json'
          ? JSON.stringify(reply.value)
          : reply.content;
    const finishReason = reply.kind === 'content' ? (reply.finishReason ?? 'stop') : 'stop';
    const replyModel = ((reply.kind === 'copy' || reply.kind === 'json') && reply.model) || body.model || model;
    send(res, 200, completion(body, content, replyModel, finishReason, reply.usage));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const path = (req.url ?? '/').split('?')[0];
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return send(res, 401, replies.unauthorized().body);
    }
    if (req.method === 'GET' && path === '/v1/models') {
      return send(res, 200, { object: 'list', data: [{ id: model, object: 'model', created: 0, owned_by: 'fake' }] });
    }
    if (req.method === 'POST' && path === '/v1/chat/completions') return answerChat(res, body as ChatRequestBody);
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
    abandoned,
    chatRequests: () => requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body as ChatRequestBody),
    enqueue: (...next) => void queue.push(...next),
    setDefault: (reply) => {
      fallback = reply;
    },
    reset: () => {
      requests.length = 0;
      abandoned.length = 0;
      queue = [];
      fallback = options.defaultReply ?? replies.validCopy();
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
