/**
 * The verdict of one evaluation: guardrails first (SRM, minimum sample and duration), then the mSPRT decision,
 * guardrail metrics blocking a win, futility and the maximum duration.
 */
import { decide, DEFAULT_DECISION_CONFIG, type DecisionInput, type VariantInput } from '../../lib/abtest/decision';
import { tuneMixtureVariance } from '../../lib/abtest/sequential';

const DAY = 86_400_000;
const v = (id: string, exposures: number, conversions: number, weight = 1): VariantInput => ({
  id,
  exposures,
  conversions,
  weight,
});
/** Fewer Monte Carlo draws keep these tests fast; the decision itself does not use them. */
const run = (input: DecisionInput) => decide({ ...input, config: { monteCarloDraws: 20_000, ...input.config } });

describe('decide: guardrails on by default', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_DECISION_CONFIG).toMatchObject({
      alpha: 0.05,
      minSamplePerVariant: 1000,
      minDurationMs: 7 * DAY,
      maxDurationMs: 28 * DAY,
      srmThreshold: 0.001,
      futilityRelativeLift: 0.1,
      prior: { alpha: 1, beta: 1 },
    });
  });

  it('makes no decision before the minimum sample, even on a striking difference', () => {
    const d = run({ variants: [v('A', 400, 8), v('B', 400, 60)], elapsedMs: 10 * DAY });
    expect(d.action).toBe('continue');
    expect(d.winner).toBeUndefined();
    expect(d.reasons).toEqual([
      'minimum sample not reached: A has 400 of 1000 exposures',
      'minimum sample not reached: B has 400 of 1000 exposures',
    ]);
    // The look still counts: the state advanced, and the evidence is already in it.
    expect(d.sequential[0].looks).toBe(1);
    expect(d.sequential[0].pValue).toBeLessThan(0.05);
  });

  it('makes no decision before the minimum duration', () => {
    const d = run({ variants: [v('A', 20_000, 400), v('B', 20_000, 600)], elapsedMs: 3 * DAY });
    expect(d.action).toBe('continue');
    expect(d.reasons).toEqual(['minimum duration not reached: 3.0 days of 7.0 days']);
  });

  it('pauses on a sample ratio mismatch before anything else', () => {
    // 5 000 vs 5 400 on 50/50: χ² = 15.38, p = 8.8e-5 < 0.001
    const d = run({ variants: [v('A', 5000, 250), v('B', 5400, 400)], elapsedMs: 10 * DAY });
    expect(d.action).toBe('pause-srm');
    expect(d.srm.mismatch).toBe(true);
    expect(d.reasons[0]).toMatch(
      /^sample ratio mismatch: χ² = 15\.38, p = 8\.77e-5 < 0\.001; exposures A 5000 \(expected 5200\), B 5400 \(expected 5200\)$/,
    );
    // …and respects the configured weights: the same counts are fine for a 50:54 split.
    expect(run({ variants: [v('A', 5000, 250, 50), v('B', 5400, 400, 54)], elapsedMs: 10 * DAY }).action).not.toBe(
      'pause-srm',
    );
  });

  it('stops stop-max when time runs out before the minimum sample', () => {
    const d = run({ variants: [v('A', 300, 9), v('B', 300, 12)], elapsedMs: 28 * DAY });
    expect(d.action).toBe('stop-max');
    expect(d.reasons[0]).toBe('maximum duration reached (28.0 days)');
  });
});

describe('decide: verdicts', () => {
  it('calls a clear winner with its always-valid p-value and lift', () => {
    // 2.0% vs 3.0% on 20 000 each, 8 days in.
    const d = run({ variants: [v('A', 20_000, 400), v('B', 20_000, 600)], elapsedMs: 8 * DAY });
    expect(d.action).toBe('stop-winner');
    expect(d.winner).toBe('B');
    expect(d.reasons[0]).toMatch(
      /^B beats A: always-valid p = .+ ≤ 0\.05, difference \+\d\.\d\d to \+\d\.\d\d points \(confidence sequence\)$/,
    );
    const b = d.variants[1];
    expect(b.versusControl!.sequentialPValue).toBeLessThanOrEqual(0.05);
    expect(b.versusControl!.confidenceSequence.lower).toBeGreaterThan(0);
    expect(b.versusControl!.chanceToBeatControl).toBeGreaterThan(0.999);
    expect(b.chanceToBeBest).toBeGreaterThan(0.999);
    expect(d.variants[0].rate).toBe(0.02);
    expect(d.variants[0].rateInterval.lower).toBeLessThan(0.02);
    expect(d.variants[0].rateInterval.upper).toBeGreaterThan(0.02);
    expect(d.mixtureVariance).toBeCloseTo(tuneMixtureVariance(0.05, 10_000, 0.05), 15);
  });

  it('does not call a winner that a fixed-horizon test would already call', () => {
    // 2.0% vs 2.6% on 10 000 each: z-test p = 0.0047, always-valid p = 0.097 — peeking-safe means patient.
    const d = run({ variants: [v('A', 10_000, 200), v('B', 10_000, 260)], elapsedMs: 8 * DAY });
    expect(d.variants[1].versusControl!.fixedHorizonPValue).toBeLessThan(0.005);
    expect(d.action).toBe('continue');
    expect(d.reasons[0]).toMatch(/^no verdict yet: B always-valid p = 0\.0970 \(needs ≤ 0\.05\)$/);
  });

  it('blocks a win when a guardrail metric regressed for the winner', () => {
    const input: DecisionInput = {
      variants: [v('A', 20_000, 400), v('B', 20_000, 600)],
      elapsedMs: 8 * DAY,
      guardrails: [
        { metric: 'unsubscribe rate', variantId: 'B', regressed: true },
        { metric: 'bounce rate', variantId: 'B', regressed: false },
      ],
    };
    const d = run(input);
    expect(d.action).toBe('continue');
    expect(d.winner).toBeUndefined();
    expect(d.reasons).toEqual(['B beats A but a guardrail regressed: unsubscribe rate']);
    const late = run({ ...input, elapsedMs: 30 * DAY });
    expect(late.action).toBe('stop-max');
    expect(late.reasons).toContain('B beats A but a guardrail regressed: unsubscribe rate');
  });

  it('declares the control the winner when the treatment is clearly worse', () => {
    const d = run({ variants: [v('A', 20_000, 600), v('B', 20_000, 400)], elapsedMs: 8 * DAY });
    expect(d.action).toBe('stop-winner');
    expect(d.winner).toBe('A');
    expect(d.reasons[0]).toMatch(/^A beats every treatment: B p = /);
  });

  it('stops for futility once any lift is shown to be under 10% of the control rate', () => {
    // 5.00% vs 5.01% on 100 000 each: the confidence sequence (≈ ±0.32 points) sits inside ±0.5 points.
    const d = run({ variants: [v('A', 100_000, 5000), v('B', 100_000, 5010)], elapsedMs: 14 * DAY });
    expect(d.action).toBe('stop-futility');
    const cs = d.variants[1].versusControl!.confidenceSequence;
    expect(cs.lower).toBeGreaterThan(-0.005);
    expect(cs.upper).toBeLessThan(0.005);
    expect(d.reasons[0]).toMatch(
      /^no treatment can beat A by 10% of its rate \(±0\.50 points\): B −0\.\d\d to \+0\.\d\d$/,
    );
  });

  it('runs to the maximum when nothing is settled', () => {
    const input = { variants: [v('A', 3000, 150), v('B', 3000, 160)], elapsedMs: 10 * DAY };
    expect(run(input).action).toBe('continue');
    const d = run({ ...input, elapsedMs: 28 * DAY });
    expect(d.action).toBe('stop-max');
    expect(d.reasons[0]).toBe('maximum duration reached (28.0 days) without a verdict');
  });

  it('carries the running state: an earlier look that excluded 0 still counts', () => {
    const variants = [v('A', 5000, 250), v('B', 5000, 255)];
    const fresh = run({ variants, elapsedMs: 10 * DAY });
    expect(fresh.action).toBe('continue');
    const earlier = { pValue: 0.01, interval: { lower: 0.001, upper: 0.03 }, looks: 12 };
    const d = run({ variants, elapsedMs: 10 * DAY, sequential: [earlier] });
    expect(d.sequential[0].looks).toBe(13);
    expect(d.sequential[0].pValue).toBe(0.01);
    expect(d.sequential[0].interval.lower).toBe(0.001);
    expect(d.action).toBe('stop-winner');
    expect(d.winner).toBe('B');
  });

  it('splits α over the treatments and picks the best significant one', () => {
    const d = run({
      variants: [v('A', 20_000, 400), v('B', 20_000, 420), v('C', 20_000, 640), v('D', 20_000, 560)],
      elapsedMs: 8 * DAY,
    });
    expect(d.variants[1].versusControl!.alpha).toBeCloseTo(0.05 / 3, 15);
    expect(d.action).toBe('stop-winner');
    expect(d.winner).toBe('C');
    // D is significant too but less likely best; a guardrail on C hands the win to D.
    const blocked = run({
      variants: [v('A', 20_000, 400), v('B', 20_000, 420), v('C', 20_000, 640), v('D', 20_000, 560)],
      elapsedMs: 8 * DAY,
      guardrails: [{ metric: 'refunds', variantId: 'C', regressed: true }],
    });
    expect(blocked.winner).toBe('D');
    expect(blocked.reasons).toContain('C beats A but a guardrail regressed: refunds');
  });

  it('reports the Bayesian numbers: closed forms for two variants, seeded Monte Carlo beyond', () => {
    // 100/1000 vs 120/1000 under Beta(1, 1): posteriors Beta(101, 901), Beta(121, 881); exact values in
    // abtest-bayes.test.ts (P(B > A) = 0.9231834389735597, losses 0.020444693766675806 and 0.00048461392635644376).
    const two = run({ variants: [v('A', 1000, 100), v('B', 1000, 120)], elapsedMs: DAY });
    expect(Math.abs(two.variants[1].chanceToBeBest - 0.9231834389735597)).toBeLessThan(1e-9);
    expect(Math.abs(two.variants[0].chanceToBeBest - (1 - 0.9231834389735597))).toBeLessThan(1e-9);
    expect(Math.abs(two.variants[1].versusControl!.chanceToBeatControl - 0.9231834389735597)).toBeLessThan(1e-9);
    expect(Math.abs(two.variants[0].expectedLoss - 0.020444693766675806)).toBeLessThan(1e-9);
    expect(Math.abs(two.variants[1].expectedLoss - 0.00048461392635644376)).toBeLessThan(1e-9);
    // Three variants: chance to be best by Monte Carlo (sums to 1), chance to beat control still closed form.
    const three = run({ variants: [v('A', 1000, 100), v('B', 1000, 120), v('C', 1000, 110)], elapsedMs: DAY });
    const total = three.variants.reduce((s, x) => s + x.chanceToBeBest, 0);
    expect(Math.abs(total - 1)).toBeLessThan(1e-12);
    expect(Math.abs(three.variants[1].versusControl!.chanceToBeatControl - 0.9231834389735597)).toBeLessThan(1e-9);
    expect(three.variants[1].chanceToBeBest).toBeGreaterThan(three.variants[2].chanceToBeBest);
  });

  it('is deterministic and validates its input', () => {
    const input = { variants: [v('A', 20_000, 400), v('B', 20_000, 470)], elapsedMs: 9 * DAY };
    expect(run(input)).toEqual(run(input));
    // Everything survives the JSON of a Temporal payload unchanged (no Infinity, NaN or undefined values).
    const first = run({ variants: [v('A', 0, 0), v('B', 0, 0)], elapsedMs: 0 });
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
    expect(JSON.parse(JSON.stringify(run(input)))).toEqual(run(input));
    expect(() => run({ variants: [v('A', 10, 1)], elapsedMs: 0 })).toThrow(RangeError);
    expect(() => run({ variants: [v('A', 10, 11), v('B', 10, 1)], elapsedMs: 0 })).toThrow(/conversions/);
    expect(() => run({ variants: [v('A', 10, 1), v('A', 10, 1)], elapsedMs: 0 })).toThrow(/unique/);
    expect(() => run({ ...input, sequential: [] })).toThrow(/sequential state/);
    expect(() => run({ ...input, config: { alpha: 1.5 } })).toThrow(/alpha/);
    expect(() => run({ ...input, config: { minDurationMs: 10 * DAY, maxDurationMs: DAY } })).toThrow(/maxDurationMs/);
  });
});
