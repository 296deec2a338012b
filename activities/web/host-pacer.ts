/**
 * Politeness: requests to one host start at least a gap apart, in this process. Each caller books the next free slot
 * at once, so concurrent fetches of one site queue up instead of arriving together.
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface HostPacer {
  /** Waits for `host`'s next slot; resolves with the time waited (ms). */
  wait(host: string, gapMs: number, signal?: AbortSignal): Promise<number>;
}

const PRUNE_ABOVE = 10_000;

export function createHostPacer(now: () => number = Date.now): HostPacer {
  const nextSlot = new Map<string, number>();
  return {
    async wait(host, gapMs, signal) {
      const t = now();
      const slot = Math.max(t, nextSlot.get(host) ?? 0);
      nextSlot.set(host, slot + gapMs);
      if (nextSlot.size > PRUNE_ABOVE) for (const [h, next] of nextSlot) if (next <= t) nextSlot.delete(h);
      if (slot > t) await delay(slot - t, undefined, { signal });
      return slot - t;
    },
  };
}
