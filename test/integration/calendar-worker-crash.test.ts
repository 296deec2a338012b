/**
 * The calendar survives a worker process SIGKILLed at an entry's due minute (as soon as it has claimed the entry and
 * started publishing): the worker that takes over replays the calendar, the claim and the child start are in history,
 * and the entry publishes once. A second entry due while no worker runs at all publishes when one comes back.
 */
import { type ChildProcess } from 'node:child_process';
import { temporal } from '@temporalio/proto';
import { endCalendars, localIn, postsOf, waitForEntry, entryOf } from '../support/calendar-helpers';
import { startTestStack, waitFor, type TestStack } from '../support/harness';
import { kill, spawnWorker } from '../support/worker-process';

const ZONE = 'America/New_York';
let stack: TestStack;
const children: ChildProcess[] = [];
const brands: string[] = [];

/** A real worker process serving every queue (the calendar, the social post and its image render). */
function spawnAllWorker(): ChildProcess {
  const child = spawnWorker('all.worker.ts', {
    ...stack.env,
    TEMPORAL_WORKFLOW_BUNDLE: process.env.STUDIOFLOW_TEST_WORKFLOW_BUNDLE,
    LOG_LEVEL: 'error',
  });
  children.push(child);
  return child;
}

/** Once a worker polls the stack's workflow queue (a fresh process takes some seconds to bundle and connect). */
function workerPolling() {
  return waitFor(
    'a worker polling',
    async () => {
      const res = await stack.client.workflowService.describeTaskQueue({
        namespace: stack.config.temporal.namespace,
        taskQueue: {
          name: stack.config.temporal.taskQueues.main,
          kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL,
        },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      return (res.pollers ?? []).length > 0;
    },
    60_000,
  );
}

beforeAll(async () => {
  stack = await startTestStack('calendar-crash', { workers: [], env: { CALENDAR_CHECK_LEAD_SECONDS: '2' } });
  const settings = await stack.request('PUT', '/api/v1/calendar/settings', { timeZone: ZONE });
  expect(settings.status).toBe(200);
});
afterAll(async () => {
  await Promise.all(children.map(kill));
  await endCalendars(stack, brands);
  for (const kind of ['generation', 'analytics'])
    await stack.client.schedule
      .getHandle(`calendar-${kind}/${stack.workspaceId}`)
      .delete()
      .catch(() => undefined);
  await stack?.stop();
});

it('publishes once when the worker is killed at the due minute, and catches up on what fell due with none', async () => {
  const brand = await stack.brand({ name: `Crash ${Date.now()}` });
  brands.push(brand.id);
  const worker = spawnAllWorker();

  const create = async (seconds: number, topic: string) => {
    const res = await stack.request('POST', '/api/v1/calendar/entries', {
      brandId: brand.id,
      localAt: localIn(ZONE, seconds),
      topic,
      status: 'scheduled',
    });
    expect(res.status).toBe(201);
    return res.body;
  };
  await workerPolling();
  const first = await create(8, 'Cold brew at home');
  expect(first.armed).toBe(true);
  const second = await create(14, 'Grinding for espresso');

  // The due minute: killed as soon as the entry is claimed (publishing), mid-publication.
  await waitFor(
    'the first entry claimed',
    async () => (await entryOf(stack, first.id)).status === 'publishing',
    60_000,
    50,
  );
  await kill(worker);

  // No worker while the second entry falls due.
  await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(second.dueAt) - Date.now()) + 2_000));
  expect((await entryOf(stack, second.id)).status).toBe('scheduled');

  spawnAllWorker();
  const [a, b] = await Promise.all([
    waitForEntry(stack, first.id, 'published'),
    waitForEntry(stack, second.id, 'published'),
  ]);
  const posts = await postsOf(stack, brand.id);
  expect(posts.map((p) => p.workflow_id).sort()).toEqual([...a.runs, ...b.runs].sort());
  expect(posts).toHaveLength(2);
});
