/**
 * The registry: builds the analyst chain from the text providers' configuration at boot (`config.text`), so one
 * TEXT_PROVIDERS setting decides who writes posts and reports. The offline analyst is always last; a misspelt
 * provider fails the boot instead of silently writing every report offline.
 */
import { type MTokPricing } from '../llm/pricing';
import { buildProviders, TEXT_PROVIDER_NAMES, type TextProvidersConfig } from '../llm/provider-list';
import { createAnalystChain, type AnalystChain } from './analyst-chain';
import { createOfflineAnalyst } from './offline-analyst';
import { createOpenAiAnalyst } from './openai-analyst';

/** The post writers' names: one TEXT_PROVIDERS setting serves both chains. */
export const ANALYST_PROVIDERS = TEXT_PROVIDER_NAMES;

export type AnalystsConfig = TextProvidersConfig<{
  /** USD per million tokens, for the cost each section records. */
  pricing?: MTokPricing;
}>;

export function createAnalystFromConfig(cfg: AnalystsConfig): AnalystChain {
  return createAnalystChain(
    buildProviders('analysis', cfg, {
      offline: () => createOfflineAnalyst(),
      openai: (settings) => createOpenAiAnalyst({ ...settings, name: 'openai' }),
    }),
  );
}
