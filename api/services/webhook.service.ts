/**
 * Webhook endpoints and inbound deliveries (Standard Webhooks: HMAC-SHA256 over `id.timestamp.body`, 5-minute
 * tolerance). A delivery is accepted once it is in the inbox (PostgreSQL), its run prepared; the dispatcher
 * (delivery-dispatcher.ts) starts it, so a delivery never waits on Temporal. A delivery id maps to one workflow id:
 * a replayed delivery adds nothing and answers with the first one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { ForeignKeyConstraintError } from 'sequelize';
import { z } from 'zod';
import type { DeliveryState } from '../../lib/delivery-states';
import type { InboxWriter } from '../../db/repositories/inbox-writer';
import { acceptedDelivery } from '../../db/repositories/webhook.repository';
import type {
  DeliveryRecord,
  WebhookEndpointRecord,
  WebhookRepository,
} from '../../db/repositories/webhook.repository';
import { cursorInstant, decodeCursor, encodeCursor } from '../../lib/cursor';
import { ConflictError, NotFoundError, UnauthorizedError, ValidationError } from '../../lib/errors';
import type { AutomationRegistry } from '../automations';
import type { Principal } from './account.service';
import { inboxRowOf } from './run-prepare';
import { applyInputMapping, invalidPointers } from './input-mapping';
import { parse, refuseHostileJson } from '../validation';

const cursorOf = (d: DeliveryRecord) =>
  encodeCursor('webhook-deliveries', { receivedAt: d.receivedAt, deliveryId: d.deliveryId });
const parseCursor = (cursor: string) =>
  decodeCursor(
    'webhook-deliveries',
    z.object({ receivedAt: cursorInstant, deliveryId: z.string().min(1).max(200) }).strict(),
    cursor,
  );

type DeliveryEndpoint = WebhookEndpointRecord & { secret: string; verifier: Webhook };

export interface DeliveryHeaders {
  'webhook-id'?: string;
  'webhook-timestamp'?: string;
  'webhook-signature'?: string;
}

export function createWebhookService(deps: {
  webhooks: WebhookRepository;
  /** Writes accepted deliveries (group commit). */
  inbox: InboxWriter;
  /** The queue inbox rows are started on (the API's main queue). */
  taskQueue: string;
  /** Called once a delivery is in the inbox: wakes the dispatcher. */
  onAccepted?: () => void;
  automations: AutomationRegistry;
  publicUrl: string;
  toleranceSeconds: number;
  /** How long an endpoint read for a delivery is used again (0: read every time). */
  endpointCacheMs?: number;
}) {
  const owned = async (principal: Principal, id: string) => {
    const endpoint = await deps.webhooks.findOwned(principal.workspaceId, id);
    if (!endpoint) throw new NotFoundError(`Webhook endpoint ${id} not found`);
    return endpoint;
  };
  const view = <T extends { id: string }>(e: T) => ({ ...e, url: `${deps.publicUrl}/api/v1/hooks/${e.id}` });
  // Endpoints as deliveries need them (secret opened, verifier built), kept briefly: a busy sender costs no
  // PostgreSQL read and no unsealing per delivery. Deleting an endpoint clears it here at once; another API process
  // serves the deleted endpoint at most `endpointCacheMs` longer, and its inbox insert then fails on the foreign key.
  const endpointCacheMs = deps.endpointCacheMs ?? 10_000;
  const endpoints = new Map<string, { endpoint: DeliveryEndpoint; expiresAt: number }>();
  const endpointForDelivery = async (id: string): Promise<DeliveryEndpoint | null> => {
    const hit = endpoints.get(id);
    if (hit && hit.expiresAt > Date.now()) return hit.endpoint;
    endpoints.delete(id);
    const found = await deps.webhooks.findForDelivery(id);
    if (!found || !found.enabled) return null;
    const endpoint = { ...found, verifier: new Webhook(found.secret) };
    if (endpoints.size >= 10_000) endpoints.delete(endpoints.keys().next().value as string);
    if (endpointCacheMs > 0) endpoints.set(id, { endpoint, expiresAt: Date.now() + endpointCacheMs });
    return endpoint;
  };

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
      endpoints.delete(id);
      if (!(await deps.webhooks.remove(principal.workspaceId, id)))
        throw new NotFoundError(`Webhook endpoint ${id} not found`);
      endpoints.delete(id);
    },

    async deliver(endpointId: string, rawBody: Buffer, headers: DeliveryHeaders) {
      const endpoint = await endpointForDelivery(endpointId);
      if (!endpoint) throw new NotFoundError(`Webhook endpoint ${endpointId} not found`);

      verifySignature(endpoint.verifier, rawBody, headers, deps.toleranceSeconds);
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

      // A replay is answered before anything is prepared (the lookups of concurrent deliveries go in one query).
      if (await deps.inbox.hasDelivery(endpoint.id, deliveryId))
        return { duplicate: true, delivery: (await deps.webhooks.findDelivery(endpoint.id, deliveryId))! };

      const principal: Principal = {
        workspaceId: endpoint.workspaceId,
        role: 'editor',
        kind: 'webhook',
        id: endpoint.id,
        name: `webhook:${endpoint.name}`,
      };
      const automation = deps.automations.get(endpoint.automation);
      const input = parse(automation.inputSchema, applyInputMapping(endpoint.inputMapping, body) ?? {}, 'input');
      // The request id derives from the delivery id, so the workflow id does too: two concurrent deliveries of the
      // same id, or two dispatches of one row, name the same workflow and Temporal starts it once.
      const requestId = `hook-${createHash('sha256').update(`${endpoint.id}/${deliveryId}`).digest('hex').slice(0, 32)}`;
      // Prepared now, with PostgreSQL only (reference checks, leads saved): the dispatcher just starts it. A
      // concurrent duplicate may prepare twice; what prepare writes is keyed (a lead merges on its email).
      const prepared = await automation.prepare(principal, input, requestId);
      const row = inboxRowOf(prepared, {
        endpointId: endpoint.id,
        deliveryId,
        workspaceId: endpoint.workspaceId,
        automation: automation.name,
        input,
        taskQueue: deps.taskQueue,
        startedBy: principal.name,
      });
      let written;
      try {
        written = await deps.inbox.accept(row);
      } catch (err) {
        // Deleted while another process still had it cached.
        if (err instanceof ForeignKeyConstraintError)
          throw new NotFoundError(`Webhook endpoint ${endpointId} not found`);
        throw err;
      }
      if (!written) return { duplicate: true, delivery: (await deps.webhooks.findDelivery(endpoint.id, deliveryId))! };
      deps.onAccepted?.();
      const delivery = acceptedDelivery(row, written);
      return { duplicate: false, delivery };
    },

    /** An endpoint's inbox, newest first. */
    async deliveries(
      principal: Principal,
      endpointId: string,
      query: { state?: DeliveryState; limit: number; cursor?: string },
    ) {
      await owned(principal, endpointId);
      const page = await deps.webhooks.listDeliveries(endpointId, {
        state: query.state,
        limit: query.limit,
        cursor: query.cursor ? parseCursor(query.cursor) : undefined,
      });
      const last = page.items.at(-1);
      return { items: page.items, nextCursor: page.hasMore && last ? cursorOf(last) : null };
    },

    /** Puts a failed delivery back in the queue by hand; the dispatcher starts it as soon as it wakes. */
    async redispatch(principal: Principal, endpointId: string, deliveryId: string) {
      await owned(principal, endpointId);
      const queued = await deps.webhooks.redispatch(endpointId, deliveryId);
      if (queued) {
        deps.onAccepted?.();
        return queued;
      }
      const found = await deps.webhooks.findDelivery(endpointId, deliveryId);
      if (!found) throw new NotFoundError(`Delivery ${deliveryId} not found`);
      throw new ConflictError(`Delivery ${deliveryId} is ${found.state}: only a failed delivery is dispatched again`);
    },
  };
}

function verifySignature(verifier: Webhook, rawBody: Buffer, headers: DeliveryHeaders, toleranceSeconds: number) {
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
    verifier.verify(rawBody.toString('utf8'), {
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
