import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { sealedContext, type SecretBox } from '../../lib/secrets';
import type { WebhookEndpoint } from '../models/webhook-endpoint.model';
import type { Database } from '../index';

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
    async remove(workspaceId: string, id: string) {
      return (await WebhookEndpoint.destroy({ where: { id, workspaceId } })) > 0;
    },
    /**
     * Records a delivery and starts its run as one step: the row is inserted first, in a transaction that commits
     * only once `start` has returned, so a delivery is never started without its record (a failed start leaves no
     * row, and a replay tries again). A concurrent delivery of the same id waits on the row, then finds it.
     */
    async recordDelivery<T extends { workflowId: string }>(
      endpointId: string,
      deliveryId: string,
      start: () => Promise<T>,
    ): Promise<{ duplicate: true; workflowId: string } | { duplicate: false; started: T }> {
      return db.sequelize.transaction(async (transaction) => {
        const inserted = await db.sequelize.query(
          `INSERT INTO webhook_deliveries (endpoint_id, delivery_id, workflow_id, received_at)
           VALUES (:endpointId, :deliveryId, '', now()) ON CONFLICT DO NOTHING RETURNING delivery_id`,
          { replacements: { endpointId, deliveryId }, transaction, type: QueryTypes.SELECT },
        );
        if (inserted.length === 0) {
          const row = await WebhookDelivery.findOne({ where: { endpointId, deliveryId }, transaction });
          return { duplicate: true as const, workflowId: row!.workflowId };
        }
        const started = await start();
        await WebhookDelivery.update(
          { workflowId: started.workflowId },
          { where: { endpointId, deliveryId }, transaction },
        );
        return { duplicate: false as const, started };
      });
    },
    async findDelivery(endpointId: string, deliveryId: string) {
      const row = await WebhookDelivery.findOne({ where: { endpointId, deliveryId } });
      return row ? { workflowId: row.workflowId } : null;
    },
  };
}

export type WebhookRepository = ReturnType<typeof createWebhookRepository>;
