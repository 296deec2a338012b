/**
 * A fallback chain over any provider port (DESIGN §5: primary → secondary → offline): the post writer, the report
 * analyst and the script writer are each one of these, and so is whatever writes next (lead scoring, email copy).
 * The port's own chain module only says how a call is made and what a served result carries.
 */
import {
  describeError,
  firstAnswer,
  isCancellation,
  providerChecks,
  spentBy,
  withOfflineLast,
  type ProviderStatus,
} from './provider-chain';

/** A provider tried before the one that served, as runs record it, with what it spent before it failed. */
export interface ProviderFallback {
  provider: string;
  /** "openai: ProviderAuth: 401 Incorrect API key provided." */
  reason: string;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
}

/** The default record of a skipped provider: its name, why, and what it spent. */
export function fallbackRecord(provider: string, err: unknown): ProviderFallback {
  return { provider, reason: `${provider}: ${describeError(err, provider)}`, ...spentBy(err) };
}

/** What a chain needs of a provider besides its name. */
export interface Checkable {
  /** Cheap connectivity/credentials check; throws when the provider cannot serve. */
  check(): Promise<void>;
}

export interface FallbackChainOptions<P, F> {
  nameOf: (provider: P) => string;
  offline: () => P;
  /** What one provider is, as error messages name it: "analyst", "script writer". */
  what: string;
  /** What the chain is for, as a failed check names it: "Analysis", "Script". */
  label: string;
  /** Failures another provider would share, so the chain stops; cancellation always stops it. */
  isFinal?: (err: unknown) => boolean;
  /** How a skipped provider is recorded; `fallbackRecord` by default. */
  record?: (provider: string, err: unknown) => F;
}

export interface FallbackChain<P, F> {
  readonly providers: readonly P[];
  /** The providers' names joined: `openai>offline`. */
  readonly name: string;
  /**
   * The first provider's result that does not throw, its `fallbacks` listing the providers skipped before it, then
   * those its own result lists.
   */
  first<T extends { fallbacks?: F[] }>(
    call: (provider: P) => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<T & { fallbacks: F[] }>;
  /** Every provider's check, without throwing: for health endpoints and boot logs. */
  checkEach(): Promise<ProviderStatus[]>;
  /** Throws when any provider fails its check, so a wrong key is seen at boot even though offline would cover. */
  check(): Promise<void>;
}

/**
 * @param preferred the providers in order of preference; the offline one is appended when absent and must be last
 *   when listed
 */
export function createFallbackChain<P extends Checkable, F = ProviderFallback>(
  preferred: readonly P[],
  options: FallbackChainOptions<P, F>,
): FallbackChain<P, F> {
  const { nameOf, isFinal } = options;
  const record = options.record ?? (fallbackRecord as unknown as (provider: string, err: unknown) => F);
  const providers = withOfflineLast(preferred, nameOf, options.offline, options.what);

  async function first<T extends { fallbacks?: F[] }>(
    call: (provider: P) => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<T & { fallbacks: F[] }> {
    const fallbacks: F[] = [];
    const result = await firstAnswer(
      providers,
      call,
      (err) => isCancellation(err, signal) || (isFinal?.(err) ?? false),
      (provider, err) => fallbacks.push(record(nameOf(provider), err)),
    );
    return { ...result, fallbacks: [...fallbacks, ...(result.fallbacks ?? [])] };
  }

  const links = providers.map((p) => ({ name: nameOf(p), check: () => p.check() }));
  return {
    providers,
    name: providers.map(nameOf).join('>'),
    first,
    ...providerChecks(links, options.label),
  };
}
