export * from './crawl.activities';
export * from './qualify.activities';
export { researchModelFromConfig, RESEARCH_DEFAULTS, type ResearchLimits, type ResearchModel } from './research-agent';
