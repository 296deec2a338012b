/**
 * An A/B test whose worker process is SIGKILLed in the middle of an evaluation: the evaluation has read the counts
 * and computed its decision, and is held (a lock the test takes on the experiment's row) while writing it. Events keep
 * coming through the API during the held evaluation and while no worker runs. A new worker retries the evaluation;
 * the experiment reaches its verdict once, counting every event, with one row per evaluation the run made.
 */
import { type ChildProcess } from 'node:child_process';
import { QueryTypes, type Transaction } from 'sequelize';
import { abTraffic, evaluationsOf } from '../support/ab-traffic';
import { startTestStack, waitFor, waitForRun, type TestStack } from '../support/harness';
import { kill, spawnWorker } from '../support/worker-process';

let stack: TestStack;
let lock: Transaction | undefined;
const children: ChildProcess[] = [];

/** A real worker process for the main queue (the A/B test's activities all run there), like `npm run worker:main`. */
function spawnMainWorker(): ChildProcess {
  const child = spawnWorker('main.worker.ts', {
    ...stack.env,
    TEMPORAL_WORKFLOW_BUNDLE: process.env.STUDIOFLOW_TEST_WORKFLOW_BUNDLE,
    LOG_LEVEL: 'error',
  });
  children.push(child);
  return child;
}

beforeAll(async () => {
  stack = await startTestStack('ab-crash', { workers: [] });
});
afterAll(async () => {
  await lock?.rollback().catch(() => undefined);
  await Promise.all(children.map(kill));
  await stack?.stop();
});

/** Sessions waiting for the lock the test's session `holder` has: the evaluation's write of the decision. */
async function blockedBy(holder: number): Promise<string[]> {
  const rows = await stack.db.sequelize.query<{ query: string }>(
    'SELECT query FROM pg_stat_activity WHERE :holder = ANY(pg_blocking_pids(pid))',
    { replacements: { holder }, type: QueryTypes.SELECT },
  );
  return rows.map((r) => r.query);
}

/** Per evaluateExperiment activity of the run's history: the attempt that started last, and whether it completed. */
async function evaluationActivities(workflowId: string) {
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  const byScheduled = new Map<string, { type: string; attempt: number; completed: boolean }>();
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled)
      byScheduled.set(String(event.eventId), { type: scheduled.activityType!.name!, attempt: 0, completed: false });
    const started = event.activityTaskStartedEventAttributes;
    if (started) byScheduled.get(String(started.scheduledEventId))!.attempt = started.attempt ?? 1;
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) byScheduled.get(String(completed.scheduledEventId))!.completed = true;
  }
  return [...byScheduled.values()];
}

it('loses no events and makes one decision when the worker dies mid-evaluation', async () => {
  const brand = await stack.brand({ name: 'Crash Roasters' });
  const first = spawnMainWorker();
  const created = await stack.request('POST', '/api/v1/experiments', {
    brandId: brand.id,
    name: 'Killed mid-evaluation',
    hypothesis: 'A short headline gets more clicks',
    kind: 'free',
    variants: [
      { key: 'A', name: 'Long', weight: 50, content: { headline: 'A long headline' } },
      { key: 'B', name: 'Short', weight: 50, content: { headline: 'Short' } },
    ],
    config: {
      minSamplePerVariant: 200,
      minDurationHours: 0,
      evaluateEveryMinutes: 0.05,
      maxDurationDays: 2,
      plannedSamplePerVariant: 400,
    },
  });
  expect(created.status).toBe(201);
  const experiment = created.body;
  const run = await stack.request('POST', '/api/v1/runs', {
    automation: 'ab-test',
    input: { experimentId: experiment.id, approval: { required: true, timeoutSeconds: 600, onTimeout: 'reject' } },
  });
  expect(run.status).toBe(201);
  const runId: string = run.body.id;
  await waitForRun(stack, runId, (r) => r.progress?.steps?.[0]?.status === 'done', 60_000);

  // B's units click one in two, A's one in twenty; three waves of traffic, the last two around the kill.
  const converts = (key: string, i: number) => (key === 'B' ? i % 2 === 0 : i % 20 === 0);
  const sent = [await abTraffic(stack, experiment, { from: 0, perVariant: 100, converts })];
  await waitFor(
    'an evaluation of the first wave',
    async () => (await evaluationsOf(stack, experiment.id)).some((e) => e.variants.every((v) => v.exposures === 100)),
    60_000,
    300,
  );

  // Hold the next evaluation where it writes its decision, and kill its worker there.
  lock = await stack.db.sequelize.transaction();
  const [{ pid }] = await stack.db.sequelize.query<{ pid: number }>(
    'SELECT pg_backend_pid() AS pid FROM experiments WHERE id = :id FOR NO KEY UPDATE',
    { replacements: { id: experiment.id }, type: QueryTypes.SELECT, transaction: lock },
  );
  const held = await waitFor(
    'an evaluation held mid-write',
    async () => {
      const waiting = await blockedBy(pid);
      return waiting.length > 0 ? waiting : null;
    },
    30_000,
    50,
  );
  expect(held).toEqual([expect.stringMatching(/^UPDATE experiments SET decision = /)]);
  const before = await evaluationsOf(stack, experiment.id);
  // Events are counted while the evaluation is held (they only share the row's key lock)…
  sent.push(await abTraffic(stack, experiment, { from: 100_000, perVariant: 60, converts }));
  await kill(first);
  await lock.rollback();
  lock = undefined;
  // …and while no worker runs at all.
  sent.push(await abTraffic(stack, experiment, { from: 200_000, perVariant: 60, converts }));
  expect(await evaluationsOf(stack, experiment.id)).toEqual(before);

  spawnMainWorker();
  const waiting = await waitForRun(stack, runId, (r) => r.progress?.approvals?.length === 1, 120_000);
  const approval = waiting.progress.approvals[0];
  expect(approval).toMatchObject({ kind: 'ab-verdict', content: { promote: 'B', action: 'stop-winner' } });

  // No event lost: the counts are every unit and conversion sent.
  const clicks = (key: string) => sent.reduce((n, wave) => n + wave[key].click, 0);
  const { body } = await stack.request('GET', `/api/v1/experiments/${experiment.id}`);
  expect(body.stats.map((s: { key: string; exposures: number; conversions: number }) => s)).toEqual([
    expect.objectContaining({ key: 'A', exposures: 220, conversions: clicks('A') }),
    expect.objectContaining({ key: 'B', exposures: 220, conversions: clicks('B') }),
  ]);

  // The killed evaluation was retried (attempt 2) on the new worker; each completed evaluation wrote one row.
  const activities = (await evaluationActivities(runId)).filter((a) => a.type === 'evaluateExperiment');
  const retried = activities.filter((a) => a.attempt > 1);
  expect(retried).toEqual([{ type: 'evaluateExperiment', attempt: 2, completed: true }]);
  const series = await evaluationsOf(stack, experiment.id);
  expect(series).toHaveLength(activities.filter((a) => a.completed).length);
  expect(series.map((e) => e.n)).toEqual(series.map((_, i) => i + 1));
  // One decision: only the last evaluation has a verdict, and the run asked once.
  expect(series.filter((e) => e.action !== 'continue')).toEqual([series[series.length - 1]]);
  expect(series[series.length - 1]).toMatchObject({ action: 'stop-winner', winner: 'B' });
  expect(series[series.length - 1].variants.map((v) => v.exposures)).toEqual([220, 220]);

  const decided = await stack.request('POST', `/api/v1/runs/${encodeURIComponent(runId)}/approvals/${approval.id}`, {
    action: 'approve',
  });
  expect(decided.status).toBe(200);
  const done = await waitForRun(stack, runId, (r) => r.status === 'completed', 60_000);
  expect(done.result).toMatchObject({ status: 'promoted', promoted: 'B', evaluations: series.length });
  expect(done.progress.approvals ?? []).toEqual([]);
  const concluded = (await evaluationActivities(runId)).filter((a) => a.type === 'concludeExperiment');
  expect(concluded).toEqual([{ type: 'concludeExperiment', attempt: 1, completed: true }]);
  expect((await stack.request('GET', `/api/v1/experiments/${experiment.id}`)).body).toMatchObject({
    status: 'completed',
    decision: { promoted: 'B', outcome: 'promoted', action: 'stop-winner' },
  });
}, 240_000);
