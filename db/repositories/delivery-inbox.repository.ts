/**
 * The dispatcher's side of the delivery inbox (`webhook_deliveries`, migration 0013). A claim takes pending rows
 * with `FOR UPDATE SKIP LOCKED` and pushes their `next_attempt_at` out by a lease, in one short statement: no
 * transaction stays open while Temporal is called, and a dispatcher that dies mid-start leaves rows that another
 * claims once the lease ends (the workflow id makes a second start a no-op).
 */
import { QueryTypes } from 'sequelize';
import { createBatcher } from '../../lib/batcher';
import type { Database } from '../index';
import type { InboxRow } from './inbox-writer';

/** A pending row the dispatcher claimed: what acceptance wrote, and its attempts so far (this one included). */
export interface ClaimedDelivery extends InboxRow {
  attempts: number;
  receivedAt: Date;
}

interface Row {
  endpoint_id: string | null;
  delivery_id: string;
  workspace_id: string;
  automation: string;
  input: unknown;
  workflow_type: string;
  workflow_id: string;
  args: unknown[];
  brand_id: string | null;
  task_queue: string;
  started_by: string;
  attempts: number;
  received_at: Date;
}

const toClaimed = (r: Row): ClaimedDelivery => ({
  endpointId: r.endpoint_id,
  deliveryId: r.delivery_id,
  workspaceId: r.workspace_id,
  automation: r.automation,
  input: r.input,
  workflowType: r.workflow_type,
  workflowId: r.workflow_id,
  args: r.args,
  brandId: r.brand_id,
  taskQueue: r.task_queue,
  startedBy: r.started_by,
  attempts: r.attempts,
  receivedAt: new Date(r.received_at),
});

type RowKey = Pick<ClaimedDelivery, 'endpointId' | 'deliveryId' | 'workspaceId'>;

/** A row's key: endpoint and delivery id for a webhook delivery, workspace and request id for a run request. */
const keyOf = (d: RowKey) =>
  d.endpointId === null
    ? {
        where: 'endpoint_id IS NULL AND workspace_id = :workspaceId AND delivery_id = :deliveryId',
        replacements: { workspaceId: d.workspaceId, deliveryId: d.deliveryId },
      }
    : {
        where: 'endpoint_id = :endpointId AND delivery_id = :deliveryId',
        replacements: { endpointId: d.endpointId, deliveryId: d.deliveryId },
      };

export function createDeliveryInboxRepository(db: Database) {
  const run = (sql: string, replacements: Record<string, unknown>) =>
    db.sequelize.query(sql, { replacements, type: QueryTypes.UPDATE });

  const SET_DISPATCHED = `UPDATE webhook_deliveries w SET state = 'dispatched', dispatched_at = now(), last_error = NULL,
       updated_at = now()`;
  const dispatched = createBatcher(async (rows: RowKey[]) => {
    const hooks = rows.filter((r) => r.endpointId !== null);
    const requests = rows.filter((r) => r.endpointId === null);
    if (hooks.length > 0)
      await db.sequelize.query(
        `${SET_DISPATCHED} FROM (VALUES ${hooks.map((_, i) => `($${2 * i + 1}::uuid, $${2 * i + 2})`).join(', ')})
           AS k (endpoint_id, delivery_id) WHERE w.endpoint_id = k.endpoint_id AND w.delivery_id = k.delivery_id`,
        { bind: hooks.flatMap((r) => [r.endpointId, r.deliveryId]), type: QueryTypes.UPDATE },
      );
    if (requests.length > 0)
      await db.sequelize.query(
        `${SET_DISPATCHED} FROM (VALUES ${requests.map((_, i) => `($${2 * i + 1}::uuid, $${2 * i + 2})`).join(', ')})
           AS k (workspace_id, delivery_id)
          WHERE w.endpoint_id IS NULL AND w.workspace_id = k.workspace_id AND w.delivery_id = k.delivery_id`,
        { bind: requests.flatMap((r) => [r.workspaceId, r.deliveryId]), type: QueryTypes.UPDATE },
      );
    return rows.map(() => undefined);
  });

  return {
    /**
     * Up to `limit` pending rows accepted for `taskQueue` that are due, oldest first. A row waits while an earlier pending row of its
     * endpoint is not due (backing off, or claimed by another dispatcher), so an endpoint's runs start in the
     * order its deliveries arrived. The picked rows are matched by `ctid` (locked, they cannot move within the
     * statement): a run request has no endpoint, so (endpoint, delivery id) does not name it.
     */
    async claim(limit: number, leaseMs: number, taskQueue: string): Promise<ClaimedDelivery[]> {
      const rows = await db.sequelize.query<Row>(
        `WITH picked AS (
           SELECT d.ctid FROM webhook_deliveries d
            WHERE d.state = 'pending' AND d.next_attempt_at <= now() AND d.task_queue = :taskQueue
              AND NOT EXISTS (
                SELECT 1 FROM webhook_deliveries e
                 WHERE e.endpoint_id = d.endpoint_id AND e.state = 'pending'
                   AND e.received_at < d.received_at AND e.next_attempt_at > now())
            ORDER BY d.received_at, d.delivery_id
            LIMIT :limit
            FOR UPDATE OF d SKIP LOCKED)
         UPDATE webhook_deliveries w
            SET attempts = w.attempts + 1, next_attempt_at = now() + make_interval(secs => :leaseSeconds),
                updated_at = now()
           FROM picked
          WHERE w.ctid = picked.ctid
          RETURNING w.*`,
        { replacements: { limit, leaseSeconds: leaseMs / 1000, taskQueue }, type: QueryTypes.SELECT },
      );
      return rows
        .map(toClaimed)
        .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.deliveryId.localeCompare(b.deliveryId));
    },
    /** Batched: the rows started meanwhile are marked in one statement (one commit) per kind. */
    markDispatched: (d: RowKey): Promise<void> => dispatched(d),
    /** Tried and not started: due again after `delayMs`; `countAttempt: false` gives the attempt back. */
    async retryLater(d: RowKey, error: string | null, delayMs: number, countAttempt = true) {
      const key = keyOf(d);
      await run(
        `UPDATE webhook_deliveries
            SET next_attempt_at = now() + make_interval(secs => :delaySeconds),
                attempts = attempts - :giveBack, last_error = COALESCE(:error, last_error), updated_at = now()
          WHERE ${key.where} AND state = 'pending'`,
        {
          ...key.replacements,
          delaySeconds: delayMs / 1000,
          giveBack: countAttempt ? 0 : 1,
          error,
        },
      );
    },
    async markFailed(d: RowKey, error: string) {
      const key = keyOf(d);
      await run(
        `UPDATE webhook_deliveries SET state = 'failed', last_error = :error, updated_at = now()
          WHERE ${key.where} AND state = 'pending'`,
        { ...key.replacements, error },
      );
    },
    /** Deletes rows dispatched more than `days` ago; returns how many. */
    async prune(days: number): Promise<number> {
      const [{ count }] = await db.sequelize.query<{ count: number }>(
        `WITH gone AS (
           DELETE FROM webhook_deliveries
            WHERE state = 'dispatched' AND dispatched_at < now() - make_interval(days => :days) RETURNING 1)
         SELECT count(*)::int AS count FROM gone`,
        { replacements: { days }, type: QueryTypes.SELECT },
      );
      return count;
    },
  };
}

export type DeliveryInboxRepository = ReturnType<typeof createDeliveryInboxRepository>;
