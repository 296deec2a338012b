/**
 * Numerical helpers for the A/B statistics: the normal CDF and quantile, log-gamma, the regularized incomplete
 * gamma function (for chi-square p-values) and log-beta. Pure and deterministic (no Node APIs), so workflows may
 * import them. Accuracy is pinned in test/unit/abtest-math.test.ts.
 */

const SQRT_2PI = 2.5066282746310002;
const LN_SQRT_2PI = 0.9189385332046728; // ln √(2π)

// Local bindings: a global `Math` lookup per call is slow in sandboxed contexts (jest's vm, workflow isolates).
const { abs, exp, log, sin, sqrt } = Math;

/**
 * The small tail Φ(−|x|) = ½·erfc(|x|/√2) = ½·Q(½, x²/2), with Q the regularized upper incomplete gamma below
 * (series near 0, Legendre's continued fraction beyond): ≈1e-13 relative or better down to the smallest doubles,
 * where the usual rational approximations (Hart/West, Cody) lose digits past |x| ≈ 7.
 */
function smallTail(absX: number): number {
  return 0.5 * gammaQ(0.5, (absX * absX) / 2);
}

/** Φ(x), the standard normal CDF. The tail that is small is computed directly, so Φ(−8) keeps its digits. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const tail = smallTail(abs(x));
  return x > 0 ? 1 - tail : tail;
}

/** 1 − Φ(x) without cancellation for large x. */
export function normalSf(x: number): number {
  return normalCdf(-x);
}

/** φ(x), the standard normal density. */
export function normalPdf(x: number): number {
  return exp(-0.5 * x * x - LN_SQRT_2PI);
}

// P. J. Acklam's rational approximation of Φ⁻¹ (relative error 1.15e-9), refined below by one Halley step.
const A = [
  -39.69683028665376, 220.9460984245205, -275.928510446969, 138.357751867269, -30.66479806614716, 2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function acklam(p: number): number {
  if (p < P_LOW) {
    const q = sqrt(-2 * log(p));
    return (
      (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1)
  );
}

/**
 * Φ⁻¹(p). Acklam's approximation, then one Halley step on Φ(x) − p (Acklam's own refinement), which brings it to
 * the accuracy of Φ (≈1e-15 relative). Upper half by symmetry, since 1 − p is exact for p ≥ 0.5, so the refinement
 * always works on the small tail.
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -normalQuantile(1 - p);
  let x = acklam(p);
  const e = normalCdf(x) - p;
  const u = e * SQRT_2PI * exp((x * x) / 2);
  x = x - u / (1 + (x * u) / 2);
  return x;
}

// Lanczos approximation, g = 7, n = 9 (the coefficients of Numerical Recipes 3rd ed. / Godfrey): ≈1e-15 relative.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (reflection below 0.5). */
export function logGamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0.5) return log(Math.PI / abs(sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return LN_SQRT_2PI + (z + 0.5) * log(t) - t + log(sum);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

const GAMMA_EPS = 1e-16;
const GAMMA_MAX_ITER = 100_000;
const TINY = 1e-300;

/** P(a, x) by its series: e^{−x} x^a / Γ(a+1) · Σ x^n / ((a+1)…(a+n)); converges fast for x < a + 1. */
function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < GAMMA_MAX_ITER; n++) {
    term *= x / (a + n);
    sum += term;
    if (abs(term) < abs(sum) * GAMMA_EPS) break;
  }
  return sum * exp(-x + a * log(x) - logGamma(a));
}

/** Q(a, x) by Legendre's continued fraction, modified Lentz (Numerical Recipes §6.2); for x ≥ a + 1. */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < GAMMA_MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (abs(delta - 1) < GAMMA_EPS) break;
  }
  return exp(-x + a * log(x) - logGamma(a)) * h;
}

/** Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a). */
export function gammaP(a: number, x: number): number {
  if (!(a > 0) || Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x), computed directly in the tail (no cancellation). */
export function gammaQ(a: number, x: number): number {
  if (!(a > 0) || Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

/** Upper tail of the chi-square distribution with `df` degrees of freedom: Q(df/2, x/2). */
export function chiSquareSf(x: number, df: number): number {
  if (x <= 0) return 1;
  return gammaQ(df / 2, x / 2);
}
