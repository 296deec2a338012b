/**
 * The database and statistics side of an A/B test's workflow: start the experiment, evaluate it (counts from
 * PostgreSQL, the decision from lib/abtest with the sequential state the workflow carries), change its status, and
 * conclude it. Each evaluation is kept (a row per evaluation, keyed by the run and the activity's id, so a retry
 * rewrites its own row) and the last one on the experiment, for its page; the workflow keeps ids, the decision's
 * action and the small sequential state.
 */
import { Context } from '@temporalio/activity';
import type {
  EvaluatedGuardrail,
  ExperimentEvaluationRepository,
} from '../../db/repositories/experiment-evaluation.repository';
import type { ExperimentRecord, ExperimentRepository } from '../../db/repositories/experiment.repository';
import { decide, type Decision, type GuardrailResult } from '../../lib/abtest/decision';
import type { SequentialState } from '../../lib/abtest/sequential';
import type { ExperimentStatus } from '../../lib/abtest/experiment';
import { failure } from '../../lib/failures';

export interface ExperimentActivityDeps {
  experiments: ExperimentRepository;
  evaluations: ExperimentEvaluationRepository;
}

export interface ExperimentRef {
  workspaceId: string;
  experimentId: string;
}

export interface StartedExperiment {
  name: string;
  kind: 'post' | 'free';
  /** Variant keys in order; the control's key. */
  keys: string[];
  control: string;
  evaluateEveryMinutes: number;
  maxDurationDays: number;
}

/** What an evaluation says, small enough for the workflow's history. */
export interface Evaluation {
  action: Decision['action'];
  /** The winning variant's key. */
  winner?: string;
  reasons: string[];
  sequential: SequentialState[];
  /** Per variant: key, exposures, conversions, rate, and its chance to be best (the run's progress shows them). */
  variants: { key: string; exposures: number; conversions: number; rate: number; chanceToBeBest: number }[];
  srmPValue: number | null;
}

/**
 * A guardrail regressed for a treatment when its rate moved the wrong way past the allowed change relative to the
 * control (a treatment converting on a guardrail the control never did is a regression when higher is worse).
 */
export function guardrailResults(
  experiment: ExperimentRecord,
  counts: Awaited<ReturnType<ExperimentRepository['counts']>>,
): (GuardrailResult & EvaluatedGuardrail)[] {
  const control = experiment.variants.find((v) => v.control)!;
  const rateOf = (variantId: string, metric: string) => {
    const c = counts[variantId];
    return c && c.exposures > 0 ? (c.conversions[metric] ?? 0) / c.exposures : 0;
  };
  return experiment.guardrails.flatMap((g) =>
    experiment.variants
      .filter((v) => !v.control)
      .map((v) => {
        const base = rateOf(control.id, g.metric);
        const rate = rateOf(v.id, g.metric);
        const change = base > 0 ? (rate - base) / base : rate > 0 ? Infinity : 0;
        const regressed = g.worseWhen === 'higher' ? change > g.maxChange : change < -g.maxChange;
        return {
          metric: g.metric,
          variantId: v.key,
          variant: v.key,
          controlRate: base,
          rate,
          change: Number.isFinite(change) ? change : null,
          regressed,
        };
      }),
  );
}

/** Which evaluation this is: the same for every attempt of one activity, distinct across evaluations and runs. */
function evaluationKey(): { runId: string; activityId: string } {
  const info = Context.current().info;
  // An activity outside a workflow run (none is started that way) would key by its own id.
  return { runId: info.workflowExecution?.runId ?? `activity:${info.activityId}`, activityId: info.activityId };
}

export function createExperimentActivities(deps: ExperimentActivityDeps) {
  const { experiments, evaluations } = deps;

  async function load(ref: ExperimentRef): Promise<ExperimentRecord> {
    const experiment = await experiments.get(ref.workspaceId, ref.experimentId);
    if (!experiment) throw failure('NotFound', `Experiment ${ref.experimentId} not found`);
    return experiment;
  }

  return {
    /** Marks the experiment running for this run; a second run of another workflow cannot take it over. */
    async startExperiment(input: ExperimentRef & { workflowId: string }): Promise<StartedExperiment> {
      const experiment = await load(input);
      if (experiment.workflowId && experiment.workflowId !== input.workflowId)
        throw failure('InvalidInput', `Experiment ${experiment.name} is already run by ${experiment.workflowId}`);
      if (!experiment.workflowId && experiment.status !== 'draft')
        throw failure('InvalidInput', `Experiment ${experiment.name} is ${experiment.status}, not a draft`);
      await experiments.updateState(input.workspaceId, input.experimentId, {
        status: experiment.status === 'draft' ? 'running' : experiment.status,
        workflowId: input.workflowId,
        started: true,
      });
      const control = experiment.variants.find((v) => v.control)!;
      return {
        name: experiment.name,
        kind: experiment.kind,
        keys: experiment.variants.map((v) => v.key),
        control: control.key,
        evaluateEveryMinutes: experiment.config.evaluateEveryMinutes,
        maxDurationDays: experiment.config.maxDurationDays,
      };
    },

    /** Counts, guardrails and the decision; the summary is kept on the experiment for its page. */
    async evaluateExperiment(
      input: ExperimentRef & { elapsedMs: number; maxDurationMs: number; sequential?: SequentialState[] },
    ): Promise<Evaluation> {
      const experiment = await load(input);
      const counts = await experiments.counts(experiment.id);
      // The control first, as decide() reads it.
      const ordered = [...experiment.variants].sort((a, b) => Number(b.control) - Number(a.control));
      const guardrails = guardrailResults(experiment, counts);
      const decision = decide({
        variants: ordered.map((v) => ({
          id: v.key,
          exposures: counts[v.id]?.exposures ?? 0,
          conversions: counts[v.id]?.conversions[experiment.metric] ?? 0,
          weight: v.weight,
        })),
        elapsedMs: input.elapsedMs,
        sequential: input.sequential,
        guardrails,
        config: {
          alpha: experiment.config.alpha,
          minSamplePerVariant: experiment.config.minSamplePerVariant,
          minDurationMs: experiment.config.minDurationHours * 3_600_000,
          maxDurationMs: input.maxDurationMs,
          expectedBaselineRate: experiment.config.expectedBaselineRate,
          tuningSamplePerVariant: experiment.config.plannedSamplePerVariant,
        },
      });
      const evaluation: Evaluation = {
        action: decision.action,
        ...(decision.winner ? { winner: decision.winner } : {}),
        reasons: decision.reasons,
        sequential: decision.sequential,
        variants: decision.variants.map((v) => ({
          key: v.id,
          exposures: v.exposures,
          conversions: v.conversions,
          rate: v.rate,
          chanceToBeBest: v.chanceToBeBest,
        })),
        srmPValue: Number.isFinite(decision.srm.pValue) ? decision.srm.pValue : null,
      };
      const guardrailRows = guardrails.map(({ variantId: _key, ...g }) => g);
      await evaluations.record({
        ...evaluationKey(),
        experimentId: experiment.id,
        workspaceId: input.workspaceId,
        elapsedMs: input.elapsedMs,
        action: decision.action,
        winner: decision.winner ?? null,
        reasons: decision.reasons,
        srmPValue: evaluation.srmPValue,
        variants: decision.variants.map((v) => ({
          key: v.id,
          exposures: v.exposures,
          conversions: v.conversions,
          rate: v.rate,
          rateInterval: v.rateInterval,
          chanceToBeBest: v.chanceToBeBest,
          ...(v.versusControl
            ? {
                sequentialPValue: v.versusControl.sequentialPValue,
                confidenceSequence: v.versusControl.confidenceSequence,
              }
            : {}),
        })),
        guardrails: guardrailRows,
        decision: {
          ...(experiment.decision ?? {}),
          evaluatedAt: new Date().toISOString(),
          action: decision.action,
          winner: decision.winner ?? null,
          reasons: decision.reasons,
          variants: decision.variants,
          srm: decision.srm,
          guardrails: guardrailRows,
        },
      });
      return evaluation;
    },

    async setExperimentStatus(input: ExperimentRef & { status: Extract<ExperimentStatus, 'running' | 'paused'> }) {
      await experiments.updateState(input.workspaceId, input.experimentId, { status: input.status });
    },

    /** Ends it: `promoted` is the variant the brand keeps (null: none, the control stays). */
    async concludeExperiment(
      input: ExperimentRef & { promoted: string | null; outcome: string; by?: string },
    ): Promise<{ kind: 'post' | 'free'; post: ExperimentRecord['post']; content: Record<string, unknown> | null }> {
      const experiment = await load(input);
      await experiments.updateState(input.workspaceId, input.experimentId, {
        status: input.promoted === null && input.outcome === 'stopped' ? 'stopped' : 'completed',
        ended: true,
        decision: {
          ...(experiment.decision ?? {}),
          promoted: input.promoted,
          outcome: input.outcome,
          by: input.by ?? null,
        },
      });
      const variant = experiment.variants.find((v) => v.key === input.promoted);
      return { kind: experiment.kind, post: experiment.post, content: variant ? variant.content : null };
    },
  };
}

export type ExperimentActivities = ReturnType<typeof createExperimentActivities>;
