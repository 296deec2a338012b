/**
 * Writes accepted deliveries and run requests into the inbox (`webhook_deliveries`) with group commit: rows that
 * arrive while a write is in flight wait for it and go together in the next `INSERT … ON CONFLICT DO NOTHING`, one
 * statement and one commit for many requests. Nothing waits on a timer: alone, a row is written at once; under load
 * the batches grow by themselves. Each caller is answered once its own row is committed, or was there already.
 */
import { QueryTypes } from 'sequelize';
import type { DeliveryState } from '../../lib/delivery-states';
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

interface Waiting {
  row: InboxRow;
  resolve(written: WrittenRow | null): void;
  reject(err: unknown): void;
}

const COLUMNS = 11;
/** PostgreSQL takes 65535 bind parameters in a statement. */
const MAX_BATCH = 500;

const keyOf = (r: { endpointId: string | null; workspaceId: string; deliveryId: string }) =>
  r.endpointId === null ? `w:${r.workspaceId}/${r.deliveryId}` : `e:${r.endpointId}/${r.deliveryId}`;

export function createInboxWriter(db: Database, options: { maxInFlight?: number } = {}) {
  // Two statements in flight: one is written while the next batch gathers.
  const maxInFlight = options.maxInFlight ?? 2;
  let queue: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;

  async function insert(batch: Waiting[]): Promise<Map<string, WrittenRow>> {
    const bind: unknown[] = [];
    const values = batch.map(({ row }, i) => {
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

  async function write(batch: Waiting[]) {
    inFlight++;
    try {
      let written: Map<string, WrittenRow>;
      try {
        written = await insert(batch);
      } catch (err) {
        if (batch.length === 1) throw err;
        // One bad row (an endpoint deleted meanwhile) must not fail the others: each on its own.
        await Promise.all(batch.map((w) => write([w])));
        return;
      }
      // Two requests for one key in a batch: the first gets the row, the rest are duplicates.
      for (const w of batch) {
        const key = keyOf(w.row);
        w.resolve(written.get(key) ?? null);
        written.delete(key);
      }
    } catch (err) {
      for (const w of batch) w.reject(err);
    } finally {
      inFlight--;
      flushSoon();
    }
  }

  function flush() {
    scheduled = false;
    while (queue.length > 0 && inFlight < maxInFlight) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(MAX_BATCH);
      void write(batch);
    }
  }

  function flushSoon() {
    if (scheduled || queue.length === 0 || inFlight >= maxInFlight) return;
    scheduled = true;
    // After the current I/O callbacks: the requests that arrived in the same turn go together.
    setImmediate(flush);
  }

  return {
    /** Writes the row; null when the inbox already has one of that key (a duplicate). */
    accept(row: InboxRow): Promise<WrittenRow | null> {
      return new Promise((resolve, reject) => {
        queue.push({ row, resolve, reject });
        flushSoon();
      });
    },
  };
}

export type InboxWriter = ReturnType<typeof createInboxWriter>;
