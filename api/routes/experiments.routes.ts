import { Router } from 'express';
import { z } from 'zod';
import { MAX_CURSOR_LENGTH } from '../../lib/cursor';
import { experimentEventSchema, experimentInputSchema, MAX_EVENT_BATCH } from '../../lib/abtest/experiment';
import { principalOf, requireRole } from '../middleware/auth';
import type { ExperimentService } from '../services/experiment.service';
import { parse } from '../validation';

export const experimentListQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(MAX_CURSOR_LENGTH).optional().describe('nextCursor of the previous page'),
    brandId: z.uuid().optional(),
  })
  .strict();

export const evaluationListQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    cursor: z.string().max(MAX_CURSOR_LENGTH).optional().describe('nextCursor of the previous page'),
  })
  .strict();

export const assignmentQuerySchema = z
  .object({ unit: z.string().trim().min(1).max(200).describe('The visitor or recipient: any stable id of yours') })
  .strict();

export const experimentEventsBodySchema = z.union([
  experimentEventSchema,
  z.array(experimentEventSchema).min(1).max(MAX_EVENT_BATCH),
]);

export const experimentControlSchema = z
  .object({
    action: z.enum(['pause', 'resume', 'stop', 'extend']),
    days: z.number().int().min(1).max(60).optional().describe('For extend: days added to the maximum duration'),
  })
  .strict()
  .refine((c) => c.action !== 'extend' || c.days !== undefined, { path: ['days'], message: 'extend needs days' });

export function experimentsRouter(experiments: ExperimentService): Router {
  const router = Router();
  const idOf = (raw: unknown) => parse(z.uuid(), raw, 'id');
  router.get('/experiments', async (req, res) => {
    res.json(await experiments.list(principalOf(res).workspaceId, parse(experimentListQuerySchema, req.query)));
  });
  router.post('/experiments', requireRole('editor'), async (req, res) => {
    const created = await experiments.create(principalOf(res).workspaceId, parse(experimentInputSchema, req.body));
    res.status(201).location(`/api/v1/experiments/${created.id}`).json(created);
  });
  router.get('/experiments/:id', async (req, res) => {
    res.json(await experiments.get(principalOf(res).workspaceId, idOf(req.params.id)));
  });
  router.get('/experiments/:id/evaluations', async (req, res) => {
    res.json(
      await experiments.evaluations(
        principalOf(res).workspaceId,
        idOf(req.params.id),
        parse(evaluationListQuerySchema, req.query),
      ),
    );
  });
  router.get('/experiments/:id/assignment', async (req, res) => {
    const { unit } = parse(assignmentQuerySchema, req.query);
    // Sticky per unit, but the experiment's state can change: not for shared caches.
    res.set('cache-control', 'private, no-store');
    res.json(await experiments.assign(principalOf(res).workspaceId, idOf(req.params.id), unit));
  });
  router.post('/experiments/:id/events', requireRole('editor'), async (req, res) => {
    const body = parse(experimentEventsBodySchema, req.body);
    const bulk = Array.isArray(body);
    res.json(
      await experiments.recordEvents(principalOf(res).workspaceId, idOf(req.params.id), bulk ? body : [body], bulk),
    );
  });
  router.post('/experiments/:id/control', requireRole('editor'), async (req, res) => {
    const request = parse(experimentControlSchema, req.body);
    res.json(await experiments.control(principalOf(res), idOf(req.params.id), request));
  });
  return router;
}
