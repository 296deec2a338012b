import {
  engagementRate,
  kpiDeltas,
  linearSlope,
  parseInstant,
  popularityIndex,
  round2,
  trendScore,
  type SeriesPoint,
} from '../../lib/analytics/kpi';

/** Daily points starting 2025-01-01. */
const daily = (values: number[]): SeriesPoint[] =>
  values.map((value, i) => ({ at: `2025-01-${String(i + 1).padStart(2, '0')}`, value }));

describe('popularityIndex (seed 003)', () => {
  it('weights log-normalised followers and views, engagement and post frequency', () => {
    // followers: log10(10 000) / 7 = 4/7 = 0.571428…   × 0.3 = 0.171428…
    // engagement: 0.05                                × 0.4 = 0.02
    // views: log10(1 000 000) / 8 = 6/8 = 0.75        × 0.2 = 0.15
    // posts: 3.5 / 7 = 0.5                            × 0.1 = 0.05
    // (0.171428… + 0.02 + 0.15 + 0.05) × 100 = 39.142857… → 39.14
    expect(popularityIndex({ followers: 10_000, views: 1_000_000, engagementRate: 0.05, postsPerWeek: 3.5 })).toBe(
      39.14,
    );
  });

  it('scores zero followers as log10(max(0, 1)) = 0', () => {
    // 0.3 × 0 + 0.4 × 0.1 + 0.2 × (log10(100) / 8 = 0.25) + 0.1 × (1/7 = 0.142857…)
    // = 0 + 0.04 + 0.05 + 0.0142857… = 0.1042857… × 100 = 10.43
    expect(popularityIndex({ followers: 0, views: 100, engagementRate: 0.1, postsPerWeek: 1 })).toBe(10.43);
    expect(popularityIndex({ followers: 0, views: 0, engagementRate: 0, postsPerWeek: 0 })).toBe(0);
  });

  it('reaches 100 at the seed caps and never exceeds it', () => {
    // 10M followers → 7/7, 100M views → 8/8, engagement 1, 7 posts/week (= 30/month) → 1: Σ weights = 1 → 100
    expect(popularityIndex({ followers: 1e7, views: 1e8, engagementRate: 1, postsPerWeek: 7 })).toBe(100);
    // log10(1e9) / 7 = 1.29 would push the seed's formula past 100; capped at 1
    expect(popularityIndex({ followers: 1e9, views: 1e10, engagementRate: 3, postsPerWeek: 40 })).toBe(100);
  });

  it('reads negative and non-finite inputs as 0', () => {
    expect(popularityIndex({ followers: -5, views: Number.NaN, engagementRate: -0.2, postsPerWeek: Infinity })).toBe(0);
  });
});

describe('trendScore (seed 003)', () => {
  it('is 100·tanh(slope) with x in days: a rise of 0.5 a day gives 46.21', () => {
    // x = 0, 1, 2; y = 10, 10.5, 11 → slope 0.5; 100 × tanh(0.5) = 46.2117… → 46.21
    expect(trendScore(daily([10, 10.5, 11]))).toBe(46.21);
    expect(trendScore(daily([11, 10.5, 10]))).toBe(-46.21);
  });

  it('uses days since the first point, not the point index, for irregular series', () => {
    // x = 0, 2, 4 (days); y = 0, 1, 1; x̄ = 2, ȳ = 2/3
    // Σ(x−x̄)(y−ȳ) = (−2)(−2/3) + 0·(1/3) + 2·(1/3) = 4/3 + 2/3 = 2; Σ(x−x̄)² = 4 + 0 + 4 = 8
    // slope = 2/8 = 0.25; 100 × tanh(0.25) = 24.4918… → 24.49 (the index would give slope 0.5 → 46.21)
    const series = [
      { at: '2025-01-01', value: 0 },
      { at: '2025-01-03', value: 1 },
      { at: '2025-01-05', value: 1 },
    ];
    expect(trendScore(series)).toBe(24.49);
  });

  it('counts fractional days from time of day', () => {
    // x = 0, 0.5 days; y = 0, 0.25 → slope 0.5 → 46.21
    const series = [
      { at: '2025-03-01T00:00:00Z', value: 0 },
      { at: '2025-03-01T12:00:00Z', value: 0.25 },
    ];
    expect(trendScore(series)).toBe(46.21);
  });

  it('is 0 for a flat series, a single point, an empty series and points on one instant', () => {
    expect(trendScore(daily([5, 5, 5, 5]))).toBe(0);
    expect(trendScore(daily([42]))).toBe(0);
    expect(trendScore([])).toBe(0);
    expect(
      trendScore([
        { at: '2025-01-01', value: 1 },
        { at: '2025-01-01T00:00:00Z', value: 9 },
      ]),
    ).toBe(0);
  });

  it('is bounded by tanh: a huge slope gives exactly 100', () => {
    // slope 1000 → tanh(1000) = 1 in double precision
    expect(trendScore(daily([0, 1000]))).toBe(100);
    expect(trendScore(daily([1000, 0]))).toBe(-100);
    expect(Math.abs(trendScore(daily([3, 9, 2, 400, 7])))).toBeLessThanOrEqual(100);
  });

  it('looks at the last 7 points by default, like the seed’s window_size', () => {
    // the drop 100 → 5 lies before the last 7 points, which are flat
    const series = daily([100, 50, 5, 5, 5, 5, 5, 5, 5, 5]);
    expect(trendScore(series)).toBe(0);
    expect(trendScore(series, { window: 10 })).toBeLessThan(0);
  });

  it('sorts points by time before windowing', () => {
    const sorted = daily([1, 2, 4, 3, 5]);
    const shuffled = [sorted[3], sorted[0], sorted[4], sorted[2], sorted[1]];
    expect(trendScore(shuffled)).toBe(trendScore(sorted));
  });

  it('relative mode expresses the slope in percent of the mean per day', () => {
    // y = 99, 100, 101 daily: slope 1, mean |y| = 100 → s = 100 × 1/100 = 1; 100 × tanh(1) = 76.159… → 76.16
    expect(trendScore(daily([99, 100, 101]), { mode: 'relative' })).toBe(76.16);
    // y = 990, 1000, 1010: slope 10, mean 1000 → s = 100 × 10/1000 = 1 → 76.16; absolute: 100 × tanh(10) → 100
    expect(trendScore(daily([990, 1000, 1010]), { mode: 'relative' })).toBe(76.16);
    expect(trendScore(daily([990, 1000, 1010]))).toBe(100);
    expect(trendScore(daily([0, 0, 0]), { mode: 'relative' })).toBe(0);
  });

  it('reads dates without an offset as UTC and honours explicit offsets', () => {
    expect(parseInstant('2025-01-02')).toBe(Date.UTC(2025, 0, 2));
    expect(parseInstant('2025-01-02T01:30:00+01:30')).toBe(Date.UTC(2025, 0, 2));
    expect(parseInstant('2025-01-02T00:00:00.250Z')).toBe(Date.UTC(2025, 0, 2, 0, 0, 0, 250));
    expect(() => trendScore([{ at: 'yesterday', value: 1 }])).toThrow(RangeError);
    expect(() => parseInstant('2025-02-30')).toThrow(/not a valid date/);
  });

  it('linearSlope is the least-squares slope', () => {
    // x = 0, 1, 4; y = 2, 3, 5; x̄ = 5/3, ȳ = 10/3
    // Σ(x−x̄)(y−ȳ) = (−5/3)(−4/3) + (−2/3)(−1/3) + (7/3)(5/3) = (20 + 2 + 35)/9 = 57/9
    // Σ(x−x̄)² = (25 + 4 + 49)/9 = 78/9 → slope = 57/78 = 0.730769…
    expect(linearSlope([0, 1, 4], [2, 3, 5])).toBeCloseTo(57 / 78, 12);
    expect(linearSlope([2, 2], [1, 5])).toBe(0);
  });
});

describe('kpiDeltas', () => {
  it('gives absolute and percentage change per metric, null-safe on a zero previous value', () => {
    const deltas = kpiDeltas(
      { followers: 1200, engagementRate: 0.045, views: 0, posts: 8 },
      { followers: 1000, engagementRate: 0.05, views: 0, posts: 0 },
    );
    const by = Object.fromEntries(deltas.map((d) => [d.metric, d]));
    // 1200 − 1000 = 200; 200 / 1000 × 100 = 20 %
    expect(by.followers).toEqual({
      metric: 'followers',
      current: 1200,
      previous: 1000,
      absolute: 200,
      percent: 20,
      direction: 'up',
    });
    // 0.045 − 0.05 = −0.005; −0.005 / 0.05 × 100 = −10 %
    expect(by.engagementRate.absolute).toBeCloseTo(-0.005, 12);
    expect(by.engagementRate.percent).toBe(-10);
    expect(by.engagementRate.direction).toBe('down');
    // previous 0: the change is known, its percentage is not
    expect(by.views).toMatchObject({ absolute: 0, percent: null, direction: 'flat' });
    expect(by.posts).toMatchObject({ absolute: 8, percent: null, direction: 'up' });
    expect(deltas.map((d) => d.metric)).toEqual(['followers', 'engagementRate', 'views', 'posts']);
  });

  it('rounds the percentage to 2 decimals and divides by |previous|', () => {
    // (4 − 3) / 3 × 100 = 33.333… → 33.33
    expect(kpiDeltas({ a: 4 }, { a: 3 })[0].percent).toBe(33.33);
    // (−25 − (−50)) / |−50| × 100 = +50: less negative is up
    expect(kpiDeltas({ a: -25 }, { a: -50 })[0]).toMatchObject({ absolute: 25, percent: 50, direction: 'up' });
  });

  it('returns nulls for a metric missing on either side', () => {
    const deltas = kpiDeltas<'reach' | 'leads'>({ reach: 10, leads: null }, { leads: 4 });
    expect(deltas).toEqual([
      { metric: 'reach', current: 10, previous: null, absolute: null, percent: null, direction: null },
      { metric: 'leads', current: null, previous: 4, absolute: null, percent: null, direction: null },
    ]);
  });
});

describe('engagementRate', () => {
  it('is interactions over followers, as a fraction', () => {
    // (50 + 10 + 15) / 1000 = 75 / 1000 = 0.075
    expect(engagementRate(50, 10, 15, 1000)).toBe(0.075);
    // averaged over 5 posts: 75 / 5 / 1000 = 0.015
    expect(engagementRate(50, 10, 15, 1000, 5)).toBe(0.015);
  });

  it('is 0 without followers or posts, and ignores negative counts', () => {
    expect(engagementRate(50, 10, 15, 0)).toBe(0);
    expect(engagementRate(50, 10, 15, 1000, 0)).toBe(0);
    // (−5 → 0) + 10 + 0 = 10; 10 / 100 = 0.1
    expect(engagementRate(-5, 10, 0, 100)).toBe(0.1);
  });

  it('feeds popularityIndex in the unit it expects', () => {
    // 0.4 × 0.075 = 0.03 → 3 points of 100 with everything else at 0
    expect(
      popularityIndex({ followers: 1, views: 1, engagementRate: engagementRate(50, 10, 15, 1000), postsPerWeek: 0 }),
    ).toBe(3);
  });
});

describe('round2', () => {
  it('rounds the exact binary value like Python, without -0', () => {
    expect(round2(39.142857)).toBe(39.14);
    expect(round2(1.005)).toBe(1); // 1.005 is 1.00499999999999989… in binary; Python: round(1.005, 2) == 1.0
    expect(round2(2.675)).toBe(2.67); // 2.67499999999999982…; Python: 2.67
    expect(Object.is(round2(-0.004), 0)).toBe(true);
  });
});
