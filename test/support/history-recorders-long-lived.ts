/**
 * Recorders of the long-lived workflows: the A/B test (promoted, stopped) and the editorial calendar (with a
 * continue-as-new), its daily generation and hourly analytics. Listed in history-recorders.ts.
 */
import { randomUUID } from 'node:crypto';
import { formatLocal, toLocal } from '../../lib/calendar/wall-clock';
import { AutomationKey, WorkspaceIdKey } from '../../temporal/search-attributes';
import { calendarAnalyticsWorkflow, calendarGenerationWorkflow, editorialCalendarWorkflow } from '../../workflows';
import { calendarWorkflowId } from '../../workflows/editorial-calendar-messages';
import { waitFor, waitForRun, type TestStack } from './harness';
import { approvalUrl, decide, exportHistory, startRun, step, type Recorder } from './history-recorder-kit';

/** A free-form experiment evaluated every 3 s, decided on a small sample: what the A/B recorders run. */
async function abExperiment(stack: TestStack, name: string) {
  const brand = await stack.brand({ name: `Replay Split ${Date.now()}` });
  const created = await stack.request('POST', '/api/v1/experiments', {
    brandId: brand.id,
    name,
    hypothesis: 'The short headline converts better',
    kind: 'free',
    variants: [
      { key: 'A', name: 'Long', weight: 50, content: { headline: 'A long headline' } },
      { key: 'B', name: 'Short', weight: 50, content: { headline: 'Short' } },
    ],
    config: { minSamplePerVariant: 50, minDurationHours: 0, evaluateEveryMinutes: 0.05, maxDurationDays: 1 },
  });
  if (created.status !== 201) throw new Error(`experiment: ${created.status} ${JSON.stringify(created.body)}`);
  const id = await startRun(stack, 'ab-test', {
    experimentId: created.body.id,
    approval: { required: true, timeoutSeconds: 600, onTimeout: 'reject' },
  });
  return { id, experimentId: created.body.id as string };
}

/** An A/B test through evaluations to a winner (B converts far more), approved: the winner promoted. */
export const abTestPromote: Recorder = async (stack) => {
  const { id, experimentId } = await abExperiment(stack, 'Replay promote');
  await waitForRun(stack, id, (r) => step(r, 'start')?.status === 'done', 60_000);
  const events = [];
  for (let i = 0; i < 400; i++) {
    const unit = `replay-${i}`;
    events.push({ eventId: `x-${i}`, unit, type: 'exposure' });
  }
  await stack.request('POST', `/api/v1/experiments/${experimentId}/events`, events);
  const { body } = await stack.request('GET', `/api/v1/experiments/${experimentId}`);
  const keyOf = new Map<string, string>();
  for (let i = 0; i < 400; i++) {
    const res = await stack.request('GET', `/api/v1/experiments/${experimentId}/assignment?unit=replay-${i}`);
    keyOf.set(`replay-${i}`, res.body.variant.key);
  }
  // B's units convert one in two, A's one in twenty.
  const conversions = [...keyOf].filter(([, key], i) => (key === 'B' ? i % 2 === 0 : i % 20 === 0));
  await stack.request(
    'POST',
    `/api/v1/experiments/${experimentId}/events`,
    conversions.map(([unit]) => ({ eventId: `c-${unit}`, unit, type: 'conversion' })),
  );
  if (body.stats.length !== 2) throw new Error('experiment stats');
  await decide(stack, await approvalUrl(stack, id), { action: 'approve' });
  await waitForRun(stack, id, (r) => r.status === 'completed', 60_000);
  return exportHistory(stack, id);
};

/** An A/B test paused, resumed, then stopped before any verdict. */
export const abTestStop: Recorder = async (stack) => {
  const { id, experimentId } = await abExperiment(stack, 'Replay stop');
  await waitForRun(stack, id, (r) => step(r, 'start')?.status === 'done', 60_000);
  const control = (body: Record<string, unknown>) =>
    stack.request('POST', `/api/v1/experiments/${experimentId}/control`, body);
  for (const request of [
    { action: 'pause' },
    { action: 'resume' },
    { action: 'extend', days: 2 },
    { action: 'stop' },
  ]) {
    const res = await control(request);
    if (res.status !== 200) throw new Error(`control ${request.action}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  await waitForRun(stack, id, (r) => r.status === 'completed', 60_000);
  return exportHistory(stack, id);
};

const calendarAttributes = (stack: TestStack, automation: string) => [
  { key: WorkspaceIdKey, value: stack.workspaceId },
  { key: AutomationKey, value: automation },
];

/**
 * A brand's calendar run through one of each: an entry published at its time, one moved before its time (its old
 * timer claims nothing, it publishes at the new one), one cancelled; `runSize` 8 makes it continue as new once they
 * are done. The first run's history, which ends in the continue-as-new.
 */
export const calendarContinue: Recorder = async (stack) => {
  const zone = 'Europe/Rome';
  await stack.request('PUT', '/api/v1/calendar/settings', { timeZone: zone });
  const brand = await stack.brand({ name: `Replay Calendar ${randomUUID().slice(0, 6)}` });
  const workflowId = calendarWorkflowId(brand.id);
  const handle = await stack.client.workflow.start(editorialCalendarWorkflow, {
    taskQueue: stack.config.temporal.taskQueues.main,
    workflowId,
    args: [
      { workspaceId: stack.workspaceId, brandId: brand.id, checkLeadSeconds: 2, refreshSeconds: 3600, runSize: 8 },
    ],
    typedSearchAttributes: calendarAttributes(stack, 'editorial-calendar'),
  });
  const localIn = (seconds: number) => formatLocal(toLocal(Date.now() + seconds * 1000, zone));
  const create = async (seconds: number, topic: string) => {
    const res = await stack.request('POST', '/api/v1/calendar/entries', {
      brandId: brand.id,
      localAt: localIn(seconds),
      topic,
      status: 'scheduled',
    });
    if (res.status !== 201) throw new Error(`calendar entry: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const published = await create(5, 'Replay published');
  const moved = await create(6, 'Replay moved');
  const move = await stack.request('PATCH', `/api/v1/calendar/entries/${moved.id}`, {
    version: moved.version,
    localAt: localIn(10),
  });
  if (move.status !== 200) throw new Error(`move: ${move.status} ${JSON.stringify(move.body)}`);
  const cancelled = await create(7, 'Replay cancelled');
  await stack.request('POST', `/api/v1/calendar/entries/${cancelled.id}/cancel`, { version: cancelled.version });
  for (const id of [published.id, moved.id])
    await waitFor(
      `calendar entry ${id} published`,
      async () => (await stack.request('GET', `/api/v1/calendar/entries/${id}`)).body.status === 'published',
      90_000,
    );
  await waitFor(
    'the calendar continued as new',
    async () => (await handle.describe()).runId !== handle.firstExecutionRunId,
    60_000,
  );
  const recorded = exportHistory(stack, workflowId, handle.firstExecutionRunId);
  await stack.client.workflow.getHandle(workflowId).terminate('recorded');
  return recorded;
};

/** The daily generation of a workspace with one brand: its drafts for the coming days. */
export const calendarGeneration: Recorder = async (stack) => {
  await stack.brand({ name: `Replay Drafts ${randomUUID().slice(0, 6)}` });
  const workflowId = `calendar-generation/${stack.workspaceId}/replay-${randomUUID()}`;
  await stack.client.workflow.execute(calendarGenerationWorkflow, {
    taskQueue: stack.config.temporal.taskQueues.main,
    workflowId,
    args: [{ workspaceId: stack.workspaceId }],
    typedSearchAttributes: calendarAttributes(stack, 'calendar-generation'),
  });
  return exportHistory(stack, workflowId);
};

/** The hourly analytics over the workspace's brands. */
export const calendarAnalytics: Recorder = async (stack) => {
  const workflowId = `calendar-analytics/${stack.workspaceId}/replay-${randomUUID()}`;
  await stack.client.workflow.execute(calendarAnalyticsWorkflow, {
    taskQueue: stack.config.temporal.taskQueues.main,
    workflowId,
    args: [{ workspaceId: stack.workspaceId }],
    typedSearchAttributes: calendarAttributes(stack, 'calendar-analytics'),
  });
  return exportHistory(stack, workflowId);
};
