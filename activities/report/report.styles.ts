/** The report's stylesheet: the brand's colours arrive as custom properties on `:root`, its font as a safe stack. */
import type { Band } from '../../lib/diagnosis/scoring';
import { INK, WHITE } from '../../lib/html';
import { BAND_COLORS } from './chart-format';
import { REPORT_PAGE_MARGIN } from './report.layout';
import type { ReportPalette } from './report.palette';

export function reportStyles(p: ReportPalette, font: string): string {
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
