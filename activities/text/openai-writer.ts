/**
 * Text writer for any OpenAI-compatible chat-completions endpoint (OpenAI, Groq, OpenRouter, Ollama, vLLM). It speaks
 * through the shared chat client (activities/llm/openai-chat.ts: LangChain's ChatOpenAI in JSON mode plus our own zod
 * parse, Temporal owning retries, failures mapped to the house error taxonomy) and allows the model one corrective
 * attempt.
 */
import { type BaseMessageLike } from '@langchain/core/messages';
import { z } from 'zod';
import { PLATFORM_LIMITS, POST_TYPES, checkPostCopy, type PostCopy } from '../../lib/social';
import { createOpenAiChat, type OpenAiChatOptions, parseJsonReply } from '../llm/openai-chat';
import {
  type PostCopyRequest,
  type TextUsage,
  type TextWriter,
  type WriteOptions,
  type WriterResult,
} from './text-writer.port';
import { failure } from '../../lib/failures';

/** The endpoint's settings (base URL, key, model, timeout, JSON mode) are the shared chat client's. */
export interface OpenAiWriterOptions extends OpenAiChatOptions {
  /** Provider name recorded on results; defaults to 'openai'. Use e.g. 'groq' to tell two endpoints apart. */
  name?: string;
  /** USD per 1,000 prompt tokens; with `outputCostPer1k`, enables `usage.costUsd`. */
  inputCostPer1k?: number;
  outputCostPer1k?: number;
  /** Upper bound on the reply (default 1024), which also bounds the cost of a call. */
  maxOutputTokens?: number;
}

/** A post's copy is short; a tight bound keeps a runaway reply cheap. */
const DEFAULT_MAX_OUTPUT_TOKENS = 1024;

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

export function parsePostCopy(text: string, platform: PostCopyRequest['platform']): Parsed {
  const reply = parseJsonReply(text, postCopySchema);
  if (reply.problems) return { problems: reply.problems };
  const copy: PostCopy = {
    ...reply.value,
    // Models often add the "#" or a stray space; both are formatting, not content.
    hashtags: reply.value.hashtags.map((t) => t.trim().replace(/^#+/, '').replace(/\s+/g, '')).filter(Boolean),
    callToAction: reply.value.callToAction.trim(),
  };
  const violations = checkPostCopy(copy, platform);
  return violations.length ? { problems: violations.map((v) => `${v.field}: ${v.message}`) } : { copy };
}

function feedback(problems: string[]): string {
  return `Your reply could not be used: ${problems.join('; ')}. Reply again with only the corrected JSON object.`;
}

// ---------------------------------------------------------------------------------------------------------------
// Usage

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

export function createOpenAiWriter(opts: OpenAiWriterOptions): TextWriter {
  const name = opts.name ?? 'openai';
  const chat = createOpenAiChat(opts, name, DEFAULT_MAX_OUTPUT_TOKENS);

  async function writePostCopy(req: PostCopyRequest, options?: WriteOptions): Promise<WriterResult<PostCopy>> {
    const messages: BaseMessageLike[] = [
      ['system', systemPrompt(req)],
      ['human', userPrompt(req)],
    ];
    const outcome = await chat.askUntilUsable(messages, {
      attempts: 2,
      read: (text) => {
        const parsed = parsePostCopy(text, req.platform);
        return parsed.copy ? { value: parsed.copy } : { problems: parsed.problems };
      },
      feedback,
      signal: options?.signal,
    });
    const usage: TextUsage = outcome.tokens;
    const model = outcome.model ?? opts.model;
    if (outcome.value) return { value: outcome.value, provider: name, model, usage: withCost(usage, opts) };
    throw failure(
      'ProviderOutputInvalid',
      `${name}: the model's reply was unusable twice: ${outcome.problems.join('; ')}`,
      {
        details: [{ usage: withCost(usage, opts), model }],
      },
    );
  }

  return { name, writePostCopy, check: chat.check };
}
