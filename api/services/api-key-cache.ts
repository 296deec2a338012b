/**
 * Verified API keys, kept in this process for a short time so a busy integration does not cost a PostgreSQL read per
 * request, and the use of each key, written to PostgreSQL in batches instead of on the request path.
 *
 * A revocation made by this process (revoke, a member disabled, demoted, deleted or moved, a password reset: every
 * change to `api_keys` except its use) clears the cache at once and again when its transaction commits
 * (`onApiKeysChanged` in db/repositories/account.repository.ts), so the very next request is refused. Another API
 * process learns of it when its entry expires: the TTL (15 s by default) bounds how long a revoked key may still be
 * served there (docs/security.md#api-keys).
 */
import type { ApiKeyRecord } from '../../db/repositories/account.repository';

export type StoredApiKey = ApiKeyRecord & { secretHash: string };

export function createApiKeyCache(options: { ttlMs: number; maxEntries?: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { key: StoredApiKey; expiresAt: number }>();
  // Bumped by every clear: a lookup that began before a revocation must not put its stale row back.
  let generation = 0;

  return {
    get(prefix: string): StoredApiKey | undefined {
      const hit = entries.get(prefix);
      if (!hit) return undefined;
      if (hit.expiresAt <= now()) {
        entries.delete(prefix);
        return undefined;
      }
      return hit.key;
    },
    /** The generation to hand back to `set`: taken before the database read. */
    generation: () => generation,
    set(prefix: string, key: StoredApiKey, since: number): void {
      if (since !== generation || options.ttlMs <= 0) return;
      // Oldest first out: a Map iterates in insertion order.
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(prefix, { key, expiresAt: now() + options.ttlMs });
    },
    clear(): void {
      generation += 1;
      entries.clear();
    },
    size: () => entries.size,
  };
}

export type ApiKeyCache = ReturnType<typeof createApiKeyCache>;

/** Collects the ids of keys used since the last flush and writes them in one statement every `intervalMs`. */
export function createApiKeyUsage(options: {
  intervalMs: number;
  write: (ids: string[]) => Promise<void>;
  onError?: (err: unknown) => void;
}) {
  let pending = new Set<string>();
  let flushing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    if (pending.size === 0) return flushing;
    const ids = [...pending];
    pending = new Set();
    flushing = flushing.then(() => options.write(ids)).catch((err: unknown) => options.onError?.(err));
    return flushing;
  };
  const timer = setInterval(() => void flush(), options.intervalMs);
  // Never the reason a process stays up; `close` writes what is left.
  timer.unref();

  return {
    record(id: string): void {
      pending.add(id);
    },
    flush,
    async close(): Promise<void> {
      clearInterval(timer);
      await flush();
    },
  };
}
