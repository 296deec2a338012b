/** Brand KPIs per period, always scoped to a workspace. Returns plain objects with numbers (not pg's BIGINT strings). */
import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import type { KpiRecord } from '../../lib/report/types';
import type { Database } from '../index';
import type { BrandKpi } from '../models/brand-kpi.model';

export interface KpiRow extends KpiRecord {
  id: string;
  updatedAt: string;
}

/** The measured values of a period; an absent field leaves the stored value, null clears it. */
export type KpiValues = Partial<Pick<KpiRecord, 'followers' | 'engagementRate' | 'views' | 'posts'>>;

/** Value fields and their columns (fixed names: only these are ever written into the SQL text). */
const COLUMNS: Record<keyof KpiValues, string> = {
  followers: 'followers',
  engagementRate: 'engagement_rate',
  views: 'views',
  posts: 'posts',
};

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

const toRow = (k: BrandKpi): KpiRow => ({
  id: k.id,
  period: k.period,
  followers: num(k.followers),
  engagementRate: k.engagementRate,
  views: num(k.views),
  posts: k.posts,
  source: k.source,
  updatedAt: k.updatedAt.toISOString(),
});

export function createKpiRepository(db: Database) {
  const { Brand, BrandKpi } = db.models;
  const brandExists = async (workspaceId: string, brandId: string) =>
    (await Brand.count({ where: { id: brandId, workspaceId } })) > 0;

  return {
    brandExists,

    /** Oldest period first; null when the brand is not in the workspace. */
    async list(workspaceId: string, brandId: string): Promise<KpiRow[] | null> {
      if (!(await brandExists(workspaceId, brandId))) return null;
      const rows = await BrandKpi.findAll({ where: { workspaceId, brandId }, order: [['period', 'ASC']] });
      return rows.map(toRow);
    },

    /**
     * Inserts or updates periods in one transaction. A new row takes `source`; an existing one keeps its
     * values for fields the entry does not carry. One `INSERT … ON CONFLICT` per period, so concurrent first writes of
     * one period all succeed (a read-then-insert raced into unique violations: issue 8).
     */
    async upsert(
      workspaceId: string,
      brandId: string,
      entries: { period: string; values: KpiValues }[],
      source: KpiRecord['source'],
    ): Promise<KpiRow[] | null> {
      if (!(await brandExists(workspaceId, brandId))) return null;
      return db.sequelize.transaction(async (transaction) => {
        const ids: string[] = [];
        for (const { period, values } of entries) {
          const updates = Object.entries(COLUMNS)
            .filter(([field]) => field in values)
            .map(([, column]) => `${column} = EXCLUDED.${column}`);
          // Collected counts fill in a period; they do not claim a hand-entered or imported one.
          if (source !== 'local-channel') updates.push('source = EXCLUDED.source');
          updates.push('updated_at = EXCLUDED.updated_at');
          const [row] = await db.sequelize.query<{ id: string }>(
            `INSERT INTO brand_kpis
                    (id, workspace_id, brand_id, period, followers, engagement_rate, views, posts, source, created_at, updated_at)
             VALUES (:id, :workspaceId, :brandId, :period, :followers, :engagementRate, :views, :posts, :source, now(), now())
             ON CONFLICT (brand_id, period) DO UPDATE SET ${updates.join(', ')}
             RETURNING id`,
            {
              replacements: {
                id: randomUUID(),
                workspaceId,
                brandId,
                period,
                followers: values.followers ?? null,
                engagementRate: values.engagementRate ?? null,
                views: values.views ?? null,
                posts: values.posts ?? null,
                source,
              },
              type: QueryTypes.SELECT,
              transaction,
            },
          );
          ids.push(row.id);
        }
        const rows = await BrandKpi.findAll({ where: { id: ids }, transaction });
        const byId = new Map(rows.map((r) => [r.id, toRow(r)]));
        return ids.map((id) => byId.get(id)!);
      });
    },

    async remove(workspaceId: string, brandId: string, period: string): Promise<boolean> {
      return (await BrandKpi.destroy({ where: { workspaceId, brandId, period } })) > 0;
    },

    /** Posts published and their page views on the brand's local channel, per ISO week (Monday), oldest first. */
    async localChannelWeeks(brandId: string): Promise<{ period: string; posts: number; views: number }[]> {
      const rows = await db.sequelize.query<{ period: string; posts: string; views: string }>(
        `SELECT to_char(date_trunc('week', p.published_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS period,
                count(*) AS posts, coalesce(sum(p.views), 0) AS views
           FROM posts p JOIN channels c ON c.id = p.channel_id
          WHERE p.brand_id = :brandId AND c.kind = 'local' AND p.status = 'published' AND p.published_at IS NOT NULL
          GROUP BY 1 ORDER BY 1`,
        { replacements: { brandId }, type: QueryTypes.SELECT },
      );
      return rows.map((r) => ({ period: r.period, posts: Number(r.posts), views: Number(r.views) }));
    },

    /** External video publications (not the local channel) per ISO week of publishing, with their latest stats. */
    async externalVideoWeeks(
      brandId: string,
    ): Promise<{ period: string; posts: number; views: number; likes: number; comments: number }[]> {
      const rows = await db.sequelize.query<Record<'period' | 'posts' | 'views' | 'likes' | 'comments', string>>(
        `SELECT to_char(date_trunc('week', published_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS period,
                count(*) AS posts,
                coalesce(sum((stats->>'views')::bigint), 0) AS views,
                coalesce(sum((stats->>'likes')::bigint), 0) AS likes,
                coalesce(sum((stats->>'comments')::bigint), 0) AS comments
           FROM publications
          WHERE brand_id = :brandId AND platform <> 'local' AND status = 'published'
          GROUP BY 1 ORDER BY 1`,
        { replacements: { brandId }, type: QueryTypes.SELECT },
      );
      return rows.map((r) => ({
        period: r.period,
        posts: Number(r.posts),
        views: Number(r.views),
        likes: Number(r.likes),
        comments: Number(r.comments),
      }));
    },
  };
}

export type KpiRepository = ReturnType<typeof createKpiRepository>;
