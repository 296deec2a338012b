/**
 * The text-generation port: every provider (offline templates, any OpenAI-compatible endpoint, a fallback chain)
 * implements `TextWriter`, so activities never know which one serves them.
 */
import { type Platform, type PostCopy, type PostType } from '../../lib/social';

export interface BrandFacts {
  name: string;
  slogan?: string | null;
  mission?: string | null;
  category?: string | null;
  /** Free text describing the tone of voice, e.g. "warm and playful" or "professional". */
  voice?: string | null;
  keywords: string[];
  website?: string | null;
}

export interface PostCopyRequest {
  brand: BrandFacts;
  platform: Platform;
  postType: PostType;
  topic?: string;
  /** BCP 47 tag; English when absent. */
  language?: string;
}

export interface TextUsage {
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
}

/** A provider that was tried before the one that served the result, and why it was skipped. */
export interface WriterFallback {
  provider: string;
  error: string;
}

export interface WriterResult<T> {
  value: T;
  provider: string;
  model?: string;
  usage?: TextUsage;
  /** Set by a writer chain: the providers that failed before `provider` succeeded, in order. */
  fallbacks?: WriterFallback[];
}

export interface WriteOptions {
  signal?: AbortSignal;
}

export interface TextWriter {
  readonly name: string;
  writePostCopy(req: PostCopyRequest, opts?: WriteOptions): Promise<WriterResult<PostCopy>>;
  /** Cheap connectivity/credentials check for boot and health endpoints; throws when the provider cannot serve. */
  check(): Promise<void>;
}
