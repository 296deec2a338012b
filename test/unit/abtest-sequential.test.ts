/**
 * mSPRT always-valid p-values and confidence sequences (Johari, Pekelis & Walsh, "Always valid inference").
 * Formula values from Python 3 stdlib with the paper's normal-mixture likelihood ratio:
 *
 *   lam(d, V, t2) = sqrt(V/(V + t2)) · exp(t2·d²/(2V(V + t2)))
 *   hw(V, t2, a)  = sqrt(V(V + t2)/t2 · (2 ln(1/a) + ln((V + t2)/V)))
 *   r*(a)         = root of r − 2 ln(1/a) − ln(1 + r), by 200 bisection steps on [0, 1000]
 *
 * then the seeded simulation the issue asks for: 1 000 A/A experiments, 50 looks each.
 */
import { twoProportionTest } from '../../lib/abtest/frequentist';
import { seededRandom } from '../../lib/abtest/random';
import {
  advanceSequential,
  INITIAL_SEQUENTIAL_STATE,
  msprtHalfWidth,
  msprtLikelihoodRatio,
  msprtLook,
  optimalMixtureRatio,
  tuneMixtureVariance,
  type SequentialState,
} from '../../lib/abtest/sequential';

const close = (actual: number, expected: number, tolerance = 1e-6): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);
};

describe('mSPRT formulas', () => {
  it('tunes τ² to the planned sample: r*(0.05) = 8.2119…, r*(0.01) = 11.7563…', () => {
    close(optimalMixtureRatio(0.05), 8.211968062068253, 1e-10);
    close(optimalMixtureRatio(0.01), 11.756371222495419, 1e-10);
    // τ² = r*·2p(1 − p)/n at p = 0.05, n = 10 000
    close(tuneMixtureVariance(0.05, 10_000, 0.05), 7.80136965896484e-5, 1e-15);
    expect(() => tuneMixtureVariance(0, 10, 0.05)).toThrow(RangeError);
  });

  it('pins Λ, the look p-value and the interval for 2.0% vs 2.6% on 10 000 each', () => {
    // V = 0.02·0.98/1e4 + 0.026·0.974/1e4 = 4.4924e-6; Λ = 10.31252044082234 → p = 0.09696950476252905;
    // half-width 0.006503383550459999. The fixed-horizon z-test on the same data gives p = 0.0047: the price of
    // being allowed to look at any time.
    const tau2 = 7.80136965896484e-5;
    const look = msprtLook(
      { exposures: 10_000, conversions: 200 },
      { exposures: 10_000, conversions: 260 },
      tau2,
      0.05,
    );
    close(look.variance, 4.4924e-6, 1e-15);
    close(look.likelihoodRatio, 10.31252044082234, 1e-9);
    close(look.lookPValue, 0.09696950476252905, 1e-9);
    close(look.interval.lower, 0.006 - 0.006503383550459999, 1e-9);
    close(look.interval.upper, 0.006 + 0.006503383550459999, 1e-9);
    // The interval is exactly {θ0 : Λ(θ0) < 1/α}: Λ at its ends is 20.
    close(msprtLikelihoodRatio(look.difference, look.variance, tau2, look.interval.upper), 20, 1e-9);
    close(msprtLikelihoodRatio(look.difference, look.variance, tau2, look.interval.lower), 20, 1e-9);
  });

  it('gives p = 1 when the evidence favours the null (Λ = 0.3993 for 5.0% vs 5.2%)', () => {
    const tau2 = 7.80136965896484e-5;
    const look = msprtLook(
      { exposures: 10_000, conversions: 500 },
      { exposures: 10_000, conversions: 520 },
      tau2,
      0.05,
    );
    close(look.likelihoodRatio, 0.3992773090272765, 1e-9);
    expect(look.lookPValue).toBe(1);
    close(msprtHalfWidth(look.variance, tau2, 0.05), 0.009442970288415611, 1e-9);
  });

  it('has no information without variance, and folds looks by running min and intersection', () => {
    const tau2 = 1e-4;
    const empty = msprtLook({ exposures: 0, conversions: 0 }, { exposures: 10, conversions: 1 }, tau2, 0.05);
    expect(empty.likelihoodRatio).toBe(1);
    expect(empty.interval).toEqual({ lower: -1, upper: 1 });
    // Intervals are clipped to [−1, 1], where a difference of rates lives (and ±Infinity would not survive JSON).
    const tiny = msprtLook({ exposures: 3, conversions: 1 }, { exposures: 3, conversions: 2 }, tau2, 0.05);
    expect(tiny.interval).toEqual({ lower: -1, upper: 1 });
    expect(INITIAL_SEQUENTIAL_STATE.interval).toEqual({ lower: -1, upper: 1 });
    expect(msprtLook({ exposures: 50, conversions: 0 }, { exposures: 50, conversions: 0 }, tau2, 0.05).lookPValue).toBe(
      1,
    );
    let state: SequentialState = INITIAL_SEQUENTIAL_STATE;
    state = advanceSequential(state, {
      difference: 0.01,
      variance: 1e-5,
      likelihoodRatio: 4,
      lookPValue: 0.25,
      interval: { lower: -0.01, upper: 0.03 },
    });
    state = advanceSequential(state, {
      difference: 0,
      variance: 1e-5,
      likelihoodRatio: 2,
      lookPValue: 0.5,
      interval: { lower: -0.02, upper: 0.02 },
    });
    expect(state).toEqual({ pValue: 0.25, interval: { lower: -0.01, upper: 0.02 }, looks: 2 });
    expect(INITIAL_SEQUENTIAL_STATE.looks).toBe(0);
    expect(() => msprtLikelihoodRatio(0, 1, 0)).toThrow(RangeError);
  });
});

/** Runs `experiments` two-arm experiments with `looks` looks of `perLook` units per arm each. */
function simulate(options: {
  seed: number;
  experiments: number;
  looks: number;
  perLook: number;
  rateA: number;
  rateB: number;
  alpha: number;
  mixtureVariance: number;
}): { sequential: number; naive: number; covered: number } {
  const random = seededRandom(options.seed);
  const truth = options.rateB - options.rateA;
  let sequential = 0;
  let naive = 0;
  let covered = 0;
  for (let e = 0; e < options.experiments; e++) {
    const a = { exposures: 0, conversions: 0 };
    const b = { exposures: 0, conversions: 0 };
    let state = INITIAL_SEQUENTIAL_STATE;
    let seqRejected = false;
    let naiveRejected = false;
    let alwaysCovered = true;
    for (let l = 0; l < options.looks; l++) {
      for (let i = 0; i < options.perLook; i++) {
        if (random.uniform() < options.rateA) a.conversions++;
        if (random.uniform() < options.rateB) b.conversions++;
      }
      a.exposures += options.perLook;
      b.exposures += options.perLook;
      state = advanceSequential(state, msprtLook(a, b, options.mixtureVariance, options.alpha));
      if (state.pValue <= options.alpha) seqRejected = true;
      if (state.interval.lower > truth || state.interval.upper < truth) alwaysCovered = false;
      if (twoProportionTest(a, b).pValue < options.alpha) naiveRejected = true;
    }
    if (seqRejected) sequential++;
    if (naiveRejected) naive++;
    if (alwaysCovered) covered++;
  }
  return {
    sequential: sequential / options.experiments,
    naive: naive / options.experiments,
    covered: covered / options.experiments,
  };
}

describe('validity under continuous peeking (seeded simulation)', () => {
  const alpha = 0.05;
  const mixtureVariance = tuneMixtureVariance(0.05, 5000, alpha);

  it('1 000 A/A experiments × 50 looks: mSPRT stays ≤ α, naive z-test peeking does not', () => {
    // 5% conversion in both arms, 200 more units per arm between looks (200 … 10 000 per arm).
    const r = simulate({
      seed: 2026,
      experiments: 1000,
      looks: 50,
      perLook: 200,
      rateA: 0.05,
      rateB: 0.05,
      alpha,
      mixtureVariance,
    });
    // Margin: 2.33 binomial standard errors of a rate of 0.05 over 1 000 runs (√(0.05·0.95/1000) = 0.0069).
    expect(r.sequential).toBeLessThanOrEqual(alpha + 0.016);
    // Naive peeking: ~30% with 50 looks (Armitage, McPherson & Rowe 1969 give ≈ 0.32 for 50 looks).
    expect(r.naive).toBeGreaterThan(0.2);
    // The confidence sequence covers the true difference (0) at all 50 looks at once.
    expect(r.covered).toBeGreaterThanOrEqual(1 - alpha - 0.016);
  });

  it('holds for a higher base rate and smaller steps too (20%, 100 per look)', () => {
    const r = simulate({
      seed: 7,
      experiments: 1000,
      looks: 50,
      perLook: 100,
      rateA: 0.2,
      rateB: 0.2,
      alpha,
      mixtureVariance,
    });
    expect(r.sequential).toBeLessThanOrEqual(alpha + 0.016);
    expect(r.naive).toBeGreaterThan(0.2);
  });

  it('holds at a low base rate with sparse early looks (1%, 100 per look: one conversion per arm at first)', () => {
    const r = simulate({
      seed: 3,
      experiments: 1000,
      looks: 50,
      perLook: 100,
      rateA: 0.01,
      rateB: 0.01,
      alpha,
      mixtureVariance,
    });
    expect(r.sequential).toBeLessThanOrEqual(alpha + 0.016);
    expect(r.naive).toBeGreaterThan(0.2);
  });

  it('still finds a real lift: 5.0% → 6.5% is detected in most runs and covered throughout', () => {
    const r = simulate({
      seed: 99,
      experiments: 400,
      looks: 50,
      perLook: 200,
      rateA: 0.05,
      rateB: 0.065,
      alpha,
      mixtureVariance,
    });
    expect(r.sequential).toBeGreaterThan(0.9);
    expect(r.covered).toBeGreaterThanOrEqual(1 - alpha - 0.026);
  });
});
