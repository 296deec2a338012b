import { Router } from 'express';
import { z } from 'zod';
import { STEP_IDS } from '../../lib/diagnosis/questionnaire';
import { principalOf, requireRole } from '../middleware/auth';
import type { DiagnosisService } from '../services/diagnosis.service';
import { parse } from '../validation';

export const saveStepSchema = z
  .object({
    answers: z.record(z.string(), z.unknown()).describe('Answers keyed by question id, e.g. "identity.clarity": 4'),
    partial: z.boolean().default(false).describe('Save a draft: check what is given, leave the step incomplete'),
  })
  .strict();
const createSchema = z.object({ copyFrom: z.uuid().optional() }).strict();

export function diagnosesRouter(diagnoses: DiagnosisService): Router {
  const router = Router();
  const ids = (params: Record<string, unknown>) => ({
    brandId: parse(z.uuid(), params.id, 'id'),
    id: params.diagnosisId === undefined ? '' : parse(z.uuid(), params.diagnosisId, 'diagnosisId'),
  });

  router.get('/diagnosis/questionnaire', (_req, res) => {
    res.json(diagnoses.questionnaire());
  });
  router.get('/brands/:id/diagnoses', async (req, res) => {
    res.json(await diagnoses.list(principalOf(res).workspaceId, ids(req.params).brandId));
  });
  router.post('/brands/:id/diagnoses', requireRole('editor'), async (req, res) => {
    const { copyFrom } = parse(createSchema, req.body ?? {});
    const { brandId } = ids(req.params);
    const created = await diagnoses.create(principalOf(res).workspaceId, brandId, copyFrom);
    res.status(201).location(`/api/v1/brands/${brandId}/diagnoses/${created.id}`).json(created);
  });
  router.get('/brands/:id/diagnoses/:diagnosisId', async (req, res) => {
    const { brandId, id } = ids(req.params);
    res.json(await diagnoses.get(principalOf(res).workspaceId, brandId, id));
  });
  router.put('/brands/:id/diagnoses/:diagnosisId/steps/:step', requireRole('editor'), async (req, res) => {
    const { brandId, id } = ids(req.params);
    const step = parse(z.enum(STEP_IDS), req.params.step, 'step');
    const body = parse(saveStepSchema, req.body);
    res.json(await diagnoses.saveStep(principalOf(res).workspaceId, brandId, id, step, body.answers, body.partial));
  });
  router.post('/brands/:id/diagnoses/:diagnosisId/complete', requireRole('editor'), async (req, res) => {
    const { brandId, id } = ids(req.params);
    res.json(await diagnoses.complete(principalOf(res).workspaceId, brandId, id, new Date()));
  });
  router.delete('/brands/:id/diagnoses/:diagnosisId', requireRole('editor'), async (req, res) => {
    const { brandId, id } = ids(req.params);
    await diagnoses.remove(principalOf(res).workspaceId, brandId, id);
    res.status(204).end();
  });
  return router;
}
