/**
 * Step 4 of the brand report: write the analysis. Built from an injected analyst (usually the chain from
 * `createAnalystFromConfig`), so the worker decides the providers once and tests can pass any `Analyst`.
 */
import { log } from '@temporalio/activity';
import { withHeartbeat } from '../shared/heartbeat';
import { z } from 'zod';
import { type ReportAnalysis } from '../../lib/report/types';
import { type AnalysisInput, type Analyst } from './analyst.port';
import { failure } from '../../lib/failures';

export interface AnalysisActivityDeps {
  analyst: Analyst;
}

const score = z.number();

/**
 * Lenient on purpose: only what the analysts read is checked, and extra fields pass, so a report scored by an
 * older or newer scorer still gets written. A payload that fails this is a bug upstream, not worth a retry.
 */
const inputSchema = z.object({
  language: z.string().min(1),
  brand: z.looseObject({
    id: z.string(),
    name: z.string().trim().min(1),
    slogan: z.string().nullish(),
    mission: z.string().nullish(),
    vision: z.string().nullish(),
    category: z.string().nullish(),
    keywords: z.array(z.string()),
  }),
  scores: z.looseObject({
    diagnosis: z.looseObject({
      dimensions: z.array(z.looseObject({ id: z.string(), label: z.string(), score: score.nullable() })),
      questions: z.array(z.looseObject({ id: z.string(), dimension: z.string(), score })),
      overall: score.nullable(),
      weakest: z.array(z.string()),
    }),
    kpis: z.looseObject({
      latest: z.looseObject({ period: z.string() }).nullable(),
      popularityIndex: score.nullable(),
      trendScore: score.nullable(),
      deltas: z.array(z.looseObject({ metric: z.string(), current: score.nullable(), percent: score.nullable() })),
    }),
    clusters: z.looseObject({
      clusters: z.array(z.looseObject({ label: z.string(), members: z.array(z.string()) })),
    }),
  }),
  passages: z.record(
    z.string(),
    z.array(
      z.looseObject({
        documentId: z.string(),
        title: z.string(),
        heading: z.string().nullable(),
        text: z.string(),
        score,
      }),
    ),
  ),
});

export function createAnalysisActivities({ analyst }: AnalysisActivityDeps) {
  return {
    async writeReportAnalysis(input: AnalysisInput): Promise<ReportAnalysis> {
      const checked = inputSchema.safeParse(input);
      if (!checked.success) {
        const problems = checked.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'input'}: ${i.message}`);
        throw failure('InvalidInput', `Invalid analysis input: ${problems.join('; ')}`);
      }
      // The kit beats while the model writes, so a cancel reaches the call in seconds and aborts it.
      const result = await withHeartbeat({ stage: 'writing' }, ({ signal }) => analyst.analyse(input, { signal }));
      for (const fallback of result.fallbacks ?? []) log.warn('Analysis provider skipped', { ...fallback });
      const { analysis } = result;
      log.info('Report analysis written', {
        brandId: input.brand.id,
        providers: result.provenance.map((p) => `${p.section}=${p.model ? `${p.provider}:${p.model}` : p.provider}`),
        inputTokens: result.provenance.reduce((s, p) => s + p.inputTokens, 0),
        outputTokens: result.provenance.reduce((s, p) => s + p.outputTokens, 0),
        costUsd: result.provenance.reduce((s, p) => s + p.costUsd, 0),
        recommendations: analysis.recommendations.length,
        fallbacks: result.fallbacks?.length ?? 0,
      });
      return { ...analysis, provenance: result.provenance };
    },
  };
}

export type AnalysisActivities = ReturnType<typeof createAnalysisActivities>;
