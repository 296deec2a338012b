/**
 * Calendar entries and settings (migration 0017), in plain SQL: the claim that starts an entry's run is one
 * compare-and-set on (id, version, status), which is the guard against a stale timer or a second start.
 */
import { QueryTypes, type Transaction } from 'sequelize';
import type { CalendarEntry, EntryStatus, EntryValidation, ScheduledRef, EntryTarget } from '../../lib/calendar/entry';
import type { Database } from '../index';

interface Row {
  id: string;
  workspace_id: string;
  brand_id: string;
  local_at: string;
  time_zone: string;
  due_at: Date;
  kind: CalendarEntry['kind'];
  platforms: EntryTarget[];
  post_type: CalendarEntry['postType'];
  topic: string | null;
  copy: CalendarEntry['copy'];
  media: CalendarEntry['media'];
  video: CalendarEntry['video'];
  status: EntryStatus;
  owner_id: string | null;
  version: number;
  validation: EntryValidation | null;
  runs: string[];
  results: CalendarEntry['results'];
  failure: string | null;
  source: CalendarEntry['source'];
  created_at: Date;
  updated_at: Date;
}

const toEntry = (r: Row): CalendarEntry => ({
  id: r.id,
  workspaceId: r.workspace_id,
  brandId: r.brand_id,
  localAt: r.local_at,
  timeZone: r.time_zone,
  dueAt: new Date(r.due_at).toISOString(),
  kind: r.kind,
  platforms: r.platforms,
  postType: r.post_type,
  topic: r.topic,
  copy: r.copy,
  media: r.media,
  video: r.video,
  status: r.status,
  ownerId: r.owner_id,
  version: r.version,
  validation: r.validation,
  runs: r.runs,
  results: r.results,
  failure: r.failure,
  source: r.source,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** What a new entry or an edit sets (`dueAt` computed by the caller from `localAt` and `timeZone`). */
export interface EntryFields {
  brandId: string;
  localAt: string;
  timeZone: string;
  dueAt: Date;
  kind: CalendarEntry['kind'];
  platforms: EntryTarget[];
  postType: CalendarEntry['postType'];
  topic: string | null;
  copy: CalendarEntry['copy'];
  media: CalendarEntry['media'];
  video: CalendarEntry['video'];
  status: EntryStatus;
  ownerId: string | null;
  validation: EntryValidation | null;
}

export interface CalendarSettings {
  timeZone: string;
  /** `HH:mm` local: when the daily generation runs. */
  generationTime: string;
  /** Days ahead the daily generation fills. */
  generationDays: number;
  /** `HH:mm` local: the time of the drafts it writes. */
  postTime: string;
}

export const DEFAULT_SETTINGS: CalendarSettings = {
  timeZone: 'UTC',
  generationTime: '06:00',
  generationDays: 3,
  postTime: '10:00',
};

export interface BrandFacts {
  id: string;
  name: string;
  slogan: string | null;
  mission: string | null;
  category: string | null;
  voice: string | null;
  website: string | null;
  keywords: string[];
  contentPillars: string[];
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

export function createCalendarRepository(db: Database) {
  const { sequelize } = db;
  const select = (sql: string, replacements: Record<string, unknown>, transaction?: Transaction) =>
    sequelize.query<Row>(sql, { replacements, type: QueryTypes.SELECT, transaction });
  /** An UPDATE … RETURNING *: the rows it changed. */
  const change = async (sql: string, replacements: Record<string, unknown>) => {
    const [rows] = (await sequelize.query(`${sql} RETURNING *`, { replacements })) as [Row[], unknown];
    return rows.map(toEntry);
  };
  const values = (f: EntryFields) => ({
    brandId: f.brandId,
    localAt: f.localAt,
    timeZone: f.timeZone,
    dueAt: f.dueAt,
    kind: f.kind,
    platforms: `{${f.platforms.join(',')}}`,
    postType: f.postType,
    topic: f.topic,
    copy: json(f.copy),
    media: json(f.media),
    video: json(f.video),
    status: f.status,
    ownerId: f.ownerId,
    validation: json(f.validation),
  });

  return {
    async create(workspaceId: string, fields: EntryFields): Promise<CalendarEntry> {
      const [rows] = (await sequelize.query(
        `INSERT INTO calendar_entries (id, workspace_id, brand_id, local_at, time_zone, due_at, kind, platforms, post_type,
           topic, copy, media, video, status, owner_id, validation)
         VALUES (gen_random_uuid(), :workspaceId, :brandId, :localAt, :timeZone, :dueAt, :kind, CAST(:platforms AS varchar[]),
           :postType, :topic, CAST(:copy AS jsonb), CAST(:media AS jsonb), CAST(:video AS jsonb), :status, :ownerId,
           CAST(:validation AS jsonb))
         RETURNING *`,
        { replacements: { workspaceId, ...values(fields) } },
      )) as [Row[], unknown];
      return toEntry(rows[0]);
    },

    /**
     * A draft the daily generation wrote for `day` (the brand's local date): at most one per brand and day, so a
     * generation run again (a retry, trigger-now) adds nothing. Null when that day already has one.
     */
    async createGenerated(workspaceId: string, day: string, fields: EntryFields): Promise<CalendarEntry | null> {
      const [rows] = (await sequelize.query(
        `INSERT INTO calendar_entries (id, workspace_id, brand_id, local_at, time_zone, due_at, kind, platforms, post_type,
           topic, copy, media, video, status, owner_id, validation, source, generated_for)
         VALUES (gen_random_uuid(), :workspaceId, :brandId, :localAt, :timeZone, :dueAt, :kind, CAST(:platforms AS varchar[]),
           :postType, :topic, CAST(:copy AS jsonb), CAST(:media AS jsonb), CAST(:video AS jsonb), :status, :ownerId,
           CAST(:validation AS jsonb), 'generated', :day)
         ON CONFLICT (brand_id, generated_for) WHERE generated_for IS NOT NULL DO NOTHING
         RETURNING *`,
        { replacements: { workspaceId, day, ...values(fields) } },
      )) as [Row[], unknown];
      return rows[0] ? toEntry(rows[0]) : null;
    },

    /** Whether the brand has a generated draft for each of `days` already, or any entry that local day. */
    async daysTaken(brandId: string, days: string[]): Promise<Set<string>> {
      const rows = await sequelize.query<{ day: string }>(
        `SELECT DISTINCT substr(local_at, 1, 10) AS day FROM calendar_entries
          WHERE brand_id = :brandId AND status <> 'cancelled' AND substr(local_at, 1, 10) IN (:days)
         UNION SELECT generated_for FROM calendar_entries WHERE brand_id = :brandId AND generated_for IN (:days)`,
        { replacements: { brandId, days }, type: QueryTypes.SELECT },
      );
      return new Set(rows.map((r) => r.day));
    },

    async get(workspaceId: string, id: string): Promise<CalendarEntry | null> {
      const [row] = await select('SELECT * FROM calendar_entries WHERE id = :id AND workspace_id = :workspaceId', {
        id,
        workspaceId,
      });
      return row ? toEntry(row) : null;
    },

    /** Entries due in [from, to), oldest first (a month view's worth). */
    async list(
      workspaceId: string,
      query: { from: Date; to: Date; brandId?: string; status?: EntryStatus },
    ): Promise<CalendarEntry[]> {
      const rows = await select(
        `SELECT * FROM calendar_entries
          WHERE workspace_id = :workspaceId AND due_at >= :from AND due_at < :to
            AND (CAST(:brandId AS uuid) IS NULL OR brand_id = CAST(:brandId AS uuid))
            AND (CAST(:status AS text) IS NULL OR status = :status)
          ORDER BY due_at, id LIMIT 2000`,
        { workspaceId, from: query.from, to: query.to, brandId: query.brandId ?? null, status: query.status ?? null },
      );
      return rows.map(toEntry);
    },

    /**
     * Writes an edit (a move, an approval, a cancel, new copy) if the entry is still at `version` and in one of
     * `from`; bumps the version. Null when it changed meanwhile or is in another status.
     */
    async update(
      workspaceId: string,
      id: string,
      version: number,
      from: readonly EntryStatus[],
      fields: EntryFields,
    ): Promise<CalendarEntry | null> {
      const [entry] = await change(
        `UPDATE calendar_entries SET local_at = :localAt, time_zone = :timeZone, due_at = :dueAt, kind = :kind,
           platforms = CAST(:platforms AS varchar[]), post_type = :postType, topic = :topic, copy = CAST(:copy AS jsonb),
           media = CAST(:media AS jsonb), video = CAST(:video AS jsonb), status = :status, owner_id = :ownerId,
           validation = CAST(:validation AS jsonb), failure = NULL, version = version + 1, updated_at = now()
         WHERE id = :id AND workspace_id = :workspaceId AND version = :version AND status IN (:from)`,
        { id, workspaceId, version, from, ...values(fields) },
      );
      return entry ?? null;
    },

    /** The brand's scheduled entries (and the ones a run holds), for the calendar workflow to arm its timers. */
    async scheduledOf(brandId: string): Promise<ScheduledRef[]> {
      const rows = await sequelize.query<{ id: string; version: number; due_at: Date }>(
        `SELECT id, version, due_at FROM calendar_entries WHERE brand_id = :brandId AND status = 'scheduled'
          ORDER BY due_at LIMIT 5000`,
        { replacements: { brandId }, type: QueryTypes.SELECT },
      );
      return rows.map((r) => ({ entryId: r.id, version: r.version, dueAtMs: new Date(r.due_at).getTime() }));
    },

    /** The workspace's brands with what the daily generation writes from (oldest first, at most 200). */
    async brandsOf(workspaceId: string): Promise<BrandFacts[]> {
      return sequelize.query<BrandFacts>(
        `SELECT id, name, slogan, mission, category, voice, website, keywords, content_pillars AS "contentPillars" FROM brands
          WHERE workspace_id = :workspaceId ORDER BY created_at, id LIMIT 200`,
        { replacements: { workspaceId }, type: QueryTypes.SELECT },
      );
    },

    async byId(id: string): Promise<CalendarEntry | null> {
      const [row] = await select('SELECT * FROM calendar_entries WHERE id = :id', { id });
      return row ? toEntry(row) : null;
    },

    /** Stores a validation of `version` (a later edit has its own). */
    async setValidation(id: string, version: number, validation: EntryValidation): Promise<boolean> {
      const changed = await change(
        `UPDATE calendar_entries SET validation = CAST(:validation AS jsonb), updated_at = now()
          WHERE id = :id AND version = :version`,
        { id, version, validation: json(validation) },
      );
      return changed.length > 0;
    },

    /**
     * Takes `version` of a scheduled entry for its run: scheduled → publishing. Idempotent (a retried claim finds it
     * publishing at the same version); null when the entry moved, was cancelled or was published meanwhile.
     */
    async claim(id: string, version: number, runs: string[]): Promise<CalendarEntry | null> {
      const [entry] = await change(
        `UPDATE calendar_entries SET status = 'publishing', runs = CAST(:runs AS jsonb), updated_at = now()
          WHERE id = :id AND version = :version AND status IN ('scheduled', 'publishing')`,
        { id, version, runs: JSON.stringify(runs) },
      );
      return entry ?? null;
    },

    /** The run's outcome for `version`: published (or failed) with the results per target. */
    async finish(
      id: string,
      version: number,
      outcome: { status: 'published' | 'failed'; results: CalendarEntry['results']; failure: string | null },
      validation?: EntryValidation,
    ): Promise<CalendarEntry | null> {
      const [entry] = await change(
        `UPDATE calendar_entries SET status = :status, results = CAST(:results AS jsonb), failure = :failure,
           validation = COALESCE(CAST(:validation AS jsonb), validation), updated_at = now()
          WHERE id = :id AND version = :version AND status IN ('scheduled', 'publishing')`,
        {
          id,
          version,
          status: outcome.status,
          results: JSON.stringify(outcome.results),
          failure: outcome.failure,
          validation: json(validation),
        },
      );
      return entry ?? null;
    },

    async settings(workspaceId: string): Promise<CalendarSettings> {
      const [row] = await sequelize.query<{
        time_zone: string;
        generation_time: string;
        generation_days: number;
        post_time: string;
      }>('SELECT * FROM calendar_settings WHERE workspace_id = :workspaceId', {
        replacements: { workspaceId },
        type: QueryTypes.SELECT,
      });
      if (!row) return { ...DEFAULT_SETTINGS };
      return {
        timeZone: row.time_zone,
        generationTime: row.generation_time,
        generationDays: row.generation_days,
        postTime: row.post_time,
      };
    },

    async saveSettings(workspaceId: string, s: CalendarSettings): Promise<CalendarSettings> {
      await sequelize.query(
        `INSERT INTO calendar_settings (workspace_id, time_zone, generation_time, generation_days, post_time)
         VALUES (:workspaceId, :timeZone, :generationTime, :generationDays, :postTime)
         ON CONFLICT (workspace_id) DO UPDATE SET time_zone = EXCLUDED.time_zone,
           generation_time = EXCLUDED.generation_time, generation_days = EXCLUDED.generation_days,
           post_time = EXCLUDED.post_time, updated_at = now()`,
        { replacements: { workspaceId, ...s } },
      );
      return s;
    },
  };
}

export type CalendarRepository = ReturnType<typeof createCalendarRepository>;
