/**
 * A workflow's saga with stubbed activities: a local Temporal dev server (the cached CLI) runs the real workflow code
 * on three task queues whose activities are the test's stand-ins.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import type { QueueActivities } from '../../activities/queues';
import { findTemporalCli } from '../../temporal/cli';
import { AutomationKey, BrandIdKey, WorkspaceIdKey } from '../../temporal/search-attributes';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never;

export interface StubActivities {
  main?: Partial<QueueActivities['main']>;
  media?: Partial<QueueActivities['media']>;
  browser?: Partial<QueueActivities['browser']>;
}

export interface SagaEnv {
  env: TestWorkflowEnvironment;
  start<I, O>(workflow: (input: I) => Promise<O>, input: I): Promise<WorkflowHandle<(input: I) => Promise<O>>>;
  stop(): Promise<void>;
}

export async function startSagaEnv(stubs: StubActivities, name: string): Promise<SagaEnv> {
  const [env, bundle] = await Promise.all([
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: findTemporalCli()! },
        // Children that carry the workspace's attributes (a lead batch's) need them registered.
        searchAttributes: [WorkspaceIdKey, AutomationKey, BrandIdKey],
      },
    }),
    bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quiet }),
  ]);
  const queue = `${name}-${randomUUID().slice(0, 8)}-main`;
  const connection = env.nativeConnection;
  const workers = await Promise.all([
    Worker.create({ connection, taskQueue: queue, workflowBundle: bundle, activities: stubs.main ?? {} }),
    // A queue without stubs gets no worker: its activities would wait, as on a queue nobody serves.
    ...(['media', 'browser'] as const)
      .filter((kind) => stubs[kind])
      .map((kind) => Worker.create({ connection, taskQueue: queue.replace(/main$/, kind), activities: stubs[kind] })),
  ]);
  const running = Promise.all(workers.map((w) => w.run()));
  return {
    env,
    start: <I, O>(workflow: (input: I) => Promise<O>, input: I) =>
      env.client.workflow.start(workflow, { taskQueue: queue, workflowId: `${name}/${randomUUID()}`, args: [input] }),
    async stop() {
      for (const w of workers) w.shutdown();
      await running;
      await env.teardown();
    },
  };
}

/** `<failure type>: <message>` of the innermost cause of a failed run. */
export async function failureOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  let cause = (err as Error).cause as (Error & { type?: string }) | undefined;
  while (cause?.cause) cause = cause.cause as Error & { type?: string };
  return `${cause?.type ?? ''}: ${cause?.message ?? ''}`;
}

/** The id of the run's pending approval, once it waits. */
export async function waitForApproval(handle: WorkflowHandle): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const progress = (await handle.query('progress')) as { approvals?: { id: string }[] };
    if (progress.approvals?.length) return progress.approvals[0].id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('No approval was requested');
}

/** A promise and the function that settles it: for a stub that waits until the test lets it go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
