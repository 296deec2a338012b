export * from './analyst.port';
export { createOfflineAnalyst, writeOfflineAnalysis, offlineProvenance, formatScore } from './offline-analyst';
export {
  dimensionEvidence,
  questionEvidence,
  popularityEvidence,
  trendEvidence,
  metricEvidence,
  passageEvidence,
  passageLabel,
  questionLabel,
} from './evidence';
export {
  createOpenAiAnalyst,
  evidenceCatalogue,
  parseAnalysis,
  analysisReplySchema,
  apportion,
  type OpenAiAnalystOptions,
  type AnalysisReply,
  type CatalogueEntry,
  type ParsedAnalysis,
} from './openai-analyst';
export { createAnalystChain, type AnalystChain } from './analyst-chain';
export { createAnalystFromConfig, ANALYST_PROVIDERS, type AnalystsConfig } from './providers';
export { createAnalysisActivities, type AnalysisActivities, type AnalysisActivityDeps } from './analysis.activities';
