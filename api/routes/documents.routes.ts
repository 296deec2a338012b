import express, { Router } from 'express';
import { z } from 'zod';
import { principalOf, requireRole } from '../middleware/auth';
import type { KnowledgeService } from '../services/knowledge.service';
import { parse } from '../validation';

const uploadQuery = z.object({
  title: z.string().trim().max(300).optional(),
  filename: z.string().trim().max(300).optional(),
});

/** `attachment; filename="…"; filename*=UTF-8''…` for any name. */
export function contentDisposition(kind: 'attachment' | 'inline', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

const EXTENSIONS: Record<string, string> = { text: 'txt', markdown: 'md', html: 'html', pdf: 'pdf' };
const TYPES: Record<string, string> = {
  text: 'text/plain; charset=utf-8',
  markdown: 'text/markdown; charset=utf-8',
  html: 'text/plain; charset=utf-8', // served as text: an uploaded page must not run in our origin
  pdf: 'application/pdf',
};

export function documentsRouter(
  documents: KnowledgeService,
  brandExists: (ws: string, id: string) => Promise<boolean>,
) {
  const router = Router();
  const ids = (params: Record<string, unknown>) => ({
    brandId: parse(z.uuid(), params.id, 'id'),
    id: params.documentId === undefined ? '' : parse(z.uuid(), params.documentId, 'documentId'),
  });

  router.get('/brands/:id/documents', async (req, res) => {
    const workspaceId = principalOf(res).workspaceId;
    const { brandId } = ids(req.params);
    res.json(await documents.list(workspaceId, brandId, () => brandExists(workspaceId, brandId)));
  });
  router.post(
    '/brands/:id/documents',
    requireRole('editor'),
    // Any type: the intake decides from Content-Type and file name, and refuses what it cannot read.
    express.raw({ type: () => true, limit: documents.maxBytes }),
    async (req, res) => {
      const { brandId } = ids(req.params);
      const query = parse(uploadQuery, req.query);
      const data = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const doc = await documents.upload(principalOf(res).workspaceId, {
        brandId,
        data,
        title: query.title,
        fileName: query.filename,
        contentType: req.get('content-type') ?? undefined,
      });
      res.status(202).location(`/api/v1/brands/${brandId}/documents/${doc.id}`).json(doc);
    },
  );
  router.get('/brands/:id/documents/:documentId', async (req, res) => {
    const { brandId, id } = ids(req.params);
    res.json(await documents.get(principalOf(res).workspaceId, brandId, id));
  });
  router.get('/brands/:id/documents/:documentId/original', async (req, res) => {
    const { brandId, id } = ids(req.params);
    const { doc, data } = await documents.original(principalOf(res).workspaceId, brandId, id);
    res
      .type(TYPES[doc.sourceType] ?? 'application/octet-stream')
      .set(
        'Content-Disposition',
        contentDisposition('attachment', `${doc.title}.${EXTENSIONS[doc.sourceType] ?? 'bin'}`),
      )
      .send(data);
  });
  router.post('/brands/:id/documents/:documentId/reindex', requireRole('editor'), async (req, res) => {
    const { brandId, id } = ids(req.params);
    res.status(202).json(await documents.reindex(principalOf(res).workspaceId, brandId, id));
  });
  router.delete('/brands/:id/documents/:documentId', requireRole('editor'), async (req, res) => {
    const { brandId, id } = ids(req.params);
    const gone = await documents.remove(principalOf(res).workspaceId, brandId, id);
    res.status(gone ? 204 : 202).end();
  });
  return router;
}
