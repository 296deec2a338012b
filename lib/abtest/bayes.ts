/**
 * Bayesian read-out with conjugate Beta priors: posterior Beta(α + x, β + n − x) per variant, the chance that a
 * treatment beats the control P(pB > pA) in closed form (E. Miller, "Formulas for Bayesian A/B testing", 2015),
 * the expected loss of choosing each arm in closed form (C. Stucchio, "Bayesian A/B testing at VWO", 2015), and a
 * seeded Monte Carlo for any number of variants (chance to be best, expected loss against the best).
 * These numbers are reported; the stop decision rests on the sequential test (see decision.ts).
 */
import { checkCounts, type Counts } from './frequentist';
import { logBeta } from './math';
import { seededRandom } from './random';

// Local bindings: a global `Math` lookup per call is slow in sandboxed contexts (jest's vm, workflow isolates).
const { exp, log } = Math;

export interface BetaPrior {
  alpha: number;
  beta: number;
}

/** Beta(α, β) posterior of one variant's rate. */
export interface BetaPosterior {
  alpha: number;
  beta: number;
  /** α/(α + β). */
  mean: number;
}

export const UNIFORM_PRIOR: BetaPrior = Object.freeze({ alpha: 1, beta: 1 });

export function posterior(counts: Counts, prior: BetaPrior = UNIFORM_PRIOR): BetaPosterior {
  checkCounts(counts);
  if (!(prior.alpha > 0 && prior.beta > 0)) throw new RangeError('Beta prior parameters must be > 0');
  const alpha = prior.alpha + counts.conversions;
  const beta = prior.beta + counts.exposures - counts.conversions;
  return { alpha, beta, mean: alpha / (alpha + beta) };
}

/**
 * P(pB > pA) for pA ~ Beta(αA, βA), pB ~ Beta(αB, βB), αB a positive integer (Miller's formula):
 *
 *   Σ_{i=0}^{αB−1} B(αA + i, βA + βB) / ((βB + i) · B(1 + i, βB) · B(αA, βA))
 *
 * summed in log space (each term through ln B), so counts in the hundreds of thousands do not overflow.
 */
export function probabilityToBeat(a: BetaPosterior, b: BetaPosterior): number {
  if (!Number.isInteger(b.alpha) || b.alpha < 1) {
    throw new RangeError(`the closed form needs an integer αB ≥ 1 (got ${b.alpha}); use the Monte Carlo`);
  }
  const base = logBeta(a.alpha, a.beta);
  let total = 0;
  for (let i = 0; i < b.alpha; i++) {
    total += exp(logBeta(a.alpha + i, a.beta + b.beta) - log(b.beta + i) - logBeta(1 + i, b.beta) - base);
  }
  return Math.min(1, Math.max(0, total));
}

/**
 * Expected loss of shipping each arm of a pair, in closed form (needs integer α on both sides):
 *
 *   E[max(pA − pB, 0)] = αA/(αA + βA) · P(Beta(αA + 1, βA) > pB) − αB/(αB + βB) · P(pA > Beta(αB + 1, βB))
 *
 * `chooseB` is that loss (what choosing B costs if A is really better), `chooseA` its mirror.
 */
export function expectedLoss(a: BetaPosterior, b: BetaPosterior): { chooseA: number; chooseB: number } {
  const shift = (p: BetaPosterior): BetaPosterior => {
    const alpha = p.alpha + 1;
    return { alpha, beta: p.beta, mean: alpha / (alpha + p.beta) };
  };
  // E[pA·1{pA > pB}] = E[pA]·P(A' > B) with A' ~ Beta(αA + 1, βA); likewise for the other terms.
  const lossB = a.mean * probabilityToBeat(b, shift(a)) - b.mean * probabilityToBeat(shift(b), a);
  const lossA = b.mean * probabilityToBeat(a, shift(b)) - a.mean * probabilityToBeat(shift(a), b);
  return { chooseA: Math.max(0, lossA), chooseB: Math.max(0, lossB) };
}

export interface MonteCarloOptions {
  /** Joint draws (default 100 000: standard error ≤ 0.0016 on a probability). */
  draws?: number;
  /** PRNG seed (default 1). */
  seed?: number;
}

export interface MonteCarloResult {
  draws: number;
  /** P(variant i has the highest rate), per variant; ties (probability 0 for continuous draws) go to the lowest index. */
  chanceToBeBest: number[];
  /** E[max_j p_j − p_i]: what shipping variant i costs against the best, per variant. */
  expectedLoss: number[];
  /** P(p_i > p_0) per variant (the control itself gets 0). */
  chanceToBeatControl: number[];
}

/** Seeded Monte Carlo over the posteriors (index 0 is the control). Deterministic for a given seed and draws. */
export function monteCarlo(posteriors: readonly BetaPosterior[], options: MonteCarloOptions = {}): MonteCarloResult {
  const draws = options.draws ?? 100_000;
  if (!Number.isInteger(draws) || draws < 1) throw new RangeError('draws must be a positive integer');
  if (posteriors.length < 2) throw new RangeError('need at least two variants');
  const random = seededRandom(options.seed ?? 1);
  const k = posteriors.length;
  const best = new Array<number>(k).fill(0);
  const loss = new Array<number>(k).fill(0);
  const beat = new Array<number>(k).fill(0);
  const sample = new Array<number>(k);
  for (let d = 0; d < draws; d++) {
    let top = 0;
    for (let i = 0; i < k; i++) {
      sample[i] = random.beta(posteriors[i].alpha, posteriors[i].beta);
      if (sample[i] > sample[top]) top = i;
    }
    best[top]++;
    for (let i = 0; i < k; i++) {
      loss[i] += sample[top] - sample[i];
      if (i > 0 && sample[i] > sample[0]) beat[i]++;
    }
  }
  return {
    draws,
    chanceToBeBest: best.map((c) => c / draws),
    expectedLoss: loss.map((s) => s / draws),
    chanceToBeatControl: beat.map((c) => c / draws),
  };
}
