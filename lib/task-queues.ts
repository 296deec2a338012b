/**
 * Task queue names. Workflows run on the `main` queue; heavy activities go to sibling
 * queues that share its prefix, so a test (or a tenant) can run an isolated set of queues.
 * Pure: workflows derive the sibling queues from their own task queue.
 */
export const QUEUE_KINDS = ['main', 'media', 'browser'] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];

export function taskQueueName(prefix: string, kind: QueueKind): string {
  return `${prefix}${kind}`;
}

/** `siblingQueue('t1-main', 'browser')` → `t1-browser`. */
export function siblingQueue(mainQueue: string, kind: QueueKind): string {
  if (!mainQueue.endsWith('main')) return mainQueue;
  return `${mainQueue.slice(0, -'main'.length)}${kind}`;
}
