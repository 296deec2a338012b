/**
 * The fallback chain (DESIGN §5: primary -> secondary -> offline) and the registry that builds it from configuration.
 * The offline writer is always last, so a post always gets copy even when every cloud provider is down.
 */
import { ApplicationFailure } from '@temporalio/common';
import { type PostCopy } from '../../lib/social';
import { createOfflineWriter } from './offline-writer';
import { createOpenAiWriter } from './openai-writer';
import {
  type PostCopyRequest,
  type TextWriter,
  type WriteOptions,
  type WriterFallback,
  type WriterResult,
} from './text-writer.port';

/** Failures about the request itself: another provider would refuse it too, so the chain stops. */
const FINAL_TYPES = new Set(['InvalidInput', 'ContentRejected']);

export interface ProviderStatus {
  provider: string;
  ok: boolean;
  error?: string;
}

export interface WriterChain extends TextWriter {
  readonly writers: readonly TextWriter[];
  /** Every provider's check, without throwing: for health endpoints and boot logs. */
  checkEach(): Promise<ProviderStatus[]>;
}

export interface TextWritersConfig {
  /** Provider names in order of preference: 'openai', 'offline'. */
  providers: readonly string[];
  openai?: {
    baseUrl: string;
    apiKey?: string;
    model: string;
    timeoutMs: number;
    inputCostPer1k?: number;
    outputCostPer1k?: number;
  };
}

function isFinal(err: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted) return true;
  if (err instanceof ApplicationFailure) return FINAL_TYPES.has(err.type ?? '');
  // Cancellation must propagate, not be served by the next provider.
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'CancelledFailure');
}

/** One line for the run record, e.g. "ProviderUnavailable: HTTP 503 Service Unavailable". */
export function describeError(err: unknown, provider: string): string {
  const type = err instanceof ApplicationFailure ? err.type : err instanceof Error ? err.name : undefined;
  const message = (err instanceof Error ? err.message : String(err)).replace(`${provider}: `, '');
  return type ? `${type}: ${message}` : message;
}

function withOfflineLast(writers: readonly TextWriter[]): TextWriter[] {
  const offlineAt = writers.findIndex((w) => w.name === 'offline');
  if (offlineAt === -1) return [...writers, createOfflineWriter()];
  if (offlineAt !== writers.length - 1) {
    throw new Error('The offline text writer must be last: the writers after it would never be used');
  }
  return [...writers];
}

export function createWriterChain(writers: readonly TextWriter[]): WriterChain {
  const chain = withOfflineLast(writers);

  async function writePostCopy(req: PostCopyRequest, opts?: WriteOptions): Promise<WriterResult<PostCopy>> {
    const fallbacks: WriterFallback[] = [];
    for (const [index, writer] of chain.entries()) {
      try {
        const result = await writer.writePostCopy(req, opts);
        return { ...result, fallbacks: [...fallbacks, ...(result.fallbacks ?? [])] };
      } catch (err) {
        if (isFinal(err, opts?.signal) || index === chain.length - 1) throw err;
        fallbacks.push({ provider: writer.name, error: describeError(err, writer.name) });
      }
    }
    throw new Error('unreachable: the writer chain is never empty');
  }

  async function checkEach(): Promise<ProviderStatus[]> {
    return Promise.all(
      chain.map(async (writer) => {
        try {
          await writer.check();
          return { provider: writer.name, ok: true };
        } catch (err) {
          return { provider: writer.name, ok: false, error: describeError(err, writer.name) };
        }
      }),
    );
  }

  /** Loud on purpose: a wrong key should be seen at boot even though the offline writer would cover for it. */
  async function check(): Promise<void> {
    const failed = (await checkEach()).filter((s) => !s.ok);
    if (failed.length)
      throw new Error(
        `Text providers failed their check: ${failed.map((s) => `${s.provider} (${s.error})`).join('; ')}`,
      );
  }

  return { name: chain.map((w) => w.name).join('>'), writers: chain, writePostCopy, check, checkEach };
}

const KNOWN_PROVIDERS = ['openai', 'offline'];

function writerFor(name: string, cfg: TextWritersConfig): TextWriter {
  switch (name) {
    case 'offline':
      return createOfflineWriter();
    case 'openai':
      if (!cfg.openai)
        throw new Error('Text provider "openai" is listed but its settings (base URL, model) are missing');
      return createOpenAiWriter({ ...cfg.openai, name: 'openai' });
    default:
      throw new Error(`Unknown text provider "${name}"; known providers: ${KNOWN_PROVIDERS.join(', ')}`);
  }
}

/** Builds the chain from TEXT_PROVIDERS at boot; a typo fails the boot instead of silently writing offline. */
export function createTextWritersFromConfig(cfg: TextWritersConfig): WriterChain {
  const names = cfg.providers.map((n) => n.trim().toLowerCase()).filter(Boolean);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new Error(`Text provider "${duplicate}" is listed twice`);
  return createWriterChain(names.map((name) => writerFor(name, cfg)));
}
