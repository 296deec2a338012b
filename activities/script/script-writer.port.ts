/**
 * The script-writing port (issue 4, steps 1 and 6 of the video pipeline): every provider (offline templates, any
 * OpenAI-compatible model, the fallback chain) implements `ScriptWriter`, so the activities never know which one
 * wrote the script or the metadata.
 */
import type {
  PlatformMetadata,
  VideoBrand,
  VideoBrief,
  VideoFormat,
  VideoPlatform,
  VideoScript,
} from '../../lib/video/types';
import type { ProviderFallback } from '../llm/fallback-chain';

export interface ScriptRequest {
  brand: VideoBrand;
  brief: VideoBrief;
  format: VideoFormat;
  /** 15–180 s. */
  targetSeconds: number;
  /** The voice's speaking rate the length is planned at. */
  wordsPerMinute: number;
  /** BCP 47 tag of the narration; the brief's language unless the caller overrides it. */
  language: string;
}

export interface MetadataRequest {
  brand: VideoBrand;
  brief: VideoBrief;
  /** The approved script. */
  script: VideoScript;
  /** One metadata item per platform, in this order. */
  platforms: VideoPlatform[];
}

/** What a call cost: numbers, 0 for the offline writer or a server that reports no usage. */
export interface ScriptSpend {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** A provider that was tried before the one that served the result, why it was skipped and what it spent. */
export type ScriptFallback = ProviderFallback;

export interface Provenance extends ScriptSpend {
  /** `offline`, `openai`… : the provider that wrote the result. */
  provider: string;
  model?: string;
  /** Set by a chain: the providers that failed before `provider` succeeded, in order. */
  fallbacks?: ScriptFallback[];
}

export interface WrittenScript extends Provenance {
  script: VideoScript;
}

export interface WrittenMetadata extends Provenance {
  /** One per requested platform, in the requested order, each within its platform's limits. */
  items: PlatformMetadata[];
}

export interface ScriptWriteOptions {
  signal?: AbortSignal;
}

export interface ScriptWriter {
  /** `offline`, `openai`, or a chain's `openai>offline`. */
  readonly name: string;
  writeScript(req: ScriptRequest, opts?: ScriptWriteOptions): Promise<WrittenScript>;
  writeMetadata(req: MetadataRequest, opts?: ScriptWriteOptions): Promise<WrittenMetadata>;
  /** Cheap connectivity/credentials check for boot and health endpoints; throws when the provider cannot serve. */
  check(): Promise<void>;
}
