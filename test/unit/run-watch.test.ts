import { createRunWatch, createShortCache, type WatchEvent } from '../../api/services/run-watch';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A run whose state the test sets; counts loads the way Temporal would see them. */
function fakeRun() {
  const state = { status: 'running', step: 0 };
  const loads: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    state,
    loads,
    maxInFlight: () => maxInFlight,
    async load(id: string) {
      loads.push(id);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(5);
      inFlight -= 1;
      return { ...state };
    },
  };
}
type Value = { status: string; step: number };

describe('run watch', () => {
  it('two viewers of one run share one poll loop and see the same values', async () => {
    const run = fakeRun();
    const watch = createRunWatch<Value>({
      load: (id) => run.load(id),
      isFinal: (v) => v.status !== 'running',
      intervalMs: 30,
      maxAgeMs: 30,
      staleMs: 150,
    });
    const a: WatchEvent<Value>[] = [];
    const b: WatchEvent<Value>[] = [];
    const stopA = watch.subscribe('run-1', (e) => a.push(e));
    const stopB = watch.subscribe('run-1', (e) => b.push(e));
    expect(watch.stats().pollLoops).toBe(1);
    await sleep(200);
    // About one load per interval for both viewers together, never two at once.
    expect(run.loads.length).toBeGreaterThanOrEqual(3);
    expect(run.loads.length).toBeLessThanOrEqual(8);
    expect(run.maxInFlight()).toBe(1);
    expect(a.length).toBeGreaterThanOrEqual(run.loads.length - 1);
    expect(b.length).toBeGreaterThanOrEqual(run.loads.length - 1);

    run.state.step = 1;
    run.state.status = 'completed';
    await sleep(80);
    expect(a.at(-1)).toEqual({ value: { status: 'completed', step: 1 } });
    expect(b.at(-1)).toEqual({ value: { status: 'completed', step: 1 } });
    // Final: the loop stopped and nothing is loaded again.
    expect(watch.stats().pollLoops).toBe(0);
    const loadsAtClose = run.loads.length;
    await sleep(80);
    expect(run.loads.length).toBe(loadsAtClose);
    expect(await watch.latest('run-1')).toEqual({ status: 'completed', step: 1 });
    expect(run.loads.length).toBe(loadsAtClose);
    stopA();
    stopB();
  });

  it('stops polling when the last viewer leaves', async () => {
    const run = fakeRun();
    const watch = createRunWatch<Value>({
      load: (id) => run.load(id),
      isFinal: () => false,
      intervalMs: 20,
      maxAgeMs: 20,
      staleMs: 100,
    });
    const stopA = watch.subscribe('r', () => undefined);
    const stopB = watch.subscribe('r', () => undefined);
    await sleep(60);
    stopA();
    expect(watch.stats().pollLoops).toBe(1);
    stopB();
    await sleep(30);
    expect(watch.stats().pollLoops).toBe(0);
    const count = run.loads.length;
    await sleep(80);
    expect(run.loads.length).toBe(count);
  });

  it('a hundred concurrent readers cause one load; a stale value is served while it refreshes', async () => {
    const run = fakeRun();
    let now = 0;
    const watch = createRunWatch<Value>({
      load: (id) => run.load(id),
      isFinal: () => false,
      intervalMs: 1000,
      maxAgeMs: 1000,
      staleMs: 5000,
      now: () => now,
    });
    const values = await Promise.all(Array.from({ length: 100 }, () => watch.latest('r')));
    expect(run.loads).toHaveLength(1);
    expect(new Set(values.map((v) => v.step))).toEqual(new Set([0]));

    run.state.step = 1;
    now = 500;
    expect((await watch.latest('r')).step).toBe(0); // young enough: no load
    expect(run.loads).toHaveLength(1);
    now = 2000;
    expect((await watch.latest('r')).step).toBe(0); // stale: served at once, refreshed behind
    expect(run.loads).toHaveLength(2);
    await sleep(20);
    expect((await watch.latest('r')).step).toBe(1);

    run.state.step = 2;
    watch.forget('r'); // this process changed the run: the next read waits for the new state
    expect((await watch.latest('r')).step).toBe(2);
  });

  it('does not keep a failed load', async () => {
    let fail = true;
    const watch = createRunWatch<Value>({
      load: async () => {
        if (fail) throw new Error('temporal down');
        return { status: 'running', step: 0 };
      },
      isFinal: () => false,
      intervalMs: 1000,
      maxAgeMs: 1000,
      staleMs: 5000,
    });
    await expect(watch.latest('r')).rejects.toThrow('temporal down');
    fail = false;
    await expect(watch.latest('r')).resolves.toEqual({ status: 'running', step: 0 });
  });

  it('remembers at most maxEntries unwatched runs', async () => {
    const run = fakeRun();
    const watch = createRunWatch<Value>({
      load: (id) => run.load(id),
      isFinal: () => true,
      intervalMs: 1000,
      maxAgeMs: 1000,
      staleMs: 5000,
      maxEntries: 3,
    });
    for (const id of ['a', 'b', 'c', 'd', 'e']) await watch.latest(id);
    expect(watch.stats().runs).toBe(3);
  });
});

describe('short cache', () => {
  it('serves one load per key within its TTL, and loads again after', async () => {
    let now = 0;
    let loads = 0;
    const cache = createShortCache<number>({ ttlMs: 2000, maxEntries: 10, now: () => now });
    const load = async () => ++loads;
    expect(await Promise.all([cache.get('w1', load), cache.get('w1', load), cache.get('w2', load)])).toEqual([1, 1, 2]);
    now = 1999;
    expect(await cache.get('w1', load)).toBe(1);
    now = 2000;
    expect(await cache.get('w1', load)).toBe(3);
  });

  it('does not keep a failure', async () => {
    const cache = createShortCache<number>({ ttlMs: 2000, maxEntries: 10 });
    await expect(cache.get('k', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('k', async () => 7)).toBe(7);
  });
});
