import express, { Router } from 'express';
import { z } from 'zod';
import { principalOf, requireRole } from '../middleware/auth';
import { MAX_LOGO_BYTES, type BrandService } from '../services/brand.service';
import { parse } from '../validation';
import { MAX_CURSOR_LENGTH } from '../../lib/cursor';

const hex = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a hex colour like #1a2b3c');
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .optional()
    .transform((v) => (v ? v : null));

export const brandSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    slogan: optionalText(200),
    mission: optionalText(2000),
    vision: optionalText(2000),
    category: optionalText(80),
    voice: optionalText(200).describe('Tone of voice, e.g. "friendly, expert, no jargon"'),
    website: z
      .url()
      .max(300)
      .nullable()
      .optional()
      .transform((v) => v ?? null),
    keywords: z.array(z.string().trim().min(1).max(60)).max(30).default([]),
    contentPillars: z
      .array(z.string().trim().min(1).max(80))
      .max(12)
      .default([])
      .describe("Themes the calendar's daily generation drafts about, in turn; the keywords when empty"),
    colors: z
      .object({
        primary: hex,
        secondary: hex,
        accent: hex.optional(),
        background: hex.optional(),
        text: hex.optional(),
      })
      .strict()
      .default({ primary: '#1f3a5f', secondary: '#f4a259' }),
    fontFamily: optionalText(80),
  })
  .strict();

export const brandPatchSchema = brandSchema.partial().strict();

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(MAX_CURSOR_LENGTH).optional().describe('nextCursor of the previous page'),
});

export function brandsRouter(brands: BrandService): Router {
  const router = Router();
  router.get('/brands', async (req, res) => {
    res.json(await brands.list(principalOf(res).workspaceId, parse(pageQuerySchema, req.query)));
  });
  router.post('/brands', requireRole('editor'), async (req, res) => {
    const brand = await brands.create(principalOf(res).workspaceId, { ...parse(brandSchema, req.body), logoKey: null });
    res.status(201).location(`/api/v1/brands/${brand.id}`).json(brand);
  });
  router.get('/brands/:id', async (req, res) => {
    res.json(await brands.get(principalOf(res).workspaceId, parse(z.uuid(), req.params.id, 'id')));
  });
  router.patch('/brands/:id', requireRole('editor'), async (req, res) => {
    const id = parse(z.uuid(), req.params.id, 'id');
    const patch = parse(brandPatchSchema, req.body);
    // Only fields present in the body change.
    const fields = Object.fromEntries(Object.entries(patch).filter(([k]) => k in (req.body as object)));
    res.json(await brands.update(principalOf(res).workspaceId, id, fields));
  });
  router.put(
    '/brands/:id/logo',
    requireRole('editor'),
    express.raw({ type: () => true, limit: MAX_LOGO_BYTES }),
    async (req, res) => {
      const id = parse(z.uuid(), req.params.id, 'id');
      const data = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      res.json(await brands.setLogo(principalOf(res).workspaceId, id, data, req.get('content-type')));
    },
  );
  router.get('/brands/:id/logo', async (req, res) => {
    const { data, type } = await brands.logo(principalOf(res).workspaceId, parse(z.uuid(), req.params.id, 'id'));
    // An SVG may carry script: shown as an image it cannot run, opened directly the policy stops it.
    res.type(type).set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'").send(data);
  });
  router.delete('/brands/:id/logo', requireRole('editor'), async (req, res) => {
    await brands.removeLogo(principalOf(res).workspaceId, parse(z.uuid(), req.params.id, 'id'));
    res.status(204).end();
  });
  router.delete('/brands/:id', requireRole('admin'), async (req, res) => {
    await brands.remove(principalOf(res).workspaceId, parse(z.uuid(), req.params.id, 'id'));
    res.status(204).end();
  });
  return router;
}
