/**
 * Sample ratio mismatch. χ² by hand; p-values from the closed-form chi-square tails in Python 3 stdlib:
 * df 1: erfc(√(x/2)); df 2: e^{−x/2}; df 3: erfc(√(x/2)) + √(2x/π)e^{−x/2}; df 4: e^{−x/2}(1 + x/2).
 */
import { sampleRatioMismatch } from '../../lib/abtest/srm';

const close = (actual: number, expected: number, tolerance = 1e-6): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);
};

describe('sampleRatioMismatch', () => {
  it('10 000 vs 10 300 on 50/50 is noise (p ≈ 0.035), not a mismatch', () => {
    // E = 10 150 each; χ² = 2·150²/10 150 = 4.433497536945813; p = erfc(√(χ²/2)) = 0.03524022382427453
    const r = sampleRatioMismatch([10_000, 10_300], [1, 1]);
    expect(r.checked).toBe(true);
    close(r.chiSquare, 4.433497536945813, 1e-12);
    expect(r.degreesOfFreedom).toBe(1);
    close(r.pValue, 0.03524022382427453, 1e-12);
    expect(r.mismatch).toBe(false);
  });

  it('5 000 vs 5 400 on 50/50 is a mismatch (p ≈ 8.8e-5 < 0.001)', () => {
    // χ² = 2·200²/5 200 = 15.384615384615385; p = 8.769942375590239e-05
    const r = sampleRatioMismatch([5000, 5400], [50, 50]);
    close(r.chiSquare, 15.384615384615385, 1e-12);
    close(r.pValue, 8.769942375590239e-5, 1e-12);
    expect(r.mismatch).toBe(true);
  });

  it('sits right at the threshold for 50 000 vs 49 000 (p ≈ 0.00148: no flag)', () => {
    // χ² = 2·500²/49 500 = 10.1010101…; p = 0.0014818807747203875
    const r = sampleRatioMismatch([50_000, 49_000], [1, 1]);
    close(r.pValue, 0.0014818807747203875, 1e-12);
    expect(r.mismatch).toBe(false);
  });

  it('uses the configured weights (2:1:1) and k − 1 degrees of freedom', () => {
    // N = 5 100, E = 2 550, 1 275, 1 275; χ² = 450²/2550 + 275²/1275 + 175²/1275 = 162.7450980392157
    // p (df 2) = e^{−χ²/2} = 4.574577424252267e-36
    const r = sampleRatioMismatch([3000, 1000, 1100], [2, 1, 1]);
    expect(r.degreesOfFreedom).toBe(2);
    close(r.chiSquare, 162.7450980392157, 1e-10);
    expect(Math.abs(r.pValue - 4.574577424252267e-36) / 4.574577424252267e-36).toBeLessThan(1e-10);
    expect(r.mismatch).toBe(true);
    // The same counts are fine under the weights that produced them.
    expect(sampleRatioMismatch([3000, 1500, 1500], [2, 1, 1]).chiSquare).toBe(0);
  });

  it('handles four and five variants', () => {
    // df 3: χ² = 1.89873417721519, p = 0.5936884217855689
    const four = sampleRatioMismatch([1000, 1000, 1000, 950], [1, 1, 1, 1]);
    close(four.chiSquare, 1.89873417721519, 1e-12);
    close(four.pValue, 0.5936884217855689);
    // df 4: χ² = 34.36856037466911, p = 6.261206877792688e-07 → one arm is losing traffic
    const five = sampleRatioMismatch([821, 1000, 1010, 1040, 1040], [1, 1, 1, 1, 1]);
    close(five.chiSquare, 34.36856037466911, 1e-10);
    close(five.pValue, 6.261206877792688e-7, 1e-12);
    expect(five.mismatch).toBe(true);
  });

  it('does not test until every expected count is at least 5, and validates its input', () => {
    const early = sampleRatioMismatch([0, 7], [1, 1]);
    expect(early.checked).toBe(false);
    expect(early.mismatch).toBe(false);
    expect(sampleRatioMismatch([0, 0], [1, 1]).checked).toBe(false);
    expect(() => sampleRatioMismatch([1, 2], [1])).toThrow(RangeError);
    expect(() => sampleRatioMismatch([1, 2], [1, 0])).toThrow(RangeError);
    expect(() => sampleRatioMismatch([1.5, 2], [1, 1])).toThrow(RangeError);
  });
});
