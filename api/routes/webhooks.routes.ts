import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { DELIVERY_STATES } from '../../lib/delivery-states';
import { MAX_CURSOR_LENGTH } from '../../lib/cursor';
import { principalOf, requireRole } from '../middleware/auth';
import type { WebhookService } from '../services/webhook.service';
import { parse } from '../validation';

export const createWebhookEndpointSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    automation: z.string().min(1).max(60),
    inputMapping: z
      .record(z.string(), z.unknown())
      .describe(
        'The automation input; values like {"from": "/json/pointer", "default": …} are taken from the delivered body',
      ),
  })
  .strict();

/**
 * A delivery id is stored with the delivery (200 characters at most) and makes the workflow id: printable ASCII
 * only, checked before anything else is done with it.
 */
export const webhookIdSchema = z
  .string()
  .max(200, 'must be at most 200 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

export const listDeliveriesQuerySchema = z
  .object({
    state: z.enum(DELIVERY_STATES).optional().describe('Only deliveries in this state'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(MAX_CURSOR_LENGTH).optional().describe('nextCursor of the previous page'),
  })
  .strict();

/** Management of endpoints and their delivery inbox (authenticated, admin). */
export function webhookEndpointsRouter(webhooks: WebhookService): Router {
  const router = Router();
  router.get('/webhook-endpoints', requireRole('admin'), async (_req, res) => {
    res.json({ items: await webhooks.list(principalOf(res)) });
  });
  router.post('/webhook-endpoints', requireRole('admin'), async (req, res) => {
    res.status(201).json(await webhooks.create(principalOf(res), parse(createWebhookEndpointSchema, req.body)));
  });
  router.get('/webhook-endpoints/:id/deliveries', requireRole('admin'), async (req, res) => {
    const id = parse(z.uuid(), req.params.id, 'id');
    res.json(await webhooks.deliveries(principalOf(res), id, parse(listDeliveriesQuerySchema, req.query)));
  });
  router.post('/webhook-endpoints/:id/deliveries/:deliveryId/dispatch', requireRole('admin'), async (req, res) => {
    const id = parse(z.uuid(), req.params.id, 'id');
    const deliveryId = parse(webhookIdSchema, req.params.deliveryId, 'deliveryId');
    res.status(202).json(await webhooks.redispatch(principalOf(res), id, deliveryId));
  });
  router.delete('/webhook-endpoints/:id', requireRole('admin'), async (req, res) => {
    await webhooks.remove(principalOf(res), parse(z.uuid(), req.params.id, 'id'));
    res.status(204).end();
  });
  return router;
}

/** Inbound deliveries: public, authenticated by signature; the raw body is what was signed. */
export function hooksRouter(webhooks: WebhookService, options: { maxBytes: number; limit: RequestHandler }): Router {
  const router = Router();
  // The rate limit runs before the body is read, so a flood costs no parsing.
  router.post(
    '/hooks/:endpoint',
    options.limit,
    express.raw({ type: () => true, limit: options.maxBytes }),
    async (req, res) => {
      const endpoint = parse(z.uuid(), req.params.endpoint, 'endpoint');
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      // A missing id is the signature check's to refuse (401); a malformed one is the caller's mistake (400).
      const webhookId = req.get('webhook-id');
      if (webhookId !== undefined) parse(webhookIdSchema, webhookId, 'webhook-id');
      const { duplicate, delivery } = await webhooks.deliver(endpoint, body, {
        'webhook-id': webhookId,
        'webhook-timestamp': req.get('webhook-timestamp'),
        'webhook-signature': req.get('webhook-signature'),
      });
      // Accepted into the inbox: `runId` is the workflow id the run has, or will have once dispatched.
      res.status(duplicate ? 200 : 202).json({
        deliveryId: delivery.deliveryId,
        state: delivery.state,
        runId: delivery.runId,
        duplicate,
        url: `/api/v1/runs/${encodeURIComponent(delivery.runId)}`,
      });
    },
  );
  return router;
}
