/**
 * Proxies for the activities of one task queue. The queue is a sibling of the workflow's own (`t1-main` →
 * `t1-browser`), so an isolated set of queues (a test, a tenant) stays isolated; the type of what comes back is that
 * queue's activities only (activities/queues.ts).
 */
import { proxyActivities, workflowInfo, type ActivityInterfaceFor, type ActivityOptions } from '@temporalio/workflow';
import type { QueueActivities } from '../activities/queues';
import { siblingQueue, type QueueKind } from '../lib/task-queues';

export function activitiesOn<K extends QueueKind>(
  kind: K,
  options: ActivityOptions,
): ActivityInterfaceFor<QueueActivities[K]> {
  // The main queue is the workflow's own: left unset, as runs recorded before this helper scheduled them.
  const taskQueue = kind === 'main' ? undefined : siblingQueue(workflowInfo().taskQueue, kind);
  return proxyActivities<QueueActivities[K]>(taskQueue ? { ...options, taskQueue } : options);
}
