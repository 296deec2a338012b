import express, { Router } from 'express';
import { z } from 'zod';
import { principalOf, requireRole } from '../middleware/auth';
import { isPeriod, PERIOD_MESSAGE, type KpiService } from '../services/kpi.service';
import { parse } from '../validation';

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().optional();
export const kpiValuesSchema = z
  .object({
    followers: count,
    engagementRate: z.number().min(0).max(1).nullable().optional().describe('A fraction: 0.042 is 4.2 %'),
    views: count,
    posts: count,
  })
  .strict();
const periodSchema = z.string().refine(isPeriod, PERIOD_MESSAGE);

export function kpisRouter(kpis: KpiService): Router {
  const router = Router();
  const brandId = (raw: unknown) => parse(z.uuid(), raw, 'id');

  router.get('/brands/:id/kpis', async (req, res) => {
    res.json(await kpis.list(principalOf(res).workspaceId, brandId(req.params.id)));
  });
  router.put('/brands/:id/kpis/:period', requireRole('editor'), async (req, res) => {
    const period = parse(periodSchema, req.params.period, 'period');
    res.json(
      await kpis.put(principalOf(res).workspaceId, brandId(req.params.id), period, parse(kpiValuesSchema, req.body)),
    );
  });
  router.delete('/brands/:id/kpis/:period', requireRole('editor'), async (req, res) => {
    const period = parse(periodSchema, req.params.period, 'period');
    await kpis.remove(principalOf(res).workspaceId, brandId(req.params.id), period);
    res.status(204).end();
  });
  router.post(
    '/brands/:id/kpis/import',
    requireRole('editor'),
    express.text({ type: ['text/csv', 'text/plain', 'application/csv'], limit: '1mb' }),
    async (req, res) => {
      const text = typeof req.body === 'string' ? req.body : '';
      res.json(await kpis.importCsv(principalOf(res).workspaceId, brandId(req.params.id), text));
    },
  );
  router.post('/brands/:id/kpis/collect', requireRole('editor'), async (req, res) => {
    res.json(await kpis.collect(principalOf(res).workspaceId, brandId(req.params.id)));
  });
  return router;
}
