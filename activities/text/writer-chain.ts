/**
 * The fallback chain (DESIGN §5: primary -> secondary -> offline) and the registry that builds it from configuration.
 * The offline writer is always last, so a post always gets copy even when every cloud provider is down.
 */
import { ApplicationFailure } from '@temporalio/common';
import { type PostCopy } from '../../lib/social';
import { createOfflineWriter } from './offline-writer';
import { createOpenAiWriter } from './openai-writer';
import {
  describeError,
  firstAnswer,
  isCancellation,
  providerChecks,
  withOfflineLast,
  type ProviderStatus,
} from '../llm/provider-chain';
import { buildProviders, type TextProvidersConfig } from '../llm/provider-list';
import {
  type PostCopyRequest,
  type TextWriter,
  type WriteOptions,
  type WriterFallback,
  type WriterResult,
} from './text-writer.port';

/** Failures about the request itself: another provider would refuse it too, so the chain stops. */
const FINAL_TYPES = new Set(['InvalidInput', 'ContentRejected']);

export { describeError, type ProviderStatus };

export interface WriterChain extends TextWriter {
  readonly writers: readonly TextWriter[];
  /** Every provider's check, without throwing: for health endpoints and boot logs. */
  checkEach(): Promise<ProviderStatus[]>;
}

export type TextWritersConfig = TextProvidersConfig<{ inputCostPer1k?: number; outputCostPer1k?: number }>;

export function createWriterChain(writers: readonly TextWriter[]): WriterChain {
  const chain = withOfflineLast(writers, (w) => w.name, createOfflineWriter, 'text writer');

  async function writePostCopy(req: PostCopyRequest, opts?: WriteOptions): Promise<WriterResult<PostCopy>> {
    const fallbacks: WriterFallback[] = [];
    const result = await firstAnswer(
      chain,
      (writer) => writer.writePostCopy(req, opts),
      (err) =>
        isCancellation(err, opts?.signal) || (err instanceof ApplicationFailure && FINAL_TYPES.has(err.type ?? '')),
      (writer, err) => fallbacks.push({ provider: writer.name, error: describeError(err, writer.name) }),
    );
    return { ...result, fallbacks: [...fallbacks, ...(result.fallbacks ?? [])] };
  }

  return {
    name: chain.map((w) => w.name).join('>'),
    writers: chain,
    writePostCopy,
    ...providerChecks(chain, 'Text'),
  };
}

/** Builds the chain from TEXT_PROVIDERS at boot; a typo fails the boot instead of silently writing offline. */
export function createTextWritersFromConfig(cfg: TextWritersConfig): WriterChain {
  return createWriterChain(
    buildProviders('text', cfg, {
      offline: () => createOfflineWriter(),
      openai: (settings) => createOpenAiWriter({ ...settings, name: 'openai' }),
    }),
  );
}
