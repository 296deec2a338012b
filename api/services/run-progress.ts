/** A run's `progress` as the API serves it: the workflow's own, plus what only Temporal and the manifest know. */
import type { WorkflowExecutionDescription } from '@temporalio/client';
import { approvalKind, type RunManifest } from '../../workflows/manifest';
import type { PendingApproval, Progress } from '../../workflows/progress';
import { heartbeatPercent } from '../temporal/heartbeat';

/** A pending approval with the kind of content it asks about (the UI's editor), from the automation's manifest. */
export interface RunApproval extends PendingApproval {
  kind?: string;
}

export interface RunProgress extends Omit<Progress, 'approvals'> {
  approvals: RunApproval[];
}

/**
 * Activity retries and heartbeat progress live in Temporal, not in the workflow's state: add them to the steps they
 * belong to.
 */
function withPendingActivities(
  progress: Progress,
  description: WorkflowExecutionDescription,
  manifest: RunManifest,
): Progress {
  const pending = description.raw.pendingActivities ?? [];
  if (pending.length === 0) return progress;
  const enriched = progress.steps.map((step) => ({ ...step }));
  for (const activity of pending) {
    const stepName = manifest.activitySteps[activity.activityType?.name ?? ''];
    const step = enriched.find((s) => s.name === stepName);
    if (!step || step.status !== 'running') continue;
    const percent = heartbeatPercent(activity.heartbeatDetails?.payloads);
    if (percent !== undefined) step.percent = Math.max(step.percent ?? 0, percent);
    const attempt = activity.attempt ?? 1;
    if (attempt > 1) {
      step.attempt = Math.max(step.attempt, attempt);
      const reason = activity.lastFailure?.message;
      step.detail = `Retrying (attempt ${attempt})${reason ? `: ${reason}` : ''}`;
    }
  }
  return { ...progress, steps: enriched };
}

function withApprovalKinds(progress: Progress, manifest: RunManifest): RunProgress {
  if (progress.approvals.length === 0) return progress;
  return {
    ...progress,
    approvals: progress.approvals.map((approval) => {
      const kind = approvalKind(manifest, approval.step);
      return kind ? { ...approval, kind } : approval;
    }),
  };
}

export function runProgress(
  progress: Progress,
  description: WorkflowExecutionDescription,
  manifest: RunManifest | undefined,
): RunProgress {
  if (!manifest) return progress;
  return withApprovalKinds(withPendingActivities(progress, description, manifest), manifest);
}
