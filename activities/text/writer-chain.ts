/**
 * The fallback chain (DESIGN §5: primary -> secondary -> offline) and the registry that builds it from configuration.
 * The offline writer is always last, so a post always gets copy even when every cloud provider is down.
 */
import { ApplicationFailure } from '@temporalio/common';
import { type PostCopy } from '../../lib/social';
import { createFallbackChain } from '../llm/fallback-chain';
import { describeError, type ProviderStatus } from '../llm/provider-chain';
import { buildProviders, type TextProvidersConfig } from '../llm/provider-list';
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

export { describeError, type ProviderStatus };

export interface WriterChain extends TextWriter {
  readonly writers: readonly TextWriter[];
  /** Every provider's check, without throwing: for health endpoints and boot logs. */
  checkEach(): Promise<ProviderStatus[]>;
}

export type TextWritersConfig = TextProvidersConfig<{ inputCostPer1k?: number; outputCostPer1k?: number }>;

export function createWriterChain(writers: readonly TextWriter[]): WriterChain {
  const chain = createFallbackChain<TextWriter, WriterFallback>(writers, {
    nameOf: (w) => w.name,
    offline: createOfflineWriter,
    what: 'text writer',
    label: 'Text',
    isFinal: (err) => err instanceof ApplicationFailure && FINAL_TYPES.has(err.type ?? ''),
    record: (provider, err) => ({ provider, error: describeError(err, provider) }),
  });

  const writePostCopy = (req: PostCopyRequest, opts?: WriteOptions): Promise<WriterResult<PostCopy>> =>
    chain.first((writer) => writer.writePostCopy(req, opts), opts?.signal);

  return {
    name: chain.name,
    writers: chain.providers,
    writePostCopy,
    check: chain.check,
    checkEach: chain.checkEach,
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
