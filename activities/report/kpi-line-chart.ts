/** One KPI over time as an inline-SVG line chart, x following the dates of the periods. */
import { parseInstant } from '../../lib/analytics/kpi';
import type { KpiMetric, KpiRecord } from '../../lib/report/types';
import { escapeHtml, legibleOnWhite, WHITE } from '../../lib/html';
import { formatMetric, GRID, METRIC_LABELS, MUTED, n2, niceTicks } from './chart-format';

export const LINE_CHART_SIZE = { width: 320, height: 170 } as const;
const PAD = { left: 44, right: 14, top: 12, bottom: 24 };

const SHORT_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** "3 Mar" for an ISO date; the text itself when it is not one. */
export function shortDate(period: string): string {
  try {
    return SHORT_DATE.format(new Date(parseInstant(period)));
  } catch {
    return period.slice(0, 10);
  }
}

export interface LineChartOptions {
  color: string;
}

/**
 * One metric over the periods of `series` (oldest first). Periods without a value are skipped; x follows the dates
 * (so a missing week leaves a wider gap), or the order when a date cannot be read. 0 points: a "no data" frame.
 */
export function kpiLineChartSvg(series: readonly KpiRecord[], metric: KpiMetric, { color }: LineChartOptions): string {
  const { width, height } = LINE_CHART_SIZE;
  const stroke = legibleOnWhite(color);
  const label = METRIC_LABELS[metric];
  const parts = [
    `<svg class="chart line" data-metric="${metric}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(label)} over time">`,
  ];
  const points = series
    .map((k, i) => ({ period: k.period, value: k[metric], i }))
    .filter(
      (p): p is { period: string; value: number; i: number } => typeof p.value === 'number' && Number.isFinite(p.value),
    );
  const [left, right, top, bottom] = [PAD.left, width - PAD.right, PAD.top, height - PAD.bottom];

  if (points.length === 0) {
    parts.push(
      `<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="#F8FAFC" stroke="${GRID}"/>`,
      `<text x="${(left + right) / 2}" y="${(top + bottom) / 2 + 4}" text-anchor="middle" font-size="11" fill="${MUTED}">No data recorded</text>`,
      '</svg>',
    );
    return parts.join('');
  }

  const values = points.map((p) => p.value);
  let [lo, hi] = [Math.min(...values), Math.max(...values)];
  // Start at zero when zero is near anyway (small counts, rates); zoom in on large, slow-moving counts.
  if (lo >= 0 && lo <= hi - lo) lo = 0;
  const ticks = niceTicks(lo, hi, 4);
  [lo, hi] = [ticks[0], ticks[ticks.length - 1]];
  const yOf = (v: number) => bottom - ((v - lo) / (hi - lo || 1)) * (bottom - top);

  const times = readTimes(points.map((p) => p.period));
  const [t0, t1] = [times[0], times[times.length - 1]];
  const xOf = (i: number) =>
    points.length === 1 ? (left + right) / 2 : left + 6 + ((times[i] - t0) / (t1 - t0 || 1)) * (right - left - 12);

  for (const tick of ticks) {
    const y = n2(yOf(tick));
    parts.push(
      `<line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="${GRID}" stroke-width="1"/>`,
      `<text x="${left - 6}" y="${n2(yOf(tick) + 3)}" text-anchor="end" font-size="9" fill="${MUTED}">${escapeHtml(formatMetric(metric, tick))}</text>`,
    );
  }
  parts.push(`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#CBD5E1" stroke-width="1"/>`);

  for (const i of spacedLabels(labelIndexes(points.length, points.length <= 8 ? 8 : 5), xOf, 40)) {
    const x = xOf(i);
    const anchor = points.length === 1 ? 'middle' : i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle';
    const ax = anchor === 'start' ? x - 4 : anchor === 'end' ? x + 4 : x;
    parts.push(
      `<text x="${n2(ax)}" y="${bottom + 15}" text-anchor="${anchor}" font-size="9" fill="${MUTED}">${escapeHtml(shortDate(points[i].period))}</text>`,
    );
  }

  const xy = points.map((p, i) => ({ x: xOf(i), y: yOf(p.value) }));
  if (xy.length > 1) {
    const line = xy.map((p, i) => `${i === 0 ? 'M' : 'L'}${n2(p.x)} ${n2(p.y)}`).join(' ');
    const area = `${line} L${n2(xy[xy.length - 1].x)} ${bottom} L${n2(xy[0].x)} ${bottom} Z`;
    parts.push(
      `<path d="${area}" fill="${color}" fill-opacity="0.10" stroke="none"/>`,
      `<path class="series" d="${line}" fill="none" stroke="${stroke}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>`,
    );
  }
  if (xy.length <= 24) {
    for (const p of xy) {
      parts.push(
        `<circle class="point" cx="${n2(p.x)}" cy="${n2(p.y)}" r="3" fill="${WHITE}" stroke="${stroke}" stroke-width="2"/>`,
      );
    }
  }
  const last = xy[xy.length - 1];
  const lastText = escapeHtml(formatMetric(metric, points[points.length - 1].value));
  const labelY = last.y - 8 < top + 8 ? last.y + 16 : last.y - 8;
  parts.push(
    `<text x="${n2(Math.min(last.x, right))}" y="${n2(labelY)}" text-anchor="${xy.length === 1 ? 'middle' : 'end'}" font-size="10" font-weight="700" fill="${stroke}">${lastText}</text>`,
  );
  parts.push('</svg>');
  return parts.join('');
}

function readTimes(periods: string[]): number[] {
  try {
    const times = periods.map((p, i) => parseInstant(p, i));
    // Out-of-order or repeated dates would fold the line back: fall back to even spacing.
    if (times.every((t, i) => i === 0 || t > times[i - 1])) return times;
  } catch {
    // An unreadable date: even spacing below.
  }
  return periods.map((_, i) => i);
}

/** Drops labels closer than `gap` to the previous one (an uneven date gap can crowd them); the last one stays. */
function spacedLabels(indexes: number[], xOf: (i: number) => number, gap: number): number[] {
  const kept: number[] = [];
  for (const i of indexes) {
    const last = i === indexes[indexes.length - 1];
    while (last && kept.length > 1 && xOf(i) - xOf(kept[kept.length - 1]) < gap) kept.pop();
    if (last || kept.length === 0 || xOf(i) - xOf(kept[kept.length - 1]) >= gap) kept.push(i);
  }
  return kept;
}

/** Up to `max` evenly spread indexes of `n` points, always the first and the last. */
export function labelIndexes(n: number, max: number): number[] {
  if (n <= 0) return [];
  if (n <= max) return [...Array(n).keys()];
  return [...new Set([...Array(max).keys()].map((k) => Math.round((k * (n - 1)) / (max - 1))))];
}
