import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
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

/** Management of endpoints (authenticated, admin). */
export function webhookEndpointsRouter(webhooks: WebhookService): Router {
  const router = Router();
  router.get('/webhook-endpoints', requireRole('admin'), async (_req, res) => {
    res.json({ items: await webhooks.list(principalOf(res)) });
  });
  router.post('/webhook-endpoints', requireRole('admin'), async (req, res) => {
    res.status(201).json(await webhooks.create(principalOf(res), parse(createWebhookEndpointSchema, req.body)));
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
      const { duplicate, run } = await webhooks.deliver(endpoint, body, {
        'webhook-id': webhookId,
        'webhook-timestamp': req.get('webhook-timestamp'),
        'webhook-signature': req.get('webhook-signature'),
      });
      res
        .status(duplicate ? 200 : 202)
        .json({ runId: run.id, duplicate, status: run.status, url: `/api/v1/runs/${encodeURIComponent(run.id)}` });
    },
  );
  return router;
}
