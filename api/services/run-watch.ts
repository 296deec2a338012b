/**
 * Reads of runs that do not grow with the number of viewers: one load at a time per run, shared by every reader.
 *
 * - `latest(id)` serves the last loaded value while it is younger than `maxAgeMs`; up to `staleMs` it serves it and
 *   refreshes in the background (a reader never waits behind a busy Temporal for a value a second old); older, or
 *   never loaded, it waits for a load — one per run however many readers ask at once.
 * - `subscribe(id, listener)`: the first viewer of a run starts one poll loop (every `intervalMs`) that hands each
 *   value to all its viewers; the last one leaving stops it.
 * - A final value (a closed run's snapshot) is kept and never loaded again.
 *
 * Values are not checked here: the caller checks each one against its reader (ownership).
 */
export type WatchEvent<T> = { value: T } | { error: unknown };

export interface RunWatchOptions<T> {
  load: (id: string) => Promise<T>;
  isFinal: (value: T) => boolean;
  intervalMs: number;
  maxAgeMs: number;
  staleMs: number;
  /** Runs remembered at most (the oldest unwatched ones go first). */
  maxEntries?: number;
  now?: () => number;
}

interface Entry<T> {
  value?: T;
  at: number;
  loading?: Promise<T>;
  listeners: Set<(event: WatchEvent<T>) => void>;
  timer?: NodeJS.Timeout;
  polling: boolean;
  generation: number;
}

export function createRunWatch<T>(options: RunWatchOptions<T>) {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 2_000;
  const entries = new Map<string, Entry<T>>();
  let loads = 0;

  const entry = (id: string): Entry<T> => {
    let e = entries.get(id);
    if (!e) {
      e = { at: 0, listeners: new Set(), polling: false, generation: 0 };
      entries.set(id, e);
      if (entries.size > maxEntries) evict();
    }
    return e;
  };
  /** Drops the oldest runs nobody watches or loads. */
  const evict = () => {
    for (const [id, e] of entries) {
      if (entries.size <= maxEntries) return;
      if (e.listeners.size === 0 && !e.loading) entries.delete(id);
    }
  };

  function refresh(id: string, e: Entry<T>): Promise<T> {
    if (e.loading) return e.loading;
    loads += 1;
    const generation = e.generation;
    const loading = options.load(id).then((value) => {
      // A load that began before `forget` may hold the state before the change: hand it out, do not keep it.
      if (e.generation === generation) {
        e.value = value;
        e.at = now();
      }
      return value;
    });
    e.loading = loading;
    const done = () => {
      if (e.loading === loading) e.loading = undefined;
    };
    loading.then(done, done);
    return loading;
  }

  async function latest(id: string): Promise<T> {
    const e = entry(id);
    // Seen again: move it to the young end of the map.
    entries.delete(id);
    entries.set(id, e);
    if (e.value !== undefined) {
      const age = now() - e.at;
      if (options.isFinal(e.value) || age < options.maxAgeMs) return e.value;
      if (age < options.staleMs) {
        refresh(id, e).catch(() => undefined);
        return e.value;
      }
    }
    return refresh(id, e);
  }

  function poll(id: string, e: Entry<T>): void {
    e.polling = true;
    const tick = async () => {
      e.timer = undefined;
      if (e.listeners.size === 0) {
        e.polling = false;
        return;
      }
      let final = false;
      try {
        // A value a reader loaded moments ago (or a final one) is this tick's too.
        const fresh =
          e.value !== undefined && (options.isFinal(e.value) || now() - e.at < options.intervalMs / 2)
            ? e.value
            : undefined;
        const value = fresh ?? (await refresh(id, e));
        final = options.isFinal(value);
        for (const listener of [...e.listeners]) listener({ value });
      } catch (error) {
        for (const listener of [...e.listeners]) listener({ error });
      }
      if (final || e.listeners.size === 0) {
        e.polling = false;
        return;
      }
      e.timer = setTimeout(() => void tick(), options.intervalMs);
    };
    void tick();
  }

  return {
    latest,
    subscribe(id: string, listener: (event: WatchEvent<T>) => void): () => void {
      const e = entry(id);
      e.listeners.add(listener);
      if (!e.polling) poll(id, e);
      else if (e.value !== undefined) {
        // A viewer joining a running loop sees the current value now, not at the next tick.
        const value = e.value;
        queueMicrotask(() => e.listeners.has(listener) && listener({ value }));
      }
      return () => {
        e.listeners.delete(listener);
        if (e.listeners.size === 0 && e.timer) {
          clearTimeout(e.timer);
          e.timer = undefined;
          e.polling = false;
        }
      };
    },
    /** Drops what is known of a run (after this process changed it: an approval, a cancel). */
    forget(id: string): void {
      const e = entries.get(id);
      if (!e) return;
      e.value = undefined;
      e.at = 0;
      e.generation += 1;
      e.loading = undefined;
    },
    /** Poll loops running now (one per watched run), loads started since creation, runs remembered. */
    stats: () => ({
      pollLoops: [...entries.values()].filter((e) => e.polling).length,
      loads,
      runs: entries.size,
    }),
  };
}

/**
 * A value per key served again for `ttlMs`, one load at a time per key (a failed load is not kept). For reads that may
 * be a little old, e.g. lists from visibility, which is eventually consistent anyway.
 */
export function createShortCache<T>(options: { ttlMs: number; maxEntries: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return {
    get(key: string, load: () => Promise<T>): Promise<T> {
      const hit = entries.get(key);
      if (hit && now() - hit.at < options.ttlMs) return hit.value;
      entries.delete(key);
      const value = load();
      const entry = { at: now(), value };
      if (options.ttlMs > 0) {
        entries.set(key, entry);
        if (entries.size > options.maxEntries) entries.delete(entries.keys().next().value as string);
        value.catch(() => {
          if (entries.get(key) === entry) entries.delete(key);
        });
      }
      return value;
    },
  };
}

export type RunWatch<T> = ReturnType<typeof createRunWatch<T>>;
