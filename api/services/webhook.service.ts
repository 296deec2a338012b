/**
 * Webhook endpoints and inbound deliveries (Standard Webhooks: HMAC-SHA256 over
 * `id.timestamp.body`, 5-minute tolerance). A delivery id maps to one workflow id, so a
 * replayed delivery starts nothing new and answers with the first run.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { WebhookRepository } from '../../db/repositories/webhook.repository';
import { NotFoundError, UnauthorizedError, ValidationError } from '../../lib/errors';
import type { AutomationRegistry } from '../automations';
import type { Principal } from './account.service';
import { applyInputMapping, invalidPointers } from './input-mapping';
import type { RunService } from './run.service';
import { refuseHostileJson } from '../validation';

export interface DeliveryHeaders {
  'webhook-id'?: string;
  'webhook-timestamp'?: string;
  'webhook-signature'?: string;
}

export function createWebhookService(deps: {
  webhooks: WebhookRepository;
  runs: RunService;
  automations: AutomationRegistry;
  publicUrl: string;
  toleranceSeconds: number;
}) {
  const view = <T extends { id: string }>(e: T) => ({ ...e, url: `${deps.publicUrl}/api/v1/hooks/${e.id}` });

  return {
    async create(
      principal: Principal,
      fields: { name: string; automation: string; inputMapping: Record<string, unknown> },
    ) {
      deps.automations.get(fields.automation);
      const bad = invalidPointers(fields.inputMapping);
      if (bad.length)
        throw new ValidationError('Pointers must start with "/"', {
          errors: bad.map((field) => ({ field, message: 'must be a JSON pointer like /data/brandId' })),
        });
      const secret = `whsec_${randomBytes(24).toString('base64')}`;
      const endpoint = await deps.webhooks.create({ ...fields, workspaceId: principal.workspaceId, secret });
      return { ...view(endpoint), secret };
    },
    async list(principal: Principal) {
      return (await deps.webhooks.list(principal.workspaceId)).map(view);
    },
    async remove(principal: Principal, id: string) {
      if (!(await deps.webhooks.remove(principal.workspaceId, id)))
        throw new NotFoundError(`Webhook endpoint ${id} not found`);
    },

    async deliver(endpointId: string, rawBody: Buffer, headers: DeliveryHeaders) {
      const endpoint = await deps.webhooks.findForDelivery(endpointId);
      if (!endpoint || !endpoint.enabled) throw new NotFoundError(`Webhook endpoint ${endpointId} not found`);

      verifySignature(endpoint.secret, rawBody, headers, deps.toleranceSeconds);
      const deliveryId = headers['webhook-id']!;

      let body: unknown;
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        throw new ValidationError('The body is not valid JSON', {
          errors: [{ field: 'body', message: 'not valid JSON' }],
        });
      }
      // What the mapping takes from the body reaches the run's input and the database: refused like any API body.
      refuseHostileJson(body);

      const previous = await deps.webhooks.findDelivery(endpoint.id, deliveryId);
      const principal: Principal = {
        workspaceId: endpoint.workspaceId,
        role: 'editor',
        kind: 'webhook',
        id: endpoint.id,
        name: `webhook:${endpoint.name}`,
      };
      if (previous)
        return { duplicate: true, run: await deps.runs.get(principal, previous.workflowId, { withProgress: false }) };

      // The request id derives from the delivery id: two concurrent deliveries of the same id
      // compute the same workflow id, and Temporal starts it once.
      const requestId = `hook-${createHash('sha256').update(`${endpoint.id}/${deliveryId}`).digest('hex').slice(0, 32)}`;
      const input = applyInputMapping(endpoint.inputMapping, body);
      const recorded = await deps.webhooks.recordDelivery(endpoint.id, deliveryId, async () => {
        const started = await deps.runs.start(principal, { automation: endpoint.automation, input, requestId });
        return { ...started, workflowId: started.run.id };
      });
      if (recorded.duplicate)
        return { duplicate: true, run: await deps.runs.get(principal, recorded.workflowId, { withProgress: false }) };
      return { duplicate: !recorded.started.created, run: recorded.started.run };
    },
  };
}

function verifySignature(secret: string, rawBody: Buffer, headers: DeliveryHeaders, toleranceSeconds: number) {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (!id || !timestamp || !signature)
    throw new UnauthorizedError('Missing webhook-id, webhook-timestamp or webhook-signature header');
  const seconds = Number(timestamp);
  if (!Number.isInteger(seconds)) throw new UnauthorizedError('webhook-timestamp must be Unix seconds');
  // Checked here as well as by the library so the tolerance is ours to configure.
  if (Math.abs(Date.now() / 1000 - seconds) > toleranceSeconds)
    throw new UnauthorizedError(`webhook-timestamp is more than ${toleranceSeconds} s from now`);
  try {
    new Webhook(secret).verify(rawBody.toString('utf8'), {
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': signature,
    });
  } catch (err) {
    if (err instanceof WebhookVerificationError) throw new UnauthorizedError(`Signature rejected: ${err.message}`);
    // The library parses the body once the signature matches.
    if (err instanceof SyntaxError)
      throw new ValidationError('The body is not valid JSON', {
        errors: [{ field: 'body', message: 'not valid JSON' }],
      });
    throw err;
  }
}

export type WebhookService = ReturnType<typeof createWebhookService>;
