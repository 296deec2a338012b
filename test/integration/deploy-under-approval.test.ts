/**
 * A deploy under runs in flight: a social post and a video are edited and accepted on today's code, then pause (what
 * follows waits for a worker of another queue), and the workers are replaced by a build whose rule is stricter than
 * the accepted edit. Each run replays its history on the new build and completes, because the approval handler only
 * merges edits (lib/edits.ts). The same deploy written the old way — the handler re-checking the rules — cannot
 * replay the run.
 */
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import webpack from 'webpack';
import type { QueueKind } from '../../lib/task-queues';
import { startTestStack, waitFor, waitForRun, type TestStack } from '../support/harness';

const VARIANTS = path.resolve(__dirname, '../support/deploy-variants');
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never;

/** Today's workflows with one module replaced by a variant (as a deploy of changed code would be). */
async function bundleWith(module: RegExp, variant: string): Promise<{ code: string }> {
  const replacement = path.join(VARIANTS, variant);
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: quiet,
    webpackConfigHook: (config) => ({
      ...config,
      plugins: [
        ...(config.plugins ?? []),
        new webpack.NormalModuleReplacementPlugin(module, (resource) => {
          // The variants build on the real module: only the other importers are redirected.
          if (!resource.contextInfo?.issuer?.startsWith(VARIANTS)) resource.request = replacement;
        }),
      ],
    }),
  });
  return { code };
}

const step = (run: any, name: string) => run.progress?.steps.find((s: any) => s.name === name);

interface DeployCase {
  name: string;
  /** The module the deploy changes, and its variants: stricter with a lenient merge, stricter in the handler. */
  module: RegExp;
  variants: [string, string];
  start(stack: TestStack): Promise<unknown>;
  /** Valid on today's code, refused by the deployed rule. */
  edits: Record<string, unknown>;
  refusal: string;
  /** A step that starts after the edit on a queue whose worker is held back, so the run pauses there. */
  pausedAt: { step: string; queues: QueueKind[] };
  result: (run: any) => void;
}

// 150 characters: within X's 280 today, over the deployed rule's 100.
const CAPTION =
  `Cold brew wants a coarse grind and patience: 12 hours in the fridge, then filter twice. ${'Smooth. '.repeat(8)}`
    .trim()
    .slice(0, 150);

const CASES: DeployCase[] = [
  {
    name: 'social post',
    module: /lib\/social-copy-edit$/,
    variants: ['stricter-copy-rules.ts', 'stricter-copy-rules-in-handler.ts'],
    start: async (stack) => ({
      automation: 'social-post',
      input: {
        brandId: (await stack.brand({ name: `Deploy Roasters ${Date.now()}` })).id,
        platform: 'x',
        postType: 'tips',
        topic: 'cold brew',
        approval: { required: true, timeoutSeconds: 600, onTimeout: 'reject' },
      },
    }),
    edits: { caption: CAPTION },
    refusal: 'at most 100 characters',
    pausedAt: { step: 'render-image', queues: ['main'] },
    result: (run) => expect(run.result).toMatchObject({ status: 'published', copy: { caption: CAPTION } }),
  },
  {
    name: 'video',
    module: /lib\/video\/script-rules$/,
    variants: ['stricter-script-rules.ts', 'stricter-script-rules-in-handler.ts'],
    start: async (stack) => {
      expect((await stack.request('POST', '/api/v1/credits/grants', { amount: 10, note: 'deploy' })).status).toBe(201);
      return {
        automation: 'video',
        input: {
          brandId: (await stack.brand({ name: `Deploy Ramen ${Date.now()}` })).id,
          brief: { topic: 'Slow-simmered broth' },
          targetSeconds: 15,
          approval: { required: true, timeoutSeconds: 600 },
        },
      };
    },
    edits: { title: 'Twelve hours of broth' },
    refusal: 'at most 12 characters',
    pausedAt: { step: 'voice', queues: ['main', 'browser'] },
    result: (run) => expect(run.result).toMatchObject({ status: 'published' }),
  },
];

let stack: TestStack;
const bundles = new Map<string, { code: string }>();

beforeAll(async () => {
  stack = await startTestStack('deploy', { workers: [] });
  for (const c of CASES) for (const v of c.variants) bundles.set(v, await bundleWith(c.module, v));
}, 240_000);
afterAll(async () => {
  await stack?.stop();
});

/** Starts a run on today's code and waits for its approval; the id and the approval's URL. */
async function awaitingApproval(c: DeployCase): Promise<{ id: string; url: string }> {
  await stack.stopWorkers();
  await stack.startWorkers(['main', 'media', 'browser']);
  const started = await stack.request('POST', '/api/v1/runs', await c.start(stack));
  expect(started.status).toBe(201);
  const id = started.body.id as string;
  const waiting = await waitForRun(stack, id, (r) => r.progress?.approvals?.length === 1, 90_000);
  return { id, url: `/api/v1/runs/${encodeURIComponent(id)}/approvals/${waiting.progress.approvals[0].id}` };
}

/** A run whose edit was accepted on today's code, paused after it, with no worker left. */
async function editedOnTodaysCode(c: DeployCase): Promise<string> {
  const { id, url } = await awaitingApproval(c);
  await stack.stopWorkers();
  await stack.startWorkers(c.pausedAt.queues);
  expect((await stack.request('POST', url, { action: 'edit', edits: c.edits })).status).toBe(200);
  await waitForRun(stack, id, (r) => step(r, c.pausedAt.step)?.status === 'running', 30_000);
  await stack.stopWorkers();
  return id;
}

describe.each(CASES)('$name', (c) => {
  it('edited before a deploy that makes the rule stricter, replays on the new build and completes', async () => {
    const id = await editedOnTodaysCode(c);
    await stack.startWorkers(['main', 'media', 'browser'], bundles.get(c.variants[0]));
    try {
      const done = await waitForRun(stack, id, (r) => r.status === 'completed' || r.status === 'failed', 120_000);
      expect(done.status).toBe('completed');
      c.result(done);
      // The new rule is live for new edits: the same edit is refused now.
      await stack.stopWorkers();
      const { id: next, url } = await awaitingApproval(c);
      await stack.stopWorkers();
      await stack.startWorkers(['main', 'media', 'browser'], bundles.get(c.variants[0]));
      const refused = await stack.request('POST', url, { action: 'edit', edits: c.edits });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain(c.refusal);
      await stack.request('POST', `/api/v1/runs/${encodeURIComponent(next)}/cancel`);
    } finally {
      await stack.stopWorkers();
    }
  }, 300_000);

  it('with the rule re-checked in the update handler, the same deploy cannot replay the run', async () => {
    const id = await editedOnTodaysCode(c);
    await stack.startWorkers(['main', 'media', 'browser'], bundles.get(c.variants[1]));
    const handle = stack.client.workflow.getHandle(id);
    try {
      const failure = await waitFor(
        'the replay on the new build to fail',
        async () => {
          const { events } = await handle.fetchHistory();
          return events?.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes;
        },
        60_000,
      );
      expect(failure.failure?.message).toMatch(/nondetermin/i);
      expect((await handle.describe()).status.name).toBe('RUNNING');
    } finally {
      await handle.terminate('the deploy could not replay this run');
      await stack.stopWorkers();
    }
  }, 300_000);
});
