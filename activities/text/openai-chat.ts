/**
 * The chat client the social-post writer (openai-writer.ts) and the report analyst (analysis/openai-analyst.ts) share:
 * any OpenAI-compatible chat-completions endpoint (OpenAI, Groq, OpenRouter, Ollama, vLLM) through LangChain's
 * ChatOpenAI, and the mapping of its failures to the house error taxonomy.
 *
 * - Structured output is JSON mode (`response_format: json_object`) plus the caller's own zod parse, not tool calling
 *   or `json_schema`: it is what most compatible servers implement, and parsing ourselves lets us feed the exact
 *   problem back for a corrective attempt and count the tokens of every attempt.
 * - Temporal owns retries: LangChain and the OpenAI SDK get `maxRetries: 0`, and every failure leaves here as an
 *   `ApplicationFailure` whose type and retryability follow the house error taxonomy.
 */
import { type BaseMessageLike } from '@langchain/core/messages';
import { ApplicationFailure } from '@temporalio/common';
import { type z } from 'zod';
import { type FailureType, failure } from '../../lib/failures';

export interface OpenAiChatOptions {
  /** The API root including the version, e.g. https://api.openai.com/v1 or http://localhost:11434/v1. */
  baseUrl: string;
  /** Optional for local servers (Ollama, vLLM) that do not check it. */
  apiKey?: string;
  model: string;
  /** Per request; the activity's own timeout bounds the whole call. */
  timeoutMs: number;
  temperature?: number;
  /** Upper bound on each reply, which also bounds the cost of a call. */
  maxOutputTokens?: number;
  /** Send `response_format: json_object` (default true); turn off for servers that reject it. */
  jsonMode?: boolean;
}

const QUOTA_EXHAUSTED =
  /insufficient[_ -]?quota|quota (?:has been )?(?:exhausted|exceeded)|exceeded your (?:current )?quota|billing|out of credits|credit balance/i;
const CONTENT_REJECTED = /content[_ ]?(?:policy|filter|management)|safety system|flagged/i;

// ---------------------------------------------------------------------------------------------------------------
// Errors

interface HttpishError {
  status?: number;
  headers?: Headers | Record<string, string | undefined>;
  code?: string | null;
  error?: { code?: string | null; type?: string; message?: string } | null;
  message?: string;
  retryAfterMs?: number;
}

function header(err: HttpishError, name: string): string | undefined {
  const h = err.headers;
  if (!h) return undefined;
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name) ?? undefined;
  return (h as Record<string, string | undefined>)[name];
}

/** Retry-After in ms: `retry-after-ms`, then `retry-after` as seconds or an HTTP date. */
export function retryAfterMs(err: HttpishError): number | undefined {
  const ms = Number(header(err, 'retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const value = header(err, 'retry-after')?.trim();
  if (value) {
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(value);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  return typeof err.retryAfterMs === 'number' ? err.retryAfterMs : undefined;
}

function cleanMessage(err: unknown): string {
  const message =
    typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string'
      ? (err as { message: string }).message
      : String(err);
  // LangChain appends a troubleshooting link that adds nothing to a run's history.
  return message.replace(/\s*Troubleshooting URL:.*$/s, '').trim() || 'unknown error';
}

/** The innermost cause of a network failure ("connect ECONNREFUSED 127.0.0.1:80"), which says more than "fetch failed". */
function networkDetail(err: unknown): string {
  let cause: unknown = (err as { cause?: unknown } | null)?.cause;
  let detail: string | undefined;
  for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
    detail = cause.message;
    cause = (cause as { cause?: unknown }).cause;
  }
  return detail && detail !== cleanMessage(err) ? ` (${detail})` : '';
}

/** Maps an SDK/HTTP error to the house taxonomy (STYLE habit 7). */
export function toProviderFailure(err: unknown, provider: string): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as HttpishError;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const text = cleanMessage(err);
  const statusPrefix = status && !text.startsWith(String(status)) ? `HTTP ${status} ` : '';
  const message = `${provider}: ${statusPrefix}${text}${networkDetail(err)}`;
  const code = `${e.code ?? ''} ${e.error?.code ?? ''} ${e.error?.type ?? ''}`;
  const cause = err instanceof Error ? err : undefined;
  const fail = (type: FailureType, nextRetryDelay?: number) => failure(type, message, { cause, nextRetryDelay });

  const rejected = CONTENT_REJECTED.test(code) || CONTENT_REJECTED.test(message);
  // Some gateways (OpenRouter) answer 403 when moderation flags the prompt: that is about content, not the key.
  if (status === 403 && rejected) return fail('ContentRejected');
  if (status === 401 || status === 403) return fail('ProviderAuth');
  if (status === 402) return fail('QuotaExhausted');
  if (status === 429) {
    if (QUOTA_EXHAUSTED.test(code) || QUOTA_EXHAUSTED.test(message)) return fail('QuotaExhausted');
    return fail('RateLimited', retryAfterMs(e));
  }
  if (status === 400 || status === 422) return fail(rejected ? 'ContentRejected' : 'InvalidInput');
  // 404: a wrong model name or base URL; retrying will not fix configuration.
  if (status === 404) return fail('ProviderMisconfigured');
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 409) {
    return fail('InvalidInput');
  }
  // Network errors, timeouts, 408/409 and 5xx are worth another attempt.
  return fail('ProviderUnavailable');
}

function rethrowIfCancelled(err: unknown, signal: AbortSignal | undefined): void {
  // A cancelled activity must surface the cancellation itself, not a provider error that Temporal would retry or a
  // fallback chain would hand to the next provider.
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : err;
}

// ---------------------------------------------------------------------------------------------------------------
// Replies

/** What the callers read of LangChain's AI message. */
export interface ChatReply {
  text: string;
  usage_metadata?: { input_tokens?: number; output_tokens?: number };
  response_metadata?: Record<string, unknown>;
  additional_kwargs?: Record<string, unknown>;
}

/** Tokens summed over a conversation's calls; both stay undefined while the server reports none. */
export interface TokenCounts {
  inputTokens?: number;
  outputTokens?: number;
}

function addTokens(total: TokenCounts, reply: ChatReply): TokenCounts {
  const u = reply.usage_metadata;
  // Servers that report no usage leave the counts unknown rather than claiming 0 tokens.
  if (u?.input_tokens === undefined && u?.output_tokens === undefined) return total;
  return {
    inputTokens: (total.inputTokens ?? 0) + (u.input_tokens ?? 0),
    outputTokens: (total.outputTokens ?? 0) + (u.output_tokens ?? 0),
  };
}

/** A reply read by the caller: the value it wanted, or the problems to feed back to the model. */
export type ReadReply<T> = { value: T; problems?: undefined } | { value?: undefined; problems: string[] };

/** How a conversation ended: the value, or the last attempt's problems; with the tokens of every attempt. */
export type ChatOutcome<T> = ReadReply<T> & { tokens: TokenCounts; model?: string };

/** The JSON object in a reply, tolerating code fences or a sentence around it. */
function extractJson(text: string): string | undefined {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  return start >= 0 && end > start ? text.slice(start, end + 1) : undefined;
}

/** The reply's JSON object checked against the schema, or what is wrong with it, worded for the model to fix. */
export function parseJsonReply<T>(text: string, schema: z.ZodType<T>): ReadReply<T> {
  const json = extractJson(text);
  if (!json) return { problems: ['the reply does not contain a JSON object'] };
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    return { problems: [`the reply is not valid JSON (${(err as Error).message})`] };
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    return { problems: result.error.issues.map((i) => `${i.path.join('.') || 'object'}: ${i.message}`) };
  }
  return { value: result.data };
}

// ---------------------------------------------------------------------------------------------------------------
// The client

/** The SDK is imported on first use, so a deployment that only runs offline never loads it (STYLE habit 12). */
async function loadChatModel(opts: OpenAiChatOptions, baseUrl: string, defaultMaxOutputTokens: number) {
  const { ChatOpenAI } = await import('@langchain/openai');
  return new ChatOpenAI({
    model: opts.model,
    // Local servers (Ollama, vLLM) need no key; passing a dummy one keeps the SDK from reading process.env.
    apiKey: opts.apiKey || 'not-needed',
    configuration: { baseURL: baseUrl },
    maxRetries: 0,
    timeout: opts.timeoutMs,
    temperature: opts.temperature,
    maxTokens: opts.maxOutputTokens ?? defaultMaxOutputTokens,
  });
}

type ChatModel = Awaited<ReturnType<typeof loadChatModel>>;

export interface AskOptions<T> {
  /** Calls in all, the first included. */
  attempts: number;
  /** Parses and validates a reply's text. */
  read: (text: string) => ReadReply<T>;
  /** The message that asks the model to fix the problems of its last reply. */
  feedback: (problems: string[]) => string;
  signal?: AbortSignal;
}

export interface OpenAiChat {
  /**
   * Asks until a reply reads as a value, feeding each unusable reply's problems back (appended to `messages`) for a
   * corrective attempt; a refusal or a content-filtered reply throws `ContentRejected` at once.
   */
  askUntilUsable<T>(messages: BaseMessageLike[], options: AskOptions<T>): Promise<ChatOutcome<T>>;
  /** Lists the models with the configured key: catches a wrong URL or key at boot. */
  check(): Promise<void>;
}

/**
 * A client for one endpoint; the SDK is loaded on the first call, not here.
 *
 * @param provider name used in error messages
 * @param defaultMaxOutputTokens the reply bound when `opts.maxOutputTokens` is unset, sized for what the caller asks
 */
export function createOpenAiChat(
  opts: OpenAiChatOptions,
  provider: string,
  defaultMaxOutputTokens: number,
): OpenAiChat {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  let model: Promise<ChatModel> | undefined;
  const chatModel = (): Promise<ChatModel> => (model ??= loadChatModel(opts, baseUrl, defaultMaxOutputTokens));

  async function ask(messages: BaseMessageLike[], signal: AbortSignal | undefined): Promise<ChatReply> {
    const llm = await chatModel();
    try {
      return await llm.invoke(messages, {
        signal,
        ...(opts.jsonMode === false ? {} : { response_format: { type: 'json_object' as const } }),
      });
    } catch (err) {
      rethrowIfCancelled(err, signal);
      throw toProviderFailure(err, provider);
    }
  }

  function rejectRefusal(reply: ChatReply): void {
    const refusal = reply.additional_kwargs?.refusal;
    if (reply.response_metadata?.finish_reason === 'content_filter' || typeof refusal === 'string') {
      const why = typeof refusal === 'string' ? refusal : 'the reply was stopped by the content filter';
      throw failure('ContentRejected', `${provider}: ${why}`);
    }
  }

  async function askUntilUsable<T>(messages: BaseMessageLike[], options: AskOptions<T>): Promise<ChatOutcome<T>> {
    let tokens: TokenCounts = {};
    let servedBy: string | undefined;
    let problems: string[] = [];
    for (let attempt = 1; attempt <= options.attempts; attempt++) {
      const reply = await ask(messages, options.signal);
      tokens = addTokens(tokens, reply);
      servedBy = (reply.response_metadata?.model_name as string | undefined) ?? servedBy;
      rejectRefusal(reply);
      const read = options.read(reply.text);
      if (read.problems === undefined) return { value: read.value, tokens, model: servedBy };
      problems = read.problems;
      messages.push(['ai', reply.text], ['human', options.feedback(problems)]);
    }
    return { problems, tokens, model: servedBy };
  }

  async function check(): Promise<void> {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}/models`, {
        headers: opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {},
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
    } catch (err) {
      throw toProviderFailure(err, provider);
    }
    if (!res.ok) {
      const body = await res.text().catch(() => '');
      throw toProviderFailure({ status: res.status, headers: res.headers, message: body.slice(0, 500) }, provider);
    }
  }

  return { askUntilUsable, check };
}
