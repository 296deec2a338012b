import express, { Router } from 'express';
import { z } from 'zod';
import { LEAD_SORTS } from '../../db/repositories/lead.repository';
import { MAX_CURSOR_LENGTH } from '../../lib/cursor';
import { IMPORT_FIELDS, MAX_IMPORT_BYTES, type ImportField } from '../../lib/leads/csv-import';
import { LEAD_SOURCE_KINDS, LEAD_STATUSES } from '../../lib/leads/lead-fields';
import { leadProfileSchema } from '../../lib/leads/profile';
import { principalOf, requireRole } from '../middleware/auth';
import type { LeadCallbackService } from '../services/lead-callback.service';
import type { LeadService } from '../services/lead.service';
import { parse } from '../validation';

/** Bulk bodies stay well inside the API's 256 kB JSON limit; larger lists go through the CSV import. */
export const MAX_BULK_LEADS = 500;

const text = (max: number) => z.string().max(max).nullable().optional();
const score = z.coerce.number().int().min(0).max(100);

export const leadListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(MAX_CURSOR_LENGTH).optional().describe('nextCursor of the previous page'),
  sort: z.enum(LEAD_SORTS).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  q: z.string().trim().min(1).max(200).optional().describe('Text in the company name, domain, city or emails'),
  minScore: score.optional(),
  maxScore: score.optional(),
  status: z.enum(LEAD_STATUSES).optional(),
  city: z.string().trim().min(1).max(120).optional().describe('Exact city, any case'),
  source: z.enum(LEAD_SOURCE_KINDS).optional().describe('Leads that arrived at least once this way'),
  brandId: z.uuid().optional(),
});

export const leadInputSchema = z
  .object({
    brandId: z.uuid().nullable().optional(),
    companyName: text(300),
    website: text(2048).describe('A URL or a bare domain; the lead is deduplicated on its normalised domain'),
    emails: z.array(z.string().max(320)).max(20).optional().describe('Deduplication key when there is no domain'),
    phones: z.array(z.string().max(40)).max(20).optional(),
    address: text(500),
    city: text(120),
    country: text(80),
    category: text(120),
    description: text(5000),
    language: text(16),
    socials: z.record(z.string().min(1).max(40), z.url().max(500)).optional().describe('Network → profile URL'),
  })
  .strict();

export const leadBodySchema = z.union([leadInputSchema, z.array(leadInputSchema).min(1).max(MAX_BULK_LEADS)]);

const importBase = {
  fileName: z.string().trim().min(1).max(200).optional().describe('Recorded in each lead’s sources'),
  brandId: z.uuid().optional(),
};
/** `map.<field>=<column header>` overrides the guessed mapping; an empty value leaves the field out. */
const mapParams = Object.fromEntries(
  IMPORT_FIELDS.map((f) => [`map.${f}`, z.string().max(200).optional().describe(`The column holding ${f}`)]),
) as Record<`map.${ImportField}`, z.ZodOptional<z.ZodString>>;

export const importQuerySchema = z.object({ ...importBase, ...mapParams }).strict();
export const previewQuerySchema = z
  .object({ ...importBase, ...mapParams, limit: z.coerce.number().int().min(1).max(100).default(20) })
  .strict();

export const profileQuerySchema = z.object({
  brandId: z.uuid().optional().describe('The brand’s own profile; without it, the workspace’s'),
});

const csvBody = express.text({ type: ['text/csv', 'text/plain', 'application/csv'], limit: MAX_IMPORT_BYTES });

function importOptions(query: z.output<typeof importQuerySchema>) {
  const mapping: Partial<Record<ImportField, string>> = {};
  for (const field of IMPORT_FIELDS) {
    const column = query[`map.${field}`];
    if (column !== undefined) mapping[field] = column;
  }
  return { mapping, fileName: query.fileName ?? null, brandId: query.brandId ?? null };
}

export const leadCallbackSchema = z
  .object({
    url: z.url().max(2048).describe('Where each enriched lead is posted (signed the Standard Webhooks way)'),
    enabled: z.boolean().default(true),
  })
  .strict();

export function leadsRouter(leads: LeadService, callbacks: LeadCallbackService): Router {
  const router = Router();
  router.get('/leads', async (req, res) => {
    const { q, ...query } = parse(leadListQuerySchema, req.query);
    res.json(await leads.list(principalOf(res).workspaceId, { ...query, search: q }));
  });
  router.post('/leads', requireRole('editor'), async (req, res) => {
    const body = parse(leadBodySchema, req.body);
    const workspaceId = principalOf(res).workspaceId;
    if (Array.isArray(body)) {
      const results = await leads.create(workspaceId, body, true);
      res.json({ items: results.map((r) => ({ outcome: r.outcome, lead: r.lead })) });
      return;
    }
    const [{ lead, outcome }] = await leads.create(workspaceId, [body], false);
    res
      .status(outcome === 'created' ? 201 : 200)
      .location(`/api/v1/leads/${lead.id}`)
      .json({ ...lead, outcome });
  });
  router.post('/leads/import/preview', requireRole('editor'), csvBody, async (req, res) => {
    const query = parse(previewQuerySchema, req.query);
    const body = typeof req.body === 'string' ? req.body : '';
    res.json(
      await leads.previewImport(principalOf(res).workspaceId, body, { ...importOptions(query), limit: query.limit }),
    );
  });
  router.post('/leads/import', requireRole('editor'), csvBody, async (req, res) => {
    const query = parse(importQuerySchema, req.query);
    const body = typeof req.body === 'string' ? req.body : '';
    res.json(await leads.importCsv(principalOf(res).workspaceId, body, importOptions(query)));
  });
  router.get('/leads/:id', async (req, res) => {
    res.json(await leads.get(principalOf(res).workspaceId, parse(z.uuid(), req.params.id, 'id')));
  });
  router.get('/lead-profile', async (req, res) => {
    const { brandId } = parse(profileQuerySchema, req.query);
    res.json(await leads.getProfile(principalOf(res).workspaceId, brandId ?? null));
  });
  router.put('/lead-profile', requireRole('editor'), async (req, res) => {
    const { brandId } = parse(profileQuerySchema, req.query);
    const profile = parse(leadProfileSchema, req.body);
    res.json(await leads.putProfile(principalOf(res).workspaceId, brandId ?? null, profile));
  });
  router.get('/lead-callback', async (_req, res) => {
    res.json(await callbacks.get(principalOf(res).workspaceId));
  });
  router.put('/lead-callback', requireRole('admin'), async (req, res) => {
    const { created, callback } = await callbacks.put(
      principalOf(res).workspaceId,
      parse(leadCallbackSchema, req.body),
    );
    res.status(created ? 201 : 200).json(callback);
  });
  router.post('/lead-callback/secret', requireRole('admin'), async (_req, res) => {
    res.json(await callbacks.rotateSecret(principalOf(res).workspaceId));
  });
  router.delete('/lead-callback', requireRole('admin'), async (_req, res) => {
    await callbacks.remove(principalOf(res).workspaceId);
    res.status(204).end();
  });
  return router;
}
