/**
 * The evaluation activity's side of issue 13: guardrail verdicts against the control, and each evaluation written
 * under the key of its activity (workflow run + activity id), so a retried attempt rewrites its row and two
 * evaluations never share one.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import type { EvaluationWrite } from '../../db/repositories/experiment-evaluation.repository';
import type { ExperimentCounts, ExperimentRecord } from '../../db/repositories/experiment.repository';
import {
  createExperimentActivities,
  guardrailResults,
  type Evaluation,
} from '../../activities/abtest/experiment.activities';
import { experimentConfigSchema } from '../../lib/abtest/experiment';

const experiment = (guardrails: ExperimentRecord['guardrails']): ExperimentRecord => ({
  id: 'e1',
  workspaceId: 'w1',
  brandId: 'b1',
  name: 'Subject lines',
  hypothesis: 'h',
  kind: 'free',
  unit: 'recipient',
  metric: 'click',
  guardrails,
  post: { platform: 'instagram', postType: 'promotional' },
  config: experimentConfigSchema.parse(undefined),
  status: 'running',
  workflowId: 'ab-test/e1',
  decision: null,
  startedAt: null,
  endedAt: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  variants: [
    { id: 'va', key: 'A', name: 'A', weight: 50, control: true, content: {}, postId: null },
    { id: 'vb', key: 'B', name: 'B', weight: 50, control: false, content: {}, postId: null },
    { id: 'vc', key: 'C', name: 'C', weight: 50, control: false, content: {}, postId: null },
  ],
});

const counts: ExperimentCounts = {
  va: { exposures: 1000, conversions: { click: 50, unsubscribe: 20, open: 300 } },
  vb: { exposures: 1000, conversions: { click: 80, unsubscribe: 23, open: 240 } },
  vc: { exposures: 1000, conversions: { click: 60, unsubscribe: 21, open: 290, reply: 4 } },
};

describe('guardrailResults', () => {
  it('flags a treatment whose metric moved the wrong way past the allowed change, per treatment', () => {
    const results = guardrailResults(
      experiment([
        { metric: 'unsubscribe', worseWhen: 'higher', maxChange: 0.1 },
        { metric: 'open', worseWhen: 'lower', maxChange: 0.1 },
        { metric: 'reply', worseWhen: 'lower', maxChange: 0.5 },
      ]),
      counts,
    );
    const byKey = Object.fromEntries(results.map((r) => [`${r.metric}/${r.variant}`, r]));
    // 2.3% against 2.0%: +15% > 10%; 2.1%: +5%.
    expect(byKey['unsubscribe/B']).toMatchObject({ regressed: true, controlRate: 0.02, rate: 0.023 });
    expect(byKey['unsubscribe/B'].change).toBeCloseTo(0.15, 12);
    expect(byKey['unsubscribe/C']).toMatchObject({ regressed: false });
    expect(byKey['unsubscribe/C'].change).toBeCloseTo(0.05, 12);
    // Opens: 24% against 30% is −20% (lower is worse); 29% is −3.3%.
    expect(byKey['open/B'].regressed).toBe(true);
    expect(byKey['open/C'].regressed).toBe(false);
    // The control never replied: a treatment that did has no relative change, and more is not worse here.
    expect(byKey['reply/C']).toMatchObject({ change: null, regressed: false, controlRate: 0, rate: 0.004 });
    expect(byKey['reply/B']).toMatchObject({ change: 0, regressed: false });
    // decide() reads the variant's key.
    expect(results.map((r) => r.variantId)).toEqual(['B', 'C', 'B', 'C', 'B', 'C']);
  });

  it('treats a first conversion on a higher-is-worse guardrail the control never had as a regression', () => {
    const [b] = guardrailResults(experiment([{ metric: 'complaint', worseWhen: 'higher', maxChange: 0.5 }]), {
      ...counts,
      vb: { exposures: 1000, conversions: { complaint: 1 } },
    });
    expect(b).toMatchObject({ variant: 'B', change: null, regressed: true });
  });
});

describe('evaluateExperiment', () => {
  function activities() {
    const writes: EvaluationWrite[] = [];
    // Two variants: decide() uses its closed forms (three would run the Monte Carlo on every call).
    const full = experiment([{ metric: 'unsubscribe', worseWhen: 'higher', maxChange: 0.1 }]);
    const x = { ...full, variants: full.variants.slice(0, 2) };
    const acts = createExperimentActivities({
      experiments: {
        get: async () => x,
        counts: async () => counts,
      } as never,
      evaluations: { record: async (w: EvaluationWrite) => void writes.push(w) } as never,
    });
    return { acts, writes };
  }
  const input = { workspaceId: 'w1', experimentId: 'e1', elapsedMs: 8 * 86_400_000, maxDurationMs: 28 * 86_400_000 };

  it('writes each evaluation under its run and activity id, the same for a retried attempt', async () => {
    const { acts, writes } = activities();
    const info = (activityId: string, attempt: number, runId = 'run-1') => ({
      activityId,
      attempt,
      workflowExecution: { workflowId: 'ab-test/e1', runId },
    });
    await new MockActivityEnvironment(info('7', 1)).run(acts.evaluateExperiment, input);
    await new MockActivityEnvironment(info('7', 2)).run(acts.evaluateExperiment, input);
    await new MockActivityEnvironment(info('9', 1)).run(acts.evaluateExperiment, input);
    await new MockActivityEnvironment(info('7', 1, 'run-2')).run(acts.evaluateExperiment, input);
    expect(writes.map((w) => [w.runId, w.activityId])).toEqual([
      ['run-1', '7'],
      ['run-1', '7'],
      ['run-1', '9'],
      ['run-2', '7'],
    ]);
  });

  it('records the evaluation with the guardrail that blocks B and its verdict', async () => {
    const { acts, writes } = activities();
    const evaluation: Evaluation = await new MockActivityEnvironment().run(acts.evaluateExperiment, input);
    const [w] = writes;
    expect(w).toMatchObject({ experimentId: 'e1', workspaceId: 'w1', action: evaluation.action });
    expect(w.variants.map((v) => v.key)).toEqual(['A', 'B']);
    expect(w.variants[1]).toEqual(
      expect.objectContaining({ sequentialPValue: expect.any(Number), confidenceSequence: expect.any(Object) }),
    );
    expect(w.variants[0].sequentialPValue).toBeUndefined();
    expect(w.guardrails.find((g) => g.variant === 'B')).toMatchObject({ metric: 'unsubscribe', regressed: true });
    expect(w.decision).toMatchObject({ action: evaluation.action, guardrails: w.guardrails });
    expect(evaluation.variants.map((v) => v.exposures)).toEqual([1000, 1000]);
  });
});
