/**
 * A/B experiments (migration 0015), scoped to a workspace: the experiment with its variants, and what is counted —
 * exposures (one per unit), conversions (one per unit and metric), event ids seen — with the per-variant totals
 * updated in the same transaction. Returns plain objects.
 */
import { QueryTypes, type Transaction } from 'sequelize';
import {
  EXPOSURE,
  readExperimentConfig,
  type ExperimentConfig,
  type ExperimentInput,
  type ExperimentStatus,
} from '../../lib/abtest/experiment';
import type { Database } from '../index';

export interface VariantRecord {
  id: string;
  key: string;
  name: string;
  weight: number;
  control: boolean;
  content: Record<string, unknown>;
  postId: string | null;
}

export interface ExperimentRecord {
  id: string;
  workspaceId: string;
  brandId: string;
  name: string;
  hypothesis: string;
  kind: 'post' | 'free';
  unit: 'visitor' | 'recipient';
  metric: string;
  guardrails: ExperimentInput['guardrails'];
  post: ExperimentInput['post'];
  config: ExperimentConfig;
  status: ExperimentStatus;
  workflowId: string | null;
  decision: Record<string, unknown> | null;
  startedAt: string | null;
  endedAt: string | null;
  createdAt: string;
  updatedAt: string;
  variants: VariantRecord[];
}

/** Per variant: exposures and conversions per metric. */
export type ExperimentCounts = Record<string, { exposures: number; conversions: Record<string, number> }>;

export interface RecordedEvent {
  eventId: string;
  unit: string;
  type: 'exposure' | 'conversion';
  metric: string;
  /** The unit's variant, as assignment computes it. */
  variantId: string;
}

export interface EventOutcome {
  /** Events whose id was new. */
  accepted: number;
  /** Ids seen before: nothing counted again. */
  duplicates: number;
  /** Of the accepted, those that counted (a unit's first exposure, its first conversion on a metric). */
  counted: number;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

interface Row {
  id: string;
  workspace_id: string;
  brand_id: string;
  name: string;
  hypothesis: string;
  kind: 'post' | 'free';
  unit: 'visitor' | 'recipient';
  metric: string;
  guardrails: ExperimentInput['guardrails'];
  config: { post?: ExperimentInput['post'] } & Record<string, unknown>;
  status: ExperimentStatus;
  workflow_id: string | null;
  decision: Record<string, unknown> | null;
  started_at: Date | null;
  ended_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface VariantRow {
  id: string;
  experiment_id: string;
  key: string;
  name: string;
  weight: number;
  is_control: boolean;
  content: Record<string, unknown>;
  post_id: string | null;
}

const toRecord = (r: Row, variants: VariantRow[]): ExperimentRecord => ({
  id: r.id,
  workspaceId: r.workspace_id,
  brandId: r.brand_id,
  name: r.name,
  hypothesis: r.hypothesis,
  kind: r.kind,
  unit: r.unit,
  metric: r.metric,
  guardrails: r.guardrails,
  config: readExperimentConfig(r.config),
  post: r.config.post ?? { platform: 'instagram', postType: 'promotional' },
  status: r.status,
  workflowId: r.workflow_id,
  decision: r.decision,
  startedAt: iso(r.started_at),
  endedAt: iso(r.ended_at),
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
  variants: variants
    .filter((v) => v.experiment_id === r.id)
    .map((v) => ({
      id: v.id,
      key: v.key,
      name: v.name,
      weight: v.weight,
      control: v.is_control,
      content: v.content,
      postId: v.post_id,
    })),
});

export function createExperimentRepository(db: Database) {
  const select = <T extends object>(sql: string, replacements: Record<string, unknown>, transaction?: Transaction) =>
    db.sequelize.query<T>(sql, { replacements, type: QueryTypes.SELECT, transaction });

  async function withVariants(rows: Row[]): Promise<ExperimentRecord[]> {
    if (rows.length === 0) return [];
    const variants = await select<VariantRow>(
      'SELECT * FROM experiment_variants WHERE experiment_id IN (:ids) ORDER BY position',
      { ids: rows.map((r) => r.id) },
    );
    return rows.map((r) => toRecord(r, variants));
  }

  async function recordOnce(experimentId: string, events: RecordedEvent[]): Promise<EventOutcome> {
    // The first of each event id in the batch; the rest are duplicates like any id seen before.
    const unique = [...new Map(events.map((e) => [e.eventId, e] as const).reverse()).values()].reverse();
    return db.sequelize.transaction(async (transaction) => {
      const query = <T extends object>(sql: string, replacements: Record<string, unknown>) =>
        select<T>(sql, replacements, transaction);
      const fresh = new Set(
        (
          await query<{ event_id: string }>(
            `INSERT INTO experiment_events (experiment_id, event_id, at)
             SELECT :experimentId, id, now() FROM unnest(CAST(ARRAY[:ids] AS text[])) AS id ORDER BY id
             ON CONFLICT DO NOTHING RETURNING event_id`,
            { experimentId, ids: unique.length ? unique.map((e) => e.eventId) : [''] },
          )
        ).map((r) => r.event_id),
      );
      const accepted = unique.filter((e) => fresh.has(e.eventId) && e.eventId !== '');
      const outcome: EventOutcome = {
        accepted: accepted.length,
        duplicates: events.length - accepted.length,
        counted: 0,
      };
      if (accepted.length === 0) return outcome;

      const units = [...new Map(accepted.map((e) => [e.unit, e.variantId] as const)).entries()].sort(([a], [b]) =>
        a < b ? -1 : a > b ? 1 : 0,
      );
      const exposed = await query<{ unit: string; variant_id: string }>(
        `INSERT INTO experiment_exposures (experiment_id, unit, variant_id, at)
         SELECT :experimentId, u, v, now() FROM unnest(CAST(ARRAY[:units] AS text[]), CAST(ARRAY[:variants] AS uuid[])) AS t(u, v)
         ORDER BY u ON CONFLICT DO NOTHING RETURNING unit, variant_id`,
        { experimentId, units: units.map(([u]) => u), variants: units.map(([, v]) => v) },
      );
      const conversions = [
        ...new Map(
          accepted.filter((e) => e.type === 'conversion').map((e) => [`${e.unit}\u0000${e.metric}`, e] as const),
        ).values(),
      ];
      const converted = conversions.length
        ? await query<{ unit: string; metric: string; variant_id: string }>(
            `INSERT INTO experiment_conversions (experiment_id, unit, metric, variant_id, at)
             SELECT :experimentId, u, m, v, now()
               FROM unnest(CAST(ARRAY[:units] AS text[]), CAST(ARRAY[:metrics] AS text[]), CAST(ARRAY[:variants] AS uuid[])) AS t(u, m, v)
             ORDER BY u, m ON CONFLICT DO NOTHING RETURNING unit, metric, variant_id`,
            {
              experimentId,
              units: conversions.map((e) => e.unit),
              metrics: conversions.map((e) => e.metric),
              variants: conversions.map((e) => e.variantId),
            },
          )
        : [];

      const exposureUnits = new Set(accepted.filter((e) => e.type === 'exposure').map((e) => e.unit));
      outcome.counted = exposed.filter((r) => exposureUnits.has(r.unit)).length + converted.length;
      const bumps = new Map<string, { variantId: string; metric: string; n: number }>();
      const bump = (variantId: string, metric: string) => {
        const key = `${variantId}\u0000${metric}`;
        const b = bumps.get(key) ?? { variantId, metric, n: 0 };
        b.n += 1;
        bumps.set(key, b);
      };
      for (const r of exposed) bump(r.variant_id, EXPOSURE);
      for (const r of converted) bump(r.variant_id, r.metric);
      const ordered = [...bumps.values()].sort((a, b) =>
        a.variantId === b.variantId ? (a.metric < b.metric ? -1 : 1) : a.variantId < b.variantId ? -1 : 1,
      );
      if (ordered.length)
        await db.sequelize.query(
          `INSERT INTO experiment_counts (experiment_id, variant_id, metric, count)
           SELECT :experimentId, v, m, n
             FROM unnest(CAST(ARRAY[:variants] AS uuid[]), CAST(ARRAY[:metrics] AS text[]), CAST(ARRAY[:counts] AS int[])) AS t(v, m, n)
           ORDER BY v, m
           ON CONFLICT (experiment_id, variant_id, metric) DO UPDATE SET count = experiment_counts.count + EXCLUDED.count`,
          {
            replacements: {
              experimentId,
              variants: ordered.map((b) => b.variantId),
              metrics: ordered.map((b) => b.metric),
              counts: ordered.map((b) => b.n),
            },
            transaction,
          },
        );
      return outcome;
    });
  }

  return {
    async create(workspaceId: string, input: ExperimentInput): Promise<ExperimentRecord> {
      return db.sequelize.transaction(async (transaction) => {
        const [row] = await select<Row>(
          `INSERT INTO experiments (id, workspace_id, brand_id, name, hypothesis, kind, unit, metric, guardrails, config,
             status, created_at, updated_at)
           VALUES (gen_random_uuid(), :workspaceId, :brandId, :name, :hypothesis, :kind, :unit, :metric,
             CAST(:guardrails AS jsonb), CAST(:config AS jsonb), 'draft', now(), now())
           RETURNING *`,
          {
            workspaceId,
            brandId: input.brandId,
            name: input.name,
            hypothesis: input.hypothesis,
            kind: input.kind,
            unit: input.unit,
            metric: input.metric,
            guardrails: JSON.stringify(input.guardrails),
            // How a promoted post variant is published rides with the evaluation's settings.
            config: JSON.stringify({ ...input.config, post: input.post }),
          },
          transaction,
        );
        for (const [position, v] of input.variants.entries())
          await db.sequelize.query(
            `INSERT INTO experiment_variants (id, experiment_id, key, name, weight, is_control, content, position)
             VALUES (gen_random_uuid(), :experimentId, :key, :name, :weight, :control, CAST(:content AS jsonb), :position)`,
            {
              replacements: { experimentId: row.id, ...v, content: JSON.stringify(v.content), position },
              transaction,
            },
          );
        const variants = await select<VariantRow>(
          'SELECT * FROM experiment_variants WHERE experiment_id = :id ORDER BY position',
          { id: row.id },
          transaction,
        );
        return toRecord(row, variants);
      });
    },

    async get(workspaceId: string, id: string): Promise<ExperimentRecord | null> {
      const rows = await select<Row>('SELECT * FROM experiments WHERE id = :id AND workspace_id = :workspaceId', {
        id,
        workspaceId,
      });
      return (await withVariants(rows))[0] ?? null;
    },

    /** By id alone, for the brand's public channel (which checks the brand itself). */
    async findPublic(id: string): Promise<ExperimentRecord | null> {
      const rows = await select<Row>('SELECT * FROM experiments WHERE id = :id', { id });
      return (await withVariants(rows))[0] ?? null;
    },

    /** Newest first, keyset by (created_at, id). */
    async list(
      workspaceId: string,
      options: { limit: number; brandId?: string; after?: { createdAt: string; id: string } },
    ) {
      const rows = await select<Row>(
        `SELECT * FROM experiments WHERE workspace_id = :workspaceId
           ${options.brandId ? 'AND brand_id = :brandId' : ''}
           ${options.after ? 'AND (created_at, id) < (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))' : ''}
         ORDER BY created_at DESC, id DESC LIMIT :limit`,
        {
          workspaceId,
          brandId: options.brandId ?? null,
          afterAt: options.after?.createdAt ?? null,
          afterId: options.after?.id ?? null,
          limit: options.limit + 1,
        },
      );
      const items = await withVariants(rows.slice(0, options.limit));
      const last = items[items.length - 1];
      return { items, next: rows.length > options.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
    },

    async counts(experimentId: string): Promise<ExperimentCounts> {
      const rows = await select<{ variant_id: string; metric: string; count: number }>(
        'SELECT variant_id, metric, count FROM experiment_counts WHERE experiment_id = :experimentId',
        { experimentId },
      );
      const counts: ExperimentCounts = {};
      for (const r of rows) {
        const c = (counts[r.variant_id] ??= { exposures: 0, conversions: {} });
        if (r.metric === EXPOSURE) c.exposures = r.count;
        else c.conversions[r.metric] = r.count;
      }
      return counts;
    },

    /**
     * Records events in one transaction: an event id seen before counts nothing; a unit's exposure counts once; a
     * conversion counts once per unit and metric, and only for a unit that was exposed (its exposure is recorded
     * with it when missing, so a conversion never lands outside the denominator).
     *
     * Set-based, a statement per table, rows taken in key order and the counters bumped once per (variant, metric) in
     * that order, so concurrent batches queue instead of deadlocking; a deadlock or serialization failure that still
     * happens (a batch sent twice at once) is retried.
     */
    async recordEvents(experimentId: string, events: RecordedEvent[]): Promise<EventOutcome> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await recordOnce(experimentId, events);
        } catch (err) {
          const code = (err as { parent?: { code?: string } }).parent?.code;
          if (attempt >= 4 || (code !== '40P01' && code !== '40001')) throw err;
          await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
        }
      }
    },

    /** Status changes the workflow and the API make; `decision` and the times only when given. */
    async updateState(
      workspaceId: string,
      id: string,
      state: {
        status?: ExperimentStatus;
        workflowId?: string;
        decision?: Record<string, unknown>;
        started?: boolean;
        ended?: boolean;
      },
    ): Promise<boolean> {
      const [, meta] = (await db.sequelize.query(
        `UPDATE experiments SET
           status = COALESCE(:status, status),
           workflow_id = COALESCE(:workflowId, workflow_id),
           decision = COALESCE(CAST(:decision AS jsonb), decision),
           started_at = CASE WHEN :started THEN COALESCE(started_at, now()) ELSE started_at END,
           ended_at = CASE WHEN :ended THEN COALESCE(ended_at, now()) ELSE ended_at END,
           updated_at = now()
         WHERE id = :id AND workspace_id = :workspaceId`,
        {
          replacements: {
            id,
            workspaceId,
            status: state.status ?? null,
            workflowId: state.workflowId ?? null,
            decision: state.decision ? JSON.stringify(state.decision) : null,
            started: state.started ?? false,
            ended: state.ended ?? false,
          },
        },
      )) as [unknown, { rowCount?: number }];
      return (meta?.rowCount ?? 0) > 0;
    },
  };
}

export type ExperimentRepository = ReturnType<typeof createExperimentRepository>;
