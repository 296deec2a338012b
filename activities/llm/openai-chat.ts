/**
 * The chat client every writer shares (the post writer, the report analyst, the script writer): any OpenAI-compatible
 * chat-completions endpoint (OpenAI, Groq, OpenRouter, Ollama, vLLM) through LangChain's ChatOpenAI, its failures
 * mapped to the house error taxonomy (provider-failure.ts).
 *
 * - Structured output is JSON mode (`response_format: json_object`) plus the caller's own zod parse, not tool calling
 *   or `json_schema`: it is what most compatible servers implement, and parsing ourselves lets us feed the exact
 *   problem back for a corrective attempt and count the tokens of every attempt.
 * - Temporal owns retries: LangChain and the OpenAI SDK get `maxRetries: 0`, and every failure leaves here as an
 *   `ApplicationFailure` whose type and retryability follow the house error taxonomy.
 */
import { type BaseMessageLike } from '@langchain/core/messages';
import { type z } from 'zod';
import { failure } from '../../lib/failures';
import { checkModels, langChainClientFields, type OpenAiEndpoint } from './openai-endpoint';
import { rethrowIfCancelled, toProviderFailure } from './provider-failure';

export interface OpenAiChatOptions extends OpenAiEndpoint {
  model: string;
  temperature?: number;
  /** Upper bound on each reply, which also bounds the cost of a call. */
  maxOutputTokens?: number;
  /** Send `response_format: json_object` (default true); turn off for servers that reject it. */
  jsonMode?: boolean;
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
async function loadChatModel(opts: OpenAiChatOptions, defaultMaxOutputTokens: number) {
  const { ChatOpenAI } = await import('@langchain/openai');
  return new ChatOpenAI({
    model: opts.model,
    ...langChainClientFields(opts),
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
  let model: Promise<ChatModel> | undefined;
  const chatModel = (): Promise<ChatModel> => (model ??= loadChatModel(opts, defaultMaxOutputTokens));

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

  const check = (): Promise<void> => checkModels(opts, provider);

  return { askUntilUsable, check };
}
