/** The brand report's words outside the PDF: its title, the email's text, who wrote it. Pure: workflows import it. */
import type { ReportDelivery } from './delivery-edit';
import type { AnalysisDigest } from './summaries';
import type { SectionProvenance } from './types';

export const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function reportTitle(brandName: string): string {
  return `${brandName} — brand diagnosis report`;
}

export function reportEmailText(
  brand: string,
  delivery: ReportDelivery,
  analysis: AnalysisDigest,
  pages: number,
): string {
  const recs = analysis.topRecommendations.map((r) => `${r.priority}. ${r.title}`).join('\n');
  const overall = delivery.overall === null ? '' : `Overall score: ${delivery.overall}/100\n\n`;
  return `${reportTitle(brand)}\n\n${overall}${analysis.summary}\n\nTop recommendations:\n${recs}\n\nThe full report (${pages} pages) is attached as a PDF.\n`;
}

/** `offline`, `openai:gpt-4o-mini`, … each once. */
export const providerSummary = (provenance: SectionProvenance[]) =>
  [...new Set(provenance.map((p) => (p.model ? `${p.provider}:${p.model}` : p.provider)))].join(', ');
