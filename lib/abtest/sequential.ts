/**
 * Sequential inference that stays valid however often the data is looked at: the mixture sequential probability
 * ratio test (mSPRT) of Johari, Koomen, Pekelis & Walsh, "Peeking at A/B tests" (KDD 2017) and Johari, Pekelis &
 * Walsh, "Always valid inference" (Operations Research 2022, arXiv:1512.04922), for the difference of two
 * proportions θ = pB − pA with a normal mixing distribution θ ~ N(θ0, τ²).
 *
 * With θ̂ = p̂B − p̂A and V = p̂A(1 − p̂A)/nA + p̂B(1 − p̂B)/nB (the plug-in variance of θ̂, as in the paper's
 * treatment of binary data), the mixture likelihood ratio against H0: θ = θ0 is
 *
 *   Λ = √(V/(V + τ²)) · exp( τ²(θ̂ − θ0)² / (2V(V + τ²)) )
 *
 * The always-valid p-value is the running minimum p_n = min(p_{n−1}, 1/Λ_n), p_0 = 1, and rejecting when p_n ≤ α
 * keeps P(ever reject | H0) ≤ α under continuous monitoring (Ville's inequality on the martingale Λ). Inverting
 * Λ < 1/α gives, at each look, the interval
 *
 *   θ̂ ± √( V(V + τ²)/τ² · (2 ln(1/α) + ln((V + τ²)/V)) )
 *
 * and the running intersection of those intervals is a confidence sequence: it covers θ at every look at once with
 * probability ≥ 1 − α.
 */
import { checkAlpha, checkCounts, type Counts, type Interval } from './frequentist';

export interface SequentialLook {
  difference: number;
  /** Plug-in variance V of the difference at this look. */
  variance: number;
  /** Λ against θ0 = 0 (1 when V = 0: no information yet). */
  likelihoodRatio: number;
  /** min(1, 1/Λ) at this look alone; the always-valid p-value is its running minimum. */
  lookPValue: number;
  /** The look's interval {θ0 : Λ(θ0) < 1/α}, clipped to [−1, 1] (where θ lives); all of it while V = 0. */
  interval: Interval;
}

/**
 * What carries from one look to the next (keep it in workflow state). Plain finite numbers, so it survives the
 * JSON of Temporal payloads (±Infinity would come back as null).
 */
export interface SequentialState {
  /** Always-valid p-value: the minimum of the look p-values so far. */
  pValue: number;
  /** Confidence sequence: the intersection of the look intervals so far. */
  interval: Interval;
  looks: number;
}

export const INITIAL_SEQUENTIAL_STATE: SequentialState = Object.freeze({
  pValue: 1,
  interval: Object.freeze({ lower: -1, upper: 1 }),
  looks: 0,
}) as SequentialState;

/** Λ for an estimate `difference` with variance `variance`, mixing N(nullDifference, mixtureVariance). */
export function msprtLikelihoodRatio(
  difference: number,
  variance: number,
  mixtureVariance: number,
  nullDifference = 0,
): number {
  if (!(mixtureVariance > 0)) throw new RangeError(`mixtureVariance must be > 0, got ${mixtureVariance}`);
  if (!(variance > 0)) return 1;
  const d = difference - nullDifference;
  const total = variance + mixtureVariance;
  return Math.sqrt(variance / total) * Math.exp((mixtureVariance * d * d) / (2 * variance * total));
}

/** Half-width of the look interval: √(V(V + τ²)/τ² · (2 ln(1/α) + ln((V + τ²)/V))); 2 (all of [−1, 1]) when V = 0. */
export function msprtHalfWidth(variance: number, mixtureVariance: number, alpha: number): number {
  if (!(variance > 0)) return 2;
  const total = variance + mixtureVariance;
  return Math.sqrt(((variance * total) / mixtureVariance) * (2 * Math.log(1 / alpha) + Math.log(total / variance)));
}

/** One look at control `a` and treatment `b`. */
export function msprtLook(a: Counts, b: Counts, mixtureVariance: number, alpha: number): SequentialLook {
  checkCounts(a, 'control');
  checkCounts(b, 'treatment');
  checkAlpha(alpha);
  if (a.exposures === 0 || b.exposures === 0) {
    return {
      difference: 0,
      variance: 0,
      likelihoodRatio: 1,
      lookPValue: 1,
      interval: { lower: -1, upper: 1 },
    };
  }
  const pA = a.conversions / a.exposures;
  const pB = b.conversions / b.exposures;
  const difference = pB - pA;
  const variance = (pA * (1 - pA)) / a.exposures + (pB * (1 - pB)) / b.exposures;
  const likelihoodRatio = msprtLikelihoodRatio(difference, variance, mixtureVariance);
  const half = msprtHalfWidth(variance, mixtureVariance, alpha);
  return {
    difference,
    variance,
    likelihoodRatio,
    lookPValue: Math.min(1, 1 / likelihoodRatio),
    interval: { lower: Math.max(-1, difference - half), upper: Math.min(1, difference + half) },
  };
}

/** Fold a look into the running state: min of p-values, intersection of intervals. */
export function advanceSequential(state: SequentialState, look: SequentialLook): SequentialState {
  return {
    pValue: Math.min(state.pValue, look.lookPValue),
    interval: {
      lower: Math.max(state.interval.lower, look.interval.lower),
      upper: Math.min(state.interval.upper, look.interval.upper),
    },
    looks: state.looks + 1,
  };
}

/**
 * The ratio r = τ²/V at which the look interval is narrowest, the root of r = 2 ln(1/α) + ln(1 + r) (set the
 * derivative of (1 + 1/r)(2 ln(1/α) + ln(1 + r)) to 0); fixed-point iteration converges since the map's slope
 * 1/(1 + r) is < 1. For α = 0.05: r ≈ 8.212; for α = 0.01: r ≈ 11.756.
 */
export function optimalMixtureRatio(alpha: number): number {
  checkAlpha(alpha);
  const l2 = 2 * Math.log(1 / alpha);
  let r = l2;
  for (let i = 0; i < 200; i++) {
    const next = l2 + Math.log(1 + r);
    if (Math.abs(next - r) < 1e-14) return next;
    r = next;
  }
  return r;
}

/**
 * τ² chosen before the experiment (it must not depend on the data) so that the confidence sequence is narrowest
 * when each arm has `samplePerVariant` units at a `baselineRate`: τ² = r*·V*, with V* = 2p(1 − p)/n the variance of
 * the difference there and r* from `optimalMixtureRatio`.
 */
export function tuneMixtureVariance(baselineRate: number, samplePerVariant: number, alpha: number): number {
  if (!(baselineRate > 0 && baselineRate < 1)) throw new RangeError(`baselineRate must be in (0, 1)`);
  if (!(samplePerVariant > 0)) throw new RangeError(`samplePerVariant must be > 0`);
  const plannedVariance = (2 * baselineRate * (1 - baselineRate)) / samplePerVariant;
  return optimalMixtureRatio(alpha) * plannedVariance;
}
