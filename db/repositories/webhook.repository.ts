import { randomUUID } from 'node:crypto';
import { Op } from 'sequelize';
import { sealedContext, type SecretBox } from '../../lib/secrets';
import type { DeliveryState } from '../../lib/delivery-states';
import type { WebhookDelivery, WebhookEndpoint } from '../models/webhook-endpoint.model';
import type { Database } from '../index';
import type { InboxRow, WrittenRow } from './inbox-writer';

export interface WebhookEndpointRecord {
  id: string;
  workspaceId: string;
  name: string;
  automation: string;
  inputMapping: Record<string, unknown>;
  enabled: boolean;
  createdAt: string;
}

const toRecord = (e: WebhookEndpoint): WebhookEndpointRecord => ({
  id: e.id,
  workspaceId: e.workspaceId,
  name: e.name,
  automation: e.automation,
  inputMapping: e.inputMapping,
  enabled: e.enabled,
  createdAt: e.createdAt.toISOString(),
});

/** A delivery as the API shows it. */
export interface DeliveryRecord {
  endpointId: string;
  deliveryId: string;
  automation: string;
  state: DeliveryState;
  /** The workflow id it has (dispatched) or will have (pending, failed). */
  runId: string;
  input: unknown;
  attempts: number;
  lastError: string | null;
  receivedAt: string;
  dispatchedAt: string | null;
  updatedAt: string;
}

/** An inbox row as the API shows it; a run request's `endpointId` is null (run-request.repository.ts drops it). */
export const toDelivery = (d: WebhookDelivery): DeliveryRecord => ({
  endpointId: d.endpointId as string,
  deliveryId: d.deliveryId,
  automation: d.automation,
  state: d.state,
  runId: d.workflowId,
  input: d.input,
  attempts: d.attempts,
  lastError: d.lastError ?? null,
  receivedAt: d.receivedAt.toISOString(),
  dispatchedAt: d.dispatchedAt ? d.dispatchedAt.toISOString() : null,
  updatedAt: d.updatedAt.toISOString(),
});

/** The record of a row acceptance has just written: no attempt yet. */
export const acceptedDelivery = (row: InboxRow, written: WrittenRow): DeliveryRecord => ({
  endpointId: row.endpointId as string,
  deliveryId: row.deliveryId,
  automation: row.automation,
  state: written.state,
  runId: row.workflowId,
  input: row.input,
  attempts: 0,
  lastError: null,
  receivedAt: written.receivedAt.toISOString(),
  dispatchedAt: null,
  updatedAt: written.updatedAt.toISOString(),
});

/** The secret is sealed on write and opened on read; it exists in clear only in this process's memory. */
const secretContext = (id: string) => sealedContext('webhook_endpoints', 'secret', id);

export function createWebhookRepository(db: Database, deps: { secrets: SecretBox }) {
  const { WebhookDelivery, WebhookEndpoint } = db.models;
  return {
    async create(fields: {
      workspaceId: string;
      name: string;
      automation: string;
      inputMapping: Record<string, unknown>;
      secret: string;
    }) {
      // The id is chosen here because the sealed value is bound to its row.
      const id = randomUUID();
      const secret = deps.secrets.seal(fields.secret, secretContext(id));
      return toRecord(await WebhookEndpoint.create({ ...fields, id, secret }));
    },
    async list(workspaceId: string) {
      return (await WebhookEndpoint.findAll({ where: { workspaceId }, order: [['createdAt', 'DESC']] })).map(toRecord);
    },
    /** For verification: the endpoint with its secret, whatever the workspace. */
    async findForDelivery(id: string): Promise<(WebhookEndpointRecord & { secret: string }) | null> {
      const e = await WebhookEndpoint.findByPk(id);
      return e ? { ...toRecord(e), secret: deps.secrets.open(e.secret, secretContext(e.id)) } : null;
    },
    async findOwned(workspaceId: string, id: string) {
      const e = await WebhookEndpoint.findOne({ where: { id, workspaceId } });
      return e ? toRecord(e) : null;
    },
    async remove(workspaceId: string, id: string) {
      return (await WebhookEndpoint.destroy({ where: { id, workspaceId } })) > 0;
    },
    async findDelivery(endpointId: string, deliveryId: string): Promise<DeliveryRecord | null> {
      const row = await WebhookDelivery.findOne({ where: { endpointId, deliveryId } });
      return row ? toDelivery(row) : null;
    },
    /** An endpoint's deliveries, newest first; the cursor is the last item's `receivedAt|deliveryId`. */
    async listDeliveries(
      endpointId: string,
      options: { state?: DeliveryState; limit: number; cursor?: { receivedAt: string; deliveryId: string } },
    ) {
      const { cursor } = options;
      const scope = { endpointId, ...(options.state ? { state: options.state } : {}) };
      const rows = await WebhookDelivery.findAll({
        where: cursor
          ? {
              ...scope,
              [Op.or]: [
                { receivedAt: { [Op.lt]: cursor.receivedAt } },
                { receivedAt: cursor.receivedAt, deliveryId: { [Op.lt]: cursor.deliveryId } },
              ],
            }
          : scope,
        order: [
          ['receivedAt', 'DESC'],
          ['deliveryId', 'DESC'],
        ],
        limit: options.limit + 1,
      });
      return { items: rows.slice(0, options.limit).map(toDelivery), hasMore: rows.length > options.limit };
    },
    /** Puts a failed delivery back in the queue with fresh attempts; null when it is not failed (or not there). */
    async redispatch(endpointId: string, deliveryId: string): Promise<DeliveryRecord | null> {
      const [count, rows] = await WebhookDelivery.update(
        { state: 'pending', attempts: 0, nextAttemptAt: new Date(), updatedAt: new Date() },
        { where: { endpointId, deliveryId, state: 'failed' }, returning: true },
      );
      return count > 0 ? toDelivery(rows[0]) : null;
    },
  };
}

export type WebhookRepository = ReturnType<typeof createWebhookRepository>;
