/** Brand KPIs: entered by hand, imported from CSV, or collected from the brand's local channel. */
import { parse as parseCsv } from 'csv-parse/sync';
import type { KpiRepository, KpiRow, KpiValues } from '../../db/repositories/kpi.repository';
import { summarizeKpis } from '../../lib/report/kpi-summary';
import { NotFoundError, ValidationError, type FieldError } from '../../lib/errors';

export const CSV_COLUMNS = ['period', 'followers', 'engagement_rate', 'views', 'posts'] as const;
export const MAX_CSV_ROWS = 1000;
const PERIOD = /^\d{4}-\d{2}-\d{2}$/;
export const PERIOD_MESSAGE = 'must be a date YYYY-MM-DD from 1900 to 9999';

/** Years a period may fall in: PostgreSQL has no year 0, and no one measured KPIs before 1900. */
export const MIN_PERIOD_YEAR = 1900;

/** A calendar date YYYY-MM-DD that exists (2026-02-30 does not), in 1900–9999. */
export function isPeriod(value: string): boolean {
  if (!PERIOD.test(value) || Number(value.slice(0, 4)) < MIN_PERIOD_YEAR) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/**
 * One CSV cell: '' → absent (the stored value stays); integers for counts; the engagement rate as a fraction
 * (0.042) or a percentage (4.2%).
 */
function cell(column: (typeof CSV_COLUMNS)[number], raw: string): number | undefined | string {
  const v = raw.trim().replace(/[\s,_](?=\d{3}\b)/g, '');
  if (v === '') return undefined;
  if (column === 'engagement_rate') {
    const pct = v.endsWith('%');
    const n = Number(pct ? v.slice(0, -1) : v);
    if (!Number.isFinite(n) || n < 0) return 'must be a rate like 0.042 or 4.2%';
    // 4.1% / 100 is 0.040999…: keep the digits the user typed.
    const rate = pct ? Number((n / 100).toFixed(10)) : n;
    return rate > 1 ? 'must be at most 1 (or 100%)' : rate;
  }
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : 'must be a whole number ≥ 0';
}

export function parseKpiCsv(text: string): { period: string; values: KpiValues }[] {
  let rows: string[][];
  try {
    rows = parseCsv(text.replace(/^\uFEFF/, ''), { skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (err) {
    throw new ValidationError(`The CSV cannot be read: ${(err as Error).message}`, {
      errors: [{ field: 'body', message: 'not valid CSV' }],
    });
  }
  const [header, ...body] = rows;
  const names = (header ?? []).map((h) => h.toLowerCase().replace(/[\s-]+/g, '_'));
  const unknown = names.filter((n) => !(CSV_COLUMNS as readonly string[]).includes(n));
  if (!names.includes('period') || unknown.length > 0) {
    throw new ValidationError('The CSV header must name its columns', {
      errors: [
        {
          field: 'header',
          message: `columns are ${CSV_COLUMNS.join(', ')} (period required)${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
        },
      ],
    });
  }
  if (body.length === 0)
    throw new ValidationError('The CSV has no rows', { errors: [{ field: 'body', message: 'no data rows' }] });
  if (body.length > MAX_CSV_ROWS)
    throw new ValidationError(`At most ${MAX_CSV_ROWS} rows per import`, {
      errors: [{ field: 'body', message: `${body.length} rows; at most ${MAX_CSV_ROWS}` }],
    });

  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const entries = body.map((row, i) => {
    const line = i + 2; // 1-based, after the header
    const record = Object.fromEntries(names.map((n, j) => [n, row[j] ?? ''])) as Record<string, string>;
    const period = record.period;
    if (!isPeriod(period)) errors.push({ field: `row ${line}.period`, message: PERIOD_MESSAGE });
    else if (seen.has(period)) errors.push({ field: `row ${line}.period`, message: `${period} appears twice` });
    seen.add(period);
    const values: KpiValues = {};
    const set = { followers: 'followers', engagement_rate: 'engagementRate', views: 'views', posts: 'posts' } as const;
    for (const column of CSV_COLUMNS.slice(1) as (keyof typeof set)[]) {
      if (!(column in record)) continue;
      const parsed = cell(column, record[column]);
      if (typeof parsed === 'string') errors.push({ field: `row ${line}.${column}`, message: parsed });
      else if (parsed !== undefined) values[set[column]] = parsed;
    }
    return { period, values };
  });
  if (errors.length > 0) {
    throw new ValidationError(`The CSV has ${errors.length} invalid cell(s); nothing was imported`, {
      errors: errors.slice(0, 50),
    });
  }
  return entries;
}

export function createKpiService(repo: KpiRepository) {
  const notFound = (brandId: string) => new NotFoundError(`Brand ${brandId} not found`);
  const withSummary = (items: KpiRow[]) => ({ items, summary: summarizeKpis(items) });

  return {
    async list(workspaceId: string, brandId: string) {
      const items = await repo.list(workspaceId, brandId);
      if (!items) throw notFound(brandId);
      return withSummary(items);
    },

    async put(workspaceId: string, brandId: string, period: string, values: KpiValues): Promise<KpiRow> {
      const rows = await repo.upsert(workspaceId, brandId, [{ period, values }], 'manual');
      if (!rows) throw notFound(brandId);
      return rows[0];
    },

    async remove(workspaceId: string, brandId: string, period: string) {
      if (!(await repo.brandExists(workspaceId, brandId))) throw notFound(brandId);
      if (!(await repo.remove(workspaceId, brandId, period))) throw new NotFoundError(`No KPIs recorded for ${period}`);
    },

    async importCsv(workspaceId: string, brandId: string, text: string) {
      if (!(await repo.brandExists(workspaceId, brandId))) throw notFound(brandId);
      const entries = parseKpiCsv(text);
      const rows = await repo.upsert(workspaceId, brandId, entries, 'csv');
      if (!rows) throw notFound(brandId);
      return { imported: rows.length, items: rows };
    },

    /** Posts and page views per ISO week from the brand's local channel; followers and engagement stay as they are. */
    async collect(workspaceId: string, brandId: string) {
      if (!(await repo.brandExists(workspaceId, brandId))) throw notFound(brandId);
      const weeks = await repo.localChannelWeeks(brandId);
      const rows =
        weeks.length === 0
          ? []
          : ((await repo.upsert(
              workspaceId,
              brandId,
              weeks.map((w) => ({ period: w.period, values: { posts: w.posts, views: w.views } })),
              'local-channel',
            )) ?? []);
      return { collected: rows.length, items: rows };
    },
  };
}

export type KpiService = ReturnType<typeof createKpiService>;
