/**
 * The brand report as one self-contained HTML document for A4 print (issue 3, step 5): cover, contents, eight
 * numbered sections. No scripts and no external references (the CSP says so too); charts are inline SVG; every
 * piece of brand, writer and knowledge-base text is escaped. Pure, so the PDF activity and tests share it.
 */
import { DIMENSIONS, QUESTIONS } from '../../lib/diagnosis/questionnaire';
import { BANDS, bandOf, type Band, type DimensionScore } from '../../lib/diagnosis/scoring';
import type { BrandColors } from '../../lib/social';
import {
  KPI_METRICS,
  type EvidenceRef,
  type Finding,
  type KpiSummary,
  type ReportDocument,
  type ReportPassage,
  type ReportRecommendation,
  type SectionProvenance,
} from '../../lib/report/types';
import { escapeHtml } from '../../lib/public-text';
import { contrastRatio, normalizeHexColor, resolvePalette, safeLogoDataUrl } from '../render/post-image.template';
import {
  BAND_COLORS,
  BAND_LABELS,
  formatCompact,
  formatMetric,
  formatScore,
  kpiLineChartSvg,
  legibleOnWhite,
  METRIC_LABELS,
  mixColors,
  radarChartSvg,
  scoreBarChartSvg,
} from './charts';
import { templateCsp } from '../render/template-csp';

export const REPORT_SECTIONS = [
  { id: 'summary', title: 'Executive summary' },
  { id: 'scores', title: 'Diagnosis scores' },
  { id: 'kpis', title: 'Key performance indicators' },
  { id: 'clusters', title: 'Keyword clusters' },
  { id: 'swot', title: 'SWOT analysis' },
  { id: 'recommendations', title: 'Recommendations' },
  { id: 'sources', title: 'Sources' },
  { id: 'about', title: 'About this report' },
] as const;
export type ReportSectionId = (typeof REPORT_SECTIONS)[number]['id'];
export type SectionPages = Partial<Record<ReportSectionId, number>>;

/** Used by both the `@page` rule and `page.pdf()`, so the HTML preview and the PDF break the same way. */
export const REPORT_PAGE_MARGIN = { top: '22mm', right: '16mm', bottom: '20mm', left: '16mm' } as const;

export interface ReportHtmlOptions {
  /** Page of each section for the table of contents; a section without one leaves its (reserved) slot blank. */
  tocPages?: SectionPages;
  /**
   * The first print pass: each section heading carries an invisible marker that pdftotext still extracts, so the
   * activity can tell on which page every section starts. Markers are positioned out of flow: layout is unchanged.
   */
  pageMarkers?: boolean;
}

const MARKER_PREFIX = '@@sf-toc:';
export const sectionMarker = (id: ReportSectionId) => `${MARKER_PREFIX}${id}@@`;

/** The 1-based page of each section marker in pdftotext output (pages are separated by form feeds). */
export function findSectionPages(text: string): SectionPages {
  const pages: SectionPages = {};
  text.split('\f').forEach((pageText, index) => {
    for (const section of REPORT_SECTIONS) {
      if (pages[section.id] === undefined && pageText.includes(sectionMarker(section.id))) {
        pages[section.id] = index + 1;
      }
    }
  });
  return pages;
}

// ---------------------------------------------------------------------------------------------------------------
// Text and values
// ---------------------------------------------------------------------------------------------------------------

const FONT_STACK = "'DejaVu Sans', 'Liberation Sans', 'Helvetica Neue', Arial, sans-serif";
const INK = '#0F172A';
const WHITE = '#FFFFFF';

/** Text as a string, control characters dropped (newlines kept), trimmed; cut at a word with "…" past `max`. */
export function cleanText(value: unknown, max = Infinity): string {
  const text = (typeof value === 'string' ? value : value == null ? '' : String(value))
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '')
    .trim();
  const chars = [...text];
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join('');
  const atWord = cut.replace(/\s+\S*$/, '');
  return `${(atWord.length > max * 0.6 ? atWord : cut).trimEnd()}…`;
}

const esc = (value: unknown, max?: number) => escapeHtml(cleanText(value, max));

/** Paragraphs split on blank lines; single newlines become line breaks. */
function paragraphs(value: unknown, className = ''): string {
  const cls = className ? ` class="${className}"` : '';
  return cleanText(value)
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p${cls}>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const MEDIUM_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

function formatDate(value: unknown, format: Intl.DateTimeFormat = LONG_DATE): string {
  const text = cleanText(value, 40);
  // A bare date is a UTC day; Date would read it as such too, but be explicit.
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  return Number.isFinite(time) ? format.format(new Date(time)) : text;
}

const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const outOf100 = (x: number | null | undefined) => (isNumber(x) ? `${formatScore(x)}/100` : '—');
const signed = (x: number, text: string) => (x > 0 ? `+${text}` : x < 0 ? `−${text.replace(/^-/, '')}` : text);
const list = <T>(value: readonly T[] | null | undefined): readonly T[] => (Array.isArray(value) ? value : []);

function bandChip(score: number | null | undefined): string {
  if (!isNumber(score)) return '<span class="band band-none">Not scored</span>';
  const band = bandOf(score);
  return `<span class="band band-${band}">${BAND_LABELS[band]}</span>`;
}

function initials(name: string): string {
  const words = name.match(/[\p{L}\p{N}]+/gu) ?? [];
  const letters = words.length > 1 ? words.slice(0, 2).map((w) => [...w][0]) : [...(words[0] ?? '')].slice(0, 2);
  return letters.join('').toUpperCase() || '•';
}

function fontStack(fontFamily: unknown): string {
  const name = typeof fontFamily === 'string' ? fontFamily.trim() : '';
  return /^[\p{L}\p{N} _-]{1,64}$/u.test(name) ? `'${name}', ${FONT_STACK}` : FONT_STACK;
}

function languageTag(value: unknown): string {
  return typeof value === 'string' && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(value) ? value : 'en';
}

export interface ReportPalette {
  primary: string;
  secondary: string;
  accent: string;
  /** The primary, deepened until small text in it reads on white (4.5:1). */
  strong: string;
  /** A pale wash of the primary for panels. */
  tint: string;
  /** Text on a primary-coloured badge. */
  onPrimary: string;
  /** Text over the cover's primary→secondary gradient. */
  onHero: string;
}

/** Brand colours validated (invalid ones fall back to defaults) and the derived tones the report needs. */
export function reportPalette(colors: Partial<BrandColors> | null | undefined): ReportPalette {
  const base = resolvePalette(colors ?? undefined);
  const primary = base.primary;
  const accent = normalizeHexColor(colors?.accent) ?? base.secondary;
  return {
    primary,
    secondary: base.secondary,
    accent,
    strong: legibleOnWhite(primary, 4.5),
    tint: mixColors(primary, WHITE, 0.92),
    onPrimary: contrastRatio(WHITE, primary) >= contrastRatio(INK, primary) ? WHITE : INK,
    onHero: base.ink,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Header and footer (Chromium's print templates: inline styles only, no shared CSS)
// ---------------------------------------------------------------------------------------------------------------

const TEMPLATE_BOX = `width: 100%; margin: 0 ${REPORT_PAGE_MARGIN.right} 0 ${REPORT_PAGE_MARGIN.left}; font-family: ${FONT_STACK}; font-size: 7.5px; color: #64748B; display: flex; justify-content: space-between; align-items: center; -webkit-print-color-adjust: exact;`;

export function reportHeaderTemplate(doc: ReportDocument): string {
  const title = esc(doc?.title, 120);
  const date = escapeHtml(formatDate(doc?.generatedAt));
  return `<div style="${TEMPLATE_BOX} padding-top: 4mm;"><span>${title}</span><span>${date}</span></div>`;
}

export function reportFooterTemplate(doc: ReportDocument): string {
  const palette = reportPalette(doc?.brand?.colors);
  const brand = esc(doc?.brand?.name, 80);
  return (
    `<div style="${TEMPLATE_BOX} padding-bottom: 4mm;">` +
    `<span style="display: flex; align-items: center;"><span style="display: inline-block; width: 7px; height: 7px; border-radius: 2px; margin-right: 6px; background: ${palette.primary};"></span>${brand}</span>` +
    '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Styles
// ---------------------------------------------------------------------------------------------------------------

function styles(p: ReportPalette, font: string): string {
  const m = REPORT_PAGE_MARGIN;
  return `
@page { size: A4; margin: ${m.top} ${m.right} ${m.bottom} ${m.left}; }
:root {
  --brand-primary: ${p.primary}; --brand-secondary: ${p.secondary}; --brand-accent: ${p.accent};
  --brand-strong: ${p.strong}; --brand-tint: ${p.tint}; --on-primary: ${p.onPrimary}; --on-hero: ${p.onHero};
  --ink: ${INK}; --muted: #475569; --faint: #94A3B8; --line: #E2E8F0; --soft: #F8FAFC;
  ${(Object.keys(BAND_COLORS) as Band[]).map((b) => `--band-${b}: ${BAND_COLORS[b]};`).join(' ')}
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: ${font}; font-size: 9.5pt; line-height: 1.5; color: var(--ink); hyphens: manual; }
h1, h2, h3, h4 { margin: 0; line-height: 1.2; break-after: avoid; }
p { margin: 0 0 7px; }
a { color: inherit; text-decoration: none; }
.muted { color: var(--muted); }
.small { font-size: 8pt; }

/* Cover */
.cover { height: 250mm; display: flex; flex-direction: column; break-after: page; overflow: hidden; }
.hero { position: relative; flex: 0 0 150mm; border-radius: 5mm; overflow: hidden; padding: 14mm 13mm;
  color: var(--on-hero); display: flex; flex-direction: column; justify-content: space-between;
  background: linear-gradient(135deg, var(--brand-primary) 0%, var(--brand-secondary) 100%); }
.hero .ring { position: absolute; border-radius: 50%; border: 1.5px solid currentColor; opacity: 0.16; }
.hero .ring.a { width: 130mm; height: 130mm; right: -45mm; top: -50mm; }
.hero .ring.b { width: 80mm; height: 80mm; right: -10mm; top: -20mm; opacity: 0.12; }
.hero .ring.c { width: 160mm; height: 160mm; left: -70mm; bottom: -110mm; opacity: 0.1; }
.hero-top { position: relative; display: flex; align-items: center; justify-content: space-between; }
.mark { width: 24mm; height: 24mm; border-radius: 5mm; background: ${WHITE}; color: ${p.strong}; display: flex;
  align-items: center; justify-content: center; font-size: 20pt; font-weight: 700; overflow: hidden;
  box-shadow: 0 4px 16px rgba(15, 23, 42, 0.18); }
.mark img { width: 84%; height: 84%; object-fit: contain; }
.eyebrow { font-size: 8.5pt; font-weight: 700; letter-spacing: 0.18em; text-transform: uppercase; opacity: 0.9; }
.hero-body { position: relative; }
.hero-body::before { content: ''; display: block; width: 18mm; height: 1.4mm; border-radius: 1mm; margin-bottom: 6mm;
  background: var(--brand-accent); }
.brand-name { font-size: 34pt; font-weight: 700; line-height: 1.08; letter-spacing: -0.01em; overflow-wrap: anywhere; }
.slogan { margin-top: 4mm; font-size: 13pt; opacity: 0.9; max-width: 140mm; }
.cover-info { flex: 1; display: flex; gap: 10mm; align-items: center; padding: 10mm 3mm 0; }
.cover-title { flex: 1; min-width: 0; }
.cover-title h1 { font-size: 19pt; color: var(--ink); margin-bottom: 6mm; overflow-wrap: anywhere; }
.meta { display: grid; grid-template-columns: auto 1fr; gap: 2mm 6mm; margin: 0; font-size: 9pt; }
.meta dt { color: var(--muted); font-size: 7.5pt; text-transform: uppercase; letter-spacing: 0.08em; padding-top: 1px; }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.cover-score { flex: none; width: 56mm; text-align: center; }
.cover-foot { display: flex; justify-content: space-between; padding: 4mm 3mm 0; border-top: 1px solid var(--line);
  font-size: 8pt; color: var(--muted); letter-spacing: 0.04em; }
.cover-score .caption { margin-top: 2mm; font-size: 8pt; text-transform: uppercase; letter-spacing: 0.1em; color: var(--muted); }

/* Contents */
.toc { break-after: page; }
.toc h2 { font-size: 22pt; margin-bottom: 8mm; }
.toc-list { list-style: none; margin: 0; padding: 0; }
.toc-list li { height: 11mm; border-bottom: 1px solid var(--line); overflow: hidden; }
.toc-list a { display: flex; align-items: center; height: 100%; gap: 4mm; font-size: 11.5pt; }
.toc-num { flex: none; width: 8mm; height: 8mm; border-radius: 2mm; background: var(--brand-tint); color: var(--brand-strong);
  font-weight: 700; font-size: 10pt; display: flex; align-items: center; justify-content: center; }
.toc-name { flex: none; }
.toc-dots { flex: 1; border-bottom: 1.5px dotted #CBD5E1; height: 0; margin-top: 2mm; }
.toc-page { flex: none; width: 12mm; text-align: right; font-weight: 700; font-variant-numeric: tabular-nums; }
.legend { margin-top: 12mm; padding: 5mm 6mm; background: var(--soft); border: 1px solid var(--line); border-radius: 3mm; break-inside: avoid; }
.legend h3 { margin: 0 0 3mm; color: var(--ink); font-size: 10.5pt; }
.legend-row { display: flex; gap: 3mm; flex-wrap: wrap; margin-bottom: 3mm; }

/* Sections */
.chapter { break-before: page; }
.chapter-head { position: relative; display: flex; align-items: center; gap: 4mm; padding-bottom: 3mm; margin-bottom: 5mm;
  border-bottom: 2px solid var(--brand-strong); break-after: avoid; }
.chapter-head .num { flex: none; width: 10mm; height: 10mm; border-radius: 2.5mm; background: var(--brand-primary);
  color: var(--on-primary); font-size: 13pt; font-weight: 700; display: flex; align-items: center; justify-content: center; }
.chapter-head h2 { font-size: 19pt; }
.toc-mark { position: absolute; left: 0; top: 0; font-size: 6pt; line-height: 1; color: transparent; white-space: nowrap; }
h3 { font-size: 11.5pt; color: var(--brand-strong); margin: 6mm 0 2.5mm; }
.lead { font-size: 10.5pt; }
.note { padding: 3.5mm 4.5mm; border-left: 3px solid var(--brand-strong); background: var(--brand-tint); border-radius: 0 2mm 2mm 0;
  margin: 3mm 0; break-inside: avoid; }

table { width: 100%; border-collapse: collapse; font-size: 8.8pt; margin: 2mm 0 4mm; break-inside: avoid; }
thead { display: table-header-group; }
th { text-align: left; font-size: 7.2pt; font-weight: 700; text-transform: uppercase; letter-spacing: 0.07em; color: var(--muted);
  padding: 2mm 2.5mm; border-bottom: 1.5px solid #CBD5E1; }
td { padding: 2mm 2.5mm; border-bottom: 1px solid var(--line); vertical-align: top; }
tr { break-inside: avoid; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tfoot td { font-weight: 700; border-bottom: none; border-top: 1.5px solid #CBD5E1; }
table.long { break-inside: auto; }

figure { margin: 2mm 0 5mm; break-inside: avoid; }
figcaption { font-size: 7.8pt; color: var(--muted); margin-top: 1.5mm; }
svg.chart { display: block; width: 100%; height: auto; font-family: ${font}; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 5mm 7mm; }
.charts figure { margin: 0; padding: 3mm 3mm 2mm; border: 1px solid var(--line); border-radius: 2.5mm; }
.chart-title { display: flex; justify-content: space-between; align-items: baseline; font-size: 9pt; font-weight: 700; margin-bottom: 1mm; }
.chart-title span { font-weight: 400; color: var(--muted); font-size: 8pt; }

.tiles { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 3.5mm; margin: 4mm 0 5mm; break-inside: avoid; }
.tile { border: 1px solid var(--line); border-top: 3px solid var(--brand-strong); border-radius: 2mm; padding: 3mm 3.5mm; background: var(--soft); }
.tile .k { font-size: 6.8pt; font-weight: 700; text-transform: uppercase; letter-spacing: 0.08em; color: var(--muted); }
.tile .v { font-size: 17pt; font-weight: 700; line-height: 1.25; margin-top: 1mm; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.tile .v.text { font-size: 12.5pt; line-height: 1.3; padding: 1.6mm 0 1.2mm; }
.tile .v small { font-size: 9pt; font-weight: 400; color: var(--muted); }
.tile .s { font-size: 7.8pt; color: var(--muted); }

.band { display: inline-block; padding: 0.3mm 2.2mm; border-radius: 99px; font-size: 7.2pt; font-weight: 700; color: ${WHITE};
  letter-spacing: 0.03em; white-space: nowrap; }
${(Object.keys(BAND_COLORS) as Band[]).map((b) => `.band-${b} { background: var(--band-${b}); }`).join('\n')}
.band-none { background: #CBD5E1; color: var(--ink); }
.chip { display: inline-block; padding: 0.2mm 2.2mm; margin: 1mm 1.2mm 0 0; border-radius: 99px; border: 1px solid var(--line);
  background: ${WHITE}; font-size: 7.3pt; color: var(--muted); }
.chip.term { background: var(--brand-tint); border-color: transparent; color: var(--brand-strong); }
.evidence { margin-top: 1mm; }
.evidence .chip::before { content: ''; display: inline-block; width: 1.6mm; height: 1.6mm; border-radius: 50%; margin-right: 1.3mm;
  background: var(--faint); vertical-align: 0.2mm; }
.evidence .chip.ev-dimension::before, .evidence .chip.ev-question::before { background: var(--brand-strong); }
.evidence .chip.ev-kpi::before { background: var(--band-strong); }
.evidence .chip.ev-passage::before { background: var(--band-fair); }

.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 6mm; break-inside: avoid; }
.panel { border: 1px solid var(--line); border-radius: 2.5mm; padding: 3.5mm 4.5mm; break-inside: avoid; }
.panel h4 { font-size: 8pt; text-transform: uppercase; letter-spacing: 0.08em; color: var(--muted); margin-bottom: 2mm; }
.panel ul { margin: 0; padding: 0; list-style: none; }
.panel li { display: flex; justify-content: space-between; gap: 3mm; padding: 1mm 0; }
.profile { display: grid; grid-template-columns: 30mm 1fr; gap: 2mm 5mm; margin: 0; }
.profile dt { font-size: 7.5pt; font-weight: 700; text-transform: uppercase; letter-spacing: 0.07em; color: var(--muted); padding-top: 0.6mm; }
.profile dd { margin: 0; }
ol.priorities { margin: 0; padding-left: 5mm; }
ol.priorities li { margin-bottom: 1mm; }

.swot { display: grid; grid-template-columns: 1fr 1fr; gap: 5mm; }
.quadrant { border-radius: 2.5mm; padding: 4mm 4.5mm; border: 1px solid var(--line); border-top-width: 4px; break-inside: avoid; }
.quadrant h3 { margin: 0 0 2.5mm; font-size: 11pt; }
.quadrant.strengths { border-top-color: var(--band-strong); } .quadrant.strengths h3 { color: #15803D; }
.quadrant.weaknesses { border-top-color: var(--band-critical); } .quadrant.weaknesses h3 { color: #B91C1C; }
.quadrant.opportunities { border-top-color: var(--brand-strong); } .quadrant.opportunities h3 { color: var(--brand-strong); }
.quadrant.threats { border-top-color: var(--band-weak); } .quadrant.threats h3 { color: #C2410C; }
.finding { margin-bottom: 3.5mm; break-inside: avoid; }
.finding p { margin: 0; }

.rec { display: flex; gap: 4.5mm; padding: 4mm 0; border-bottom: 1px solid var(--line); break-inside: avoid; }
.rec-num { flex: none; width: 9mm; height: 9mm; border-radius: 50%; background: var(--brand-primary); color: var(--on-primary);
  font-weight: 700; font-size: 11pt; display: flex; align-items: center; justify-content: center; }
.rec-body { flex: 1; min-width: 0; }
.rec h3 { margin: 0.5mm 0 1mm; color: var(--ink); font-size: 11pt; }
.rec-meta { font-size: 8pt; color: var(--muted); margin-bottom: 1.5mm; }
.rec-meta .code { font-family: 'DejaVu Sans Mono', monospace; font-size: 7.3pt; }

.source-group { margin-bottom: 3mm; }
.passage { display: flex; gap: 3mm; padding: 2.5mm 0; border-bottom: 1px solid var(--line); break-inside: avoid; }
.passage .ref { flex: none; width: 9mm; font-weight: 700; color: var(--brand-strong); font-size: 8.5pt; }
.passage .where { font-weight: 700; font-size: 8.8pt; }
.passage blockquote { margin: 1mm 0 0; color: var(--muted); font-size: 8.5pt; }
.passage .rel { flex: none; font-size: 7.5pt; color: var(--faint); white-space: nowrap; }
`;
}

// ---------------------------------------------------------------------------------------------------------------
// Pieces
// ---------------------------------------------------------------------------------------------------------------

interface Ctx {
  doc: ReportDocument;
  palette: ReportPalette;
  dimensions: DimensionScore[];
  options: ReportHtmlOptions;
}

function dimensionLabel(ctx: Ctx, id: string): string {
  return (
    ctx.dimensions.find((d) => d.id === id)?.label ?? DIMENSIONS.find((d) => d.id === id)?.label ?? cleanText(id, 60)
  );
}

function chapter(ctx: Ctx, id: ReportSectionId, body: string): string {
  const index = REPORT_SECTIONS.findIndex((s) => s.id === id);
  const marker = ctx.options.pageMarkers ? `<span class="toc-mark" aria-hidden="true">${sectionMarker(id)}</span>` : '';
  return `<section class="chapter" id="section-${id}">
<header class="chapter-head">${marker}<span class="num">${index + 1}</span><h2>${escapeHtml(REPORT_SECTIONS[index].title)}</h2></header>
${body}
</section>`;
}

function evidenceChips(evidence: readonly EvidenceRef[] | undefined): string {
  const items = list(evidence).filter((e) => cleanText(e?.label));
  if (items.length === 0) return '';
  const chips = items
    .map((e) => {
      const kind = ['dimension', 'question', 'kpi', 'passage'].includes(e.kind) ? e.kind : 'other';
      return `<span class="chip ev-${kind}">${esc(e.label, 140)}</span>`;
    })
    .join('');
  return `<div class="evidence">${chips}</div>`;
}

function donut(score: number | null, palette: ReportPalette): string {
  const r = 44;
  const c = 2 * Math.PI * r;
  const value = isNumber(score) ? Math.min(100, Math.max(0, score)) : 0;
  const color = isNumber(score) ? BAND_COLORS[bandOf(score)] : '#CBD5E1';
  return `<svg class="donut" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" width="150" height="150" role="img" aria-label="Overall score">
<circle cx="60" cy="60" r="${r}" fill="none" stroke="${palette.tint}" stroke-width="11"/>
<circle cx="60" cy="60" r="${r}" fill="none" stroke="${color}" stroke-width="11" stroke-linecap="round" stroke-dasharray="${((value / 100) * c).toFixed(2)} ${c.toFixed(2)}" transform="rotate(-90 60 60)"/>
<text x="60" y="62" text-anchor="middle" font-size="25" font-weight="700" fill="${INK}">${escapeHtml(formatScore(score))}</text>
<text x="60" y="79" text-anchor="middle" font-size="10" fill="#64748B">/100</text>
</svg>`;
}

function cover(ctx: Ctx): string {
  const { doc, palette } = ctx;
  const brand = doc.brand;
  const name = cleanText(brand?.name, 120) || 'Brand';
  const logo = safeLogoDataUrl(brand?.logoDataUrl ?? undefined);
  const mark = logo ? `<img src="${escapeHtml(logo)}" alt="">` : escapeHtml(initials(name));
  const slogan = cleanText(brand?.slogan, 200);
  const overall = doc.scores?.diagnosis?.overall ?? null;
  const meta: [string, string][] = [
    ['Generated', escapeHtml(formatDate(doc.generatedAt))],
    ...(cleanText(brand?.category) ? [['Category', esc(brand.category, 80)] as [string, string]] : []),
    ['Overall', `${escapeHtml(outOf100(overall))} ${bandChip(overall)}`],
    ['Report', `<span class="small">${esc(doc.reportId, 80)}</span>`],
  ];
  return `<section class="cover" id="cover">
<div class="hero">
  <div class="ring a"></div><div class="ring b"></div><div class="ring c"></div>
  <div class="hero-top"><div class="mark">${mark}</div><div class="eyebrow">Brand diagnosis report</div></div>
  <div class="hero-body">
    <div class="brand-name">${escapeHtml(name)}</div>
    ${slogan ? `<div class="slogan">${escapeHtml(slogan)}</div>` : ''}
  </div>
</div>
<div class="cover-info">
  <div class="cover-title">
    <h1>${esc(doc.title, 200)}</h1>
    <dl class="meta">${meta.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
  </div>
  <div class="cover-score">${donut(overall, palette)}<div class="caption">Overall score</div></div>
</div>
<div class="cover-foot"><span>Prepared for ${escapeHtml(name)}</span><span>Confidential</span></div>
</section>`;
}

function contents(ctx: Ctx): string {
  const pages = ctx.options.tocPages ?? {};
  const rows = REPORT_SECTIONS.map((s, i) => {
    const page = pages[s.id];
    return `<li><a href="#section-${s.id}"><span class="toc-num">${i + 1}</span><span class="toc-name">${escapeHtml(s.title)}</span><span class="toc-dots"></span><span class="toc-page" data-section="${s.id}">${isNumber(page) ? page : ''}</span></a></li>`;
  }).join('\n');
  const bands = (Object.keys(BAND_COLORS) as Band[])
    .map((b) => {
      const range =
        b === 'critical'
          ? `below ${BANDS.critical}`
          : b === 'weak'
            ? `${BANDS.critical}–${BANDS.weak - 1}`
            : b === 'fair'
              ? `${BANDS.weak}–${BANDS.fair - 1}`
              : `${BANDS.fair} and above`;
      return `<span><span class="band band-${b}">${BAND_LABELS[b]}</span> <span class="small muted">${range}</span></span>`;
    })
    .join('');
  return `<section class="toc" id="contents">
<h2>Contents</h2>
<ol class="toc-list">
${rows}
</ol>
<div class="legend">
  <h3>How to read the scores</h3>
  <div class="legend-row">${bands}</div>
  <p class="small muted">Every dimension is scored 0–100 from the answers to the diagnosis questionnaire. Statements in this report are followed by the evidence they rest on: a score, a KPI or a passage of the brand’s own documents (listed under Sources).</p>
</div>
</section>`;
}

function trendWord(trend: number): string {
  return trend > 10 ? 'growing' : trend < -10 ? 'declining' : 'stable';
}

function summarySection(ctx: Ctx): string {
  const { doc } = ctx;
  const overall = doc.scores?.diagnosis?.overall ?? null;
  const kpis = doc.scores?.kpis;
  const recs = sortedRecommendations(doc);
  const scored = ctx.dimensions.filter((d): d is DimensionScore & { score: number } => isNumber(d.score));
  const strongest = [...scored].sort((a, b) => b.score - a.score).slice(0, 3);
  const weakestIds = list(doc.scores?.diagnosis?.weakest);
  const weakest = (
    weakestIds.length > 0
      ? weakestIds.map((id) => scored.find((d) => d.id === id)).filter((d): d is (typeof scored)[number] => !!d)
      : [...scored].sort((a, b) => a.score - b.score)
  ).slice(0, 3);
  const trend = kpis?.trendScore;
  const tiles = [
    tile('Overall score', scoreFigure(overall), isNumber(overall) ? BAND_LABELS[bandOf(overall)] : 'Not scored'),
    tile(
      'Popularity index',
      scoreFigure(kpis?.popularityIndex),
      isNumber(kpis?.popularityIndex) ? 'Latest period' : 'No KPIs recorded',
    ),
    tile(
      'Trend score',
      isNumber(trend) ? signed(trend, formatScore(trend)) : '—',
      isNumber(trend) ? `Followers ${trendWord(trend)}` : 'Needs two periods',
    ),
    tile('Recommendations', String(recs.length), recs.length > 0 ? 'Prioritised actions' : 'None'),
  ].join('');
  const row = (d: { label: string; score: number }) =>
    `<li><span>${esc(d.label)}</span><span><b>${escapeHtml(formatScore(d.score))}</b> ${bandChip(d.score)}</span></li>`;
  const brand = doc.brand;
  const keywords = list(brand?.keywords)
    .map((k) => cleanText(k, 60))
    .filter(Boolean)
    .slice(0, 24);
  const profile: [string, string][] = [
    ['Category', esc(brand?.category, 120)],
    ['Mission', esc(brand?.mission, 600)],
    ['Vision', esc(brand?.vision, 600)],
    ['Keywords', keywords.map((k) => `<span class="chip term">${escapeHtml(k)}</span>`).join('')],
  ].filter((entry): entry is [string, string] => entry[1] !== '');
  const top = recs.slice(0, 3);
  return chapter(
    ctx,
    'summary',
    `${paragraphs(doc.analysis?.summary, 'lead') || '<p class="muted">No summary was written.</p>'}
<div class="tiles">${tiles}</div>
<div class="columns">
  <div class="panel"><h4>Strongest dimensions</h4><ul>${strongest.map(row).join('') || '<li class="muted">No scored dimensions</li>'}</ul></div>
  <div class="panel"><h4>Needs attention</h4><ul>${weakest.map(row).join('') || '<li class="muted">No scored dimensions</li>'}</ul></div>
</div>
${
  top.length > 0
    ? `<h3>Top priorities</h3><ol class="priorities">${top.map((r) => `<li>${esc(r.title, 300)}</li>`).join('')}</ol>`
    : ''
}
${profile.length > 0 ? `<h3>Brand profile</h3><dl class="profile">${profile.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>` : ''}`,
  );
}

/** A key figure; `value` is escaped unless it is `{ html }` (a number with its own small unit markup). */
function tile(label: string, value: string | { html: string }, sub: string, small = false): string {
  const v = typeof value === 'string' ? escapeHtml(value) : value.html;
  return `<div class="tile"><div class="k">${escapeHtml(label)}</div><div class="v${small ? ' text' : ''}">${v}</div><div class="s">${escapeHtml(sub)}</div></div>`;
}

/** "61.4/100" with the "/100" set small, or "—". */
const scoreFigure = (x: number | null | undefined) =>
  isNumber(x) ? { html: `${escapeHtml(formatScore(x))}<small>/100</small>` } : '—';

function scoresSection(ctx: Ctx): string {
  const { doc, dimensions, palette } = ctx;
  const overall = doc.scores?.diagnosis?.overall ?? null;
  const unscored = dimensions.filter((d) => !isNumber(d.score));
  const rows = dimensions
    .map(
      (d) =>
        `<tr><td>${esc(d.label)}</td><td class="num"><b>${escapeHtml(formatScore(d.score))}</b></td><td>${bandChip(d.score)}</td><td class="num">${isNumber(d.answered) ? d.answered : '—'}${isNumber(d.questions) ? ` of ${d.questions}` : ''}</td></tr>`,
    )
    .join('\n');
  const lowest = list(doc.scores?.diagnosis?.questions)
    .filter((q) => isNumber(q?.score) && q.score < BANDS.weak)
    .sort((a, b) => a.score - b.score)
    .slice(0, 6);
  const lowRows = lowest
    .map((q) => {
      const question = QUESTIONS.get(q.id);
      return `<tr><td>${esc(question?.prompt ?? q.id, 200)}</td><td>${escapeHtml(dimensionLabel(ctx, q.dimension))}</td><td class="num"><b>${escapeHtml(formatScore(q.score))}</b></td></tr>`;
    })
    .join('\n');
  const unscoredNote =
    unscored.length > 0 ? ` Not scored (no answers), drawn at 0: ${unscored.map((d) => esc(d.label)).join(', ')}.` : '';
  return chapter(
    ctx,
    'scores',
    `<p class="lead">The diagnosis questionnaire scores seven dimensions of the brand from 0 to 100. Overall score: <b>${escapeHtml(outOf100(overall))}</b> ${bandChip(overall)}</p>
${
  dimensions.length === 0
    ? '<div class="note">The diagnosis has no dimension scores.</div>'
    : `<figure>${radarChartSvg(dimensions, { color: palette.primary })}<figcaption>Each axis is one dimension; rings mark 20, 40, 60, 80 and 100.${unscoredNote}</figcaption></figure>
<figure>${scoreBarChartSvg(dimensions)}<figcaption>Bars are coloured by band: critical below ${BANDS.critical}, weak below ${BANDS.weak}, fair below ${BANDS.fair}, strong from ${BANDS.fair}.</figcaption></figure>
<h3>Scores by dimension</h3>
<table><thead><tr><th>Dimension</th><th class="num">Score</th><th>Band</th><th class="num">Questions answered</th></tr></thead><tbody>
${rows}
</tbody></table>`
}
${
  lowest.length > 0
    ? `<h3>Answers that hold the score back</h3>
<table><thead><tr><th>Question</th><th>Dimension</th><th class="num">Score</th></tr></thead><tbody>
${lowRows}
</tbody></table>`
    : ''
}`,
  );
}

function deltaRow(delta: KpiSummary['deltas'][number]): string {
  const metric = delta.metric;
  const label = METRIC_LABELS[metric] ?? cleanText(metric, 40);
  const rate = metric === 'engagementRate';
  let change = '—';
  if (isNumber(delta.absolute)) {
    const abs = rate
      ? `${formatScore(Math.round(Math.abs(delta.absolute) * 1000) / 10)} pp`
      : formatCompact(Math.abs(delta.absolute));
    change = signed(delta.absolute, abs);
  }
  const percent = isNumber(delta.percent) ? signed(delta.percent, `${formatScore(Math.abs(delta.percent))}%`) : '—';
  const arrows = {
    up: ['▲', 'var(--band-strong)', 'Up'],
    down: ['▼', 'var(--band-critical)', 'Down'],
    flat: ['▬', 'var(--faint)', 'Flat'],
  };
  const arrow = delta.direction ? arrows[delta.direction] : null;
  return `<tr><td>${escapeHtml(label)}</td><td class="num">${escapeHtml(formatMetric(metric, delta.previous))}</td><td class="num"><b>${escapeHtml(formatMetric(metric, delta.current))}</b></td><td class="num">${escapeHtml(change)}</td><td class="num">${escapeHtml(percent)}</td><td>${arrow ? `<span style="color: ${arrow[1]}">${arrow[0]}</span> ${arrow[2]}` : '<span class="muted">—</span>'}</td></tr>`;
}

function kpiSection(ctx: Ctx): string {
  const { doc, palette } = ctx;
  const kpis = doc.scores?.kpis;
  const series = list(kpis?.series);
  if (series.length === 0) {
    return chapter(
      ctx,
      'kpis',
      `<div class="note"><b>No KPIs recorded.</b> This brand has no KPI periods yet, so popularity, trend and change since the previous period cannot be shown. Add weekly figures (by hand, by CSV import or collected from the local channel) and the next report will chart them.</div>`,
    );
  }
  const trend = kpis?.trendScore;
  const first = series[0];
  const last = series[series.length - 1];
  const latest = kpis?.latest ?? last;
  const tiles = [
    tile('Popularity index', scoreFigure(kpis?.popularityIndex), 'Reach, engagement, views, cadence'),
    tile(
      'Trend score',
      isNumber(trend) ? signed(trend, formatScore(trend)) : '—',
      isNumber(trend) ? `Followers ${trendWord(trend)} (−100…+100)` : 'Needs two periods',
    ),
    tile('Latest period', formatDate(latest?.period, MEDIUM_DATE), 'Most recent figures', true),
    tile(
      'Periods',
      String(series.length),
      series.length > 1
        ? `${formatDate(first.period, MEDIUM_DATE)} – ${formatDate(last.period, MEDIUM_DATE)}`
        : 'One period',
    ),
  ].join('');
  const deltas = list(kpis?.deltas);
  const charts = KPI_METRICS.map((metric) => {
    const latestValue = [...series].reverse().find((k) => isNumber(k?.[metric]))?.[metric] ?? null;
    return `<figure><div class="chart-title">${escapeHtml(METRIC_LABELS[metric])}<span>latest ${escapeHtml(formatMetric(metric, latestValue))}</span></div>${kpiLineChartSvg(series, metric, { color: palette.primary })}</figure>`;
  }).join('\n');
  return chapter(
    ctx,
    'kpis',
    `<p class="lead">What the brand’s channels measured over ${series.length} period${series.length === 1 ? '' : 's'}, and what it adds up to.</p>
<div class="tiles">${tiles}</div>
<h3>Change since the previous period</h3>
${
  deltas.length > 0
    ? `<table><thead><tr><th>Metric</th><th class="num">Previous</th><th class="num">Latest</th><th class="num">Change</th><th class="num">Change %</th><th>Direction</th></tr></thead><tbody>
${deltas.map(deltaRow).join('\n')}
</tbody></table>`
    : '<div class="note">Only one period is recorded, so there is no change to report yet.</div>'
}
<h3>Trends</h3>
<div class="charts">
${charts}
</div>
<p class="small muted" style="margin-top: 4mm">Popularity index: 0–100 from followers and views (log scale), engagement rate and posting frequency of the latest period. Trend score: the slope of followers over the last seven periods, relative to their mean, from −100 (falling fast) to +100 (growing fast). Periods without a value are left out of the lines.</p>`,
  );
}

function clustersSection(ctx: Ctx): string {
  const result = ctx.doc.scores?.clusters;
  const clusters = list(result?.clusters);
  if (clusters.length === 0) {
    return chapter(
      ctx,
      'clusters',
      '<div class="note">There were no keywords or knowledge-base passages to group into themes.</div>',
    );
  }
  const rows = clusters
    .map((c, i) => {
      const members = list(c?.members);
      const shown = members
        .slice(0, 6)
        .map((m) => `<li>${esc(m, 90)}</li>`)
        .join('');
      const more = members.length > 6 ? `<li class="muted">and ${members.length - 6} more</li>` : '';
      const terms = list(c?.centroidTerms)
        .slice(0, 6)
        .map((t) => `<span class="chip term">${esc(t?.term, 40)}</span>`)
        .join('');
      return `<tr><td class="num">${i + 1}</td><td><b>${esc(c?.label, 120) || '—'}</b><div>${terms}</div></td><td><ul style="margin: 0; padding-left: 4mm">${shown}${more}</ul></td><td class="num">${members.length}</td></tr>`;
    })
    .join('\n');
  const unclustered = list(result?.unclustered).length;
  const silhouette = isNumber(result?.silhouette) ? result.silhouette.toFixed(2) : '—';
  return chapter(
    ctx,
    'clusters',
    `<p class="lead">Themes found by grouping the brand’s keywords and the passages of its documents by the words they share (TF-IDF with k-means). Each theme is named after its most characteristic terms.</p>
<table class="long"><thead><tr><th class="num">#</th><th style="width: 36%">Theme and top terms</th><th>Keywords and passages</th><th class="num">Size</th></tr></thead><tbody>
${rows}
</tbody></table>
<p class="small muted">${clusters.length} theme${clusters.length === 1 ? '' : 's'}; silhouette ${escapeHtml(silhouette)} (−1 to 1: higher means better separated themes).${unclustered > 0 ? ` ${unclustered} text${unclustered === 1 ? '' : 's'} had no usable words and were left out.` : ''}</p>`,
  );
}

function swotSection(ctx: Ctx): string {
  const a = ctx.doc.analysis;
  const quadrant = (key: 'strengths' | 'weaknesses' | 'opportunities' | 'threats', title: string) => {
    const findings = list<Finding>(a?.[key]);
    const body =
      findings.length === 0
        ? '<p class="muted">None identified.</p>'
        : findings
            .map((f) => `<div class="finding"><p>${esc(f?.text, 1200)}</p>${evidenceChips(f?.evidence)}</div>`)
            .join('\n');
    return `<div class="quadrant ${key}"><h3>${title}</h3>${body}</div>`;
  };
  return chapter(
    ctx,
    'swot',
    `<p class="lead">Internal strengths and weaknesses, external opportunities and threats. Each finding lists the evidence it rests on.</p>
<div class="swot">
${quadrant('strengths', 'Strengths')}
${quadrant('weaknesses', 'Weaknesses')}
${quadrant('opportunities', 'Opportunities')}
${quadrant('threats', 'Threats')}
</div>`,
  );
}

function sortedRecommendations(doc: ReportDocument): ReportRecommendation[] {
  return list(doc.analysis?.recommendations)
    .map((r, i) => ({ r, i }))
    .sort((x, y) => (x.r?.priority ?? Infinity) - (y.r?.priority ?? Infinity) || x.i - y.i)
    .map(({ r }) => r);
}

function recommendationsSection(ctx: Ctx): string {
  const recs = sortedRecommendations(ctx.doc);
  if (recs.length === 0) {
    return chapter(ctx, 'recommendations', '<div class="note">No recommendations were written.</div>');
  }
  const items = recs
    .map((r, i) => {
      const number = isNumber(r.priority) ? r.priority : i + 1;
      const dim = ctx.dimensions.find((d) => d.id === r.dimension);
      const meta = [
        `<b>${escapeHtml(dimensionLabel(ctx, r.dimension))}</b>`,
        dim ? `${escapeHtml(outOf100(dim.score))} ${bandChip(dim.score)}` : '',
        r.code ? `<span class="code">${esc(r.code, 80)}</span>` : '',
      ]
        .filter(Boolean)
        .join(' · ');
      return `<article class="rec"><div class="rec-num">${number}</div><div class="rec-body">
<h3>${esc(r.title, 300)}</h3>
<div class="rec-meta">${meta}</div>
${paragraphs(r.detail)}
${evidenceChips(r.evidence)}
</div></article>`;
    })
    .join('\n');
  return chapter(
    ctx,
    'recommendations',
    `<p class="lead">${recs.length} actions in the order to take them: the first ones address the weakest scores.</p>
${items}`,
  );
}

function sourcesSection(ctx: Ctx): string {
  const passages = (ctx.doc.passages && typeof ctx.doc.passages === 'object' ? ctx.doc.passages : {}) as Record<
    string,
    ReportPassage[]
  >;
  const known = DIMENSIONS.map((d) => d.id as string);
  const order = [...known, ...Object.keys(passages).filter((k) => !known.includes(k))];
  let n = 0;
  const groups = order
    .filter((id) => list(passages[id]).length > 0)
    .map((id) => {
      const items = list(passages[id])
        .map((p) => {
          n += 1;
          const heading = cleanText(p?.heading, 120);
          const where = `${esc(p?.title, 160) || 'Untitled document'}${heading ? ` › ${escapeHtml(heading)}` : ''}`;
          const relevance = isNumber(p?.score) ? `relevance ${p.score.toFixed(2)}` : '';
          return `<div class="passage"><div class="ref">S${n}</div><div style="flex: 1; min-width: 0"><div class="where">${where}</div><blockquote>“${esc(p?.text, 320)}”</blockquote></div><div class="rel">${relevance}</div></div>`;
        })
        .join('\n');
      return `<div class="source-group"><h3>${escapeHtml(dimensionLabel(ctx, id))}</h3>${items}</div>`;
    })
    .join('\n');
  return chapter(
    ctx,
    'sources',
    n === 0
      ? '<div class="note">No passages of the brand’s knowledge base were cited: the analysis rests on the diagnosis scores and KPIs alone. Upload brand documents (brand book, plans, research) to ground the next report in them.</div>'
      : `<p class="lead">Passages of the brand’s own documents retrieved for each dimension and given to the writer as evidence, with a short excerpt of each.</p>
${groups}`,
  );
}

function aboutSection(ctx: Ctx): string {
  const { doc } = ctx;
  const provenance = list<SectionProvenance>(doc.analysis?.provenance);
  const sectionNames: Record<string, string> = {
    summary: 'Executive summary',
    swot: 'SWOT analysis',
    recommendations: 'Recommendations',
  };
  const totals = provenance.reduce(
    (t, p) => ({
      input: t.input + (isNumber(p?.inputTokens) ? p.inputTokens : 0),
      output: t.output + (isNumber(p?.outputTokens) ? p.outputTokens : 0),
      cost: t.cost + (isNumber(p?.costUsd) ? p.costUsd : 0),
    }),
    { input: 0, output: 0, cost: 0 },
  );
  const usd = (x: unknown) => (isNumber(x) ? `$${x.toFixed(4)}` : '—');
  const int = (x: unknown) => (isNumber(x) ? Math.round(x).toLocaleString('en-US') : '—');
  const rows = provenance
    .map(
      (p) =>
        `<tr><td>${escapeHtml(sectionNames[p?.section] ?? cleanText(p?.section, 40))}</td><td>${esc(p?.provider, 60)}</td><td>${esc(p?.model, 80) || '<span class="muted">—</span>'}</td><td class="num">${int(p?.inputTokens)}</td><td class="num">${int(p?.outputTokens)}</td><td class="num">${usd(p?.costUsd)}</td></tr>`,
    )
    .join('\n');
  const fallbacks = provenance.filter((p) => cleanText(p?.fallbackReason));
  return chapter(
    ctx,
    'about',
    `<p>This report was generated by Studioflow on ${escapeHtml(formatDate(doc.generatedAt))} from the brand’s profile, its completed diagnosis questionnaire, its recorded KPIs and its knowledge base. Scores, KPIs and themes are computed; the summary, the SWOT analysis and the recommendations are written by the providers below from those figures and the cited passages.</p>
<h3>Who wrote what</h3>
${
  provenance.length === 0
    ? '<p class="muted">No provenance was recorded.</p>'
    : `<table><thead><tr><th>Section</th><th>Provider</th><th>Model</th><th class="num">Input tokens</th><th class="num">Output tokens</th><th class="num">Cost USD</th></tr></thead><tbody>
${rows}
</tbody><tfoot><tr><td colspan="3">Total</td><td class="num">${int(totals.input)}</td><td class="num">${int(totals.output)}</td><td class="num">${usd(totals.cost)}</td></tr></tfoot></table>`
}
${
  fallbacks.length > 0
    ? `<p class="small muted">Fallbacks: ${fallbacks.map((p) => `${escapeHtml(sectionNames[p.section] ?? cleanText(p.section, 40))}: ${esc(p.fallbackReason, 200)}`).join('; ')}.</p>`
    : ''
}
<h3>Method</h3>
<p><b>Diagnosis scores.</b> Each answer scores 0–100; a dimension is the weighted mean of its answered questions and the overall score the mean of the scored dimensions. Bands: critical below ${BANDS.critical}, weak below ${BANDS.weak}, fair below ${BANDS.fair}, strong from ${BANDS.fair}.</p>
<p><b>KPIs.</b> The popularity index weighs followers (30 %), engagement rate (40 %), views (20 %) and posting frequency (10 %) of the latest period. The trend score is the relative slope of followers over the last seven periods, from −100 to +100.</p>
<p><b>Themes.</b> Keywords and passages are grouped by TF-IDF and seeded k-means, so the same inputs always give the same themes.</p>
<dl class="profile" style="margin-top: 4mm"><dt>Report</dt><dd>${esc(doc.reportId, 120)}</dd><dt>Language</dt><dd>${escapeHtml(languageTag(doc.language))}</dd><dt>Generated</dt><dd>${esc(doc.generatedAt, 40)}</dd></dl>`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Document
// ---------------------------------------------------------------------------------------------------------------

const CSP = templateCsp();

/** The whole report: a self-contained HTML document for A4 print. */
export function renderReportHtml(doc: ReportDocument, options: ReportHtmlOptions = {}): string {
  const palette = reportPalette(doc?.brand?.colors);
  const dimensions = list(doc?.scores?.diagnosis?.dimensions).map((d) => ({
    ...d,
    label: cleanText(d?.label, 80) || cleanText(d?.id, 40),
    score: isNumber(d?.score) ? d.score : null,
  })) as DimensionScore[];
  const ctx: Ctx = { doc, palette, dimensions, options };
  return `<!doctype html>
<html lang="${languageTag(doc?.language)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc?.title, 200)}</title>
<style>${styles(palette, fontStack(doc?.brand?.fontFamily))}</style>
</head>
<body>
${cover(ctx)}
${contents(ctx)}
${summarySection(ctx)}
${scoresSection(ctx)}
${kpiSection(ctx)}
${clustersSection(ctx)}
${swotSection(ctx)}
${recommendationsSection(ctx)}
${sourcesSection(ctx)}
${aboutSection(ctx)}
</body>
</html>
`;
}
