/**
 * The brand report as one self-contained HTML document for A4 print (issue 3, step 5): cover, contents, eight
 * numbered sections. No scripts and no external references (the CSP says so too); charts are inline SVG; every
 * piece of brand, writer and knowledge-base text is escaped. Pure, so the PDF activity and tests share it.
 */
import type { DimensionScore } from '../../lib/diagnosis/scoring';
import type { ReportDocument } from '../../lib/report/types';
import { escapeHtml, fontStack, PRINT_SANS_STACK, templateCsp, templateHead } from '../../lib/html';
import { aboutSection, clustersSection, recommendationsSection, sourcesSection, swotSection } from './report.analysis';
import { contents, cover } from './report.cover';
import { REPORT_PAGE_MARGIN, type ReportHtmlOptions } from './report.layout';
import { kpiSection, scoresSection, summarySection } from './report.measures';
import { reportPalette } from './report.palette';
import { esc, formatDate, isNumber, languageTag, list, reportText, type Ctx } from './report.parts';
import { reportStyles } from './report.styles';

export * from './report.layout';
export * from './report.palette';

// ---------------------------------------------------------------------------------------------------------------
// Header and footer (Chromium's print templates: inline styles only, no shared CSS)
// ---------------------------------------------------------------------------------------------------------------

const TEMPLATE_BOX = `width: 100%; margin: 0 ${REPORT_PAGE_MARGIN.right} 0 ${REPORT_PAGE_MARGIN.left}; font-family: ${PRINT_SANS_STACK}; font-size: 7.5px; color: #64748B; display: flex; justify-content: space-between; align-items: center; -webkit-print-color-adjust: exact;`;

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
// Document
// ---------------------------------------------------------------------------------------------------------------

const CSP = templateCsp();

/** The whole report: a self-contained HTML document for A4 print. */
export function renderReportHtml(doc: ReportDocument, options: ReportHtmlOptions = {}): string {
  const palette = reportPalette(doc?.brand?.colors);
  const dimensions = list(doc?.scores?.diagnosis?.dimensions).map((d) => ({
    ...d,
    label: reportText(d?.label, 80) || reportText(d?.id, 40),
    score: isNumber(d?.score) ? d.score : null,
  })) as DimensionScore[];
  const ctx: Ctx = { doc, palette, dimensions, options };
  return `<!doctype html>
<html lang="${languageTag(doc?.language)}">
${templateHead({
  csp: CSP,
  viewport: 'width=device-width, initial-scale=1',
  title: reportText(doc?.title, 200),
  css: reportStyles(palette, fontStack(doc?.brand?.fontFamily, PRINT_SANS_STACK)),
})}
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
