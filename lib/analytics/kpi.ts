/**
 * Brand KPI formulas of seed 003 (`app/services/kpi_service.py`): popularity index, trend score, deltas
 * between two snapshots, engagement rate. Pure: no I/O, clock or randomness, so workflows may import it.
 * docs/analytics.md walks through each formula with a worked example.
 */

const DAY_MS = 86_400_000;

export interface PopularityInput {
  followers: number;
  views: number;
  /** A fraction: 0.05 means 5 % (what `engagementRate()` returns). */
  engagementRate: number;
  postsPerWeek: number;
}

export interface SeriesPoint {
  /** ISO 8601 date or date-time; without an offset it is read as UTC so the result never depends on the host's zone. */
  at: string;
  value: number;
}

export interface TrendOptions {
  /** Only the last `window` points (by time) count; seed: `window_size = 7`. */
  window?: number;
  /**
   * `absolute` (seed): the slope in value units per day goes through tanh as is.
   * `relative`: the slope is first expressed in percent of the window's mean |value| per day, so metrics of
   * different magnitude (followers vs engagement rate) land on one scale.
   */
  mode?: 'absolute' | 'relative';
}

export interface KpiDelta<K extends string = string> {
  metric: K;
  current: number | null;
  previous: number | null;
  /** current − previous; null when either side is missing. */
  absolute: number | null;
  /** (current − previous) / |previous| × 100, 2 decimals; null when previous is 0 or either side is missing. */
  percent: number | null;
  direction: 'up' | 'down' | 'flat' | null;
}

/** The seed's caps: 10M followers (log10 = 7), 100M views (log10 = 8), 30 posts a month = 7 a week. */
export const POPULARITY_CAPS = { followersLog10: 7, viewsLog10: 8, postsPerWeek: 7 } as const;
export const POPULARITY_WEIGHTS = { followers: 0.3, engagement: 0.4, views: 0.2, postFrequency: 0.1 } as const;

/**
 * Popularity index, 0–100, 2 decimals (seed 003 `calculate_popularity_index`):
 *
 *   PI = 100 × (0.3 × min(log10(max(followers, 1)) / 7, 1)
 *             + 0.4 × min(engagementRate, 1)
 *             + 0.2 × min(log10(max(views, 1)) / 8, 1)
 *             + 0.1 × min(postsPerWeek / 7, 1))
 *
 * The seed caps post frequency at 30 posts a month; a week holds 7/30 of that month, so the cap is 7 a week.
 * The seed leaves followers and views uncapped although its comments say "max 10M / 100M"; capping them keeps
 * PI within 0–100. Negative or non-finite inputs count as 0.
 */
export function popularityIndex(input: PopularityInput): number {
  const followers = Math.min(Math.log10(Math.max(finiteOrZero(input.followers), 1)) / 7, 1);
  const views = Math.min(Math.log10(Math.max(finiteOrZero(input.views), 1)) / 8, 1);
  const engagement = Math.min(Math.max(finiteOrZero(input.engagementRate), 0), 1);
  const frequency = Math.min(Math.max(finiteOrZero(input.postsPerWeek), 0) / POPULARITY_CAPS.postsPerWeek, 1);
  const w = POPULARITY_WEIGHTS;
  return round2(
    (w.followers * followers + w.engagement * engagement + w.views * views + w.postFrequency * frequency) * 100,
  );
}

/**
 * Trend score, −100..+100, 2 decimals (seed 003 `calculate_trend_score`):
 *
 *   x_i = days since the first point of the window (fractional; the seed used the point index, which equals this
 *         for daily data and stays honest for irregular or weekly data)
 *   slope = Σ(x_i − x̄)(y_i − ȳ) / Σ(x_i − x̄)²            (least squares, as scipy's linregress)
 *   s = slope                                             (mode `absolute`, the seed)
 *   s = 100 × slope / mean(|y_i|)                         (mode `relative`: percent of the mean per day)
 *   score = 100 × tanh(s)
 *
 * Points are sorted by time and only the last `window` (default 7) count. Fewer than 2 points, all points on the
 * same instant, or a zero mean in relative mode give 0. Throws RangeError on a date it cannot read.
 */
export function trendScore(series: readonly SeriesPoint[], options: TrendOptions = {}): number {
  const window = Math.max(2, Math.floor(options.window ?? 7));
  const points = series
    .map((p, i) => ({ t: parseInstant(p.at, i), y: finiteOrZero(p.value), i }))
    // Stable on equal instants so the window is the same whatever the engine's sort does with ties.
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .slice(-window);
  if (points.length < 2) return 0;
  const xs = points.map((p) => (p.t - points[0].t) / DAY_MS);
  const ys = points.map((p) => p.y);
  let s = linearSlope(xs, ys);
  if (options.mode === 'relative') {
    const meanAbs = ys.reduce((sum, y) => sum + Math.abs(y), 0) / ys.length;
    s = meanAbs === 0 ? 0 : (100 * s) / meanAbs;
  }
  return round2(100 * Math.tanh(s));
}

/** Least-squares slope of y on x: Σ(x − x̄)(y − ȳ) / Σ(x − x̄)²; 0 when every x is equal. */
export function linearSlope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

/**
 * Change per metric between two snapshots:
 *
 *   absolute = current − previous
 *   percent  = (current − previous) / |previous| × 100, 2 decimals   (null when previous = 0)
 *
 * Metrics are the keys of `current` then those only in `previous`; a side that is missing, null or non-finite
 * makes absolute, percent and direction null. Dividing by |previous| keeps the sign meaning "went up" when the
 * previous value was negative.
 */
export function kpiDeltas<K extends string>(
  current: Partial<Record<K, number | null>>,
  previous: Partial<Record<K, number | null>>,
): KpiDelta<K>[] {
  const metrics = [...new Set([...Object.keys(current), ...Object.keys(previous)])] as K[];
  return metrics.map((metric) => {
    const cur = finiteOrNull(current[metric]);
    const prev = finiteOrNull(previous[metric]);
    if (cur === null || prev === null)
      return { metric, current: cur, previous: prev, absolute: null, percent: null, direction: null };
    const absolute = cur - prev;
    return {
      metric,
      current: cur,
      previous: prev,
      absolute,
      percent: prev === 0 ? null : round2((absolute / Math.abs(prev)) * 100),
      direction: absolute > 0 ? 'up' : absolute < 0 ? 'down' : 'flat',
    };
  });
}

/**
 * Engagement rate as a fraction (0.05 = 5 %), the unit `popularityIndex` expects:
 *
 *   rate = (likes + comments + shares) / posts / followers
 *
 * `posts` (default 1) averages interactions summed over a period's posts. 0 when followers or posts is 0;
 * negative or non-finite counts are read as 0.
 */
export function engagementRate(likes: number, comments: number, shares: number, followers: number, posts = 1): number {
  const audience = Math.max(finiteOrZero(followers), 0);
  const count = Math.max(finiteOrZero(posts), 0);
  if (audience === 0 || count === 0) return 0;
  const interactions = [likes, comments, shares].reduce((sum, v) => sum + Math.max(finiteOrZero(v), 0), 0);
  return interactions / count / audience;
}

/**
 * Rounds to 2 decimals from the exact binary value (toFixed), as Python's round() does, except that an exact
 * tie (0.125) rounds away from zero rather than to even. Avoids Math.round(x * 100), whose product can round.
 */
export function round2(x: number): number {
  const r = Number(x.toFixed(2));
  return r === 0 ? 0 : r; // no -0 in reports
}

function finiteOrZero(x: number): number {
  return Number.isFinite(x) ? x : 0;
}

function finiteOrNull(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Epoch ms of an ISO 8601 date or date-time; no offset means UTC (Date.parse would use the host's zone). */
export function parseInstant(at: string, index = 0): number {
  const m = ISO_INSTANT.exec(at.trim());
  if (!m) throw new RangeError(`series[${index}].at is not an ISO 8601 date: ${JSON.stringify(at)}`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(utc);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23) {
    throw new RangeError(`series[${index}].at is not a valid date: ${JSON.stringify(at)}`);
  }
  if (zone.toUpperCase() === 'Z') return utc;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return utc - sign * offsetMin * 60_000;
}
