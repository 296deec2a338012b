/**
 * Runs that walk the branches of each workflow worth keeping as recorded histories (test/histories), replayed against
 * today's code by test/integration/replay.test.ts. Each returns the run's workflow id and its history as the Temporal
 * CLI exports it. Record with `RECORD_HISTORIES=<name>[,<name>…] npx jest --testPathPatterns replay`.
 */
import { randomUUID } from 'node:crypto';
import { createLeadRepository } from '../../db/repositories/lead.repository';
import type { LeadFields } from '../../lib/leads/lead-fields';
import { AutomationKey, WorkspaceIdKey } from '../../temporal/search-attributes';
import {
  accountMaintenanceWorkflow,
  leadEnrichmentBatchWorkflow,
  brandReportWorkflow,
  passwordResetWorkflow,
  socialPostWorkflow,
  videoAnalyticsWorkflow,
} from '../../workflows';
import { waitFor, waitForRun, type TestStack } from './harness';
import { approvalUrl, decide, enc, exportHistory, startRun, step, type Recorder } from './history-recorder-kit';
import {
  abTestPromote,
  abTestStop,
  calendarAnalytics,
  calendarContinue,
  calendarGeneration,
} from './history-recorders-long-lived';
import { prepareReportBrand } from './report-setup';

const socialPost = async (stack: TestStack, approval: Record<string, unknown>, format?: string) =>
  startRun(stack, 'social-post', {
    brandId: (await stack.brand({ name: `Replay Roasters ${Date.now()}` })).id,
    platform: 'x',
    postType: 'tips',
    topic: 'pour-over ratios',
    approval,
    ...(format ? { format } : {}),
  });

const video = async (stack: TestStack, input: Record<string, unknown>) => {
  const grant = await stack.request('POST', '/api/v1/credits/grants', { amount: 20, note: 'replay' });
  if (grant.status !== 201) throw new Error(`grant: ${grant.status}`);
  return startRun(stack, 'video', {
    brandId: (await stack.brand({ name: `Replay Ramen ${Date.now()}` })).id,
    brief: { topic: 'Slow-simmered broth' },
    targetSeconds: 15,
    ...input,
  });
};

/** A social post through a refused edit, an accepted edit, a re-render and publishing. */
const socialPostEditApprove: Recorder = async (stack) => {
  const id = await socialPost(stack, { required: true, timeoutSeconds: 600, onTimeout: 'reject' });
  const url = await approvalUrl(stack, id);
  await decide(stack, url, { action: 'edit', edits: { caption: 'y'.repeat(300) } }, 400);
  await decide(stack, url, {
    action: 'edit',
    edits: { caption: 'Use 1:16 coffee to water. Taste, then adjust one variable at a time.' },
  });
  await waitForRun(stack, id, (r) => r.status === 'completed');
  return exportHistory(stack, id);
};

/** A social post rejected at approval: nothing published. */
const socialPostReject: Recorder = async (stack) => {
  const id = await socialPost(stack, { required: true, timeoutSeconds: 600, onTimeout: 'approve' });
  await decide(stack, await approvalUrl(stack, id), { action: 'reject', comment: 'Off brand' });
  await waitForRun(stack, id, (r) => r.status === 'completed');
  return exportHistory(stack, id);
};

/** A social post nobody decides on, whose policy is to fail: the run fails with ApprovalTimeout. */
const socialPostTimeoutFail: Recorder = async (stack) => {
  const id = await socialPost(stack, { required: true, timeoutSeconds: 2, onTimeout: 'fail' });
  await waitForRun(stack, id, (r) => r.status === 'failed', 60_000);
  return exportHistory(stack, id);
};

/**
 * A social post published without approval through its per-platform children (patch `publish-to-platforms`): the
 * brand has no X account and the deployment no X keys, so only the brand's channel is a target.
 */
async function socialPostPublished(stack: TestStack): Promise<string> {
  const id = await socialPost(stack, { required: false, timeoutSeconds: 60, onTimeout: 'approve' });
  const done = await waitForRun(stack, id, (r) => r.status === 'completed' || r.status === 'failed', 90_000);
  if (done.status !== 'completed' || done.result.publications?.length !== 1)
    throw new Error(`social post: ${done.status} ${JSON.stringify(done.result)}`);
  return id;
}

const socialPostPublishPlatforms: Recorder = async (stack) => exportHistory(stack, await socialPostPublished(stack));

/** A carousel (patch `post-carousel`): slides rendered, an edit renders them again, all published on the channel. */
const socialPostCarousel: Recorder = async (stack) => {
  const id = await socialPost(stack, { required: true, timeoutSeconds: 600, onTimeout: 'reject' }, 'carousel');
  await decide(stack, await approvalUrl(stack, id), {
    action: 'edit',
    edits: { caption: 'Better pour-over. Weigh 1:16. Bloom 30 s. Pour in circles.' },
  });
  const done = await waitForRun(stack, id, (r) => r.status === 'completed' || r.status === 'failed', 90_000);
  if (done.status !== 'completed') throw new Error(`carousel: ${done.status} ${JSON.stringify(done.result)}`);
  return exportHistory(stack, id);
};

/** The child that publishes a social post on the brand's channel (postPublishWorkflow). */
const postPublishLocal: Recorder = async (stack) =>
  exportHistory(stack, `${await socialPostPublished(stack)}/publish/local`);

/** A brand report edited (recipients, subject) at approval and mailed. */
const brandReportEditSend: Recorder = async (stack) => {
  const { brand } = await prepareReportBrand(stack, { name: `Replay Skincare ${Date.now()}` });
  const id = await startRun(stack, 'brand-report', {
    brandId: brand.id,
    recipients: ['cmo@replay.example'],
    approval: { required: true, timeoutSeconds: 600 },
  });
  const url = await approvalUrl(stack, id);
  await decide(stack, url, { action: 'edit', edits: { recipients: [] } }, 400);
  await decide(stack, url, {
    action: 'edit',
    edits: { subject: 'Your brand diagnosis', recipients: ['ceo@replay.example'] },
  });
  const done = await waitForRun(stack, id, (r) => r.status === 'completed', 90_000);
  if (done.result.status !== 'sent') throw new Error(`report: ${done.result.status}`);
  return exportHistory(stack, id);
};

/** A brand report rejected at approval: kept, not mailed. */
const brandReportReject: Recorder = async (stack) => {
  const { brand } = await prepareReportBrand(stack, { name: `Replay Rejected ${Date.now()}` });
  const id = await startRun(stack, 'brand-report', {
    brandId: brand.id,
    recipients: ['cmo@replay.example'],
    approval: { required: true, timeoutSeconds: 600 },
  });
  await decide(stack, await approvalUrl(stack, id), { action: 'reject' });
  await waitForRun(stack, id, (r) => r.status === 'completed', 90_000);
  return exportHistory(stack, id);
};

/** A 15 s video: a refused script edit, an accepted one, rendered and published on the channel. */
const videoEditPublish: Recorder = async (stack) => {
  const id = await video(stack, { approval: { required: true, timeoutSeconds: 600 } });
  const url = await approvalUrl(stack, id);
  await decide(stack, url, { action: 'edit', edits: { scenes: { 9: { visual: 'x' } } } }, 400);
  await decide(stack, url, { action: 'edit', edits: { title: 'Twelve hours of broth' } });
  const done = await waitForRun(stack, id, (r) => r.status === 'completed', 120_000);
  if (done.result.status !== 'published') throw new Error(`video: ${done.result.status}`);
  return exportHistory(stack, id);
};

/**
 * A 15 s German video on a brief full of numbers: the script recorded, measured and corrected before approval
 * (lib/video/length-fit.ts), a narration edit brought back to length by the rate alone, rendered and published.
 */
const videoLengthFit: Recorder = async (stack) => {
  const id = await video(stack, {
    brief: { topic: 'Nur 1.299,99 € für 12 Monate, z.B. 3–5 Termine pro Woche', language: 'de' },
    approval: { required: true, timeoutSeconds: 600 },
  });
  const url = await approvalUrl(stack, id);
  await decide(stack, url, {
    action: 'edit',
    edits: { 'scenes.0.narration': 'Heute: 1.299,99 € für 12 Monate Coaching, mit 3–5 Terminen pro Woche.' },
  });
  const done = await waitForRun(stack, id, (r) => r.status === 'completed', 180_000);
  if (done.result.status !== 'published') throw new Error(`video: ${done.result.status}`);
  return exportHistory(stack, id);
};

/**
 * A 15 s video whose steps overlap: the draft's frames drawn while its narration is measured, one scene's on-screen
 * text edited at approval (that frame drawn again), the metadata written while the render runs; published.
 */
const videoStepsOverlap: Recorder = async (stack) => {
  const id = await video(stack, { approval: { required: true, timeoutSeconds: 600 } });
  const url = await approvalUrl(stack, id);
  await decide(stack, url, { action: 'edit', edits: { 'scenes.1.onScreenText': 'Twelve hours, no shortcuts' } });
  const done = await waitForRun(stack, id, (r) => r.status === 'completed', 120_000);
  if (done.result.status !== 'published') throw new Error(`video: ${done.result.status}`);
  return exportHistory(stack, id);
};

/** A video whose script is rejected: the reservation is released, nothing rendered. */
const videoReject: Recorder = async (stack) => {
  const id = await video(stack, { approval: { required: true, timeoutSeconds: 600 } });
  await decide(stack, await approvalUrl(stack, id), { action: 'reject' });
  await waitForRun(stack, id, (r) => r.status === 'completed', 60_000);
  return exportHistory(stack, id);
};

/** A video cancelled while ffmpeg renders: the render's cancellation completes, the reservation is released. */
const videoCancelRender: Recorder = async (stack) => {
  const id = await video(stack, { targetSeconds: 30, approval: { required: false } });
  await waitForRun(stack, id, (r) => step(r, 'render')?.status === 'running' && step(r, 'render').percent > 0, 180_000);
  const cancel = await stack.request('POST', `/api/v1/runs/${enc(id)}/cancel`);
  if (cancel.status !== 202) throw new Error(`cancel: ${cancel.status}`);
  await waitForRun(stack, id, (r) => r.status === 'cancelled', 60_000);
  return exportHistory(stack, id);
};

/** A brand book indexed into the knowledge base. */
const knowledgeIndex: Recorder = async (stack) => {
  const brand = await stack.brand({ name: `Replay Library ${Date.now()}` });
  const doc = await stack.request('POST', `/api/v1/brands/${brand.id}/documents?filename=book.md`, undefined, {
    raw: '# Replay\n\n## Tone\nCalm, precise and kind.\n\n## Audience\nHome baristas who weigh their coffee.\n',
    headers: { 'content-type': 'text/markdown' },
  });
  if (doc.status !== 202) throw new Error(`upload: ${doc.status}`);
  await waitFor('the document to be indexed', async () => {
    const d = await stack.request('GET', `/api/v1/brands/${brand.id}/documents/${doc.body.id}`);
    return d.body.status === 'indexed';
  });
  return exportHistory(stack, `knowledge-index/${doc.body.id}`);
};

/** Video analytics over a short window, continuing as new every two readings (the last run is kept). */
const videoAnalytics: Recorder = async (stack) => {
  const brand = await stack.brand({ name: `Replay Analytics ${Date.now()}` });
  const workflowId = `video-analytics/replay-${brand.id}`;
  const handle = await stack.client.workflow.start(videoAnalyticsWorkflow, {
    taskQueue: stack.config.temporal.taskQueues.main,
    workflowId,
    args: [
      {
        workspaceId: stack.workspaceId,
        brandId: brand.id,
        publications: [],
        intervalSeconds: 1,
        until: new Date(Date.now() + 4_500).toISOString(),
        readings: 0,
        readingsPerRun: 2,
      },
    ],
  });
  await handle.result();
  return exportHistory(stack, workflowId);
};

/** An invitation email, sent by the account email workflow. */
const invitationEmail: Recorder = async (stack) => {
  const res = await stack.request('POST', '/api/v1/invitations', {
    email: `invitee-${Date.now()}@replay.example`,
    role: 'editor',
  });
  if (res.status !== 201) throw new Error(`invite: ${res.status} ${JSON.stringify(res.body)}`);
  const workflowId = `account-email/invitation/${res.body.id}`;
  await stack.client.workflow.getHandle(workflowId).result();
  return exportHistory(stack, workflowId);
};

/** Cancels a run and waits until it is cancelled. */
async function cancelRun(stack: TestStack, id: string) {
  const cancel = await stack.request('POST', `/api/v1/runs/${enc(id)}/cancel`);
  if (cancel.status !== 202) throw new Error(`cancel: ${cancel.status}`);
  await waitForRun(stack, id, (r) => r.status === 'cancelled', 60_000);
}

/** A run started past the API's checks, on an input that fails its first activity (NotFound, not retried). */
async function startUnchecked(
  stack: TestStack,
  workflow: typeof brandReportWorkflow | typeof socialPostWorkflow,
  input: any,
) {
  const workflowId = `replay-failure/${Date.now()}`;
  const handle = await stack.client.workflow.start(workflow as any, {
    taskQueue: stack.config.temporal.taskQueues.main,
    workflowId,
    args: [input],
  });
  await handle.result().then(
    () => {
      throw new Error('the run was meant to fail');
    },
    () => undefined,
  );
  return workflowId;
}

/** A social post cancelled while it waits for approval: nothing published. */
const socialPostCancelApproval: Recorder = async (stack) => {
  const id = await socialPost(stack, { required: true, timeoutSeconds: 600, onTimeout: 'approve' });
  await approvalUrl(stack, id);
  await cancelRun(stack, id);
  return exportHistory(stack, id);
};

/** A social post whose brand is gone: the first activity fails with NotFound and the run fails. */
const socialPostBrandMissing: Recorder = async (stack) => {
  const id = await startUnchecked(stack, socialPostWorkflow, {
    workspaceId: stack.workspaceId,
    brandId: '00000000-0000-4000-8000-000000000000',
    platform: 'x',
    postType: 'tips',
    approval: { required: false, timeoutSeconds: 60, onTimeout: 'approve' },
  });
  return exportHistory(stack, id);
};

const brandReport = async (stack: TestStack, name: string, approval: Record<string, unknown>) => {
  const { brand } = await prepareReportBrand(stack, { name: `${name} ${Date.now()}` });
  return startRun(stack, 'brand-report', { brandId: brand.id, recipients: ['cmo@replay.example'], approval });
};

/** A brand report cancelled at approval: its row is marked failed in a non-cancellable scope. */
const brandReportCancelApproval: Recorder = async (stack) => {
  const id = await brandReport(stack, 'Replay Cancelled', { required: true, timeoutSeconds: 600 });
  await approvalUrl(stack, id);
  await cancelRun(stack, id);
  return exportHistory(stack, id);
};

/** A brand report nobody approves, whose policy is to fail. */
const brandReportTimeoutFail: Recorder = async (stack) => {
  const id = await brandReport(stack, 'Replay Undecided', { required: true, timeoutSeconds: 2, onTimeout: 'fail' });
  await waitForRun(stack, id, (r) => r.status === 'failed', 90_000);
  return exportHistory(stack, id);
};

/** A brand report on a diagnosis that does not exist: the load fails with NotFound before any row is made. */
const brandReportLoadFails: Recorder = async (stack) => {
  const brand = await stack.brand({ name: `Replay Missing ${Date.now()}` });
  const id = await startUnchecked(stack, brandReportWorkflow, {
    workspaceId: stack.workspaceId,
    brandId: brand.id,
    diagnosisId: '00000000-0000-4000-8000-000000000000',
    recipients: [],
    language: 'en',
    approval: { required: false, timeoutSeconds: 60, onTimeout: 'approve' },
  });
  return exportHistory(stack, id);
};

/** A video whose script nobody approves, with policy fail: the reservation is released and the run fails. */
const videoTimeoutFail: Recorder = async (stack) => {
  const id = await video(stack, { approval: { required: true, timeoutSeconds: 2, onTimeout: 'fail' } });
  await waitForRun(stack, id, (r) => r.status === 'failed', 90_000);
  return exportHistory(stack, id);
};

/** A document deleted from the knowledge base after it was indexed. */
const knowledgeDelete: Recorder = async (stack) => {
  const brand = await stack.brand({ name: `Replay Shredder ${Date.now()}` });
  const doc = await stack.request('POST', `/api/v1/brands/${brand.id}/documents?filename=old.md`, undefined, {
    raw: '# Old\n\n## Tone\nLoud.\n',
    headers: { 'content-type': 'text/markdown' },
  });
  if (doc.status !== 202) throw new Error(`upload: ${doc.status}`);
  await waitFor('the document to be indexed', async () => {
    const d = await stack.request('GET', `/api/v1/brands/${brand.id}/documents/${doc.body.id}`);
    return d.body.status === 'indexed';
  });
  const gone = await stack.request('DELETE', `/api/v1/brands/${brand.id}/documents/${doc.body.id}`);
  if (gone.status !== 204 && gone.status !== 202) throw new Error(`delete: ${gone.status}`);
  const workflowId = `knowledge-delete/${doc.body.id}`;
  await stack.client.workflow.getHandle(workflowId).result();
  return exportHistory(stack, workflowId);
};

/** A password reset for an address with an account: the reset is issued and its link mailed. */
const passwordReset: Recorder = async (stack) => {
  const workflowId = `password-reset/replay-${Date.now()}`;
  const handle = await stack.client.workflow.start(passwordResetWorkflow, {
    taskQueue: stack.config.temporal.taskQueues.main,
    workflowId,
    args: [{ requestId: randomUUID(), email: stack.admin.email }],
  });
  const result = await handle.result();
  if (!result.sent) throw new Error('the reset was not mailed');
  return exportHistory(stack, workflowId);
};

/** One account maintenance run (what the Schedule starts). */
const accountMaintenance: Recorder = async (stack) => {
  const workflowId = `account-maintenance/replay-${Date.now()}`;
  await stack.client.workflow.execute(accountMaintenanceWorkflow, {
    taskQueue: stack.config.temporal.taskQueues.main,
    workflowId,
  });
  return exportHistory(stack, workflowId);
};

/**
 * A lead batch over leads written through the repository: one whose site is on a refused address (loopback, not
 * allow-listed: AddressRefused with no server needed) and email-only ones (nothing to fetch). `runSize` 2 makes the
 * first run continue as new.
 */
async function leadBatch(stack: TestStack, leads: Partial<LeadFields>[]) {
  const created = await createLeadRepository(stack.db).upsertMany(
    stack.workspaceId,
    leads.map((fields, row) => ({ brandId: null, fields, source: { kind: 'api', reference: 'replay', row } })),
  );
  const ids = created.map((c) => c.lead.id);
  const workflowId = `lead-enrichment/${stack.workspaceId}/replay-${randomUUID()}`;
  const handle = await stack.client.workflow.start(leadEnrichmentBatchWorkflow, {
    taskQueue: stack.config.temporal.taskQueues.main,
    workflowId,
    args: [
      {
        workspaceId: stack.workspaceId,
        brandId: null,
        selection: { leadIds: ids },
        concurrency: 2,
        places: false,
        runSize: 2,
      },
    ],
    typedSearchAttributes: [
      { key: WorkspaceIdKey, value: stack.workspaceId },
      { key: AutomationKey, value: 'lead-enrichment' },
    ],
  });
  await stack.client.workflow.getHandle(workflowId).result();
  return { workflowId, firstRunId: handle.firstExecutionRunId, ids };
}

const replayLead = (n: number, website?: string): Partial<LeadFields> => ({
  companyName: `Replay Lead ${n}`,
  emails: [`hello@replay-lead-${n}-${randomUUID().slice(0, 8)}.fr`],
  ...(website ? { website } : {}),
});

/** A batch's first run: the snapshot, a window of two children, continue-as-new. */
const leadBatchContinue: Recorder = async (stack) => {
  const { workflowId, firstRunId } = await leadBatch(stack, [replayLead(1), replayLead(2), replayLead(3)]);
  return exportHistory(stack, workflowId, firstRunId);
};

/** One lead whose site is on a refused address: the failure is the lead's, the research is skipped. */
const leadSiteRefused: Recorder = async (stack) => {
  const { workflowId, ids } = await leadBatch(stack, [replayLead(4, 'http://127.0.0.1:9/')]);
  return exportHistory(stack, `${workflowId}/lead/${ids[0]}`);
};

/** One lead without a site: scored on what it has, the research asked (no model), the callback not configured. */
const leadNoSite: Recorder = async (stack) => {
  const { workflowId, ids } = await leadBatch(stack, [replayLead(5)]);
  return exportHistory(stack, `${workflowId}/lead/${ids[0]}`);
};

/**
 * Histories of code paths new runs no longer take (they sit behind a `patched()` that is now always true): kept so
 * runs started before the patch still replay, and never re-recorded. File → the patch that retired the path.
 */
export const RETIRED_HISTORIES: Record<string, string> = {
  'brand-report-inline-edit-send.json': 'report-by-reference',
  'brand-report-inline-reject.json': 'report-by-reference',
};

/** File name → recorder; the name before `.json` is what RECORD_HISTORIES takes. */
export const RECORDERS: Record<string, Recorder> = {
  'social-post-edit-approve.json': socialPostEditApprove,
  'social-post-reject.json': socialPostReject,
  'social-post-timeout-fail.json': socialPostTimeoutFail,
  'brand-report-edit-send.json': brandReportEditSend,
  'brand-report-reject.json': brandReportReject,
  'brand-report-cancel-approval.json': brandReportCancelApproval,
  'brand-report-timeout-fail.json': brandReportTimeoutFail,
  'brand-report-load-fails.json': brandReportLoadFails,
  'social-post-cancel-approval.json': socialPostCancelApproval,
  'social-post-brand-missing.json': socialPostBrandMissing,
  'video-timeout-fail.json': videoTimeoutFail,
  'video-edit-publish.json': videoEditPublish,
  'video-length-fit.json': videoLengthFit,
  'video-steps-overlap.json': videoStepsOverlap,
  'video-reject.json': videoReject,
  'video-cancel-render.json': videoCancelRender,
  'knowledge-index.json': knowledgeIndex,
  'video-analytics.json': videoAnalytics,
  'account-invitation-email.json': invitationEmail,
  'account-password-reset.json': passwordReset,
  'account-maintenance.json': accountMaintenance,
  'knowledge-delete.json': knowledgeDelete,
  'lead-batch-continue.json': leadBatchContinue,
  'lead-enrichment-site-refused.json': leadSiteRefused,
  'lead-enrichment-no-site.json': leadNoSite,
  'ab-test-promote.json': abTestPromote,
  'ab-test-stop.json': abTestStop,
  'calendar-continue.json': calendarContinue,
  'calendar-generation.json': calendarGeneration,
  'calendar-analytics.json': calendarAnalytics,
  'social-post-publish-platforms.json': socialPostPublishPlatforms,
  'post-publish-local.json': postPublishLocal,
  'social-post-carousel.json': socialPostCarousel,
};
