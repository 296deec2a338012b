import { createApiKeyCache, createApiKeyUsage, type StoredApiKey } from '../../api/services/api-key-cache';

const key = (prefix: string): StoredApiKey => ({
  id: `id-${prefix}`,
  workspaceId: 'w',
  name: prefix,
  prefix,
  role: 'editor',
  createdAt: '2026-12-03T00:00:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
  secretHash: 'ab',
});

describe('API key cache', () => {
  it('serves a key until its TTL and forgets everything on clear', () => {
    let now = 1000;
    const cache = createApiKeyCache({ ttlMs: 15_000, now: () => now });
    cache.set('sf_a', key('sf_a'), cache.generation());
    expect(cache.get('sf_a')?.id).toBe('id-sf_a');
    now += 14_999;
    expect(cache.get('sf_a')).toBeDefined();
    now += 1;
    expect(cache.get('sf_a')).toBeUndefined();
    cache.set('sf_a', key('sf_a'), cache.generation());
    cache.clear();
    expect(cache.get('sf_a')).toBeUndefined();
  });

  it('does not keep a row read before a revocation cleared the cache', () => {
    const cache = createApiKeyCache({ ttlMs: 15_000 });
    const since = cache.generation();
    cache.clear(); // a revocation lands while the lookup is in flight
    cache.set('sf_a', key('sf_a'), since);
    expect(cache.get('sf_a')).toBeUndefined();
  });

  it('holds at most maxEntries keys, dropping the oldest', () => {
    const cache = createApiKeyCache({ ttlMs: 15_000, maxEntries: 2 });
    for (const p of ['sf_a', 'sf_b', 'sf_c']) cache.set(p, key(p), cache.generation());
    expect(cache.size()).toBe(2);
    expect(cache.get('sf_a')).toBeUndefined();
    expect(cache.get('sf_c')).toBeDefined();
  });

  it('a TTL of 0 caches nothing', () => {
    const cache = createApiKeyCache({ ttlMs: 0 });
    cache.set('sf_a', key('sf_a'), cache.generation());
    expect(cache.get('sf_a')).toBeUndefined();
  });
});

describe('API key use', () => {
  it('writes each used key once per flush, in one batch', async () => {
    const writes: string[][] = [];
    const usage = createApiKeyUsage({ intervalMs: 60_000, write: async (ids) => void writes.push(ids.sort()) });
    for (const id of ['a', 'b', 'a', 'a', 'b']) usage.record(id);
    await usage.flush();
    await usage.flush();
    usage.record('c');
    await usage.close();
    expect(writes).toEqual([['a', 'b'], ['c']]);
  });

  it('reports a failed write and keeps going', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const writes: string[][] = [];
    const usage = createApiKeyUsage({
      intervalMs: 60_000,
      write: async (ids) => {
        if (fail) throw new Error('database down');
        writes.push(ids);
      },
      onError: (err) => errors.push(err),
    });
    usage.record('a');
    await usage.flush();
    fail = false;
    usage.record('b');
    await usage.close();
    expect(errors).toHaveLength(1);
    expect(writes).toEqual([['b']]);
  });
});
