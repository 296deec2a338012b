/** The report's sections, its page margins and the markers that tell on which page each section starts. */

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
