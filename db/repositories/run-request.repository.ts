/**
 * Run requests in the inbox (`webhook_deliveries` rows without an endpoint, migration 0019): `POST /runs` accepted
 * with `Prefer: respond-async`. The dispatcher starts them like webhook deliveries; this is how the caller reads one.
 */
import type { DeliveryState } from '../../lib/delivery-states';
import type { WebhookDelivery } from '../models/webhook-endpoint.model';
import type { Database } from '../index';

export interface RunRequestRecord {
  /** The request's id: its requestId, given or generated. */
  deliveryId: string;
  automation: string;
  state: DeliveryState;
  /** The workflow id the run has (dispatched) or will have. */
  runId: string;
  input: unknown;
  attempts: number;
  lastError: string | null;
  receivedAt: string;
  dispatchedAt: string | null;
  updatedAt: string;
}

export const toRunRequest = (d: WebhookDelivery): RunRequestRecord => ({
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

export function createRunRequestRepository(db: Database) {
  const { WebhookDelivery } = db.models;
  return {
    async find(workspaceId: string, deliveryId: string): Promise<RunRequestRecord | null> {
      const row = await WebhookDelivery.findOne({ where: { endpointId: null, workspaceId, deliveryId } });
      return row ? toRunRequest(row) : null;
    },
  };
}

export type RunRequestRepository = ReturnType<typeof createRunRequestRepository>;
