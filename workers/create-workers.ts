/** Builds one Temporal worker per task queue kind. Workflows run on `main` only. */
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { taskQueueName, type QueueKind } from '../lib/task-queues';
import { activitiesFor } from './activities';
import type { WorkerDependencies } from './dependencies';

export interface CreateWorkersOptions {
  connection: NativeConnection;
  deps: WorkerDependencies;
  kinds: readonly QueueKind[];
  /** Task queue prefix; tests give each file its own. */
  prefix: string;
  namespace: string;
  /** A pre-built workflow bundle (tests, production images); otherwise bundled from source at start. */
  workflowBundle?: { codePath: string } | { code: string };
}

function optionsFor(kind: QueueKind, o: CreateWorkersOptions): WorkerOptions {
  const { config } = o.deps;
  const base: WorkerOptions = {
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: taskQueueName(o.prefix, kind),
    activities: activitiesFor(kind, o.deps),
    shutdownGraceTime: `${config.worker.shutdownGraceSeconds}s`,
    // A cancellation reaches a running activity only in the reply to a heartbeat; by default heartbeats are
    // batched for up to 80 % of the heartbeat timeout (24 s for a render). Send them within 2 s so a cancelled
    // render or upload stops its process promptly.
    maxHeartbeatThrottleInterval: '2s',
  };
  switch (kind) {
    case 'main':
      return {
        ...base,
        ...(o.workflowBundle
          ? { workflowBundle: o.workflowBundle }
          : { workflowsPath: require.resolve('../workflows') }),
        maxConcurrentActivityTaskExecutions: 50,
      };
    case 'media':
      // CPU heavy: a few at a time.
      return { ...base, maxConcurrentActivityTaskExecutions: config.worker.mediaConcurrency };
    case 'browser':
      // One activity per page in the pool; more would only queue inside the pool.
      return { ...base, maxConcurrentActivityTaskExecutions: config.worker.browserPoolSize };
  }
}

export async function createWorkers(options: CreateWorkersOptions): Promise<Worker[]> {
  return Promise.all(options.kinds.map((kind) => Worker.create(optionsFor(kind, options))));
}

/** Runs the workers until all have shut down; the first to fail shuts the others down. */
export async function runWorkers(workers: Worker[]): Promise<void> {
  try {
    await Promise.all(workers.map((w) => w.run()));
  } catch (err) {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    throw err;
  }
}
