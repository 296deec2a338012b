import { WebhookDelivery, WebhookEndpoint } from '../models/webhook.model';

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

export function createWebhookRepository() {
  return {
    async create(fields: {
      workspaceId: string;
      name: string;
      automation: string;
      inputMapping: Record<string, unknown>;
      secret: string;
    }) {
      return toRecord(await WebhookEndpoint.create(fields));
    },
    async list(workspaceId: string) {
      return (await WebhookEndpoint.findAll({ where: { workspaceId }, order: [['createdAt', 'DESC']] })).map(toRecord);
    },
    /** For verification: the endpoint with its secret, whatever the workspace. */
    async findForDelivery(id: string): Promise<(WebhookEndpointRecord & { secret: string }) | null> {
      const e = await WebhookEndpoint.findByPk(id);
      return e ? { ...toRecord(e), secret: e.secret } : null;
    },
    async remove(workspaceId: string, id: string) {
      return (await WebhookEndpoint.destroy({ where: { id, workspaceId } })) > 0;
    },
    async recordDelivery(endpointId: string, deliveryId: string, workflowId: string) {
      const [row, created] = await WebhookDelivery.findOrCreate({
        where: { endpointId, deliveryId },
        defaults: { endpointId, deliveryId, workflowId },
      });
      return { workflowId: row.workflowId, created };
    },
    async findDelivery(endpointId: string, deliveryId: string) {
      const row = await WebhookDelivery.findOne({ where: { endpointId, deliveryId } });
      return row ? { workflowId: row.workflowId } : null;
    },
  };
}

export type WebhookRepository = ReturnType<typeof createWebhookRepository>;
