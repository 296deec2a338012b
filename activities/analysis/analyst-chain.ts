/**
 * The analyst fallback chain (primary model → … → offline rules). Unlike the social-post chain, every provider
 * failure falls through, including a refused or rejected request: the offline analyst derives the report from the
 * scores alone and can always write it, so a report never fails because a model would not. Only cancellation stops
 * the chain. Each section's provenance records why the earlier providers were skipped.
 */
import {
  describeError,
  firstAnswer,
  isCancellation,
  providerChecks,
  spentBy,
  withOfflineLast,
  type ProviderStatus,
} from '../llm/provider-chain';
import {
  type AnalyseOptions,
  type AnalysisInput,
  type Analyst,
  type AnalystFallback,
  type AnalystOutput,
} from './analyst.port';
import { createOfflineAnalyst } from './offline-analyst';

export interface AnalystChain extends Analyst {
  readonly analysts: readonly Analyst[];
  /** Every provider's check, without throwing: for health endpoints and boot logs. */
  checkEach(): Promise<ProviderStatus[]>;
}

export function createAnalystChain(analysts: readonly Analyst[]): AnalystChain {
  const chain = withOfflineLast(analysts, (a) => a.id, createOfflineAnalyst, 'analyst');

  async function analyse(input: AnalysisInput, opts: AnalyseOptions = {}): Promise<AnalystOutput> {
    const fallbacks: AnalystFallback[] = [];
    const result = await firstAnswer(
      chain,
      (analyst) => analyst.analyse(input, opts),
      (err) => isCancellation(err, opts.signal),
      (analyst, err) =>
        fallbacks.push({
          provider: analyst.id,
          reason: `${analyst.id}: ${describeError(err, analyst.id)}`,
          ...spentBy(err),
        }),
    );
    const all = [...fallbacks, ...(result.fallbacks ?? [])];
    const fallbackReason = all.map((f) => f.reason).join('; ');
    return {
      analysis: result.analysis,
      provenance: all.length ? result.provenance.map((p) => ({ ...p, fallbackReason })) : result.provenance,
      fallbacks: all,
    };
  }

  const links = chain.map((a) => ({ name: a.id, check: () => a.check() }));
  return { id: chain.map((a) => a.id).join('>'), analysts: chain, analyse, ...providerChecks(links, 'Analysis') };
}
