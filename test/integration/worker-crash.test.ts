/**
 * A worker process killed with SIGKILL at the worst moments: the run still completes,
 * with exactly one publication.
 */
import { type ChildProcess } from 'node:child_process';
import { startTestStack, waitFor, waitForRun, type TestStack } from '../support/harness';
import { kill, spawnWorker } from '../support/worker-process';

let stack: TestStack;
let brand: { id: string };
const children: ChildProcess[] = [];
const enc = encodeURIComponent;

/** A real worker process polling every queue of this stack, like `npm run start:worker`. */
function spawnAllWorker(): ChildProcess {
  const child = spawnWorker('all.worker.ts', {
    ...stack.env,
    TEMPORAL_WORKFLOW_BUNDLE: process.env.STUDIOFLOW_TEST_WORKFLOW_BUNDLE,
    LOG_LEVEL: 'warn',
  });
  children.push(child);
  return child;
}

const step = (run: any, name: string) => run.progress?.steps.find((s: any) => s.name === name);

beforeAll(async () => {
  stack = await startTestStack('crash', { workers: [] });
  brand = await stack.brand({ name: 'Crashproof Candles' });
});
afterAll(async () => {
  await Promise.all(children.map(kill));
  await stack?.stop();
});

it('completes with one publication when the worker dies while publishing', async () => {
  const worker = spawnAllWorker();
  const started = await stack.request('POST', '/api/v1/runs', {
    automation: 'social-post',
    input: { brandId: brand.id, platform: 'instagram', postType: 'storytelling', approval: { required: false } },
  });
  expect(started.status).toBe(201);
  const runId = started.body.id;

  // Hold a lock that lets the publish activity read but not insert, so it is in flight for as long as we need.
  const lock = await stack.db.sequelize.transaction();
  try {
    await stack.db.sequelize.query('LOCK TABLE posts IN EXCLUSIVE MODE', { transaction: lock });
    await waitForRun(stack, runId, (r) => step(r, 'publish')?.status === 'running', 60_000);
    await waitFor('the publish insert to block on the lock', async () => {
      const [rows] = await stack.db.sequelize.query(
        "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%INSERT INTO \"posts\"%'",
      );
      return rows.length > 0;
    });
    await kill(worker);
  } finally {
    await lock.rollback();
  }
  expect(await stack.server.services.postRepo.countByWorkflow(runId)).toBe(0);

  spawnAllWorker();
  const done = await waitForRun(stack, runId, (r) => r.status === 'completed', 90_000);
  expect(done.result.status).toBe('published');
  expect(await stack.server.services.postRepo.countByWorkflow(runId)).toBe(1);
  const page = await fetch(done.result.url);
  expect(page.status).toBe(200);
});

it('continues a run on a new worker when the old one died while it waited for approval', async () => {
  const worker = spawnAllWorker();
  const started = await stack.request('POST', '/api/v1/runs', {
    automation: 'social-post',
    input: {
      brandId: brand.id,
      platform: 'linkedin',
      postType: 'announcement',
      approval: { required: true, timeoutSeconds: 600 },
    },
  });
  const runId = started.body.id;
  const waiting = await waitForRun(stack, runId, (r) => r.progress?.approvals?.length === 1, 60_000);
  await kill(worker);
  // Kill every other worker of this stack too: nobody polls until the new one starts.
  await Promise.all(children.map(kill));

  spawnAllWorker();
  const approval = waiting.progress.approvals[0];
  const decided = await waitFor(
    'the new worker to accept the decision',
    async () => {
      const res = await stack.request('POST', `/api/v1/runs/${enc(runId)}/approvals/${approval.id}`, {
        action: 'approve',
      });
      return res.status === 200 ? res : undefined;
    },
    60_000,
    500,
  );
  expect(decided.body.action).toBe('approve');
  const done = await waitForRun(stack, runId, (r) => r.status === 'completed', 60_000);
  expect(done.result.status).toBe('published');
  expect(await stack.server.services.postRepo.countByWorkflow(runId)).toBe(1);
});
