/**
 * Sticky assignment without storage: a unit's variant is a hash of (experiment, unit) placed on the variants'
 * cumulative weights, so the same unit gets the same variant on every call, in every process, after every restart,
 * for the life of the experiment (whose weights are frozen once it starts). Pure: no I/O, no clock.
 */

/** MurmurHash3 (x86, 32-bit) of a string's UTF-8 bytes: fast and well spread for bucketing. */
export function murmur3(text: string, seed = 0): number {
  const bytes = new TextEncoder().encode(text);
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const blocks = bytes.length >> 2;
  for (let i = 0; i < blocks; i++) {
    const o = i * 4;
    let k = bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  // The last 1–3 bytes, little-endian, as the reference implementation's fall-through switch reads them.
  const tail = blocks * 4;
  const rest = bytes.length & 3;
  if (rest > 0) {
    let k = 0;
    for (let i = rest - 1; i >= 0; i--) k = (k << 8) | bytes[tail + i];
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Where a unit falls in [0, 1): the experiment id keeps two experiments' splits independent. */
export const bucketOf = (experimentId: string, unit: string) => murmur3(`${experimentId}:${unit}`) / 2 ** 32;

/** The variant whose share of the weights holds the unit's bucket (variants in their stored order). */
export function assignVariant<V extends { weight: number }>(experimentId: string, unit: string, variants: V[]): V {
  const total = variants.reduce((sum, v) => sum + v.weight, 0);
  if (variants.length === 0 || total <= 0) throw new Error('an experiment needs variants with positive weights');
  const point = bucketOf(experimentId, unit) * total;
  let edge = 0;
  for (const variant of variants) {
    edge += variant.weight;
    if (point < edge) return variant;
  }
  return variants[variants.length - 1];
}
