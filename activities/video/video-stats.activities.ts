/** Video stats folded into the brand's KPIs (`videoAnalyticsWorkflow`). */
import type { KpiRepository, KpiValues } from '../../db/repositories/kpi.repository';
import type { VideoStats } from '../../lib/video/types';
import { failure } from '../../lib/failures';

export function createVideoStatsActivities(deps: { kpis: KpiRepository }) {
  const { kpis } = deps;
  return {
    /**
     * The brand's KPIs of every week it has published in, recomputed from what is stored: posts and page views of
     * its local channel plus the latest stats of its external video publications. Recomputing (rather than adding
     * this reading) keeps a retried or repeated reading from counting twice.
     */
    async recordVideoStats(input: {
      workspaceId: string;
      brandId: string;
      stats: VideoStats[];
    }): Promise<{ periods: number }> {
      const [local, external] = await Promise.all([
        kpis.localChannelWeeks(input.brandId),
        kpis.externalVideoWeeks(input.brandId),
      ]);
      const weeks = new Map<string, { posts: number; views: number; interactions: number }>();
      for (const w of local) weeks.set(w.period, { posts: w.posts, views: w.views, interactions: 0 });
      for (const w of external) {
        const week = weeks.get(w.period) ?? { posts: 0, views: 0, interactions: 0 };
        week.posts += w.posts;
        week.views += w.views;
        week.interactions += w.likes + w.comments;
        weeks.set(w.period, week);
      }
      const entries = [...weeks].map(([period, w]) => {
        const values: KpiValues = { posts: w.posts, views: w.views };
        // Only external platforms report likes and comments; the local channel counts views alone.
        if (w.interactions > 0 && w.views > 0) values.engagementRate = Number((w.interactions / w.views).toFixed(6));
        return { period, values };
      });
      if (entries.length === 0) return { periods: 0 };
      const rows = await kpis.upsert(input.workspaceId, input.brandId, entries, 'local-channel');
      if (!rows) throw failure('NotFound', `Brand ${input.brandId} was not found`);
      return { periods: rows.length };
    },
  };
}

export type VideoStatsActivities = ReturnType<typeof createVideoStatsActivities>;
