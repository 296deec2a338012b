/**
 * Readiness: PostgreSQL answers, Temporal answers, and each task queue has a live poller.
 * A worker that never connects is the most common silent failure; this makes it loud.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Sequelize } from 'sequelize';
import type { QueueKind } from '../../lib/task-queues';

const { TaskQueueType, TaskQueueKind } = temporal.api.enums.v1;

export interface QueueStatus {
  name: string;
  kind: QueueKind;
  pollers: number;
}

export interface SystemStatus {
  database: 'up' | 'down';
  temporal: 'up' | 'down';
  queues: QueueStatus[];
  ready: boolean;
  errors: string[];
}

/** A poller counts as live if it polled within this window (the server keeps older ones listed). */
const LIVE_POLLER_MS = 90_000;

export function createSystemService(deps: {
  sequelize: Sequelize;
  client: Client;
  namespace: string;
  taskQueues: Record<QueueKind, string>;
}) {
  const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
    Promise.race([
      p,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`${what} did not answer in ${ms} ms`)), ms).unref(),
      ),
    ]);

  async function pollers(name: string, kind: QueueKind): Promise<number> {
    // Workflows poll the main queue's workflow side; activities poll every queue.
    const types =
      kind === 'main'
        ? [TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY]
        : [TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY];
    const counts = await Promise.all(
      types.map(async (taskQueueType) => {
        const res = await deps.client.withDeadline(Date.now() + 3000, () =>
          deps.client.workflowService.describeTaskQueue({
            namespace: deps.namespace,
            taskQueue: { name, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
            taskQueueType,
          }),
        );
        const now = Date.now();
        return (res.pollers ?? []).filter((p) => {
          const seconds = Number(p.lastAccessTime?.seconds ?? 0);
          return now - seconds * 1000 < LIVE_POLLER_MS;
        }).length;
      }),
    );
    return Math.min(...counts);
  }

  return {
    async status(): Promise<SystemStatus> {
      const errors: string[] = [];
      const database = await withTimeout(deps.sequelize.authenticate(), 3000, 'PostgreSQL')
        .then(() => 'up' as const)
        .catch((err: Error) => {
          errors.push(`PostgreSQL: ${err.message}`);
          return 'down' as const;
        });
      let temporalUp: 'up' | 'down' = 'up';
      const queues: QueueStatus[] = [];
      try {
        await deps.client.withDeadline(Date.now() + 3000, () => deps.client.workflowService.getSystemInfo({}));
        const entries = Object.entries(deps.taskQueues) as [QueueKind, string][];
        queues.push(
          ...(await Promise.all(
            entries.map(async ([kind, name]) => ({ name, kind, pollers: await pollers(name, kind) })),
          )),
        );
      } catch (err) {
        temporalUp = 'down';
        errors.push(`Temporal: ${(err as Error).message}`);
      }
      for (const q of queues) if (q.pollers === 0) errors.push(`No worker is polling the ${q.name} task queue`);
      return { database, temporal: temporalUp, queues, ready: errors.length === 0, errors };
    },
  };
}

export type SystemService = ReturnType<typeof createSystemService>;
