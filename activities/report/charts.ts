/**
 * Inline-SVG charts of the brand report's scores: a radar of the diagnosis dimensions and horizontal score bars
 * coloured by band (the KPI lines are in kpi-line-chart.ts). Pure string builders with no scripts and no external references, so
 * the report stays a self-contained document; every piece of text goes through `escapeHtml`.
 */
import { bandOf, type DimensionScore } from '../../lib/diagnosis/scoring';
import { escapeHtml, INK, legibleOnWhite, WHITE } from '../../lib/html';
import { BAND_COLORS, BAND_LABELS, formatScore, GRID, MUTED, n2, UNSCORED, wrapLabel } from './chart-format';

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
