/**
 * Sample ratio mismatch: are the exposures split as the configured weights say? Pearson's chi-square goodness of
 * fit, χ² = Σ (O_i − E_i)²/E_i with E_i = N·w_i/Σw, k − 1 degrees of freedom, p = Q((k − 1)/2, χ²/2). A
 * mismatch at p < 0.001 (the usual SRM threshold, e.g. Fabijan et al., "Diagnosing sample ratio mismatch in online
 * controlled experiments", KDD 2019) means assignment or logging is broken, and no verdict should be trusted.
 */
import { chiSquareSf } from './math';

export interface SrmResult {
  /** False when the test was not run: some expected count is below `minExpected` (the approximation needs ~5). */
  checked: boolean;
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  /** checked and pValue < threshold. */
  mismatch: boolean;
  expected: number[];
}

export const SRM_THRESHOLD = 0.001;

export function sampleRatioMismatch(
  exposures: readonly number[],
  weights: readonly number[],
  threshold = SRM_THRESHOLD,
  minExpected = 5,
): SrmResult {
  if (exposures.length < 2 || exposures.length !== weights.length) {
    throw new RangeError('need one weight per variant and at least two variants');
  }
  if (exposures.some((n) => !Number.isInteger(n) || n < 0)) throw new RangeError('exposures must be integers ≥ 0');
  if (weights.some((w) => !(w > 0) || !Number.isFinite(w))) throw new RangeError('weights must be finite and > 0');
  const total = exposures.reduce((s, n) => s + n, 0);
  const weightSum = weights.reduce((s, w) => s + w, 0);
  const expected = weights.map((w) => (total * w) / weightSum);
  const degreesOfFreedom = exposures.length - 1;
  if (expected.some((e) => e < minExpected)) {
    return { checked: false, chiSquare: 0, degreesOfFreedom, pValue: 1, mismatch: false, expected };
  }
  const chiSquare = exposures.reduce((s, o, i) => s + (o - expected[i]) ** 2 / expected[i], 0);
  const pValue = chiSquareSf(chiSquare, degreesOfFreedom);
  return { checked: true, chiSquare, degreesOfFreedom, pValue, mismatch: pValue < threshold, expected };
}
