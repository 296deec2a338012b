/**
 * An A/B test: start the experiment, evaluate it on a durable timer (counts from PostgreSQL, the decision from
 * lib/abtest with its sequential state carried here, so peeking at every evaluation stays valid), and once there is
 * a verdict — a winner, no difference, or the maximum duration — ask for a decision: promote (the winning post is
 * published on the brand's channel), keep the control, or extend. Pause, resume, stop and extend are validated
 * updates at any time; a sample ratio mismatch pauses it until someone resumes. It continues as new every few
 * hundred evaluations to keep its history small.
 */
import {
  condition,
  continueAsNew,
  defineUpdate,
  isCancellation,
  setHandler,
  workflowInfo,
  allHandlersFinished,
} from '@temporalio/workflow';
import type { Evaluation, StartedExperiment } from '../activities/abtest/experiment.activities';
import type { SequentialState } from '../lib/abtest/sequential';
import { MAX_EXTEND_DAYS, verdictEditRules, type VerdictChoice } from '../lib/abtest/verdict-edit';
import { failure } from '../lib/failures';
import { failureMessage } from '../lib/failure-chain';
import { activitiesOn } from './activities-on';
import * as presets from './activity-options';
import { abTestManifest } from './ab-test.manifest';
import { createApprovalGate, type ApprovalPolicy } from './approval';
import { ProgressTracker, progressQuery } from './progress';

export interface AbTestInput {
  workspaceId: string;
  brandId: string;
  experimentId: string;
  approval: ApprovalPolicy;
  /** Carried from the previous run when the workflow continued as new. */
  carried?: Carried;
}

interface Carried {
  started: StartedExperiment;
  startedAtMs: number;
  maxDurationMs: number;
  sequential?: SequentialState[];
  paused: boolean;
  evaluations: number;
  rounds: number;
}

export interface AbTestResult {
  status: 'promoted' | 'kept-control' | 'stopped';
  promoted: string | null;
  reasons: string[];
  evaluations: number;
  url?: string;
}

export interface ControlRequest {
  action: 'pause' | 'resume' | 'stop' | 'extend';
  /** For `extend`: days added to the maximum duration. */
  days?: number;
  by?: string;
}

export const controlUpdate = defineUpdate<{ accepted: ControlRequest['action'] }, [ControlRequest]>('control');

/** Evaluations per run before continuing as new. */
const EVALUATIONS_PER_RUN = 300;
const DAY_MS = 86_400_000;
/** The workflow's clock: the time of the current workflow task, the same on replay. */
const workflowNow = () => new Date().getTime();

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
function summaryOf(e: Evaluation): string {
  const variants = e.variants
    .map((v) => `${v.key} ${v.conversions}/${v.exposures} (${pct(v.rate)}, ${pct(v.chanceToBeBest)} to be best)`)
    .join(' · ');
  return `${variants} — ${e.reasons[0] ?? e.action}`;
}

export async function abTestWorkflow(input: AbTestInput): Promise<AbTestResult> {
  const tracker = new ProgressTracker(abTestManifest.automation, abTestManifest.steps);
  setHandler(progressQuery, () => tracker.snapshot());
  const gate = createApprovalGate<VerdictChoice>(tracker, verdictEditRules);
  const { workflowId } = workflowInfo();
  const ref = { workspaceId: input.workspaceId, experimentId: input.experimentId };
  const { startExperiment, evaluateExperiment, setExperimentStatus, concludeExperiment, publishToLocalChannel } =
    activitiesOn('main', presets.quick);

  let state: Carried;
  const requests: ControlRequest[] = [];
  let stopped: ControlRequest | null = null;

  setHandler(
    controlUpdate,
    (request) => {
      // Accepted by the validator (or recorded, on replay): queue it for the loop.
      if (request.action === 'stop') stopped = request;
      else requests.push(request);
      return { accepted: request.action };
    },
    {
      validator: (request) => {
        if (stopped) throw failure('InvalidInput', 'The experiment is stopping');
        if (request.action === 'extend') {
          const days = request.days;
          if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_EXTEND_DAYS)
            throw failure('InvalidInput', `days must be a whole number from 1 to ${MAX_EXTEND_DAYS}`);
        }
        // Paused once the requests already accepted are applied.
        const paused = requests.reduce(
          (p, r) => (r.action === 'pause' ? true : r.action === 'resume' ? false : p),
          state?.paused ?? false,
        );
        if (request.action === 'pause' && paused) throw failure('InvalidInput', 'The experiment is already paused');
        if (request.action === 'resume' && !paused) throw failure('InvalidInput', 'The experiment is not paused');
      },
    },
  );

  try {
    if (input.carried) {
      state = input.carried;
      tracker.done('start', `${state.started.name}: ${state.started.keys.length} variants`);
    } else {
      tracker.start('start');
      const started = await startExperiment({ ...ref, workflowId });
      state = {
        started,
        startedAtMs: workflowNow(),
        maxDurationMs: started.maxDurationDays * DAY_MS,
        paused: false,
        evaluations: 0,
        rounds: 0,
      };
      tracker.done('start', `${started.name}: ${started.keys.length} variants, control ${started.control}`);
    }
    const everyMs = state.started.evaluateEveryMinutes * 60_000;
    let evaluationsThisRun = 0;
    let last: Evaluation | null = null;

    /** Applies queued control requests; pausing and resuming also change the experiment's status. */
    const applyRequests = async () => {
      while (requests.length > 0) {
        const request = requests.shift()!;
        if (request.action === 'extend') state.maxDurationMs += (request.days ?? 0) * DAY_MS;
        else if (request.action === 'pause' && !state.paused) {
          state.paused = true;
          await setExperimentStatus({ ...ref, status: 'paused' });
        } else if (request.action === 'resume' && state.paused) {
          state.paused = false;
          await setExperimentStatus({ ...ref, status: 'running' });
        }
      }
    };

    for (;;) {
      tracker.start('evaluate', state.paused ? 'Paused' : undefined);
      // Evaluate until a verdict (or a stop), sleeping on a durable timer that a control request wakes.
      let verdict: Evaluation | null = null;
      while (!verdict && !stopped) {
        const woken = () => requests.length > 0 || stopped !== null;
        if (state.paused) await condition(woken);
        else await condition(woken, everyMs);
        await applyRequests();
        if (stopped || state.paused) {
          if (state.paused) tracker.waiting('evaluate', 'Paused: resume it to go on counting', 'Paused');
          continue;
        }
        const evaluation = await evaluateExperiment({
          ...ref,
          elapsedMs: workflowNow() - state.startedAtMs,
          maxDurationMs: state.maxDurationMs,
          sequential: state.sequential,
        });
        last = evaluation;
        state.sequential = evaluation.sequential;
        state.evaluations += 1;
        evaluationsThisRun += 1;
        tracker.setCounts(
          Object.fromEntries(evaluation.variants.map((v) => [v.key, v.exposures])),
          summaryOf(evaluation),
        );
        if (evaluation.action === 'pause-srm') {
          state.paused = true;
          await setExperimentStatus({ ...ref, status: 'paused' });
          tracker.waiting(
            'evaluate',
            `Sample ratio mismatch: ${last.reasons.join('; ')}`,
            'Paused: sample ratio mismatch',
          );
        } else if (last.action !== 'continue') verdict = last;
        else if (evaluationsThisRun >= EVALUATIONS_PER_RUN || workflowInfo().continueAsNewSuggested) {
          await condition(allHandlersFinished);
          await continueAsNew<typeof abTestWorkflow>({ ...input, carried: state });
        }
      }

      if (stopped) {
        tracker.done(
          'evaluate',
          `Stopped${(stopped as ControlRequest).by ? ` by ${(stopped as ControlRequest).by}` : ''}`,
        );
        tracker.skip('decision', 'Stopped before a verdict');
        tracker.start('conclude');
        await concludeExperiment({ ...ref, promoted: null, outcome: 'stopped', by: (stopped as ControlRequest).by });
        tracker.done('conclude', 'Stopped: the control stays');
        tracker.complete('Stopped before a verdict; the control stays');
        await condition(allHandlersFinished);
        return { status: 'stopped', promoted: null, reasons: last?.reasons ?? [], evaluations: state.evaluations };
      }

      tracker.done('evaluate', summaryOf(verdict!));
      state.rounds += 1;
      const outcome = await gate.request({
        id: `verdict-${state.rounds}`,
        step: 'decision',
        title: verdict!.winner ? `Promote ${verdict!.winner}?` : 'No winner: keep the control?',
        content: {
          promote: verdict!.winner ?? state.started.control,
          extendDays: 0,
          keys: state.started.keys,
          control: state.started.control,
          action: verdict!.action,
          reasons: verdict!.reasons,
        },
        policy: input.approval,
      });
      if (outcome.result !== 'rejected' && outcome.content.extendDays > 0) {
        // Extended: back to counting with a later maximum.
        state.maxDurationMs =
          Math.max(state.maxDurationMs, workflowNow() - state.startedAtMs) + outcome.content.extendDays * DAY_MS;
        continue;
      }
      const promoted = outcome.result === 'rejected' ? state.started.control : outcome.content.promote;
      const keptControl = promoted === state.started.control;
      tracker.start('conclude');
      const concluded = await concludeExperiment({
        ...ref,
        promoted,
        outcome: keptControl ? 'kept-control' : 'promoted',
        by: outcome.by,
      });
      tracker.done('conclude', keptControl ? 'The control stays' : `${promoted} promoted`);

      let url: string | undefined;
      if (!keptControl && concluded.kind === 'post' && concluded.content) {
        tracker.start('promote');
        const content = concluded.content as { caption: string; callToAction: string; hashtags: string[] };
        const published = await publishToLocalChannel({
          idempotencyKey: `${workflowId}/promote`,
          workflowId,
          workspaceId: input.workspaceId,
          brandId: input.brandId,
          platform: concluded.post.platform,
          postType: concluded.post.postType,
          copy: { ...content, altText: '' },
          imageKey: null,
        });
        url = published.url;
        tracker.done('promote', 'Published on the brand channel', 'local');
        tracker.artifact({ kind: 'link', url, title: 'Promoted post', step: 'promote' });
      } else tracker.skip('promote', keptControl ? 'The control stays' : 'Not a post experiment');

      const summary = keptControl ? 'The control stays' : `${promoted} promoted`;
      tracker.complete(summary);
      await condition(allHandlersFinished);
      return {
        status: keptControl ? 'kept-control' : 'promoted',
        promoted,
        reasons: verdict!.reasons,
        evaluations: state.evaluations,
        ...(url ? { url } : {}),
      };
    }
  } catch (err) {
    const cancelled = isCancellation(err);
    tracker.failRunning(cancelled ? 'Cancelled' : failureMessage(err), cancelled ? 'cancelled' : 'failed');
    throw err;
  }
}
