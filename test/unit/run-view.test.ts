/**
 * The run view's pure parts: the failure chain read through Temporal's wrappers, the manifests the workflows and the
 * API share, approval kinds and pending activities folded into progress, and list filters as a visibility query.
 */
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, RetryState } from '@temporalio/common';
import type { WorkflowExecutionDescription } from '@temporalio/client';
import { failureMessage, unwrapFailure } from '../../lib/failure-chain';
import { runProgress } from '../../api/services/run-progress';
import { RUN_STATUSES, statusOf } from '../../api/temporal/run-status';
import { runsVisibilityQuery } from '../../api/temporal/visibility-query';
import { brandReportManifest } from '../../workflows/brand-report.manifest';
import { socialPostManifest } from '../../workflows/social-post.manifest';
import { videoPipelineManifest } from '../../workflows/video-pipeline.manifest';
import type { Progress } from '../../workflows/progress';

const activityFailure = (cause: Error) =>
  new ActivityFailure('Activity task failed', 'renderVideo', '1', RetryState.NON_RETRYABLE_FAILURE, 'w', cause);

describe('failure chain', () => {
  const app = ApplicationFailure.create({ message: 'ffmpeg exited with 1', type: 'ToolFailed' });

  it('unwraps activity and child workflow wrappers down to the failure that names the cause', () => {
    expect(unwrapFailure(activityFailure(app))).toBe(app);
    const child = new ChildWorkflowFailure(
      'ns',
      { workflowId: 'video/b/r/publish/local', runId: '1' },
      'videoPublishWorkflow',
      RetryState.NON_RETRYABLE_FAILURE,
      activityFailure(app),
    );
    expect(unwrapFailure(child)).toBe(app);
    expect(unwrapFailure(app)).toBe(app);
    expect(unwrapFailure('plain')).toBe('plain');
  });

  it('gives the innermost meaningful message, at most five causes deep', () => {
    expect(failureMessage(activityFailure(app))).toBe('ffmpeg exited with 1');
    expect(failureMessage(new Error('outer', { cause: new Error('inner') }))).toBe('inner');
    expect(failureMessage('a string')).toBe('a string');
    let deep: Error = new Error('level 6');
    for (let i = 5; i >= 1; i -= 1) deep = new Error(`level ${i}`, { cause: deep });
    expect(failureMessage(deep)).toBe('level 5');
    expect(failureMessage(activityFailure(new Error('')))).toBe('Activity task failed');
  });
});

describe('manifests', () => {
  it.each([socialPostManifest, brandReportManifest, videoPipelineManifest])(
    '$automation maps activities and approvals onto its own steps',
    (manifest) => {
      const steps = new Set(manifest.steps.map((s) => s.name));
      expect(steps.size).toBe(manifest.steps.length);
      for (const step of Object.values(manifest.activitySteps)) expect(steps).toContain(step);
      for (const step of Object.keys(manifest.approvals)) expect(steps).toContain(step);
      for (const row of manifest.details) expect(row.value).toMatch(/^(input|result)\.\w+/);
    },
  );
});

describe('run progress', () => {
  const progress: Progress = {
    automation: 'video',
    phase: 'running',
    steps: [
      { name: 'script', title: 'Write script', status: 'done', attempt: 1 },
      { name: 'approval', title: 'Approve script', status: 'waiting', attempt: 1 },
      { name: 'render', title: 'Render video', status: 'running', attempt: 1 },
    ],
    artifacts: [],
    approvals: [
      {
        id: 'script-1',
        step: 'approval',
        title: 'Approve the script',
        content: {},
        actions: ['approve'],
        onTimeout: 'reject',
      },
    ],
    summary: '',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
  const description = (pendingActivities: unknown[]) =>
    ({ raw: { pendingActivities } }) as unknown as WorkflowExecutionDescription;

  it('gives each pending approval the kind its manifest names for the step', () => {
    const served = runProgress(progress, description([]), videoPipelineManifest);
    expect(served.approvals[0].kind).toBe('video-script');
    expect(progress.approvals[0]).not.toHaveProperty('kind');
    expect(runProgress(progress, description([]), undefined)).toBe(progress);
  });

  it('puts a retrying activity on the step its manifest maps it to', () => {
    const served = runProgress(
      progress,
      description([{ activityType: { name: 'renderVideo' }, attempt: 3, lastFailure: { message: 'ffmpeg died' } }]),
      videoPipelineManifest,
    );
    const render = served.steps.find((s) => s.name === 'render')!;
    expect(render.attempt).toBe(3);
    expect(render.detail).toBe('Retrying (attempt 3): ffmpeg died');
    expect(progress.steps[2].attempt).toBe(1);
  });
});

describe('Temporal plumbing', () => {
  it('names execution statuses and reads an unknown one as running', () => {
    expect(statusOf(4)).toBe('cancelled');
    expect(statusOf(undefined)).toBe('running');
    expect(RUN_STATUSES).toContain('timed_out');
  });

  it('quotes every filter value of a visibility query', () => {
    expect(runsVisibilityQuery({ workspaceId: "w'1", automation: 'video', brandId: 'b\\2', status: 'cancelled' })).toBe(
      "WorkspaceId = 'w\\'1' AND ParentWorkflowId IS NULL AND Automation = 'video' AND BrandId = 'b\\\\2' AND ExecutionStatus = 'Canceled'",
    );
  });
});
