/**
 * Text writer for any OpenAI-compatible chat-completions endpoint (OpenAI, Groq, OpenRouter, Ollama, vLLM), through
 * LangChain's ChatOpenAI.
 *
 * Structured output uses JSON mode (`response_format: json_object`) plus our own zod parse rather than tool calling or
 * `json_schema`: it is the structured mode most compatible servers implement, and parsing ourselves lets us feed the
 * exact problem back to the model for one corrective attempt and count the tokens of both attempts.
 *
 * Temporal owns retries: LangChain and the OpenAI SDK get `maxRetries: 0`, and every failure leaves here as an
 * `ApplicationFailure` whose type and retryability follow the house error taxonomy.
 */
import { type BaseMessageLike } from '@langchain/core/messages';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { PLATFORM_LIMITS, POST_TYPES, checkPostCopy, type PostCopy } from '../../lib/social';
import {
  type PostCopyRequest,
  type TextUsage,
  type TextWriter,
  type WriteOptions,
  type WriterResult,
} from './text-writer.port';

export interface OpenAiWriterOptions {
  /** The API root including the version, e.g. https://api.openai.com/v1 or http://localhost:11434/v1. */
  baseUrl: string;
  /** Optional for local servers (Ollama, vLLM) that do not check it. */
  apiKey?: string;
  model: string;
  /** Per request; the activity's own timeout bounds the whole call. */
  timeoutMs: number;
  /** Provider name recorded on results; defaults to 'openai'. Use e.g. 'groq' to tell two endpoints apart. */
  name?: string;
  /** USD per 1,000 prompt tokens; with `outputCostPer1k`, enables `usage.costUsd`. */
  inputCostPer1k?: number;
  outputCostPer1k?: number;
  temperature?: number;
  /** Upper bound on the reply, which also bounds the cost of a call. */
  maxOutputTokens?: number;
  /** Send `response_format: json_object` (default true); turn off for servers that reject it. */
  jsonMode?: boolean;
}

const postCopySchema = z.object({
  caption: z.string().trim().min(1),
  hashtags: z.array(z.string()).default([]),
  callToAction: z.string().default(''),
  altText: z.string().trim().min(1),
});

const PREFERRED_HASHTAGS: Record<PostCopyRequest['platform'], number> = {
  instagram: 8,
  tiktok: 5,
  facebook: 3,
  linkedin: 4,
  x: 2,
};

const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  it: 'Italian',
  fr: 'French',
  de: 'German',
  es: 'Spanish',
  pt: 'Portuguese',
  nl: 'Dutch',
};

const QUOTA_EXHAUSTED =
  /insufficient[_ -]?quota|quota (?:has been )?(?:exhausted|exceeded)|exceeded your (?:current )?quota|billing|out of credits|credit balance/i;
const CONTENT_REJECTED = /content[_ ]?(?:policy|filter|management)|safety system|flagged/i;

// ---------------------------------------------------------------------------------------------------------------
// Prompt

function languageName(tag: string | undefined): string {
  const code = tag?.toLowerCase().split(/[-_]/)[0] ?? 'en';
  return LANGUAGE_NAMES[code] ?? `the language with the BCP 47 tag "${tag}"`;
}

function systemPrompt(req: PostCopyRequest): string {
  const limits = PLATFORM_LIMITS[req.platform];
  const tags = Math.min(PREFERRED_HASHTAGS[req.platform], limits.hashtagsMax);
  return [
    `You are an expert social media copywriter. You write one ${req.platform} post for a brand.`,
    'Reply with a single JSON object and nothing else, with exactly these fields:',
    '{"caption": string, "hashtags": string[], "callToAction": string, "altText": string}',
    'Rules:',
    `- Write in ${languageName(req.language)}, in the brand's voice.`,
    '- caption: the post text, without the hashtags and without the call to action.',
    `- hashtags: about ${tags}, at most ${limits.hashtagsMax}; CamelCase words of letters, digits or underscores only, without "#" or spaces.`,
    `- callToAction: one short sentence that fits a ${req.postType} post.`,
    `- caption, callToAction and the hashtags (each prefixed with "#"), joined by blank lines, must total at most ${limits.captionMax} characters.`,
    `- altText: describes the post's branded image (brand name and headline) in at most ${limits.altTextMax} characters.`,
    '- Use only the facts given about the brand: do not invent prices, statistics, customers, quotes or dates.',
  ].join('\n');
}

function userPrompt(req: PostCopyRequest): string {
  const b = req.brand;
  const facts: [string, string | null | undefined][] = [
    ['Brand name', b.name],
    ['Slogan', b.slogan],
    ['Mission', b.mission],
    ['Category', b.category],
    ['Voice', b.voice],
    ['Keywords', b.keywords?.join(', ')],
    ['Website', b.website],
    ['Platform', req.platform],
    ['Post type', `${req.postType}: ${POST_TYPES[req.postType]}`],
    ['Topic', req.topic],
  ];
  return facts
    .filter(([, value]) => value?.trim())
    .map(([label, value]) => `${label}: ${value}`)
    .join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing and validating the reply

type Parsed = { copy: PostCopy; problems?: undefined } | { copy?: undefined; problems: string[] };

/** The JSON object in a reply, tolerating code fences or a sentence around it. */
function extractJson(text: string): string | undefined {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  return start >= 0 && end > start ? text.slice(start, end + 1) : undefined;
}

export function parsePostCopy(text: string, platform: PostCopyRequest['platform']): Parsed {
  const json = extractJson(text);
  if (!json) return { problems: ['the reply does not contain a JSON object'] };
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    return { problems: [`the reply is not valid JSON (${(err as Error).message})`] };
  }
  const result = postCopySchema.safeParse(raw);
  if (!result.success) {
    return { problems: result.error.issues.map((i) => `${i.path.join('.') || 'object'}: ${i.message}`) };
  }
  const copy: PostCopy = {
    ...result.data,
    // Models often add the "#" or a stray space; both are formatting, not content.
    hashtags: result.data.hashtags.map((t) => t.trim().replace(/^#+/, '').replace(/\s+/g, '')).filter(Boolean),
    callToAction: result.data.callToAction.trim(),
  };
  const violations = checkPostCopy(copy, platform);
  return violations.length ? { problems: violations.map((v) => `${v.field}: ${v.message}`) } : { copy };
}

function feedback(problems: string[]): string {
  return `Your reply could not be used: ${problems.join('; ')}. Reply again with only the corrected JSON object.`;
}

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
  const fail = (type: string, nonRetryable: boolean, nextRetryDelay?: number) =>
    ApplicationFailure.create({ message, type, nonRetryable, cause, nextRetryDelay });

  const rejected = CONTENT_REJECTED.test(code) || CONTENT_REJECTED.test(message);
  // Some gateways (OpenRouter) answer 403 when moderation flags the prompt: that is about content, not the key.
  if (status === 403 && rejected) return fail('ContentRejected', true);
  if (status === 401 || status === 403) return fail('ProviderAuth', true);
  if (status === 402) return fail('QuotaExhausted', true);
  if (status === 429) {
    if (QUOTA_EXHAUSTED.test(code) || QUOTA_EXHAUSTED.test(message)) return fail('QuotaExhausted', true);
    return fail('RateLimited', false, retryAfterMs(e));
  }
  if (status === 400 || status === 422) return fail(rejected ? 'ContentRejected' : 'InvalidInput', true);
  // 404: a wrong model name or base URL; retrying will not fix configuration.
  if (status === 404) return fail('ProviderMisconfigured', true);
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 409) {
    return fail('InvalidInput', true);
  }
  // Network errors, timeouts, 408/409 and 5xx are worth another attempt.
  return fail('ProviderUnavailable', false);
}

function rethrowIfCancelled(err: unknown, signal: AbortSignal | undefined): void {
  // A cancelled activity must surface the cancellation itself, not a provider error, or Temporal would retry it.
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : err;
}

// ---------------------------------------------------------------------------------------------------------------
// Usage

interface ReplyLike {
  text: string;
  usage_metadata?: { input_tokens?: number; output_tokens?: number };
  response_metadata?: Record<string, unknown>;
  additional_kwargs?: Record<string, unknown>;
}

function addUsage(total: TextUsage, reply: ReplyLike): TextUsage {
  const u = reply.usage_metadata;
  if (u?.input_tokens === undefined && u?.output_tokens === undefined) return total;
  return {
    inputTokens: (total.inputTokens ?? 0) + (u.input_tokens ?? 0),
    outputTokens: (total.outputTokens ?? 0) + (u.output_tokens ?? 0),
  };
}

function withCost(usage: TextUsage, opts: OpenAiWriterOptions): TextUsage | undefined {
  if (usage.inputTokens === undefined && usage.outputTokens === undefined) return undefined;
  if (opts.inputCostPer1k === undefined && opts.outputCostPer1k === undefined) return usage;
  const cost =
    ((usage.inputTokens ?? 0) * (opts.inputCostPer1k ?? 0) + (usage.outputTokens ?? 0) * (opts.outputCostPer1k ?? 0)) /
    1000;
  return { ...usage, costUsd: Math.round(cost * 1e6) / 1e6 };
}

// ---------------------------------------------------------------------------------------------------------------
// The writer

/** The SDK is imported on first use, so a deployment that only runs offline never loads it (STYLE habit 12). */
async function loadChatModel(opts: OpenAiWriterOptions, baseUrl: string) {
  const { ChatOpenAI } = await import('@langchain/openai');
  return new ChatOpenAI({
    model: opts.model,
    // Local servers (Ollama, vLLM) need no key; passing a dummy one keeps the SDK from reading process.env.
    apiKey: opts.apiKey || 'not-needed',
    configuration: { baseURL: baseUrl },
    maxRetries: 0,
    timeout: opts.timeoutMs,
    temperature: opts.temperature,
    maxTokens: opts.maxOutputTokens ?? 1024,
  });
}

type ChatModel = Awaited<ReturnType<typeof loadChatModel>>;

export function createOpenAiWriter(opts: OpenAiWriterOptions): TextWriter {
  const name = opts.name ?? 'openai';
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  let model: Promise<ChatModel> | undefined;
  const chatModel = (): Promise<ChatModel> => (model ??= loadChatModel(opts, baseUrl));

  async function ask(messages: BaseMessageLike[], signal: AbortSignal | undefined): Promise<ReplyLike> {
    const llm = await chatModel();
    try {
      return await llm.invoke(messages, {
        signal,
        ...(opts.jsonMode === false ? {} : { response_format: { type: 'json_object' as const } }),
      });
    } catch (err) {
      rethrowIfCancelled(err, signal);
      throw toProviderFailure(err, name);
    }
  }

  function rejectRefusal(reply: ReplyLike): void {
    const refusal = reply.additional_kwargs?.refusal;
    if (reply.response_metadata?.finish_reason === 'content_filter' || typeof refusal === 'string') {
      const why = typeof refusal === 'string' ? refusal : 'the reply was stopped by the content filter';
      throw ApplicationFailure.nonRetryable(`${name}: ${why}`, 'ContentRejected');
    }
  }

  async function writePostCopy(req: PostCopyRequest, options?: WriteOptions): Promise<WriterResult<PostCopy>> {
    const messages: BaseMessageLike[] = [
      ['system', systemPrompt(req)],
      ['human', userPrompt(req)],
    ];
    let usage: TextUsage = {};
    let servedBy: string | undefined;
    let problems: string[] = [];
    for (let attempt = 1; attempt <= 2; attempt++) {
      const reply = await ask(messages, options?.signal);
      usage = addUsage(usage, reply);
      servedBy = (reply.response_metadata?.model_name as string | undefined) ?? servedBy;
      rejectRefusal(reply);
      const parsed = parsePostCopy(reply.text, req.platform);
      if (parsed.copy) {
        return { value: parsed.copy, provider: name, model: servedBy ?? opts.model, usage: withCost(usage, opts) };
      }
      problems = parsed.problems;
      messages.push(['ai', reply.text], ['human', feedback(problems)]);
    }
    throw ApplicationFailure.create({
      message: `${name}: the model's reply was unusable twice: ${problems.join('; ')}`,
      type: 'ProviderOutputInvalid',
      details: [{ usage: withCost(usage, opts), model: servedBy ?? opts.model }],
    });
  }

  async function check(): Promise<void> {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}/models`, {
        headers: opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {},
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
    } catch (err) {
      throw toProviderFailure(err, name);
    }
    if (!res.ok) {
      const body = await res.text().catch(() => '');
      throw toProviderFailure({ status: res.status, headers: res.headers, message: body.slice(0, 500) }, name);
    }
  }

  return { name, writePostCopy, check };
}
