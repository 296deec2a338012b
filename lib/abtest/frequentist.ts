/**
 * Fixed-horizon two-proportion inference: the z-test (pooled standard error) and confidence intervals for the
 * absolute lift (unpooled, Wald) and the relative lift (delta method on the log of the rate ratio, Katz et al. 1978).
 * Valid for ONE look at a sample size fixed in advance; repeated looks must use `sequential.ts`.
 */
import { normalQuantile, normalSf } from './math';

/** What one variant saw: units exposed and units that converted. */
export interface Counts {
  exposures: number;
  conversions: number;
}

export interface Interval {
  lower: number;
  upper: number;
}

export interface TwoProportionResult {
  /** Control and treatment rates x/n. */
  rateA: number;
  rateB: number;
  /** pB − pA. */
  difference: number;
  /** (x_A + x_B)/(n_A + n_B). */
  pooledRate: number;
  /** √(p̄(1 − p̄)(1/n_A + 1/n_B)), the standard error under H0: pA = pB. */
  pooledStandardError: number;
  /** √(pA(1 − pA)/n_A + pB(1 − pB)/n_B), the standard error for the interval. */
  unpooledStandardError: number;
  /** difference / pooledStandardError (0 when there is no variance, e.g. no conversions at all). */
  z: number;
  /** Two-sided p-value 2·(1 − Φ(|z|)). */
  pValue: number;
  /** difference ± z_{1−α/2}·unpooledStandardError. */
  differenceInterval: Interval;
  /** pB/pA − 1; null when pA = 0. */
  relativeLift: number | null;
  /** exp(ln(pB/pA) ± z_{1−α/2}·√((1 − pA)/x_A + (1 − pB)/x_B)) − 1; null when either arm has no conversion. */
  relativeLiftInterval: Interval | null;
}

/** Throws on counts that cannot be (negative, fractional, more conversions than exposures). */
export function checkCounts(c: Counts, label = 'variant'): void {
  const ok = (v: number): boolean => Number.isInteger(v) && v >= 0;
  if (!ok(c.exposures) || !ok(c.conversions) || c.conversions > c.exposures) {
    throw new RangeError(
      `${label}: exposures and conversions must be integers with 0 ≤ conversions ≤ exposures ` +
        `(got ${c.conversions}/${c.exposures})`,
    );
  }
}

export function checkAlpha(alpha: number): void {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
}

/**
 * Two-sided two-proportion z-test of treatment B against control A at level `alpha` (default 0.05).
 *
 *   z  = (pB − pA) / √(p̄(1 − p̄)(1/nA + 1/nB)),  p̄ = (xA + xB)/(nA + nB),  p = 2(1 − Φ(|z|))
 *   CI(pB − pA)        = (pB − pA) ± z_{1−α/2} √(pA(1 − pA)/nA + pB(1 − pB)/nB)
 *   CI(pB/pA − 1)      = exp(ln(pB/pA) ± z_{1−α/2} √(1/xA − 1/nA + 1/xB − 1/nB)) − 1
 */
export function twoProportionTest(a: Counts, b: Counts, alpha = 0.05): TwoProportionResult {
  checkCounts(a, 'control');
  checkCounts(b, 'treatment');
  checkAlpha(alpha);
  if (a.exposures === 0 || b.exposures === 0) throw new RangeError('both variants need at least one exposure');
  const pA = a.conversions / a.exposures;
  const pB = b.conversions / b.exposures;
  const difference = pB - pA;
  const pooledRate = (a.conversions + b.conversions) / (a.exposures + b.exposures);
  const pooledStandardError = Math.sqrt(pooledRate * (1 - pooledRate) * (1 / a.exposures + 1 / b.exposures));
  const unpooledStandardError = Math.sqrt((pA * (1 - pA)) / a.exposures + (pB * (1 - pB)) / b.exposures);
  const z = pooledStandardError > 0 ? difference / pooledStandardError : 0;
  const pValue = Math.min(1, 2 * normalSf(Math.abs(z)));
  const q = normalQuantile(1 - alpha / 2);
  const differenceInterval = {
    lower: difference - q * unpooledStandardError,
    upper: difference + q * unpooledStandardError,
  };
  const relativeLift = pA > 0 ? pB / pA - 1 : null;
  let relativeLiftInterval: Interval | null = null;
  if (a.conversions > 0 && b.conversions > 0) {
    const logRatio = Math.log(pB / pA);
    const se = Math.sqrt(1 / a.conversions - 1 / a.exposures + 1 / b.conversions - 1 / b.exposures);
    relativeLiftInterval = { lower: Math.exp(logRatio - q * se) - 1, upper: Math.exp(logRatio + q * se) - 1 };
  }
  return {
    rateA: pA,
    rateB: pB,
    difference,
    pooledRate,
    pooledStandardError,
    unpooledStandardError,
    z,
    pValue,
    differenceInterval,
    relativeLift,
    relativeLiftInterval,
  };
}

/**
 * Wilson score interval for one rate (E. B. Wilson 1927; recommended by Newcombe 1998 over the Wald interval,
 * which collapses at 0 and 1):
 *
 *   (p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n),  z = z_{1−α/2}
 */
export function wilsonInterval(counts: Counts, alpha = 0.05): Interval {
  checkCounts(counts);
  checkAlpha(alpha);
  const n = counts.exposures;
  if (n === 0) return { lower: 0, upper: 1 };
  const p = counts.conversions / n;
  const z = normalQuantile(1 - alpha / 2);
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const scale = 1 + z2 / n;
  return { lower: Math.max(0, (centre - spread) / scale), upper: Math.min(1, (centre + spread) / scale) };
}
