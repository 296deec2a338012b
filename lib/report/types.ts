/**
 * The brand report's data, as it travels between the workflow's steps (issue 3): what is loaded, what is computed,
 * what the writer produces and what the template renders. Plain JSON (Temporal payloads); pure: workflows import it.
 */
import type { ClusteringResult } from '../analytics/clustering';
import type { KpiDelta } from '../analytics/kpi';
import type { DiagnosisScores, Recommendation } from '../diagnosis/scoring';
import type { BrandColors } from '../social';

/** One period's KPIs for a brand. Null: not measured in that period. */
export interface KpiRecord {
  /** Start of the period, ISO date (YYYY-MM-DD). */
  period: string;
  followers: number | null;
  /** Engagement rate as a fraction (0.05 = 5 %). */
  engagementRate: number | null;
  views: number | null;
  posts: number | null;
  source: 'manual' | 'csv' | 'local-channel';
}

export const KPI_METRICS = ['followers', 'engagementRate', 'views', 'posts'] as const;
export type KpiMetric = (typeof KPI_METRICS)[number];

export interface ReportBrand {
  id: string;
  name: string;
  slug: string;
  slogan: string | null;
  mission: string | null;
  vision: string | null;
  category: string | null;
  keywords: string[];
  colors: BrandColors;
  fontFamily: string | null;
  /** The stored logo, read by the render (a key, so the image stays out of workflow history); null without one. */
  logoKey?: string | null;
  /** A small `data:image/...;base64,` logo: inlined by the render, or carried by runs recorded before `logoKey`. */
  logoDataUrl?: string | null;
}

/** What step 1 loads. */
export interface ReportInputs {
  brand: ReportBrand;
  diagnosis: { id: string; completedAt: string; answers: Record<string, unknown> };
  /** Oldest period first. */
  kpis: KpiRecord[];
}

export interface KpiSummary {
  /** The latest period with any value, or null without KPIs. */
  latest: KpiRecord | null;
  /** Popularity index 0–100 of the latest values (missing ones count as 0), null without KPIs. */
  popularityIndex: number | null;
  /** −100…100 from the followers series (relative slope through tanh), null with fewer than 2 points. */
  trendScore: number | null;
  /** Latest vs previous period, per metric. */
  deltas: KpiDelta<KpiMetric>[];
  /** The series the charts draw, oldest first. */
  series: KpiRecord[];
}

/** What step 2 computes. */
export interface ReportScores {
  diagnosis: DiagnosisScores;
  kpis: KpiSummary;
  /** Keyword clusters over the brand's keywords and its documents' passages (seeded k-means). */
  clusters: ClusteringResult;
  /** The rule-based recommendation codes the writers expand (lib/diagnosis/scoring). */
  recommendations: Recommendation[];
}

/** A passage of the brand's knowledge base a finding may rest on. */
export interface ReportPassage {
  documentId: string;
  title: string;
  heading: string | null;
  text: string;
  score: number;
}

/** What a statement in the report rests on: a score, a KPI or a knowledge-base passage. */
export interface EvidenceRef {
  kind: 'dimension' | 'question' | 'kpi' | 'passage';
  /** Dimension id, question id, KPI name (`popularityIndex`, `trendScore`, a KpiMetric) or document id. */
  id: string;
  /** The value cited (0–100 for scores, the KPI's value), when there is one. */
  value?: number;
  /** Human label: "Content strategy 38/100", "Brand book › Tone of voice". */
  label: string;
}

export interface Finding {
  text: string;
  evidence: EvidenceRef[];
}

export interface ReportRecommendation {
  /** 1 = do first. */
  priority: number;
  title: string;
  detail: string;
  dimension: string;
  /** The rule it came from, when the offline rules proposed it. */
  code?: string;
  evidence: EvidenceRef[];
}

export const ANALYSIS_SECTIONS = ['summary', 'swot', 'recommendations'] as const;
export type AnalysisSection = (typeof ANALYSIS_SECTIONS)[number];

/** Who wrote a section, and what it cost. */
export interface SectionProvenance {
  section: AnalysisSection;
  /** `offline` or `openai`. */
  provider: string;
  model?: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Why an earlier provider was skipped, e.g. "openai: connect ECONNREFUSED". */
  fallbackReason?: string;
}

/** What step 4 writes. */
export interface ReportAnalysis {
  summary: string;
  strengths: Finding[];
  weaknesses: Finding[];
  opportunities: Finding[];
  threats: Finding[];
  /** 5–10, by priority. */
  recommendations: ReportRecommendation[];
  provenance: SectionProvenance[];
}

/** Everything the template needs (step 5). */
export interface ReportDocument {
  reportId: string;
  title: string;
  /** ISO date-time the report was generated (the workflow's clock). */
  generatedAt: string;
  language: string;
  brand: ReportBrand;
  scores: ReportScores;
  /** Passages by dimension id. */
  passages: Record<string, ReportPassage[]>;
  analysis: ReportAnalysis;
}

export interface RenderedReport {
  pdf: { key: string; bytes: number; sha256: string; pages: number };
  html: { key: string; bytes: number; sha256: string };
}
