/**
 * The registry: builds the script writer chain from the text providers' configuration at boot (`config.text`), so
 * one TEXT_PROVIDERS setting decides who writes posts, reports and video scripts. The offline writer is always last;
 * a misspelt provider fails the boot instead of silently writing every script offline.
 */
import { type MTokPricing } from '../llm/pricing';
import { buildProviders, type TextProvidersConfig } from '../llm/provider-list';
import { createOfflineScriptWriter } from './offline-script-writer';
import { createOpenAiScriptWriter } from './openai-script-writer';
import { createScriptWriterChain, type ScriptWriterChain } from './script-chain';

export type ScriptWritersConfig = TextProvidersConfig<{
  /** USD per million tokens, for the cost each script and metadata call records. */
  pricing?: MTokPricing;
}>;

export function createScriptWriterFromConfig(cfg: ScriptWritersConfig): ScriptWriterChain {
  return createScriptWriterChain(
    // 'text': the same setting, so its error messages name TEXT_PROVIDERS' providers.
    buildProviders('text', cfg, {
      offline: () => createOfflineScriptWriter(),
      openai: (settings) => createOpenAiScriptWriter({ ...settings, name: 'openai' }),
    }),
  );
}
