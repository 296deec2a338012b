/**
 * The analyst fallback chain (primary model → … → offline rules). Unlike the social-post chain, every provider
 * failure falls through, including a refused or rejected request: the offline analyst derives the report from the
 * scores alone and can always write it, so a report never fails because a model would not. Only cancellation stops
 * the chain. Each section's provenance records why the earlier providers were skipped.
 */
import { createFallbackChain } from '../llm/fallback-chain';
import { type ProviderStatus } from '../llm/provider-chain';
import { type AnalyseOptions, type AnalysisInput, type Analyst, type AnalystOutput } from './analyst.port';
import { createOfflineAnalyst } from './offline-analyst';

export interface AnalystChain extends Analyst {
  readonly analysts: readonly Analyst[];
  /** Every provider's check, without throwing: for health endpoints and boot logs. */
  checkEach(): Promise<ProviderStatus[]>;
}

export function createAnalystChain(analysts: readonly Analyst[]): AnalystChain {
  const chain = createFallbackChain(analysts, {
    nameOf: (a) => a.id,
    offline: createOfflineAnalyst,
    what: 'analyst',
    label: 'Analysis',
  });

  async function analyse(input: AnalysisInput, opts: AnalyseOptions = {}): Promise<AnalystOutput> {
    const result = await chain.first((analyst) => analyst.analyse(input, opts), opts.signal);
    const all = result.fallbacks;
    const fallbackReason = all.map((f) => f.reason).join('; ');
    return {
      analysis: result.analysis,
      provenance: all.length ? result.provenance.map((p) => ({ ...p, fallbackReason })) : result.provenance,
      fallbacks: all,
    };
  }

  return { id: chain.name, analysts: chain.providers, analyse, check: chain.check, checkEach: chain.checkEach };
}
