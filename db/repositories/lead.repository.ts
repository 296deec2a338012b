/** Leads and their sources, always scoped to a workspace. Returns plain objects. */
import { createHash } from 'node:crypto';
import { Op, col, fn, literal, where as sqlWhere, type Transaction, type WhereOptions } from 'sequelize';
import {
  emptyLeadFields,
  mergeLeadFields,
  type FieldSources,
  type LeadFields,
  type LeadSourceKind,
  type LeadStatus,
} from '../../lib/leads/lead-fields';
import type { Lead, LeadSource, ScoreReason } from '../models/lead.model';
import type { Database } from '../index';

export type { ScoreReason };

export interface LeadRecord extends LeadFields {
  id: string;
  workspaceId: string;
  brandId: string | null;
  score: number | null;
  scoreReasons: ScoreReason[];
  status: LeadStatus;
  failureReason: string | null;
  fieldSources: FieldSources;
  createdAt: string;
  updatedAt: string;
}

export interface LeadSourceRecord {
  kind: LeadSourceKind;
  reference: string | null;
  row: number | null;
  outcome: 'created' | 'merged';
  createdAt: string;
}

export interface LeadArrival {
  brandId: string | null;
  /** Already normalised (lib/leads/normalize.ts); a lead needs a domain or an email to be deduplicated. */
  fields: Partial<LeadFields>;
  source: { kind: LeadSourceKind; reference: string | null; row: number | null };
}

export interface LeadUpsertResult {
  lead: LeadRecord;
  outcome: 'created' | 'merged';
}

/** A 64-bit advisory lock id for a dedupe key (the first 8 bytes of its SHA-256, signed as PostgreSQL's bigint). */
const lockId = (key: string) => createHash('sha256').update(key).digest().readBigInt64BE(0);

export const LEAD_SORTS = ['createdAt', 'updatedAt', 'score', 'companyName'] as const;
export type LeadSort = (typeof LEAD_SORTS)[number];

export interface LeadFilterOptions {
  search?: string;
  minScore?: number;
  maxScore?: number;
  status?: LeadStatus;
  city?: string;
  source?: LeadSourceKind;
  brandId?: string;
}

export interface LeadListOptions extends LeadFilterOptions {
  limit: number;
  sort: LeadSort;
  order: 'asc' | 'desc';
  /** The last item's sort value and id. */
  after?: { value: string | number; id: string };
}

const SOURCES_SHOWN = 100;

const toRecord = (l: Lead): LeadRecord => ({
  id: l.id,
  workspaceId: l.workspaceId,
  brandId: l.brandId,
  companyName: l.companyName,
  website: l.website,
  domain: l.domain,
  emails: l.emails,
  phones: l.phones,
  socials: l.socials,
  address: l.address,
  city: l.city,
  country: l.country,
  category: l.category,
  description: l.description,
  language: l.language,
  technologies: l.technologies,
  score: l.score,
  scoreReasons: l.scoreReasons,
  status: l.status,
  failureReason: l.failureReason,
  fieldSources: l.fieldSources,
  createdAt: l.createdAt.toISOString(),
  updatedAt: l.updatedAt.toISOString(),
});

const toSource = (s: LeadSource): LeadSourceRecord => ({
  kind: s.kind,
  reference: s.reference,
  row: s.row,
  outcome: s.outcome,
  createdAt: s.createdAt.toISOString(),
});

/** The value a list sorts on, NULLs folded in so keyset comparisons stay total. */
const SORT_EXPRESSIONS = {
  createdAt: () => col('created_at'),
  updatedAt: () => col('updated_at'),
  score: () => fn('COALESCE', col('score'), -1),
  companyName: () => fn('COALESCE', fn('lower', col('company_name')), ''),
};

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function createLeadRepository(db: Database) {
  const { Lead, LeadSource } = db.models;
  /**
   * Serialises every upsert that shares a dedupe key with these leads until the transaction ends. The locks are taken
   * in one statement, in ascending order, so two transactions that share several keys cannot deadlock.
   */
  async function lockKeys(workspaceId: string, leads: Partial<LeadFields>[], transaction: Transaction) {
    const keys = leads.flatMap((f) => [
      ...(f.domain ? [`d:${f.domain}`] : []),
      ...(f.emails ?? []).map((e) => `e:${e}`),
    ]);
    const ids = [...new Set(keys.map((key) => lockId(`lead:${workspaceId}:${key}`)))].sort((x, y) => (x < y ? -1 : 1));
    if (ids.length === 0) return;
    await db.sequelize.query('SELECT pg_advisory_xact_lock(id) FROM unnest(CAST(ARRAY[:ids] AS bigint[])) AS id', {
      replacements: { ids: ids.map(String) },
      transaction,
    });
  }

  /** The WHERE of a list or a selection: the workspace, then each filter given. */
  function filterConditions(workspaceId: string, options: LeadFilterOptions): WhereOptions[] {
    const conditions: WhereOptions[] = [{ workspaceId }];
    if (options.brandId) conditions.push({ brandId: options.brandId });
    if (options.status) conditions.push({ status: options.status });
    if (options.city) conditions.push({ city: { [Op.iLike]: options.city.replace(/[\\%_]/g, (c) => `\\${c}`) } });
    if (options.minScore !== undefined) conditions.push({ score: { [Op.gte]: options.minScore } });
    if (options.maxScore !== undefined) conditions.push({ score: { [Op.lte]: options.maxScore } });
    if (options.search) {
      const pattern = likePattern(options.search);
      conditions.push({
        [Op.or]: [
          { companyName: { [Op.iLike]: pattern } },
          { domain: { [Op.iLike]: pattern } },
          { city: { [Op.iLike]: pattern } },
          sqlWhere(fn('array_to_string', col('emails'), ' '), { [Op.iLike]: pattern }),
        ],
      });
    }
    if (options.source)
      conditions.push(
        literal(
          `"Lead"."id" IN (SELECT lead_id FROM lead_sources WHERE workspace_id = ${db.sequelize.escape(workspaceId)} AND kind = ${db.sequelize.escape(options.source)})`,
        ),
      );
    return conditions;
  }

  async function findMatch(workspaceId: string, fields: Partial<LeadFields>, transaction: Transaction) {
    if (fields.domain) {
      const byDomain = await Lead.findOne({ where: { workspaceId, domain: fields.domain }, transaction });
      if (byDomain) return byDomain;
    }
    if (fields.emails?.length)
      return Lead.findOne({
        where: { workspaceId, emails: { [Op.overlap]: fields.emails } },
        order: [['createdAt', 'ASC']],
        transaction,
      });
    return null;
  }

  /** Merges into the match or creates; the caller holds the locks of the arrival's keys. */
  async function upsertOne(
    workspaceId: string,
    arrival: LeadArrival,
    transaction: Transaction,
  ): Promise<LeadUpsertResult> {
    const at = new Date().toISOString();
    const { kind, reference, row } = arrival.source;
    const fieldSource = { source: kind, reference: row === null ? reference : `${reference ?? ''}#${row}`, at };
    const existing = await findMatch(workspaceId, arrival.fields, transaction);
    let lead: Lead;
    if (existing) {
      const merged = mergeLeadFields(toRecord(existing), existing.fieldSources, arrival.fields, fieldSource);
      const brandId = existing.brandId ?? arrival.brandId;
      if (merged.changed.length > 0 || brandId !== existing.brandId)
        await existing.update({ ...merged.fields, fieldSources: merged.fieldSources, brandId }, { transaction });
      lead = existing;
    } else {
      const created = mergeLeadFields(emptyLeadFields(), {}, arrival.fields, fieldSource);
      lead = await Lead.create(
        {
          ...created.fields,
          workspaceId,
          brandId: arrival.brandId,
          fieldSources: created.fieldSources,
          score: null,
          scoreReasons: [],
          failureReason: null,
        },
        { transaction },
      );
    }
    const outcome = existing ? 'merged' : 'created';
    await LeadSource.create({ leadId: lead.id, workspaceId, kind, reference, row, outcome }, { transaction });
    return { lead: toRecord(lead), outcome };
  }

  /** `upsert` for several leads in one transaction (an import chunk): one commit, one lock statement. */
  async function upsertMany(workspaceId: string, arrivals: LeadArrival[]): Promise<LeadUpsertResult[]> {
    return db.sequelize.transaction(async (transaction) => {
      await lockKeys(
        workspaceId,
        arrivals.map((a) => a.fields),
        transaction,
      );
      const results: LeadUpsertResult[] = [];
      for (const arrival of arrivals) results.push(await upsertOne(workspaceId, arrival, transaction));
      return results;
    });
  }

  return {
    /**
     * Creates the lead, or merges it into the one with the same domain (else sharing an email) without losing a value
     * the lead already has, and records where it came from: one transaction, safe under concurrent imports.
     */
    async upsert(workspaceId: string, arrival: LeadArrival): Promise<LeadUpsertResult> {
      return (await upsertMany(workspaceId, [arrival]))[0];
    },

    upsertMany,

    async get(workspaceId: string, id: string): Promise<(LeadRecord & { sources: LeadSourceRecord[] }) | null> {
      const lead = await Lead.findOne({ where: { id, workspaceId } });
      if (!lead) return null;
      const sources = await LeadSource.findAll({
        where: { leadId: id },
        order: [
          ['createdAt', 'DESC'],
          ['id', 'DESC'],
        ],
        limit: SOURCES_SHOWN,
      });
      return { ...toRecord(lead), sources: sources.map(toSource) };
    },

    async list(workspaceId: string, options: LeadListOptions) {
      const conditions = filterConditions(workspaceId, options);
      const expression = SORT_EXPRESSIONS[options.sort]();
      const before = options.order === 'desc' ? Op.lt : Op.gt;
      if (options.after) {
        const value =
          options.sort === 'createdAt' || options.sort === 'updatedAt'
            ? new Date(options.after.value)
            : options.after.value;
        conditions.push({
          [Op.or]: [
            sqlWhere(expression, { [before]: value }),
            { [Op.and]: [sqlWhere(expression, { [Op.eq]: value }), { id: { [before]: options.after.id } }] },
          ],
        });
      }
      const direction = options.order === 'desc' ? 'DESC' : 'ASC';
      const rows = await Lead.findAll({
        // The sort value as PostgreSQL computes it, for the next cursor (lower() and JavaScript disagree on some letters).
        attributes: { include: [[expression, 'sort_key']] },
        where: { [Op.and]: conditions },
        order: [
          [expression, direction],
          ['id', direction],
        ],
        limit: options.limit + 1,
      });
      const items = rows.slice(0, options.limit);
      const last = items[items.length - 1];
      const key = last?.get('sort_key') as Date | string | number | undefined;
      return {
        items: items.map(toRecord),
        /** Where the next page starts, when there is one. */
        next:
          rows.length > options.limit && last && key !== undefined
            ? { value: key instanceof Date ? key.toISOString() : key, id: last.id }
            : null,
      };
    },

    /**
     * Fills the lead's gaps from what enrichment found (each part with the page or service it came from), without
     * losing a value the lead has; safe to repeat. Null when the lead is gone.
     */
    async mergeFound(
      workspaceId: string,
      id: string,
      parts: { kind: LeadSourceKind; reference: string; fields: Partial<LeadFields> }[],
    ): Promise<{ lead: LeadRecord; changed: string[] } | null> {
      return db.sequelize.transaction(async (transaction) => {
        const lead = await Lead.findOne({ where: { id, workspaceId }, transaction, lock: transaction.LOCK.UPDATE });
        if (!lead) return null;
        const at = new Date().toISOString();
        const record = toRecord(lead);
        let fields = Object.fromEntries(
          Object.keys(emptyLeadFields()).map((name) => [name, record[name as keyof LeadFields]]),
        ) as LeadFields;
        let fieldSources = lead.fieldSources;
        const changed: string[] = [];
        for (const part of parts) {
          // A domain found on a page would be a second dedupe key; the lead keeps the one it was matched on.
          const { domain: _domain, website: _website, ...found } = part.fields;
          const merged = mergeLeadFields(fields, fieldSources, found, {
            source: part.kind,
            reference: part.reference,
            at,
          });
          ({ fields, fieldSources } = merged);
          changed.push(...merged.changed);
        }
        if (changed.length > 0) await lead.update({ ...fields, fieldSources }, { transaction });
        return { lead: toRecord(lead), changed: [...new Set(changed)] };
      });
    },

    /**
     * The ids of the leads a batch takes, oldest first: those named (of this workspace; others are ignored) or those
     * the filter matches; at most `max`, with how many matched in all.
     */
    async selectIds(
      workspaceId: string,
      selection: { ids: string[] } | { filter: LeadFilterOptions },
      max: number,
    ): Promise<{ ids: string[]; matched: number }> {
      const where = {
        [Op.and]:
          'ids' in selection
            ? [{ workspaceId }, { id: { [Op.in]: selection.ids } }]
            : filterConditions(workspaceId, selection.filter),
      };
      const [matched, rows] = await Promise.all([
        Lead.count({ where }),
        Lead.findAll({
          attributes: ['id'],
          where,
          order: [
            ['createdAt', 'ASC'],
            ['id', 'ASC'],
          ],
          limit: max,
          raw: true,
        }),
      ]);
      return { ids: rows.map((r) => r.id), matched };
    },

    /** What enrichment and scoring write back; only the fields given change. */
    async updateState(
      workspaceId: string,
      id: string,
      state: Partial<Pick<LeadRecord, 'status' | 'score' | 'scoreReasons' | 'failureReason'>>,
    ): Promise<LeadRecord | null> {
      const lead = await Lead.findOne({ where: { id, workspaceId } });
      if (!lead) return null;
      await lead.update(state);
      return toRecord(lead);
    },
  };
}

export type LeadRepository = ReturnType<typeof createLeadRepository>;
