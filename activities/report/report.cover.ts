/** The report's front matter: the cover with the overall score, and the table of contents. */
import { BANDS, bandOf, type Band } from '../../lib/diagnosis/scoring';
import { escapeHtml, INK, initials, safeLogoDataUrl } from '../../lib/html';
import { BAND_COLORS, BAND_LABELS, formatScore } from './chart-format';
import { REPORT_SECTIONS } from './report.layout';
import type { ReportPalette } from './report.palette';
import { bandChip, esc, formatDate, isNumber, outOf100, reportText, type Ctx } from './report.parts';

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

export function cover(ctx: Ctx): string {
  const { doc, palette } = ctx;
  const brand = doc.brand;
  const name = reportText(brand?.name, 120) || 'Brand';
  const logo = safeLogoDataUrl(brand?.logoDataUrl ?? undefined);
  const mark = logo ? `<img src="${escapeHtml(logo)}" alt="">` : escapeHtml(initials(name));
  const slogan = reportText(brand?.slogan, 200);
  const overall = doc.scores?.diagnosis?.overall ?? null;
  const meta: [string, string][] = [
    ['Generated', escapeHtml(formatDate(doc.generatedAt))],
    ...(reportText(brand?.category) ? [['Category', esc(brand.category, 80)] as [string, string]] : []),
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

export function contents(ctx: Ctx): string {
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
