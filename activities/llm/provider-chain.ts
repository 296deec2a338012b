/**
 * The pieces a fallback chain (fallback-chain.ts; DESIGN §5: primary → secondary → offline) is built from: the
 * offline provider kept last, the first answer that does not throw, cancellation recognised, a skipped provider's
 * error and spend read for the run record, and every provider's check.
 */
import { ApplicationFailure } from '@temporalio/common';

export interface ProviderStatus {
  provider: string;
  ok: boolean;
  error?: string;
}

/** What a chain needs to know of its providers. */
export interface ChainLink {
  /** The provider's name: `openai`, `offline`… */
  readonly name: string;
  check(): Promise<void>;
}

/** One line for the run record, e.g. "ProviderUnavailable: HTTP 503 Service Unavailable". */
export function describeError(err: unknown, provider: string): string {
  const type = err instanceof ApplicationFailure ? err.type : err instanceof Error ? err.name : undefined;
  const message = (err instanceof Error ? err.message : String(err)).replace(`${provider}: `, '');
  return type ? `${type}: ${message}` : message;
}

/** Cancellation must propagate, not be served by the next provider. */
export function isCancellation(err: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted) return true;
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'CancelledFailure');
}

/** What a failed provider spent before it gave up, when it says (`ProviderOutputInvalid` details). */
export function spentBy(err: unknown): { inputTokens?: number; outputTokens?: number; costUsd?: number } {
  const details = err instanceof ApplicationFailure ? (err.details?.[0] as Record<string, unknown> | undefined) : null;
  if (!details || typeof details !== 'object') return {};
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const spent = {
    inputTokens: num(details.inputTokens),
    outputTokens: num(details.outputTokens),
    costUsd: num(details.costUsd),
  };
  return Object.fromEntries(Object.entries(spent).filter(([, v]) => v !== undefined));
}

/** The providers with the offline one last: appended when absent; listed before another, a configuration error. */
export function withOfflineLast<P>(providers: readonly P[], nameOf: (p: P) => string, offline: () => P, what: string) {
  const offlineAt = providers.findIndex((p) => nameOf(p) === 'offline');
  if (offlineAt === -1) return [...providers, offline()];
  if (offlineAt !== providers.length - 1) {
    throw new Error(`The offline ${what} must be last: the ${what}s after it would never be used`);
  }
  return [...providers];
}

/**
 * The first provider's answer that does not throw. A failure `isFinal` says another provider would share (or the
 * last provider's failure) is thrown; the others are handed to `skipped` and the next provider is tried.
 */
export async function firstAnswer<P, T>(
  chain: readonly P[],
  call: (provider: P) => Promise<T>,
  isFinal: (err: unknown) => boolean,
  skipped: (provider: P, err: unknown) => void,
): Promise<T> {
  for (const [index, provider] of chain.entries()) {
    try {
      return await call(provider);
    } catch (err) {
      if (isFinal(err) || index === chain.length - 1) throw err;
      skipped(provider, err);
    }
  }
  throw new Error('unreachable: a provider chain is never empty');
}

/**
 * `checkEach`: every provider's check, without throwing, for health endpoints and boot logs. `check`: loud on
 * purpose, so a wrong key is seen at boot even though the offline provider would cover for it.
 */
export function providerChecks(chain: readonly ChainLink[], label: string) {
  async function checkEach(): Promise<ProviderStatus[]> {
    return Promise.all(
      chain.map(async (p) => {
        try {
          await p.check();
          return { provider: p.name, ok: true };
        } catch (err) {
          return { provider: p.name, ok: false, error: describeError(err, p.name) };
        }
      }),
    );
  }

  async function check(): Promise<void> {
    const failed = (await checkEach()).filter((s) => !s.ok);
    if (failed.length) {
      throw new Error(
        `${label} providers failed their check: ${failed.map((s) => `${s.provider} (${s.error})`).join('; ')}`,
      );
    }
  }

  return { check, checkEach };
}
