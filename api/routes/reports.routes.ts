import { Router } from 'express';
import { z } from 'zod';
import { principalOf } from '../middleware/auth';
import type { ReportService } from '../services/report.service';
import { parse } from '../validation';
import { contentDisposition } from './documents.routes';

export function reportsRouter(reports: ReportService, brandExists: (ws: string, id: string) => Promise<boolean>) {
  const router = Router();
  const ids = (params: Record<string, unknown>) => ({
    brandId: parse(z.uuid(), params.id, 'id'),
    id: params.reportId === undefined ? '' : parse(z.uuid(), params.reportId, 'reportId'),
  });

  router.get('/brands/:id/reports', async (req, res) => {
    const workspaceId = principalOf(res).workspaceId;
    const { brandId } = ids(req.params);
    res.json(await reports.list(workspaceId, brandId, () => brandExists(workspaceId, brandId)));
  });
  router.get('/brands/:id/reports/:reportId', async (req, res) => {
    const { brandId, id } = ids(req.params);
    res.json(await reports.get(principalOf(res).workspaceId, brandId, id));
  });
  router.get('/brands/:id/reports/:reportId/pdf', async (req, res) => {
    const { brandId, id } = ids(req.params);
    const { report, data } = await reports.file(principalOf(res).workspaceId, brandId, id, 'pdf');
    const name = `${report.title.replace(/[\\/:*?"<>|]+/g, ' ').trim()} ${report.createdAt.slice(0, 10)}.pdf`;
    res
      .type('application/pdf')
      .set('Content-Disposition', contentDisposition(req.query.inline ? 'inline' : 'attachment', name))
      .set('Cache-Control', 'private, max-age=60')
      .send(data);
  });
  router.get('/brands/:id/reports/:reportId/html', async (req, res) => {
    const { brandId, id } = ids(req.params);
    const { data } = await reports.file(principalOf(res).workspaceId, brandId, id, 'html');
    // The preview is our own template, but brand text is user input: no scripts, no outside requests.
    res
      .type('text/html; charset=utf-8')
      .set('Content-Security-Policy', "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:")
      .set('Cache-Control', 'private, max-age=60')
      .send(data);
  });
  return router;
}
