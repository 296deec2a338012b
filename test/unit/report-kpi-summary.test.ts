import { summarizeKpis, periodDays } from '../../lib/report/kpi-summary';
import type { KpiRecord } from '../../lib/report/types';

const week = (period: string, values: Partial<KpiRecord>): KpiRecord => ({
  period,
  followers: null,
  engagementRate: null,
  views: null,
  posts: null,
  source: 'manual',
  ...values,
});

describe('summarizeKpis', () => {
  it('is empty without measured periods', () => {
    expect(summarizeKpis([week('2026-01-05', {})])).toEqual({
      latest: null,
      popularityIndex: null,
      trendScore: null,
      deltas: [],
      series: [],
    });
  });

  it('computes the popularity index of the latest period with hand-checked values', () => {
    // followers 10,000 → log10 4/7; views 1,000,000 → 6/8; engagement 0.05; 14 posts in a 14-day period = 7/week → 1
    // PI = 100 × (0.3 × 4/7 + 0.4 × 0.05 + 0.2 × 0.75 + 0.1 × 1) = 100 × (0.171428… + 0.02 + 0.15 + 0.1) = 44.14
    const s = summarizeKpis([
      week('2026-01-19', { followers: 10_000, views: 1_000_000, engagementRate: 0.05, posts: 14 }),
      week('2026-01-05', { followers: 9_000, views: 800_000, engagementRate: 0.04, posts: 10 }),
    ]);
    expect(s.latest?.period).toBe('2026-01-19');
    expect(s.popularityIndex).toBe(44.14);
    expect(s.series.map((k) => k.period)).toEqual(['2026-01-05', '2026-01-19']);
  });

  it('gives the follower trend and per-metric deltas against the previous period', () => {
    const s = summarizeKpis([
      week('2026-01-05', { followers: 1000, posts: 3 }),
      week('2026-01-12', { followers: 1100, posts: 2 }),
    ]);
    // relative slope: 100 × (100 / 7 days) / mean 1050 = 1.36054 % per day → 100 × tanh(1.36054) = 87.652
    expect(s.trendScore).toBe(87.65);
    expect(s.deltas.find((d) => d.metric === 'followers')).toMatchObject({
      absolute: 100,
      percent: 10,
      direction: 'up',
    });
    expect(s.deltas.find((d) => d.metric === 'posts')).toMatchObject({
      absolute: -1,
      percent: -33.33,
      direction: 'down',
    });
    expect(s.deltas.find((d) => d.metric === 'views')).toMatchObject({ absolute: null, direction: null });
  });

  it('has no trend with one follower point', () => {
    expect(summarizeKpis([week('2026-01-05', { followers: 5 })]).trendScore).toBeNull();
  });
});

describe('periodDays', () => {
  it('is the median gap, 7 for a single period', () => {
    expect(periodDays([week('2026-01-01', {})])).toBe(7);
    expect(
      periodDays([week('2026-01-01', {}), week('2026-02-01', {}), week('2026-03-01', {}), week('2026-04-01', {})]),
    ).toBe(31);
  });
});
