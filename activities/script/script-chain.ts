/**
 * The script writer fallback chain (primary model → … → offline templates). The offline writer is always last, so a
 * video always gets a script and its metadata even when every model is down, and each result records why the
 * earlier providers were skipped and what they spent.
 *
 * Every provider failure falls through, a 400 included (the activity has already checked the input, so a refusal of
 * the request is about the provider: a server without JSON mode, a wrong parameter), except two that stop the chain:
 * cancellation, and `ContentRejected`, where a model's moderation flagged the brief: a video that may be published
 * without review should not be written anyway by the templates.
 */
import { ApplicationFailure } from '@temporalio/common';
import { createFallbackChain } from '../llm/fallback-chain';
import { type ProviderStatus } from '../llm/provider-chain';
import { createOfflineScriptWriter } from './offline-script-writer';
import type {
  MetadataRequest,
  ScriptRequest,
  ScriptWriteOptions,
  ScriptWriter,
  WrittenMetadata,
  WrittenScript,
} from './script-writer.port';

export interface ScriptWriterChain extends ScriptWriter {
  readonly writers: readonly ScriptWriter[];
  /** Every provider's check, without throwing: for health endpoints and boot logs. */
  checkEach(): Promise<ProviderStatus[]>;
}

export function createScriptWriterChain(writers: readonly ScriptWriter[]): ScriptWriterChain {
  const chain = createFallbackChain(writers, {
    nameOf: (w) => w.name,
    offline: createOfflineScriptWriter,
    what: 'script writer',
    label: 'Script',
    isFinal: (err) => err instanceof ApplicationFailure && err.type === 'ContentRejected',
  });

  const writeScript = (req: ScriptRequest, opts: ScriptWriteOptions = {}): Promise<WrittenScript> =>
    chain.first((w) => w.writeScript(req, opts), opts.signal);

  const writeMetadata = (req: MetadataRequest, opts: ScriptWriteOptions = {}): Promise<WrittenMetadata> =>
    chain.first((w) => w.writeMetadata(req, opts), opts.signal);

  return {
    name: chain.name,
    writers: chain.providers,
    writeScript,
    writeMetadata,
    check: chain.check,
    checkEach: chain.checkEach,
  };
}
