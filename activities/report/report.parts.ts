/** Pieces every section of the report uses: text and value helpers, the chapter frame, tiles, chips. */
import { DIMENSIONS } from '../../lib/diagnosis/questionnaire';
import { bandOf, type DimensionScore } from '../../lib/diagnosis/scoring';
import type { EvidenceRef, ReportDocument, ReportRecommendation } from '../../lib/report/types';
import { cleanText, escapeHtml } from '../../lib/html';
import { BAND_LABELS, formatScore } from './chart-format';
import { REPORT_SECTIONS, sectionMarker, type ReportHtmlOptions, type ReportSectionId } from './report.layout';
import type { ReportPalette } from './report.palette';

/** Report text cuts at a whole word: it is read, not fitted into a fixed box. */
export const reportText = (value: unknown, max?: number) => cleanText(value, max, { atWord: true });

export const esc = (value: unknown, max?: number) => escapeHtml(reportText(value, max));

/** Paragraphs split on blank lines; single newlines become line breaks. */
export function paragraphs(value: unknown, className = ''): string {
  const cls = className ? ` class="${className}"` : '';
  return reportText(value)
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p${cls}>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

const LONG_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
export const MEDIUM_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

export function formatDate(value: unknown, format: Intl.DateTimeFormat = LONG_DATE): string {
  const text = reportText(value, 40);
  // A bare date is a UTC day; Date would read it as such too, but be explicit.
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  return Number.isFinite(time) ? format.format(new Date(time)) : text;
}

export const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
export const outOf100 = (x: number | null | undefined) => (isNumber(x) ? `${formatScore(x)}/100` : '—');
export const signed = (x: number, text: string) => (x > 0 ? `+${text}` : x < 0 ? `−${text.replace(/^-/, '')}` : text);
export const list = <T>(value: readonly T[] | null | undefined): readonly T[] => (Array.isArray(value) ? value : []);

export function bandChip(score: number | null | undefined): string {
  if (!isNumber(score)) return '<span class="band band-none">Not scored</span>';
  const band = bandOf(score);
  return `<span class="band band-${band}">${BAND_LABELS[band]}</span>`;
}

export function languageTag(value: unknown): string {
  return typeof value === 'string' && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(value) ? value : 'en';
}

export interface Ctx {
  doc: ReportDocument;
  palette: ReportPalette;
  dimensions: DimensionScore[];
  options: ReportHtmlOptions;
}

export function dimensionLabel(ctx: Ctx, id: string): string {
  return (
    ctx.dimensions.find((d) => d.id === id)?.label ?? DIMENSIONS.find((d) => d.id === id)?.label ?? reportText(id, 60)
  );
}

export function chapter(ctx: Ctx, id: ReportSectionId, body: string): string {
  const index = REPORT_SECTIONS.findIndex((s) => s.id === id);
  const marker = ctx.options.pageMarkers ? `<span class="toc-mark" aria-hidden="true">${sectionMarker(id)}</span>` : '';
  return `<section class="chapter" id="section-${id}">
<header class="chapter-head">${marker}<span class="num">${index + 1}</span><h2>${escapeHtml(REPORT_SECTIONS[index].title)}</h2></header>
${body}
</section>`;
}

export function evidenceChips(evidence: readonly EvidenceRef[] | undefined): string {
  const items = list(evidence).filter((e) => reportText(e?.label));
  if (items.length === 0) return '';
  const chips = items
    .map((e) => {
      const kind = ['dimension', 'question', 'kpi', 'passage'].includes(e.kind) ? e.kind : 'other';
      return `<span class="chip ev-${kind}">${esc(e.label, 140)}</span>`;
    })
    .join('');
  return `<div class="evidence">${chips}</div>`;
}

export function trendWord(trend: number): string {
  return trend > 10 ? 'growing' : trend < -10 ? 'declining' : 'stable';
}

/** A key figure; `value` is escaped unless it is `{ html }` (a number with its own small unit markup). */
export function tile(label: string, value: string | { html: string }, sub: string, small = false): string {
  const v = typeof value === 'string' ? escapeHtml(value) : value.html;
  return `<div class="tile"><div class="k">${escapeHtml(label)}</div><div class="v${small ? ' text' : ''}">${v}</div><div class="s">${escapeHtml(sub)}</div></div>`;
}

/** "61.4/100" with the "/100" set small, or "—". */
export const scoreFigure = (x: number | null | undefined) =>
  isNumber(x) ? { html: `${escapeHtml(formatScore(x))}<small>/100</small>` } : '—';

export function sortedRecommendations(doc: ReportDocument): ReportRecommendation[] {
  return list(doc.analysis?.recommendations)
    .map((r, i) => ({ r, i }))
    .sort((x, y) => (x.r?.priority ?? Infinity) - (y.r?.priority ?? Infinity) || x.i - y.i)
    .map(({ r }) => r);
}
