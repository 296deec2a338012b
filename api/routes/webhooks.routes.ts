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
      const { duplicate, run } = await webhooks.deliver(endpoint, body, {
        'webhook-id': req.get('webhook-id'),
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
