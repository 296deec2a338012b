/**
 * Inline-SVG charts of the brand report: a radar of the diagnosis dimensions, horizontal score bars coloured by
 * band, and one KPI trend line per metric. Pure string builders with no scripts and no external references, so
 * the report stays a self-contained document; every piece of text goes through `escapeHtml`.
 */
import { parseInstant } from '../../lib/analytics/kpi';
import { bandOf, type Band, type DimensionScore } from '../../lib/diagnosis/scoring';
import type { KpiMetric, KpiRecord } from '../../lib/report/types';
import { escapeHtml } from '../../lib/public-text';
import { contrastRatio } from '../render/post-image.template';
import { formatScore } from '../../lib/report/format';

export const BAND_COLORS: Record<Band, string> = {
  critical: '#DC2626',
  weak: '#EA580C',
  fair: '#CA8A04',
  strong: '#16A34A',
};
export const BAND_LABELS: Record<Band, string> = { critical: 'Critical', weak: 'Weak', fair: 'Fair', strong: 'Strong' };
const UNSCORED = '#94A3B8';
const INK = '#0F172A';
const MUTED = '#64748B';
const GRID = '#E2E8F0';
const WHITE = '#FFFFFF';

// ---------------------------------------------------------------------------------------------------------------
// Numbers and colours
// ---------------------------------------------------------------------------------------------------------------

export { formatScore };

const trimZeros = (s: string) => s.replace(/\.0+$|(\.\d*?)0+$/, '$1');

/** Short counts for axes and tiles: 950, 12.3k, 1.2M, 3.4B. */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    // 999,500 would print as "1000k": promote it to the next unit instead.
    if (abs >= size * 0.9995) {
      const scaled = abs / size;
      return `${sign}${trimZeros(scaled.toFixed(scaled < 100 ? 1 : 0))}${suffix}`;
    }
  }
  return `${sign}${trimZeros(abs.toFixed(abs % 1 !== 0 && abs < 100 ? 1 : 0))}`;
}

/** An engagement rate (a fraction) as a percentage: 0.0423 → "4.2%". */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '—';
  return `${trimZeros((fraction * 100).toFixed(1))}%`;
}

export function formatMetric(metric: KpiMetric, value: number | null | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  return metric === 'engagementRate' ? formatPercent(value) : formatCompact(value);
}

export const METRIC_LABELS: Record<KpiMetric, string> = {
  followers: 'Followers',
  engagementRate: 'Engagement rate',
  views: 'Views',
  posts: 'Posts',
};

/** Round tick values ("nice numbers") covering [min, max], about `count` intervals. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    const pad = Math.abs(max) > 0 ? Math.abs(max) * 0.1 : 1;
    [min, max] = [min - pad, max + pad];
  }
  const step = niceNumber((max - min) / Math.max(1, count));
  const start = Math.floor(min / step + 1e-9) * step;
  const end = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let t = start; t <= end + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function niceNumber(x: number): number {
  const exp = Math.floor(Math.log10(x));
  const f = x / 10 ** exp;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return nice * 10 ** exp;
}

type Rgb = [number, number, number];
const toRgb = (hex: string): Rgb => {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
};
const toHex = (rgb: Rgb) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`.toUpperCase();

/** Blend of two `#RRGGBB` colours; `weightOfB` 0 gives `a`, 1 gives `b`. */
export function mixColors(a: string, b: string, weightOfB: number): string {
  const [x, y] = [toRgb(a), toRgb(b)];
  return toHex([0, 1, 2].map((i) => x[i] + (y[i] - x[i]) * weightOfB) as Rgb);
}

/** The colour itself when it reads on white (3:1, enough for lines and large text), else a deeper shade of it. */
export function legibleOnWhite(hex: string, minContrast = 3): string {
  for (let w = 0; w <= 1.0001; w += 0.1) {
    const c = mixColors(hex, INK, w);
    if (contrastRatio(c, WHITE) >= minContrast) return c;
  }
  return INK;
}

const n2 = (x: number) => String(Math.round(x * 100) / 100);

/** Splits a label into at most `lines` lines of about `width` characters, on spaces. */
export function wrapLabel(text: string, width: number, lines = 2): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  for (const word of words) {
    const last = out.length - 1;
    if (last >= 0 && (out[last] + ' ' + word).length <= width) out[last] += ' ' + word;
    else if (out.length < lines) out.push(word);
    else out[last] += ' ' + word; // never drop words: the last line runs long instead
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Radar
// ---------------------------------------------------------------------------------------------------------------

export interface RadarGeometry {
  cx: number;
  cy: number;
  /** Radius of the 100 ring. */
  radius: number;
}

export const RADAR_SIZE = { width: 660, height: 370 } as const;
export const RADAR_GEOMETRY: RadarGeometry = { cx: 330, cy: 190, radius: 128 };
export const RADAR_RINGS = [20, 40, 60, 80, 100] as const;

/** Where a 0–100 value of axis `index` (of `count`, the first pointing up, clockwise) lands. Null counts as 0. */
export function radarPoint(
  index: number,
  count: number,
  value: number | null,
  geometry: RadarGeometry = RADAR_GEOMETRY,
): { x: number; y: number } {
  const angle = -Math.PI / 2 + (2 * Math.PI * index) / count;
  const r = (Math.min(100, Math.max(0, value ?? 0)) / 100) * geometry.radius;
  return { x: geometry.cx + r * Math.cos(angle), y: geometry.cy + r * Math.sin(angle) };
}

const pointList = (points: { x: number; y: number }[]) => points.map((p) => `${n2(p.x)},${n2(p.y)}`).join(' ');

export interface RadarOptions {
  /** The brand colour of the filled area (`#RRGGBB`). */
  color: string;
}

/**
 * Spider chart of the dimensions (0–100): rings at 20…100, one labelled axis per dimension with its score. A
 * dimension without a score is drawn at 0 (a dent in the shape) and labelled "not scored".
 */
export function radarChartSvg(dimensions: readonly DimensionScore[], { color }: RadarOptions): string {
  const { width, height } = RADAR_SIZE;
  const g = RADAR_GEOMETRY;
  const count = dimensions.length;
  const open = `<svg class="chart radar" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Radar chart of the diagnosis scores">`;
  if (count < 3) {
    return `${open}<text x="${width / 2}" y="${height / 2}" text-anchor="middle" font-size="13" fill="${MUTED}">A radar needs at least three dimensions.</text></svg>`;
  }
  const stroke = legibleOnWhite(color);
  const parts: string[] = [open];
  for (const ring of RADAR_RINGS) {
    const ringPoints = dimensions.map((_, i) => radarPoint(i, count, ring, g));
    parts.push(
      `<polygon class="radar-ring" data-ring="${ring}" points="${pointList(ringPoints)}" fill="${ring === 100 ? '#F8FAFC' : 'none'}" stroke="${ring === 100 ? '#CBD5E1' : GRID}" stroke-width="1"/>`,
    );
  }
  dimensions.forEach((_, i) => {
    const end = radarPoint(i, count, 100, g);
    parts.push(
      `<line x1="${g.cx}" y1="${g.cy}" x2="${n2(end.x)}" y2="${n2(end.y)}" stroke="${GRID}" stroke-width="1"/>`,
    );
  });
  for (const ring of RADAR_RINGS) {
    const p = radarPoint(0, count, ring, g);
    parts.push(`<text x="${n2(p.x + 4)}" y="${n2(p.y + 3)}" font-size="8.5" fill="#94A3B8">${ring}</text>`);
  }
  const area = dimensions.map((d, i) => radarPoint(i, count, d.score, g));
  parts.push(
    `<polygon class="radar-area" points="${pointList(area)}" fill="${color}" fill-opacity="0.22" stroke="${stroke}" stroke-width="2" stroke-linejoin="round"/>`,
  );
  dimensions.forEach((d, i) => {
    const p = area[i];
    parts.push(
      d.score === null
        ? `<circle cx="${n2(p.x)}" cy="${n2(p.y)}" r="3.5" fill="${WHITE}" stroke="${UNSCORED}" stroke-width="1.5"/>`
        : `<circle cx="${n2(p.x)}" cy="${n2(p.y)}" r="3.5" fill="${stroke}"/>`,
    );
  });
  dimensions.forEach((d, i) => parts.push(radarLabel(d, i, count, g)));
  parts.push('</svg>');
  return parts.join('');
}

function radarLabel(d: DimensionScore, index: number, count: number, g: RadarGeometry): string {
  const angle = -Math.PI / 2 + (2 * Math.PI * index) / count;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const x = g.cx + (g.radius + 16) * cos;
  const y = g.cy + (g.radius + 16) * sin;
  const anchor = cos > 0.25 ? 'start' : cos < -0.25 ? 'end' : 'middle';
  const lines = wrapLabel(d.label, 18);
  const scored = d.score !== null;
  const scoreText = scored ? formatScore(d.score) : 'not scored';
  const rows = lines.length + 1;
  // Labels above the centre grow upwards, those below grow downwards, side ones are centred on the axis.
  const lineHeight = 13;
  const top = sin < -0.5 ? y - rows * lineHeight + 6 : sin > 0.5 ? y + 8 : y - (rows * lineHeight) / 2 + 9;
  const tspans = lines
    .map((line, i) => `<tspan x="${n2(x)}" y="${n2(top + i * lineHeight)}">${escapeHtml(line)}</tspan>`)
    .join('');
  const color = scored ? BAND_COLORS[bandOf(d.score!)] : UNSCORED;
  const score = `<tspan x="${n2(x)}" y="${n2(top + lines.length * lineHeight)}" font-weight="700" fill="${color}"${scored ? '' : ' font-style="italic" font-weight="400"'}>${escapeHtml(scoreText)}</tspan>`;
  return `<text class="radar-label" text-anchor="${anchor}" font-size="11" fill="${INK}">${tspans}${score}</text>`;
}

// ---------------------------------------------------------------------------------------------------------------
// Score bars
// ---------------------------------------------------------------------------------------------------------------

export const BAR_CHART_WIDTH = 660;
const BAR_ROW = 34;

/** One row per dimension: label and score above a 0–100 bar in its band colour; band limits as dashed lines. */
export function scoreBarChartSvg(dimensions: readonly DimensionScore[]): string {
  const width = BAR_CHART_WIDTH;
  const [x0, x1] = [0, width - 2];
  const top = 4;
  const height = top + dimensions.length * BAR_ROW + 22;
  const xOf = (v: number) => x0 + ((x1 - x0) * Math.min(100, Math.max(0, v))) / 100;
  const parts = [
    `<svg class="chart bars" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Diagnosis scores by dimension">`,
  ];
  const gridBottom = top + dimensions.length * BAR_ROW;
  for (const tick of [0, 20, 40, 60, 80, 100]) {
    const x = n2(xOf(tick));
    parts.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${gridBottom}" stroke="${GRID}" stroke-width="1"/>`);
    const anchor = tick === 0 ? 'start' : tick === 100 ? 'end' : 'middle';
    parts.push(
      `<text x="${x}" y="${gridBottom + 15}" text-anchor="${anchor}" font-size="9" fill="${MUTED}">${tick}</text>`,
    );
  }
  dimensions.forEach((d, i) => {
    const y = top + i * BAR_ROW;
    const scored = d.score !== null;
    const color = scored ? BAND_COLORS[bandOf(d.score!)] : UNSCORED;
    const band = scored ? BAND_LABELS[bandOf(d.score!)] : 'Not scored';
    parts.push(
      `<text x="${x0}" y="${y + 12}" font-size="11" fill="${INK}">${escapeHtml(d.label)}</text>`,
      `<text x="${x1}" y="${y + 12}" text-anchor="end" font-size="11" fill="${color}"><tspan font-weight="700">${escapeHtml(scored ? formatScore(d.score) : '—')}</tspan><tspan fill="${MUTED}"> · ${band}</tspan></text>`,
      `<rect x="${x0}" y="${y + 17}" width="${n2(x1 - x0)}" height="10" rx="5" fill="#F1F5F9"/>`,
    );
    if (scored && d.score! > 0) {
      parts.push(
        `<rect class="bar" data-score="${d.score}" x="${x0}" y="${y + 17}" width="${n2(Math.max(xOf(d.score!) - x0, 10))}" height="10" rx="5" fill="${color}"/>`,
      );
    }
  });
  parts.push('</svg>');
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------------------------
// KPI trend lines
// ---------------------------------------------------------------------------------------------------------------

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
