/**
 * Run requests in the inbox (`webhook_deliveries` rows without an endpoint, migration 0019): `POST /runs` accepted
 * with `Prefer: respond-async`. The dispatcher starts them like webhook deliveries; this is how the caller reads one.
 */
import type { WebhookDelivery } from '../models/webhook-endpoint.model';
import type { Database } from '../index';
import { toDelivery, type DeliveryRecord } from './webhook.repository';

/** A run request as the API shows it: an inbox row without an endpoint (its delivery id is its requestId). */
export type RunRequestRecord = Omit<DeliveryRecord, 'endpointId'>;

export const toRunRequest = (d: WebhookDelivery): RunRequestRecord => {
  const { endpointId: _none, ...request } = toDelivery(d);
  return request;
};

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
