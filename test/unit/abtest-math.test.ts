/**
 * Numerical helpers of lib/abtest. Reference values are computed independently of the code under test and cited:
 * Python 3 stdlib `math.erfc` / `math.lgamma` (the C library's), `statistics.NormalDist().inv_cdf` (Wichura's
 * AS241, a different algorithm from the Acklam + Halley used here), closed forms of the chi-square tail for
 * integer degrees of freedom, and published table values. The script that produced them is quoted where used.
 */
import {
  chiSquareSf,
  gammaP,
  gammaQ,
  logBeta,
  logGamma,
  normalCdf,
  normalPdf,
  normalQuantile,
  normalSf,
} from '../../lib/abtest/math';
import { seededRandom } from '../../lib/abtest/random';

const close = (actual: number, expected: number, tolerance: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);
};
const relClose = (actual: number, expected: number, tolerance: number): void => {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(tolerance);
};

describe('normalQuantile', () => {
  // Standard points, as printed in every z table and by statistics.NormalDist().inv_cdf (AS241) to 16 digits.
  it.each([
    [0.5, 0],
    [0.8, 0.8416212335729144],
    [0.9, 1.2815515655446008],
    [0.95, 1.6448536269514715],
    [0.975, 1.9599639845400536],
    [0.99, 2.3263478740408408],
    [0.995, 2.5758293035489],
    [0.999, 3.090232306167813],
    [0.9999, 3.7190164854557084],
    [1e-6, -4.753424308822899],
    [1e-12, -7.034483825301132],
    [1e-300, -37.0470962993612],
  ])('Φ⁻¹(%p) = %p to 1e-9', (p, z) => {
    close(normalQuantile(p), z, 1e-9);
  });

  it('is the inverse of Φ and odd around ½', () => {
    for (let p = 0.0005; p < 1; p += 0.0123) {
      close(normalCdf(normalQuantile(p)), p, 1e-15);
      close(normalQuantile(p), -normalQuantile(1 - p), 1e-12);
    }
  });

  it('maps 0 and 1 to the infinities and anything else outside [0, 1] to NaN', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalQuantile(-0.1)).toBeNaN();
  });
});

describe('normalCdf', () => {
  // ½·erfc(−x/√2) with Python's math.erfc.
  it.each([
    [-38, 2.88542835e-316],
    [-30, 4.906713927148764e-198],
    [-10, 7.619853024160593e-24],
    [-7, 1.279812543885835e-12],
    [-5, 2.866515718791946e-7],
    [-3, 0.0013498980316300957],
    [-1.96, 0.024997895148220435],
    [-1, 0.15865525393145707],
    [0, 0.5],
    [0.3, 0.6179114221889526],
    [2.5, 0.9937903346742238],
  ])('Φ(%p) = %p (relative 1e-12)', (x, p) => {
    relClose(normalCdf(x), p, 1e-12);
  });

  it('keeps the upper tail without cancellation and integrates the density', () => {
    relClose(normalSf(8), 6.22096057427178e-16, 1e-12); // ½·erfc(8/√2)
    close(normalPdf(0), 1 / Math.sqrt(2 * Math.PI), 1e-16);
    // Φ(1) − Φ(−1) = ∫φ by Simpson's rule on 2 000 intervals.
    let s = 0;
    const h = 2 / 2000;
    for (let i = 0; i <= 2000; i++) s += (i === 0 || i === 2000 ? 1 : i % 2 ? 4 : 2) * normalPdf(-1 + i * h);
    close((s * h) / 3, normalCdf(1) - normalCdf(-1), 1e-12);
  });
});

describe('logGamma (Lanczos)', () => {
  it.each([
    [0.1, 2.2527126517342055],
    [1 / 3, 0.9854206469277675],
    [0.5, Math.log(Math.sqrt(Math.PI))],
    [1, 0],
    [2, 0],
    [3.3, 0.9870985778947339],
    [10, Math.log(362880)],
    [100.5, 361.4355404677776],
  ])('ln Γ(%p) = %p (Python math.lgamma) to 1e-12', (x, v) => {
    close(logGamma(x), v, 1e-12);
  });

  it('is relatively exact at large arguments and obeys Γ(x + 1) = xΓ(x)', () => {
    relClose(logGamma(1e5), 1051287.7089736566, 1e-14);
    for (const x of [0.25, 1.5, 7.2, 42.9]) close(logGamma(x + 1) - logGamma(x), Math.log(x), 1e-12);
  });

  it('gives ln B(a, b) from it: B(2, 3) = 1/12', () => {
    close(logBeta(2, 3), Math.log(1 / 12), 1e-13);
  });
});

describe('regularized incomplete gamma', () => {
  // P(a, x) by composite Simpson quadrature (400 000 intervals) of t^(a−1)e^(−t)/Γ(a) in Python; a quadrature,
  // not the series / continued fraction used here.
  it.each([
    [1.7, 0.9, 0.3152693887356492],
    [3.3, 2.0, 0.25833946996562873],
    [7.7, 5.0, 0.1602537140002437],
    [7.7, 12.0, 0.9257848760885922],
    [30.25, 25.0, 0.16990064086450404],
  ])('P(%p, %p) = %p to 1e-9', (a, x, p) => {
    close(gammaP(a, x), p, 1e-9);
    close(gammaQ(a, x), 1 - p, 1e-9);
  });

  it('matches the closed forms at integer and half-integer a on both sides of x = a + 1', () => {
    const erfc = (x: number): number => 2 * normalSf(x * Math.SQRT2);
    for (const x of [0.01, 0.5, 1.9, 3.7, 15, 60]) {
      // Q(1, x) = e^{−x}; Q(3, x) = e^{−x}(1 + x + x²/2); Q(½, x) = erfc(√x); Q(3/2, x) = erfc(√x) + 2√(x/π)e^{−x}
      relClose(gammaQ(1, x), Math.exp(-x), 1e-13);
      relClose(gammaQ(3, x), Math.exp(-x) * (1 + x + (x * x) / 2), 1e-13);
      relClose(gammaQ(0.5, x), erfc(Math.sqrt(x)), 1e-12);
      relClose(gammaQ(1.5, x), erfc(Math.sqrt(x)) + 2 * Math.sqrt(x / Math.PI) * Math.exp(-x), 1e-12);
    }
  });

  it('obeys the recurrence P(a + 1, x) = P(a, x) − x^a e^{−x}/Γ(a + 1) across random arguments', () => {
    const random = seededRandom(11);
    for (let i = 0; i < 200; i++) {
      const a = 0.2 + random.uniform() * 40;
      const x = random.uniform() * 60;
      const term = Math.exp(a * Math.log(x) - x - logGamma(a + 1));
      close(gammaP(a + 1, x), gammaP(a, x) - term, 1e-12);
    }
  });

  it('handles the edges', () => {
    expect(gammaP(2, 0)).toBe(0);
    expect(gammaQ(2, 0)).toBe(1);
    expect(gammaP(2, Infinity)).toBe(1);
    expect(gammaP(0, 1)).toBeNaN();
    expect(gammaQ(2, -1)).toBeNaN();
  });
});

describe('chiSquareSf', () => {
  // Published critical values (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.4, R's qchisq to 16 digits): the upper-tail
  // probability at each must come back. 3.841458820694124 = 1.959963984540054².
  it.each([
    [3.841458820694124, 1, 0.05],
    [10.827566170662733, 1, 0.001],
    [5.991464547107979, 2, 0.05],
    [13.815510557964274, 2, 0.001],
    [7.814727903251178, 3, 0.05],
    [9.487729036781154, 4, 0.05],
    [18.46682695290315, 4, 0.001],
  ])('Q(χ² = %p, df = %p) = %p', (x, df, p) => {
    close(chiSquareSf(x, df), p, 1e-12);
  });

  it('matches the closed forms for df = 1, 2, 3, 4 (Python math.erfc / exp)', () => {
    close(chiSquareSf(0.5, 1), 0.4795001221869535, 1e-14); // erfc(√0.25)
    relClose(chiSquareSf(100, 3), 1.554159431389605e-21, 1e-12); // erfc(√50) + √(200/π)e^{−50}
    close(chiSquareSf(0.001, 2), 0.9995001249791693, 1e-14); // e^{−0.0005}
    close(chiSquareSf(7, 4), Math.exp(-3.5) * 4.5, 1e-14); // e^{−x/2}(1 + x/2)
    expect(chiSquareSf(0, 3)).toBe(1);
  });
});

describe('seededRandom (xoshiro128**)', () => {
  it('reproduces the reference algorithm bit for bit', () => {
    // Python transcription of xoshiro128starstar.c with splitmix32 seeding (seed 42):
    //   s = [sm(), sm(), sm(), sm()]; r = rotl(s1*5, 7)*9; t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
    //   s2 ^= t; s3 = rotl(s3, 11)  (all mod 2³²)
    const random = seededRandom(42);
    expect(Array.from({ length: 6 }, () => random.nextUint32())).toEqual([
      2837322924, 544945897, 479756282, 3500138142, 339756180, 113173290,
    ]);
  });

  it('is deterministic per seed and its samplers have the right moments', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    for (let i = 0; i < 100; i++) expect(a.uniform()).toBe(b.uniform());
    const r = seededRandom(5);
    const n = 100_000;
    let sum = 0;
    let sq = 0;
    let g = 0;
    let nz = 0;
    for (let i = 0; i < n; i++) {
      const x = r.beta(3, 7);
      sum += x;
      sq += x * x;
      g += r.gamma(0.4);
      nz += r.normal() ** 2;
    }
    // Beta(3, 7): mean 0.3, variance 21/1100; Gamma(0.4): mean 0.4; E[Z²] = 1; tolerances ≈ 5 standard errors.
    close(sum / n, 0.3, 0.0022);
    close(sq / n - (sum / n) ** 2, 21 / 1100, 0.0008);
    close(g / n, 0.4, 0.01);
    close(nz / n, 1, 0.023);
    expect(() => r.gamma(0)).toThrow(RangeError);
  });
});
