/**
 * Starts the runs of accepted webhook deliveries, and of run requests accepted asynchronously (`POST /runs` with
 * `Prefer: respond-async`), from the inbox (`webhook_deliveries`). It runs in the API
 * process (api/server.ts starts and stops it): woken at once by a delivery this process accepts, and polling every
 * `pollMs` for the rest (other API processes, rows due after a backoff, a lease that ran out). Several dispatchers
 * may share one database: claims skip locked rows. A dispatcher takes the rows accepted for its task queue (the
 * main queue, stored with each row), so stacks with queues of their own (tests, a staging prefix) keep apart.
 *
 * Temporal unreachable (UNAVAILABLE, deadline, overload): the row stays pending, its attempt not counted, and the
 * whole loop backs off up to 30 s; the backlog drains when Temporal answers again. Any other refusal counts an
 * attempt (exponential backoff) and marks the row failed after `maxAttempts`. A workflow id already started is
 * success: the workflow id derives from the delivery, so a double dispatch starts one run.
 *
 * Dispatched rows older than `retentionDays` are pruned here, once an hour (the account maintenance workflow is
 * left alone: changing it is a workflow deploy).
 */
import { isGrpcServiceError, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { ClaimedDelivery, DeliveryInboxRepository } from '../../db/repositories/delivery-inbox.repository';
import { logger } from '../../lib/logger';
import type { RunService } from './run.service';

export interface DispatcherOptions {
  inbox: DeliveryInboxRepository;
  /** Its `startPrepared` goes through `client`, whose deadline bounds each start. */
  runs: Pick<RunService, 'startPrepared'>;
  client: Client;
  /** The queue this process starts runs on: it dispatches the rows accepted for it (the API's main queue). */
  taskQueue: string;
  batchSize: number;
  pollMs: number;
  maxAttempts: number;
  retentionDays: number;
  /** How long one start may take before it counts as Temporal being unreachable. */
  startTimeoutMs?: number;
  /** First delay after a refused start; each further attempt waits 4 times longer. */
  retryBaseMs?: number;
}

/** gRPC codes that say Temporal is away or busy, not that the start is wrong. */
const UNREACHABLE = new Set([1 /* CANCELLED */, 4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 14]);
const MAX_OUTAGE_DELAY_MS = 30_000;
const PRUNE_EVERY_MS = 3_600_000;

function unreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++)
    if (isGrpcServiceError(e) && UNREACHABLE.has(e.code)) return true;
  return false;
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1000);

export function createDeliveryDispatcher(options: DispatcherOptions) {
  const log = logger('delivery-dispatcher');
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  const retryBaseMs = options.retryBaseMs ?? 2_000;
  // A claimed row is not claimed again before its lease ends; a group stops starting rows well before that (see
  // drainOnce), and a dispatcher that died holds its rows for one lease at most.
  const leaseMs = Math.max(60_000, startTimeoutMs * 6);
  let outageDelayMs = 0;
  let lastPrune = 0;
  let stopping = false;
  let loop: Promise<void> | undefined;
  let woken = false;
  let wakeUp: (() => void) | undefined;

  /** Starts one row: true when it is dispatched (now or before), false when the rest of its endpoint must wait. */
  async function dispatchOne(row: ClaimedDelivery): Promise<boolean> {
    try {
      await options.client.withDeadline(Date.now() + startTimeoutMs, () =>
        options.runs.startPrepared({
          workspaceId: row.workspaceId,
          startedBy: row.startedBy,
          automation: row.automation,
          input: row.input,
          prepared: {
            workflowType: row.workflowType,
            workflowId: row.workflowId,
            args: row.args,
            ...(row.brandId ? { brandId: row.brandId } : {}),
          },
          taskQueue: row.taskQueue,
        }),
      );
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
        if (unreachable(err)) {
          if (outageDelayMs === 0) log.warn('Temporal is unreachable: webhook deliveries wait', { error: reason(err) });
          outageDelayMs = Math.min(MAX_OUTAGE_DELAY_MS, Math.max(1_000, outageDelayMs * 2));
          await options.inbox.retryLater(row, `Temporal unreachable: ${reason(err)}`, outageDelayMs, false);
        } else if (row.attempts >= options.maxAttempts) {
          await options.inbox.markFailed(row, reason(err));
          log.warn('A webhook delivery failed to start', { deliveryId: row.deliveryId, error: reason(err) });
          return true;
        } else {
          await options.inbox.retryLater(row, reason(err), retryBaseMs * 4 ** (row.attempts - 1));
        }
        return false;
      }
    }
    outageDelayMs = 0;
    await options.inbox.markDispatched(row);
    return true;
  }

  /** One claim: each endpoint's rows in arrival order, endpoints side by side. Returns how many were claimed. */
  async function drainOnce(): Promise<number> {
    const rows = await options.inbox.claim(options.batchSize, leaseMs, options.taskQueue);
    const claimedAt = Date.now();
    const byEndpoint = new Map<string, ClaimedDelivery[]>();
    for (const row of rows) {
      // A run request (no endpoint) is ordered after nothing: a group of its own.
      const group = row.endpointId ?? `request:${row.workspaceId}/${row.deliveryId}`;
      byEndpoint.set(group, [...(byEndpoint.get(group) ?? []), row]);
    }
    await Promise.all(
      [...byEndpoint.values()].map(async (group) => {
        for (let i = 0; i < group.length; i++) {
          // Room left under the lease for a start and its bookkeeping, or the rest goes back for the next claim.
          const inTime = Date.now() - claimedAt < leaseMs - 2 * startTimeoutMs;
          if (inTime && (await dispatchOne(group[i]))) continue;
          // Not started (refused, Temporal away, or out of time): the rows after it, and this one when it was not
          // tried, go back untried; the claim holds them behind the earlier one.
          for (const rest of group.slice(inTime ? i + 1 : i)) await options.inbox.retryLater(rest, null, 0, false);
          return;
        }
      }),
    );
    return rows.length;
  }

  async function pruneIfDue() {
    if (Date.now() - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = Date.now();
    const pruned = await options.inbox.prune(options.retentionDays);
    if (pruned > 0) log.info('Pruned dispatched webhook deliveries', { pruned, days: options.retentionDays });
  }

  function sleep(ms: number): Promise<void> {
    if (woken || stopping) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        woken = false;
        resolve();
      }
      wakeUp = done;
    });
  }

  async function run() {
    while (!stopping) {
      let full = false;
      try {
        full = (await drainOnce()) === options.batchSize;
        await pruneIfDue();
      } catch (err) {
        // PostgreSQL away: the rows are safe where they are; try again at the next tick.
        log.warn('The delivery dispatcher could not read the inbox', { error: reason(err) });
      }
      if (!full) await sleep(options.pollMs);
    }
  }

  return {
    /** Starts the loop (again, after `stop`). */
    start() {
      stopping = false;
      loop ??= run();
    },
    /** A delivery was accepted (or re-queued): look now rather than at the next poll. */
    wake() {
      woken = true;
      wakeUp?.();
    },
    /** Claims and starts until nothing is due; returns how many rows were claimed. For tests and tools. */
    async drain(): Promise<number> {
      let total = 0;
      for (let n = await drainOnce(); n > 0; n = await drainOnce()) total += n;
      return total;
    },
    /** Finishes the starts in flight (each bounded by `startTimeoutMs`) and stops. */
    async stop() {
      stopping = true;
      wakeUp?.();
      await loop;
      loop = undefined;
    },
  };
}

export type DeliveryDispatcher = ReturnType<typeof createDeliveryDispatcher>;
