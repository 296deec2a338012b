import type { ReportAnalysis, ReportPassage, ReportRecommendation, SectionProvenance } from './types';

interface RetrievedDimension {
  dimension: string;
  passages: { documentId: string; title: string; heading: string | null; text: string; score: number }[];
}

/** The passages a report cites, by dimension, with only the fields the writer and the template read. */
export function reportPassages(results: RetrievedDimension[]): Record<string, ReportPassage[]> {
  return Object.fromEntries(
    results.map((r) => [
      r.dimension,
      r.passages.map(({ documentId, title, heading, text, score }) => ({ documentId, title, heading, text, score })),
    ]),
  );
}

export const passageCount = (passages: Record<string, ReportPassage[]>): number =>
  Object.values(passages).reduce((n, p) => n + p.length, 0);

/** What the workflow keeps of an analysis after the write step: the approval's summary, the email, provenance. */
export interface AnalysisDigest {
  summary: string;
  recommendationCount: number;
  /** The first five: the email lists them. */
  topRecommendations: Pick<ReportRecommendation, 'priority' | 'title'>[];
  provenance: SectionProvenance[];
}

export function analysisDigest(analysis: ReportAnalysis): AnalysisDigest {
  return {
    summary: analysis.summary,
    recommendationCount: analysis.recommendations.length,
    topRecommendations: analysis.recommendations.slice(0, 5).map(({ priority, title }) => ({ priority, title })),
    provenance: analysis.provenance,
  };
}
