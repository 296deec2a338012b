/**
 * Natural batching ("group commit"): calls that arrive while `maxInFlight` batches are being worked go together in
 * the next one, handed to `run` at once. Nothing waits on a timer: alone, an item goes straight away; under load the
 * batches grow by themselves. Each caller gets its own item's result, or the batch's error.
 */
export function createBatcher<T, R>(
  run: (items: T[]) => Promise<R[]>,
  options: { maxInFlight?: number; maxBatch?: number } = {},
) {
  const maxInFlight = options.maxInFlight ?? 2;
  const maxBatch = options.maxBatch ?? 500;
  let queue: { item: T; resolve(r: R): void; reject(err: unknown): void }[] = [];
  let inFlight = 0;
  let scheduled = false;

  async function work(batch: typeof queue) {
    inFlight++;
    try {
      const results = await run(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]));
    } catch (err) {
      for (const w of batch) w.reject(err);
    } finally {
      inFlight--;
      soon();
    }
  }

  function flush() {
    scheduled = false;
    while (queue.length > 0 && inFlight < maxInFlight) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(maxBatch);
      void work(batch);
    }
  }

  function soon() {
    if (scheduled || queue.length === 0 || inFlight >= maxInFlight) return;
    scheduled = true;
    // After the current I/O callbacks: the calls that arrived in the same turn go together.
    setImmediate(flush);
  }

  return (item: T): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      soon();
    });
}
