/**
 * Two-proportion z-test, Wald interval of the difference, log-scale (Katz) interval of the relative lift, Wilson
 * interval. Expected values: published worked examples where they exist, otherwise the textbook formulas evaluated
 * in Python 3 stdlib (math.erfc for Φ, statistics.NormalDist().inv_cdf for quantiles):
 *
 *   pa, pb = xa/na, xb/nb;  p = (xa + xb)/(na + nb);  se = sqrt(p(1 − p)(1/na + 1/nb));  z = (pb − pa)/se
 *   pv = erfc(|z|/√2);  su = sqrt(pa(1 − pa)/na + pb(1 − pb)/nb);  q = inv_cdf(1 − α/2)
 *   rel CI = exp(ln(pb/pa) ± q·sqrt(1/xa − 1/na + 1/xb − 1/nb)) − 1
 */
import { checkCounts, twoProportionTest, wilsonInterval } from '../../lib/abtest/frequentist';

const close = (actual: number | undefined | null, expected: number, tolerance = 1e-6): void => {
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tolerance);
};

describe('twoProportionTest', () => {
  it('reproduces a published worked example: 140/200 against 255/340', () => {
    // homeworksource.com/p/1008622 ("Find the test statistic z"): pooled p = 0.7314815, SE = 0.03949401,
    // z = −1.266015 for p1 − p2 (here pB − pA, so +1.266015). Two-sided p = erfc(1.266015/√2) = 0.2055078.
    const r = twoProportionTest({ exposures: 200, conversions: 140 }, { exposures: 340, conversions: 255 });
    close(r.pooledRate, 0.7314815, 5e-8);
    close(r.pooledStandardError, 0.03949401, 5e-9);
    close(r.z, 1.266015, 5e-7);
    // Full-precision values (Python, formulas above).
    close(r.pooledRate, 0.7314814814814815);
    close(r.pooledStandardError, 0.03949400826015459);
    close(r.z, 1.266014826113381);
    close(r.pValue, 0.20550777427449307);
    close(r.unpooledStandardError, 0.040018378130994944);
    close(r.differenceInterval.lower, -0.028434579856455353);
    close(r.differenceInterval.upper, 0.12843457985645546);
    close(r.relativeLift, 0.0714285714285714);
    close(r.relativeLiftInterval?.lower, -0.03973092873116313);
    close(r.relativeLiftInterval?.upper, 0.19545575091430467);
  });

  it('pins a marketing-sized test: 2.0% against 2.6% on 10 000 each, at α = 0.05 and 0.01', () => {
    const a = { exposures: 10_000, conversions: 200 };
    const b = { exposures: 10_000, conversions: 260 };
    const r = twoProportionTest(a, b);
    close(r.difference, 0.006, 1e-12);
    close(r.pooledStandardError, 0.0021199528296639058);
    close(r.z, 2.830251652793251);
    close(r.pValue, 0.004651140450960618);
    close(r.differenceInterval.lower, 0.0018458009669629098);
    close(r.differenceInterval.upper, 0.010154199033037086);
    close(r.relativeLift, 0.3);
    close(r.relativeLiftInterval?.lower, 0.08341447790563072);
    close(r.relativeLiftInterval?.upper, 0.5598831605674781);
    const strict = twoProportionTest(a, b, 0.01);
    close(strict.pValue, 0.004651140450960618);
    close(strict.differenceInterval.lower, 0.0005404570254985896);
    close(strict.differenceInterval.upper, 0.011459542974501406);
    close(strict.relativeLiftInterval?.lower, 0.023114654648078714);
    close(strict.relativeLiftInterval?.upper, 0.6518187793735686);
  });

  it('is antisymmetric in the arms and neutral on equal rates', () => {
    const a = { exposures: 5000, conversions: 240 };
    const b = { exposures: 4800, conversions: 270 };
    const ab = twoProportionTest(a, b);
    const ba = twoProportionTest(b, a);
    close(ab.z, -ba.z, 1e-15);
    close(ab.pValue, ba.pValue, 1e-15);
    const same = twoProportionTest({ exposures: 1000, conversions: 50 }, { exposures: 2000, conversions: 100 });
    expect(same.z).toBe(0);
    expect(same.pValue).toBe(1);
    expect(same.relativeLift).toBe(0);
  });

  it('degrades honestly where a formula has no value', () => {
    const none = twoProportionTest({ exposures: 100, conversions: 0 }, { exposures: 100, conversions: 0 });
    expect(none.z).toBe(0);
    expect(none.pValue).toBe(1);
    expect(none.relativeLift).toBeNull();
    expect(none.relativeLiftInterval).toBeNull();
    const oneSided = twoProportionTest({ exposures: 100, conversions: 0 }, { exposures: 100, conversions: 5 });
    expect(oneSided.relativeLift).toBeNull();
    expect(oneSided.z).toBeGreaterThan(0);
    expect(() => twoProportionTest({ exposures: 0, conversions: 0 }, { exposures: 5, conversions: 1 })).toThrow(
      RangeError,
    );
  });

  it('rejects impossible counts and levels', () => {
    expect(() => checkCounts({ exposures: 10, conversions: 11 })).toThrow(/conversions/);
    expect(() => checkCounts({ exposures: -1, conversions: 0 })).toThrow(RangeError);
    expect(() => checkCounts({ exposures: 10.5, conversions: 1 })).toThrow(RangeError);
    const ok = { exposures: 10, conversions: 1 };
    expect(() => twoProportionTest(ok, ok, 0)).toThrow(/alpha/);
    expect(() => twoProportionTest(ok, ok, 1)).toThrow(/alpha/);
  });
});

describe('wilsonInterval', () => {
  // R. G. Newcombe, "Two-sided confidence intervals for the single proportion: comparison of seven methods",
  // Statistics in Medicine 17 (1998) 857–872, Table II, method 3 (score): 81/263 → 0.2553–0.3662,
  // 15/148 → 0.0624–0.1605, 0/20 → 0–0.1611, 1/29 → 0.0061–0.1718 (4 decimals); full precision from Python.
  it.each([
    [81, 263, 0.2553, 0.3662, 0.2552885198782743, 0.36620957698280016],
    [15, 148, 0.0624, 0.1605, 0.06238639953073628, 0.160487241723308],
    [0, 20, 0, 0.1611, 0, 0.1611251580528193],
    [1, 29, 0.0061, 0.1718, 0.006113214292762661, 0.17175521879320282],
  ])('%p/%p → %p–%p', (x, n, lo4, hi4, lo, hi) => {
    const ci = wilsonInterval({ exposures: n, conversions: x });
    close(ci.lower, lo4, 5e-5);
    close(ci.upper, hi4, 5e-5);
    close(ci.lower, lo);
    close(ci.upper, hi);
  });

  it('is the whole [0, 1] with no data', () => {
    expect(wilsonInterval({ exposures: 0, conversions: 0 })).toEqual({ lower: 0, upper: 1 });
  });
});
