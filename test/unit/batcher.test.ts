/** lib/batcher.ts: calls made while a batch is in flight go together in the next one; results and errors per batch. */
import { createBatcher } from '../../lib/batcher';

describe('createBatcher', () => {
  it('runs a lone call at once, and gathers the calls made while batches are in flight', async () => {
    const batches: number[][] = [];
    const releases: (() => void)[] = [];
    const batcher = createBatcher(
      async (items: number[]) => {
        batches.push(items);
        await new Promise<void>((resolve) => releases.push(resolve));
        return items.map((n) => n * 10);
      },
      { maxInFlight: 1, maxBatch: 3 },
    );
    const first = batcher(1);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1]]);
    // While the first batch is in flight: four calls, at most three to a batch.
    const rest = [2, 3, 4, 5].map((n) => batcher(n));
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1]]);
    releases.shift()!();
    expect(await first).toBe(10);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1], [2, 3, 4]]);
    releases.shift()!();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1], [2, 3, 4], [5]]);
    releases.shift()!();
    expect(await Promise.all(rest)).toEqual([20, 30, 40, 50]);
  });

  it('rejects every call of a failed batch, and goes on with the next', async () => {
    let fail = true;
    const batcher = createBatcher(async (items: string[]) => {
      if (fail) throw new Error('database away');
      return items.map((s) => s.toUpperCase());
    });
    const failed = await Promise.allSettled([batcher('a'), batcher('b')]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await Promise.all([batcher('c'), batcher('d')])).toEqual(['C', 'D']);
  });
});
