/**
 * Writes accepted deliveries and run requests into the inbox (`webhook_deliveries`) with group commit: rows that
 * arrive while a write is in flight wait for it and go together in the next `INSERT … ON CONFLICT DO NOTHING`, one
 * statement and one commit for many requests (lib/batcher.ts). Nothing waits on a timer: alone, a row is written at
 * once; under load the batches grow by themselves. Each caller is answered once its own row is committed, or was
 * there already. The duplicate check before a delivery is prepared is batched the same way.
 */
import { QueryTypes } from 'sequelize';
import type { DeliveryState } from '../../lib/delivery-states';
import { createBatcher } from '../../lib/batcher';
import type { Database } from '../index';

/** What acceptance writes: the delivery (or run request) and the run prepared for it; the dispatcher starts it. */
export interface InboxRow {
  /** NULL for a run request: its delivery id (the requestId) is unique in its workspace. */
  endpointId: string | null;
  deliveryId: string;
  workspaceId: string;
  automation: string;
  input: unknown;
  workflowType: string;
  workflowId: string;
  args: unknown[];
  brandId: string | null;
  taskQueue: string;
  startedBy: string;
}

/** A row as it was written. */
export interface WrittenRow {
  state: DeliveryState;
  receivedAt: Date;
  updatedAt: Date;
}

const COLUMNS = 11;
/** PostgreSQL takes 65535 bind parameters in a statement. */
const MAX_BATCH = 500;

type Key = { endpointId: string | null; workspaceId: string; deliveryId: string };

const keyOf = (r: Key) =>
  r.endpointId === null ? `w:${r.workspaceId}/${r.deliveryId}` : `e:${r.endpointId}/${r.deliveryId}`;

export function createInboxWriter(db: Database, options: { maxInFlight?: number } = {}) {
  async function insert(batch: InboxRow[]): Promise<Map<string, WrittenRow>> {
    const bind: unknown[] = [];
    const values = batch.map((row, i) => {
      bind.push(
        row.endpointId,
        row.deliveryId,
        row.workspaceId,
        row.automation,
        JSON.stringify(row.input ?? {}),
        row.workflowType,
        row.workflowId,
        JSON.stringify(row.args),
        row.brandId,
        row.taskQueue,
        row.startedBy,
      );
      const p = (n: number) => `$${i * COLUMNS + n}`;
      return `(${p(1)}::uuid, ${p(2)}, ${p(3)}::uuid, ${p(4)}, ${p(5)}::jsonb, ${p(6)}, ${p(7)}, ${p(8)}::jsonb, ${p(9)}::uuid, ${p(10)}, ${p(11)})`;
    });
    const rows = await db.sequelize.query<{
      endpoint_id: string | null;
      delivery_id: string;
      workspace_id: string;
      received_at: Date;
      updated_at: Date;
    }>(
      `INSERT INTO webhook_deliveries (endpoint_id, delivery_id, workspace_id, automation, input, workflow_type,
         workflow_id, args, brand_id, task_queue, started_by, state, received_at, next_attempt_at, updated_at)
       SELECT v.*, 'pending', date_trunc('milliseconds', now()), now(), now()
         FROM (VALUES ${values.join(', ')}) AS v
       ON CONFLICT DO NOTHING
       RETURNING endpoint_id, delivery_id, workspace_id, received_at, updated_at`,
      { bind, type: QueryTypes.SELECT },
    );
    const written = new Map<string, WrittenRow>();
    for (const r of rows)
      written.set(keyOf({ endpointId: r.endpoint_id, workspaceId: r.workspace_id, deliveryId: r.delivery_id }), {
        state: 'pending',
        receivedAt: new Date(r.received_at),
        updatedAt: new Date(r.updated_at),
      });
    return written;
  }

  const write = createBatcher(
    async (batch: InboxRow[]): Promise<(WrittenRow | null | Error)[]> => {
      let written: Map<string, WrittenRow>;
      try {
        written = await insert(batch);
      } catch (err) {
        if (batch.length === 1) return [err as Error];
        // One bad row (its endpoint deleted meanwhile) must not fail the others: each on its own.
        return Promise.all(batch.map(async (row) => (await insert([row]).catch((e: Error) => e)) as never));
      }
      // Two requests for one key in a batch: the first gets the row, the rest are duplicates.
      return batch.map((row) => {
        const key = keyOf(row);
        const mine = written.get(key) ?? null;
        written.delete(key);
        return mine;
      });
    },
    { maxInFlight: options.maxInFlight ?? 2, maxBatch: MAX_BATCH },
  );

  /** Which of the deliveries the inbox has, in one statement for all the lookups gathered meanwhile. */
  const lookup = createBatcher(
    async (keys: { endpointId: string; deliveryId: string }[]): Promise<boolean[]> => {
      const bind: unknown[] = [];
      const values = keys.map((k, i) => {
        bind.push(k.endpointId, k.deliveryId);
        return `($${i * 2 + 1}::uuid, $${i * 2 + 2})`;
      });
      const rows = await db.sequelize.query<{ endpoint_id: string; delivery_id: string }>(
        `SELECT endpoint_id, delivery_id FROM webhook_deliveries
          WHERE (endpoint_id, delivery_id) IN (VALUES ${values.join(', ')})`,
        { bind, type: QueryTypes.SELECT },
      );
      const found = new Set(rows.map((r) => `${r.endpoint_id}/${r.delivery_id}`));
      return keys.map((k) => found.has(`${k.endpointId}/${k.deliveryId}`));
    },
    { maxInFlight: 2, maxBatch: MAX_BATCH },
  );

  return {
    /** Writes the row; null when the inbox already has one of that key (a duplicate). */
    async accept(row: InboxRow): Promise<WrittenRow | null> {
      const result = await write(row);
      if (result instanceof Error) throw result;
      return result;
    },
    /** Whether the endpoint has a delivery of this id. */
    hasDelivery: (endpointId: string, deliveryId: string): Promise<boolean> => lookup({ endpointId, deliveryId }),
  };
}

export type InboxWriter = ReturnType<typeof createInboxWriter>;
