import { mapLimit } from '../../lib/map-limit';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapLimit', () => {
  it('keeps the items’ order and never has more than the limit in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapLimit([30, 5, 20, 1, 10], 2, async (ms, i) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await tick(ms);
      inFlight--;
      return `${i}:${ms}`;
    });
    expect(results).toEqual(['0:30', '1:5', '2:20', '3:1', '4:10']);
    expect(most).toBe(2);
  });

  it('starts nothing after a failure and throws it once the calls in flight have settled', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const run = mapLimit([0, 1, 2, 3, 4], 2, async (i) => {
      started.push(i);
      if (i === 0) {
        await tick(5);
        throw new Error('frame 0 failed');
      }
      await tick(30);
      finished.push(i);
      return i;
    });
    await expect(run).rejects.toThrow('frame 0 failed');
    // Item 1 was in flight when item 0 failed: it finished before the rejection; nothing after it started.
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([1]);
  });

  it('handles no items and refuses a limit below one', async () => {
    await expect(mapLimit([], 3, async () => 1)).resolves.toEqual([]);
    await expect(mapLimit([1], 0, async () => 1)).rejects.toThrow(RangeError);
  });
});
