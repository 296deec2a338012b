/** Leads: the list and detail, single and bulk creation, the CSV import with its preview, the ICP. */
import { z } from 'zod';
import type { LeadEnrichmentRepository } from '../../db/repositories/lead-enrichment.repository';
import type { LeadProfileRepository } from '../../db/repositories/lead-profile.repository';
import {
  LEAD_SORTS,
  type LeadListOptions,
  type LeadUpsertResult,
  type LeadRepository,
  type LeadSort,
} from '../../db/repositories/lead.repository';
import { cursorInstant, decodeCursor, encodeCursor, InvalidCursorError } from '../../lib/cursor';
import { NotFoundError, ValidationError, type FieldError } from '../../lib/errors';
import { mapRows, readLeadCsv, resolveMapping, type ImportField, type MappedRow } from '../../lib/leads/csv-import';
import type { LeadSourceKind } from '../../lib/leads/lead-fields';
import { normalizeLead, type RawLead } from '../../lib/leads/lead-input';
import { parseAllowList } from '../../lib/net/url-policy';
import { defaultLeadProfile, type LeadProfile } from '../../lib/leads/profile';

export interface LeadListQuery extends Omit<LeadListOptions, 'after'> {
  cursor?: string;
}

export interface ImportOptions {
  mapping: Partial<Record<ImportField, string>>;
  fileName: string | null;
  brandId: string | null;
}

/** Rows per transaction: fewer commits, and locks held for a short while. */
const SAVE_CHUNK = 100;
/** Errors reported in one preview; the counts still cover every row. */
const MAX_PREVIEW_ERRORS = 200;

const position = z
  .object({
    s: z.enum(LEAD_SORTS),
    o: z.enum(['asc', 'desc']),
    v: z.union([cursorInstant, z.number().int().min(-1).max(100), z.string().max(300)]),
    id: z.uuid(),
  })
  .strict();

export function createLeadService(deps: {
  leads: LeadRepository;
  profiles: LeadProfileRepository;
  enrichments: LeadEnrichmentRepository;
  brandExists: (workspaceId: string, brandId: string) => Promise<boolean>;
  /** The crawler's allow-list: websites there are accepted though they have no public domain. */
  allowedHosts?: readonly string[];
}) {
  const normalizeOptions = { allowedHosts: parseAllowList(deps.allowedHosts ?? []) };
  const { leads, profiles } = deps;

  /** A cursor carries its sort and order: one from another ordering would skip or repeat leads. */
  const parseCursor = (raw: string, sort: LeadSort, order: 'asc' | 'desc') => {
    const p = decodeCursor('leads', position, raw);
    const kindOk = sort === 'score' ? typeof p.v === 'number' : typeof p.v === 'string';
    const instantOk = sort !== 'createdAt' && sort !== 'updatedAt' ? true : cursorInstant.safeParse(p.v).success;
    if (p.s !== sort || p.o !== order || !kindOk || !instantOk)
      throw new InvalidCursorError('this cursor belongs to another sort order; start again without it');
    return { value: p.v, id: p.id };
  };

  const requireBrand = async (workspaceId: string, brandId: string | null, field: string) => {
    if (brandId && !(await deps.brandExists(workspaceId, brandId)))
      throw new NotFoundError(`Brand ${brandId} not found`, {
        errors: [{ field, message: 'no such brand in this workspace' }],
      });
  };

  /** In order (rows of one file often share a domain: each merge sees the rows before it), a chunk per transaction. */
  async function save(
    workspaceId: string,
    rows: { fields: MappedRow['fields']; row: number | null; brandId: string | null }[],
    source: { kind: LeadSourceKind; reference: string | null },
  ) {
    const results: LeadUpsertResult[] = [];
    for (let i = 0; i < rows.length; i += SAVE_CHUNK) {
      const chunk = rows.slice(i, i + SAVE_CHUNK);
      const arrivals = chunk.map((r) => ({ brandId: r.brandId, fields: r.fields, source: { ...source, row: r.row } }));
      results.push(...(await leads.upsertMany(workspaceId, arrivals)));
    }
    return results;
  }

  function readImport(text: string, mapping: ImportOptions['mapping']) {
    const csv = readLeadCsv(text);
    const resolved = resolveMapping(csv.headers, mapping);
    if (!resolved.website && !resolved.email)
      throw new ValidationError('No column holds a website or an email, the keys leads are deduplicated on', {
        errors: [
          { field: 'map.website', message: `map a column to website or email (columns: ${csv.headers.join(', ')})` },
        ],
      });
    return { headers: csv.headers, mapping: resolved, rows: mapRows(csv, resolved, normalizeOptions) };
  }

  return {
    async list(workspaceId: string, query: LeadListQuery) {
      const { cursor, ...options } = query;
      const after = cursor ? parseCursor(cursor, query.sort, query.order) : undefined;
      const page = await leads.list(workspaceId, { ...options, after });
      const nextCursor = page.next
        ? encodeCursor('leads', { s: query.sort, o: query.order, v: page.next.value, id: page.next.id })
        : null;
      return { items: page.items, nextCursor };
    },

    /** The lead, where it came from, and its enrichment runs (newest first). */
    async get(workspaceId: string, id: string) {
      const lead = await leads.get(workspaceId, id);
      if (!lead) throw new NotFoundError(`Lead ${id} not found`);
      return { ...lead, enrichments: await deps.enrichments.listForLead(workspaceId, id) };
    },

    /**
     * All or nothing: any invalid lead is a 400 naming it (`3.website` in a bulk body; `input.leads.3.website` with
     * that prefix) and none is saved. The source is the API unless the caller says (a webhook delivery).
     */
    async create(
      workspaceId: string,
      items: (RawLead & { brandId?: string | null })[],
      bulk: boolean,
      options: { fieldPrefix?: string; source?: { kind: LeadSourceKind; reference: string | null } } = {},
    ) {
      const errors: FieldError[] = [];
      const prefix = options.fieldPrefix ?? '';
      const normalised = items.map((item, i) => {
        const { fields, errors: itemErrors } = normalizeLead(item, normalizeOptions);
        for (const e of itemErrors)
          errors.push({ field: `${prefix}${bulk ? `${i}.` : ''}${e.field}`, message: e.message });
        return fields;
      });
      if (errors.length > 0)
        throw new ValidationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
      const known = new Set<string>();
      for (const [i, { brandId }] of items.entries()) {
        if (!brandId || known.has(brandId)) continue;
        await requireBrand(workspaceId, brandId, `${prefix}${bulk ? `${i}.` : ''}brandId`);
        known.add(brandId);
      }
      const rows = normalised.map((fields, i) => ({ fields, row: null, brandId: items[i].brandId ?? null }));
      return save(workspaceId, rows, options.source ?? { kind: 'api', reference: null });
    },

    async previewImport(workspaceId: string, text: string, options: ImportOptions & { limit: number }) {
      await requireBrand(workspaceId, options.brandId, 'brandId');
      const { headers, mapping, rows } = readImport(text, options.mapping);
      const refused = rows.filter((r) => r.errors.length > 0);
      return {
        headers,
        mapping,
        totalRows: rows.length,
        validRows: rows.length - refused.length,
        refusedRows: refused.length,
        rows: rows.slice(0, options.limit).map((r) => ({ row: r.row, lead: r.fields, errors: r.errors })),
        errors: refused.flatMap((r) => r.errors).slice(0, MAX_PREVIEW_ERRORS),
      };
    },

    /** Valid rows are saved (created or merged); invalid ones are refused with their errors. */
    async importCsv(workspaceId: string, text: string, options: ImportOptions) {
      await requireBrand(workspaceId, options.brandId, 'brandId');
      const { mapping, rows } = readImport(text, options.mapping);
      const valid = rows.filter((r) => r.errors.length === 0);
      const saved = await save(
        workspaceId,
        valid.map((r) => ({ ...r, brandId: options.brandId })),
        { kind: 'import', reference: options.fileName },
      );
      const outcomes = new Map(valid.map((r, i) => [r.row, saved[i]]));
      const results = rows.map((r) => {
        const done = outcomes.get(r.row);
        return done
          ? { row: r.row, outcome: done.outcome, leadId: done.lead.id }
          : { row: r.row, outcome: 'refused' as const, errors: r.errors };
      });
      const count = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
      return {
        fileName: options.fileName,
        mapping,
        totals: { rows: rows.length, created: count('created'), merged: count('merged'), refused: count('refused') },
        rows: results,
      };
    },

    async getProfile(workspaceId: string, brandId: string | null) {
      await requireBrand(workspaceId, brandId, 'brandId');
      return (await profiles.get(workspaceId, brandId)) ?? { brandId, profile: defaultLeadProfile(), updatedAt: null };
    },

    async putProfile(workspaceId: string, brandId: string | null, profile: LeadProfile) {
      await requireBrand(workspaceId, brandId, 'brandId');
      return profiles.put(workspaceId, brandId, profile);
    },
  };
}

export type LeadService = ReturnType<typeof createLeadService>;
