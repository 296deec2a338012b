import { Router } from 'express';
import { z } from 'zod';
import {
  calendarSettingsSchema,
  entryCreateSchema,
  entryListQuerySchema,
  entryPatchSchema,
  entryVersionSchema,
  scheduleActionBodySchema,
} from '../../lib/calendar/entry-input';
import { principalOf, requireRole } from '../middleware/auth';
import type { CalendarService } from '../services/calendar.service';
import { parse } from '../validation';

export function calendarRouter(calendar: CalendarService): Router {
  const router = Router();
  const idOf = (raw: unknown) => parse(z.uuid(), raw, 'id');
  const ws = (res: Parameters<typeof principalOf>[0]) => principalOf(res).workspaceId;

  router.get('/calendar/entries', async (req, res) => {
    res.json(await calendar.list(ws(res), parse(entryListQuerySchema, req.query)));
  });
  router.post('/calendar/entries', requireRole('editor'), async (req, res) => {
    const created = await calendar.create(principalOf(res), parse(entryCreateSchema, req.body));
    res.status(201).location(`/api/v1/calendar/entries/${created.id}`).json(created);
  });
  router.get('/calendar/entries/:id', async (req, res) => {
    res.json(await calendar.get(ws(res), idOf(req.params.id)));
  });
  router.patch('/calendar/entries/:id', requireRole('editor'), async (req, res) => {
    res.json(await calendar.update(principalOf(res), idOf(req.params.id), parse(entryPatchSchema, req.body)));
  });
  router.post('/calendar/entries/:id/approve', requireRole('editor'), async (req, res) => {
    const { version } = parse(entryVersionSchema, req.body);
    res.json(await calendar.approve(principalOf(res), idOf(req.params.id), version));
  });
  router.post('/calendar/entries/:id/cancel', requireRole('editor'), async (req, res) => {
    const { version } = parse(entryVersionSchema, req.body);
    res.json(await calendar.cancel(principalOf(res), idOf(req.params.id), version));
  });

  router.get('/calendar/settings', async (_req, res) => {
    res.json(await calendar.settings(ws(res)));
  });
  router.put('/calendar/settings', requireRole('admin'), async (req, res) => {
    res.json(await calendar.saveSettings(ws(res), parse(calendarSettingsSchema, req.body)));
  });

  router.get('/calendar/schedules', async (_req, res) => {
    res.json(await calendar.schedules(ws(res)));
  });
  router.post('/calendar/schedule-actions', requireRole('editor'), async (req, res) => {
    const { schedule, action } = parse(scheduleActionBodySchema, req.body);
    res.json(await calendar.scheduleAction(principalOf(res), schedule, action));
  });
  return router;
}
