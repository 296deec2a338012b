/**
 * A deploy under a run in flight: a social post is edited and accepted on today's code, pauses (its re-render waits
 * for a browser worker), and then the workers are replaced by a build whose copy rule is stricter than the accepted
 * edit. The run replays its history on the new build and completes, because the approval handler only merges edits
 * (lib/edits.ts). The same deploy written the old way — the handler re-checking the rules — cannot replay the run.
 */
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import webpack from 'webpack';
import { startTestStack, waitFor, waitForRun, type TestStack } from '../support/harness';

const VARIANTS = path.resolve(__dirname, '../support/deploy-variants');
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never;

/** Today's workflows with lib/social-copy-edit.ts replaced by a variant (as a deploy of changed code would be). */
async function bundleWith(variant: string): Promise<{ code: string }> {
  const replacement = path.join(VARIANTS, variant);
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: quiet,
    webpackConfigHook: (config) => ({
      ...config,
      plugins: [
        ...(config.plugins ?? []),
        new webpack.NormalModuleReplacementPlugin(/lib\/social-copy-edit$/, (resource) => {
          // The variants build on the real module: only the workflows' import is replaced.
          if (!resource.contextInfo?.issuer?.startsWith(VARIANTS)) resource.request = replacement;
        }),
      ],
    }),
  });
  return { code };
}

const step = (run: any, name: string) => run.progress?.steps.find((s: any) => s.name === name);
// 150 characters: within X's 280 today, over the deployed rule's 100.
const CAPTION =
  `Cold brew wants a coarse grind and patience: 12 hours in the fridge, then filter twice. ${'Smooth. '.repeat(8)}`
    .trim()
    .slice(0, 150);

let stack: TestStack;
let stricter: { code: string };
let stricterInHandler: { code: string };

beforeAll(async () => {
  [stack, stricter, stricterInHandler] = await Promise.all([
    startTestStack('deploy', { workers: [] }),
    bundleWith('stricter-copy-rules.ts'),
    bundleWith('stricter-copy-rules-in-handler.ts'),
  ]);
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

/** A run whose edit was accepted on today's code, paused before its re-render, with no worker left. */
async function editedOnTodaysCode(): Promise<string> {
  await stack.stopWorkers();
  await stack.startWorkers(['main', 'browser']);
  const brand = await stack.brand({ name: `Deploy Roasters ${Date.now()}` });
  const started = await stack.request('POST', '/api/v1/runs', {
    automation: 'social-post',
    input: {
      brandId: brand.id,
      platform: 'x',
      postType: 'tips',
      topic: 'cold brew',
      approval: { required: true, timeoutSeconds: 600, onTimeout: 'reject' },
    },
  });
  expect(started.status).toBe(201);
  const id = started.body.id as string;
  const waiting = await waitForRun(stack, id, (r) => r.progress?.approvals?.length === 1, 60_000);
  // Without a browser worker the re-render after the edit waits: the run pauses with the edit in its history.
  await stack.stopWorkers();
  await stack.startWorkers(['main']);
  const url = `/api/v1/runs/${encodeURIComponent(id)}/approvals/${waiting.progress.approvals[0].id}`;
  expect((await stack.request('POST', url, { action: 'edit', edits: { caption: CAPTION } })).status).toBe(200);
  await waitForRun(stack, id, (r) => step(r, 'render-image')?.status === 'running', 30_000);
  await stack.stopWorkers();
  return id;
}

it('a run edited before a deploy that makes the rule stricter replays on the new build and completes', async () => {
  const id = await editedOnTodaysCode();
  await stack.startWorkers(['main', 'browser'], stricter);
  try {
    const done = await waitForRun(stack, id, (r) => r.status === 'completed' || r.status === 'failed', 60_000);
    expect(done.status).toBe('completed');
    expect(done.result).toMatchObject({ status: 'published', copy: { caption: CAPTION } });

    // The new rule is live for new edits: the same caption is refused now.
    const next = await stack.request('POST', '/api/v1/runs', {
      automation: 'social-post',
      input: {
        brandId: done.input?.brandId ?? (await stack.brand({ name: 'Deploy Check' })).id,
        platform: 'x',
        postType: 'tips',
        topic: 'cold brew',
        approval: { required: true, timeoutSeconds: 600, onTimeout: 'reject' },
      },
    });
    const waiting = await waitForRun(stack, next.body.id, (r) => r.progress?.approvals?.length === 1, 60_000);
    const url = `/api/v1/runs/${encodeURIComponent(next.body.id)}/approvals/${waiting.progress.approvals[0].id}`;
    const refused = await stack.request('POST', url, { action: 'edit', edits: { caption: CAPTION } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('at most 100 characters');
    await stack.request('POST', `/api/v1/runs/${encodeURIComponent(next.body.id)}/cancel`);
  } finally {
    await stack.stopWorkers();
  }
}, 240_000);

it('the same deploy with the rule re-checked in the handler cannot replay the run', async () => {
  const id = await editedOnTodaysCode();
  await stack.startWorkers(['main', 'browser'], stricterInHandler);
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
}, 240_000);
