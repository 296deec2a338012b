/**
 * The verdict of one evaluation of an A/B test. Pure: the workflow passes the counts, the elapsed time, the
 * guardrail results and the sequential state it kept from the previous evaluation, and stores the state returned.
 *
 * Order of the checks (guardrails on by default):
 *   1. sample ratio mismatch (chi-square, p < 0.001) → 'pause-srm': counts from a broken split prove nothing;
 *   2. every treatment's mSPRT look is folded into its running state (always, so the p-value stays always-valid);
 *   3. before the minimum sample per variant AND the minimum duration → 'continue' (or 'stop-max' if time is up);
 *   4. a treatment whose confidence sequence lies above 0 → 'stop-winner' (the best such by chance to be best),
 *      unless a guardrail metric regressed for it; every treatment below 0 → 'stop-winner' for the control;
 *   5. every treatment below 0 or inside ±(futility lift × control rate) → 'stop-futility';
 *   6. past the maximum duration → 'stop-max'; otherwise 'continue'.
 * With more than one treatment each is tested at α/(k − 1) (Bonferroni), so the family-wise error stays ≤ α.
 */
import {
  type BetaPosterior,
  type BetaPrior,
  expectedLoss,
  monteCarlo,
  type MonteCarloResult,
  posterior,
  probabilityToBeat,
  UNIFORM_PRIOR,
} from './bayes';
import { checkAlpha, checkCounts, type Interval, twoProportionTest, wilsonInterval } from './frequentist';
import {
  advanceSequential,
  INITIAL_SEQUENTIAL_STATE,
  msprtLook,
  type SequentialState,
  tuneMixtureVariance,
} from './sequential';
import { sampleRatioMismatch, SRM_THRESHOLD, type SrmResult } from './srm';

export type DecisionAction = 'continue' | 'stop-winner' | 'stop-futility' | 'stop-max' | 'pause-srm';

export interface VariantInput {
  id: string;
  exposures: number;
  conversions: number;
  /** Configured traffic weight (any positive scale). */
  weight: number;
}

/** A guardrail metric's verdict for one variant against the control, computed by the caller. */
export interface GuardrailResult {
  metric: string;
  variantId: string;
  regressed: boolean;
}

export interface DecisionConfig {
  /** Family-wise significance level (default 0.05). */
  alpha: number;
  /** No decision before every variant has this many exposures (default 1000). */
  minSamplePerVariant: number;
  /** No decision before this much time has passed (default 7 days: a full weekly cycle). */
  minDurationMs: number;
  /** Stop without a verdict after this (default 28 days). */
  maxDurationMs: number;
  /** SRM p-value threshold (default 0.001). */
  srmThreshold: number;
  /** Stop for futility once the lift is shown to be smaller than this fraction of the control rate (default 0.1). */
  futilityRelativeLift: number;
  /** τ² of the mSPRT mixing distribution; default tuned from the two settings below (must not depend on data). */
  mixtureVariance?: number;
  /** The control rate expected when planning, for the default τ² (default 0.05). */
  expectedBaselineRate: number;
  /** Sample per variant at which the confidence sequence should be narrowest, for the default τ² (default 10 000). */
  tuningSamplePerVariant: number;
  /** Beta prior of every variant (default Beta(1, 1)). */
  prior: BetaPrior;
  /** Monte Carlo draws and seed for chance to be best with 3+ variants or a non-integer prior (100 000 and 1). */
  monteCarloDraws: number;
  monteCarloSeed: number;
}

export const DEFAULT_DECISION_CONFIG: Readonly<DecisionConfig> = Object.freeze({
  alpha: 0.05,
  minSamplePerVariant: 1000,
  minDurationMs: 7 * 24 * 3600 * 1000,
  maxDurationMs: 28 * 24 * 3600 * 1000,
  srmThreshold: SRM_THRESHOLD,
  futilityRelativeLift: 0.1,
  expectedBaselineRate: 0.05,
  tuningSamplePerVariant: 10_000,
  prior: UNIFORM_PRIOR,
  monteCarloDraws: 100_000,
  monteCarloSeed: 1,
});

export interface DecisionInput {
  /** Index 0 is the control. */
  variants: readonly VariantInput[];
  elapsedMs: number;
  /** Running mSPRT state per treatment (variants[1..]) from the previous evaluation; omitted on the first. */
  sequential?: readonly SequentialState[];
  guardrails?: readonly GuardrailResult[];
  config?: Partial<DecisionConfig>;
}

export interface VariantSummary {
  id: string;
  exposures: number;
  conversions: number;
  rate: number;
  /** Wilson interval of the rate at level α. */
  rateInterval: Interval;
  chanceToBeBest: number;
  /** Expected loss of shipping this variant against the best (closed form for two variants, else Monte Carlo). */
  expectedLoss: number;
  /** For treatments only: the comparison against the control. */
  versusControl?: {
    /** P(p_i > p_control), closed form when the posterior α is an integer, else Monte Carlo. */
    chanceToBeatControl: number;
    difference: number;
    relativeLift: number | null;
    /** Fixed-horizon z-test, for reference only: not valid under peeking. */
    z: number;
    fixedHorizonPValue: number;
    /** Always-valid p-value and confidence sequence of the difference (the basis of the decision). */
    sequentialPValue: number;
    confidenceSequence: Interval;
    /** Per-comparison level after the Bonferroni split. */
    alpha: number;
  };
}

export interface Decision {
  action: DecisionAction;
  winner?: string;
  reasons: string[];
  /** Store and pass back as `sequential` next time. */
  sequential: SequentialState[];
  variants: VariantSummary[];
  srm: SrmResult;
  mixtureVariance: number;
}

const days = (ms: number): string => `${(ms / 86_400_000).toFixed(1)} days`;
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
/** An absolute difference of rates, in percentage points with its sign. */
const points = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)}`;
const level = (x: number): string => String(Number(x.toPrecision(3)));

export function resolveConfig(config: Partial<DecisionConfig> = {}): DecisionConfig {
  const c: DecisionConfig = { ...DEFAULT_DECISION_CONFIG, ...config };
  checkAlpha(c.alpha);
  if (!(c.minSamplePerVariant >= 0) || !(c.minDurationMs >= 0) || !(c.maxDurationMs > 0)) {
    throw new RangeError('minimum sample and durations must be ≥ 0, the maximum duration > 0');
  }
  if (c.maxDurationMs < c.minDurationMs) throw new RangeError('maxDurationMs must be ≥ minDurationMs');
  if (!(c.futilityRelativeLift > 0)) throw new RangeError('futilityRelativeLift must be > 0');
  return c;
}

export function decide(input: DecisionInput): Decision {
  const config = resolveConfig(input.config);
  const variants = input.variants;
  if (variants.length < 2) throw new RangeError('an experiment needs a control and at least one treatment');
  variants.forEach((v) => checkCounts(v, v.id));
  if (new Set(variants.map((v) => v.id)).size !== variants.length) throw new RangeError('variant ids must be unique');
  const treatments = variants.length - 1;
  const previous = input.sequential ?? Array.from({ length: treatments }, () => INITIAL_SEQUENTIAL_STATE);
  if (previous.length !== treatments) throw new RangeError('one sequential state per treatment');
  const alphaEach = config.alpha / treatments;
  const mixtureVariance =
    config.mixtureVariance ??
    tuneMixtureVariance(config.expectedBaselineRate, config.tuningSamplePerVariant, alphaEach);

  const control = variants[0];
  const sequential = variants
    .slice(1)
    .map((v, i) => advanceSequential(previous[i], msprtLook(control, v, mixtureVariance, alphaEach)));
  const summaries = summarise(variants, sequential, config, alphaEach);
  const srm = sampleRatioMismatch(
    variants.map((v) => v.exposures),
    variants.map((v) => v.weight),
    config.srmThreshold,
  );
  const result = (action: DecisionAction, reasons: string[], winner?: string): Decision => ({
    action,
    ...(winner === undefined ? {} : { winner }),
    reasons,
    sequential,
    variants: summaries,
    srm,
    mixtureVariance,
  });

  if (srm.mismatch) {
    const split = variants.map((v, i) => `${v.id} ${v.exposures} (expected ${srm.expected[i].toFixed(0)})`);
    return result('pause-srm', [
      `sample ratio mismatch: χ² = ${srm.chiSquare.toFixed(2)}, p = ${srm.pValue.toExponential(2)} < ` +
        `${config.srmThreshold}; exposures ${split.join(', ')}`,
    ]);
  }

  const timeUp = input.elapsedMs >= config.maxDurationMs;
  const gates: string[] = [];
  for (const v of variants) {
    if (v.exposures < config.minSamplePerVariant) {
      gates.push(`minimum sample not reached: ${v.id} has ${v.exposures} of ${config.minSamplePerVariant} exposures`);
    }
  }
  if (input.elapsedMs < config.minDurationMs) {
    gates.push(`minimum duration not reached: ${days(input.elapsedMs)} of ${days(config.minDurationMs)}`);
  }
  if (gates.length > 0) {
    return timeUp
      ? result('stop-max', [`maximum duration reached (${days(config.maxDurationMs)})`, ...gates])
      : result('continue', gates);
  }

  const reasons: string[] = [];
  const compared = summaries.slice(1).map((s) => ({ id: s.id, s, vs: s.versusControl! }));
  const better = compared.filter((c) => c.vs.confidenceSequence.lower > 0);
  const worse = compared.filter((c) => c.vs.confidenceSequence.upper < 0);
  const blocked = (id: string): GuardrailResult[] =>
    (input.guardrails ?? []).filter((g) => g.variantId === id && g.regressed);

  if (better.length > 0) {
    const eligible = better.filter((c) => blocked(c.id).length === 0);
    for (const c of better) {
      const hits = blocked(c.id);
      if (hits.length > 0) {
        reasons.push(`${c.id} beats ${control.id} but a guardrail regressed: ${hits.map((g) => g.metric).join(', ')}`);
      }
    }
    if (eligible.length > 0) {
      const winner = eligible.reduce((a, b) => (b.s.chanceToBeBest > a.s.chanceToBeBest ? b : a));
      const cs = winner.vs.confidenceSequence;
      return result(
        'stop-winner',
        [
          `${winner.id} beats ${control.id}: always-valid p = ${winner.vs.sequentialPValue.toPrecision(3)} ≤ ` +
            `${level(alphaEach)}, difference ${points(cs.lower)} to ${points(cs.upper)} points (confidence sequence)`,
          ...reasons,
        ],
        winner.id,
      );
    }
  } else if (worse.length === compared.length) {
    return result(
      'stop-winner',
      [
        `${control.id} beats every treatment: ${worse
          .map((c) => `${c.id} p = ${c.vs.sequentialPValue.toPrecision(3)}`)
          .join(', ')}`,
      ],
      control.id,
    );
  } else {
    const margin = config.futilityRelativeLift * summaries[0].rate;
    const equivalent = compared.filter(
      (c) => c.vs.confidenceSequence.lower > -margin && c.vs.confidenceSequence.upper < margin,
    );
    if (margin > 0 && equivalent.length + worse.length === compared.length) {
      return result('stop-futility', [
        `no treatment can beat ${control.id} by ${level(config.futilityRelativeLift * 100)}% of its rate ` +
          `(±${pct(margin).replace('%', '')} points): ` +
          compared
            .map((c) => `${c.id} ${points(c.vs.confidenceSequence.lower)} to ${points(c.vs.confidenceSequence.upper)}`)
            .join(', '),
      ]);
    }
  }

  if (timeUp)
    return result('stop-max', [
      `maximum duration reached (${days(config.maxDurationMs)}) without a verdict`,
      ...reasons,
    ]);
  const open = compared.filter((c) => !better.includes(c));
  const pending = open.map(
    (c) => `${c.id} always-valid p = ${c.vs.sequentialPValue.toPrecision(3)} (needs ≤ ${level(alphaEach)})`,
  );
  return result('continue', [...reasons, ...(pending.length > 0 ? [`no verdict yet: ${pending.join(', ')}`] : [])]);
}

function summarise(
  variants: readonly VariantInput[],
  sequential: readonly SequentialState[],
  config: DecisionConfig,
  alphaEach: number,
): VariantSummary[] {
  const posteriors = variants.map((v) => posterior(v, config.prior));
  const bayes = bayesian(posteriors, config);
  const control = variants[0];
  return variants.map((v, i) => {
    const summary: VariantSummary = {
      id: v.id,
      exposures: v.exposures,
      conversions: v.conversions,
      rate: v.exposures > 0 ? v.conversions / v.exposures : 0,
      rateInterval: wilsonInterval(v, config.alpha),
      chanceToBeBest: bayes.chanceToBeBest[i],
      expectedLoss: bayes.expectedLoss[i],
    };
    if (i === 0) return summary;
    const state = sequential[i - 1];
    const fixed = control.exposures > 0 && v.exposures > 0 ? twoProportionTest(control, v, alphaEach) : undefined;
    summary.versusControl = {
      chanceToBeatControl: bayes.chanceToBeatControl[i],
      difference: fixed?.difference ?? 0,
      relativeLift: fixed?.relativeLift ?? null,
      z: fixed?.z ?? 0,
      fixedHorizonPValue: fixed?.pValue ?? 1,
      sequentialPValue: state.pValue,
      confidenceSequence: state.interval,
      alpha: alphaEach,
    };
    return summary;
  });
}

/**
 * Chance to be best, expected loss and chance to beat the control per variant: the closed forms for two variants
 * with integer posterior α (the usual case: integer prior, integer counts), else the seeded Monte Carlo.
 */
function bayesian(posteriors: readonly BetaPosterior[], config: DecisionConfig): Omit<MonteCarloResult, 'draws'> {
  if (posteriors.length === 2 && posteriors.every((p) => Number.isInteger(p.alpha))) {
    const [a, b] = posteriors;
    const beat = probabilityToBeat(a, b);
    const loss = expectedLoss(a, b);
    return {
      chanceToBeBest: [1 - beat, beat],
      expectedLoss: [loss.chooseA, loss.chooseB],
      chanceToBeatControl: [0, beat],
    };
  }
  const mc = monteCarlo(posteriors, { draws: config.monteCarloDraws, seed: config.monteCarloSeed });
  return {
    chanceToBeBest: mc.chanceToBeBest,
    expectedLoss: mc.expectedLoss,
    chanceToBeatControl: mc.chanceToBeatControl.map((p, i) =>
      i > 0 && Number.isInteger(posteriors[i].alpha) ? probabilityToBeat(posteriors[0], posteriors[i]) : p,
    ),
  };
}
