/**
 * A seeded PRNG and the samplers the Monte Carlo estimates need. No Math.random: the same seed gives the same
 * draws on every engine, so a workflow that computes a chance-to-be-best replays to the same number.
 *
 * Generator: xoshiro128** 1.1 (D. Blackman, S. Vigna, https://prng.di.unimi.it/xoshiro128starstar.c), its 128-bit
 * state filled from the 32-bit seed by splitmix32 (the seeding the authors recommend, a splitmix step per word).
 */

export interface Random {
  /** The next raw 32-bit output, as an unsigned integer. */
  nextUint32(): number;
  /** A uniform double in the open interval (0, 1) (never 0, so its log is finite). */
  uniform(): number;
  /** A standard normal draw (Box–Muller, both values of each pair used). */
  normal(): number;
  /** A Gamma(shape, 1) draw (Marsaglia & Tsang 2000; shape < 1 through Gamma(shape + 1)·U^{1/shape}). */
  gamma(shape: number): number;
  /** A Beta(a, b) draw as X/(X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
  beta(a: number, b: number): number;
}

// Local bindings: a global lookup of Math per call is slow in sandboxed contexts (jest's vm, workflow isolates).
const { cos, imul, log, pow, sin, sqrt } = Math;
const TWO_PI = 2 * Math.PI;

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** splitmix32: used only to spread a 32-bit seed over the generator's state words. */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function seededRandom(seed: number): Random {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const init = splitmix32(seed);
  let s0 = init();
  let s1 = init();
  let s2 = init();
  let s3 = init();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state is the one fixed point

  const nextUint32 = (): number => {
    const result = imul(rotl(imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = rotl(s3, 11);
    return result;
  };

  // 53 random bits (27 + 26), centred in their cell so the value is never 0 or 1.
  const uniform = (): number => {
    const hi = nextUint32() >>> 5;
    const lo = nextUint32() >>> 6;
    return (hi * 67108864 + lo + 0.5) / 9007199254740992;
  };

  let spare: number | undefined;
  const normal = (): number => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const r = sqrt(-2 * log(uniform()));
    const theta = TWO_PI * uniform();
    spare = r * sin(theta);
    return r * cos(theta);
  };

  const gamma = (shape: number): number => {
    if (!(shape > 0) || !Number.isFinite(shape)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
    if (shape < 1) return gamma(shape + 1) * pow(uniform(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (log(u) < 0.5 * x * x + d * (1 - v + log(v))) return d * v;
    }
  };

  const beta = (a: number, b: number): number => {
    const x = gamma(a);
    const y = gamma(b);
    return x / (x + y);
  };

  return { nextUint32, uniform, normal, gamma, beta };
}
