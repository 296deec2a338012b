export * from './crawl.activities';
export * from './enrichment.activities';
export * from './callback.activities';
export * from './batch.activities';
export * from './places.activities';
export * from './places-client';
export * from './qualify.activities';
export { researchModelFromConfig, RESEARCH_DEFAULTS, type ResearchLimits, type ResearchModel } from './research-agent';
