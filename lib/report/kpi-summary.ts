/**
 * Turns a brand's KPI periods into what the report states: the latest values, the popularity index, the trend
 * score and the change since the previous period. Pure (workflows and the API both use it).
 */
import { kpiDeltas, parseInstant, popularityIndex, round2, trendScore } from '../analytics/kpi';
import { KPI_METRICS, type KpiMetric, type KpiRecord, type KpiSummary } from './types';

const DAY_MS = 86_400_000;

const hasValue = (k: KpiRecord) => KPI_METRICS.some((m) => k[m] !== null);

/**
 * Length of a period in days: the median gap between consecutive periods (robust to one missing week), 7 when
 * there are fewer than two periods.
 */
export function periodDays(series: readonly KpiRecord[]): number {
  const times = series.map((k, i) => parseInstant(k.period, i)).sort((a, b) => a - b);
  const gaps = times
    .slice(1)
    .map((t, i) => (t - times[i]) / DAY_MS)
    .filter((g) => g > 0);
  if (gaps.length === 0) return 7;
  gaps.sort((a, b) => a - b);
  const mid = Math.floor(gaps.length / 2);
  return gaps.length % 2 === 1 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2;
}

/**
 *   latest          the newest period with any value
 *   popularityIndex popularityIndex(latest followers, views, engagement, posts ÷ (period days ÷ 7)); missing → 0
 *   trendScore      trendScore(followers series, relative mode, last 7 points); null below 2 follower points
 *   deltas          latest vs the period before it, per metric
 */
export function summarizeKpis(records: readonly KpiRecord[]): KpiSummary {
  const series = [...records].filter(hasValue).sort((a, b) => a.period.localeCompare(b.period));
  const latest = series.at(-1) ?? null;
  if (!latest) return { latest: null, popularityIndex: null, trendScore: null, deltas: [], series: [] };
  const previous = series.at(-2) ?? null;
  const weeks = periodDays(series) / 7;
  const followers = series.filter((k) => k.followers !== null).map((k) => ({ at: k.period, value: k.followers! }));
  const pick = (k: KpiRecord | null) =>
    Object.fromEntries(KPI_METRICS.map((m) => [m, k ? k[m] : null])) as Record<KpiMetric, number | null>;
  return {
    latest,
    popularityIndex: popularityIndex({
      followers: latest.followers ?? 0,
      views: latest.views ?? 0,
      engagementRate: latest.engagementRate ?? 0,
      postsPerWeek: round2((latest.posts ?? 0) / weeks),
    }),
    trendScore: followers.length >= 2 ? trendScore(followers, { mode: 'relative' }) : null,
    deltas: previous ? kpiDeltas(pick(latest), pick(previous)) : [],
    series,
  };
}
