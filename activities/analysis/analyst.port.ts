/**
 * The report-analysis port (issue 3, step 4): every provider (offline rules, any OpenAI-compatible model, the
 * fallback chain) implements `Analyst`, so the activity never knows which one wrote the report.
 */
import type {
  ReportAnalysis,
  ReportBrand,
  ReportPassage,
  ReportScores,
  SectionProvenance,
} from '../../lib/report/types';
import type { ProviderFallback } from '../llm/fallback-chain';

export interface AnalysisInput {
  /** BCP 47 tag of the report's language. */
  language: string;
  brand: ReportBrand;
  scores: ReportScores;
  /** Knowledge-base passages by dimension id, best first. */
  passages: Record<string, ReportPassage[]>;
}

/** What an analyst writes: the report's prose and findings, without the provenance. */
export type AnalysisContent = Omit<ReportAnalysis, 'provenance'>;

/** A provider that was tried before the one that served the analysis, why it was skipped and what it spent. */
export type AnalystFallback = ProviderFallback;

export interface AnalystOutput {
  analysis: AnalysisContent;
  /** One entry per section (`ANALYSIS_SECTIONS`): who wrote it, its tokens and cost, and any fallback. */
  provenance: SectionProvenance[];
  /** Set by a chain: the providers that failed before the one that wrote the analysis, in order. */
  fallbacks?: AnalystFallback[];
}

export interface AnalyseOptions {
  signal?: AbortSignal;
}

export interface Analyst {
  /** `offline`, `openai`, or a chain's `openai>offline`. */
  readonly id: string;
  analyse(input: AnalysisInput, opts?: AnalyseOptions): Promise<AnalystOutput>;
  /** Cheap connectivity/credentials check for boot and health endpoints; throws when the provider cannot serve. */
  check(): Promise<void>;
}
