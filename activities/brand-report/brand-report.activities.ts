/**
 * Main-queue activities of `brandReportWorkflow`: load what a report rests on, compute its scores, and keep the
 * report's row in step with the run. Rendering (browser queue), writing (analysis) and mail live elsewhere.
 * Every write is keyed by the workflow id, so a retried activity changes the same row.
 */
import { log } from '@temporalio/activity';
import { clusterKeywords } from '../../lib/analytics/clustering';
import { scoreDiagnosis, recommendationsFor } from '../../lib/diagnosis/scoring';
import type { Answers } from '../../lib/diagnosis/questionnaire';
import { summarizeKpis } from '../../lib/report/kpi-summary';
import type { ReportInputs, ReportScores } from '../../lib/report/types';
import type { BrandRepository } from '../../db/repositories/brand.repository';
import type { DiagnosisRepository } from '../../db/repositories/diagnosis.repository';
import type { KnowledgeRepository } from '../../db/repositories/knowledge.repository';
import type { KpiRepository } from '../../db/repositories/kpi.repository';
import type { NewReport, ReportOutcome, ReportRepository } from '../../db/repositories/report.repository';
import { failure } from '../../lib/failures';

export interface BrandReportActivityDeps {
  brands: BrandRepository;
  diagnoses: DiagnosisRepository;
  kpis: KpiRepository;
  reports: ReportRepository;
  knowledge: KnowledgeRepository;
}

export interface ReportRef {
  workspaceId: string;
  brandId: string;
  diagnosisId: string;
}

/** Logos larger than this are left off the report (they travel inside workflow payloads). */
/** Passages clustered with the keywords: enough for themes, small enough to stay fast. */
export const MAX_CLUSTER_PASSAGES = 200;

const notFound = (what: string) => failure('NotFound', `${what} was not found`);

/** FNV-1a of the brand id: the clustering seed, so a brand's clusters are the same run after run. */
export function clusteringSeed(brandId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < brandId.length; i++) {
    h ^= brandId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function createBrandReportActivities(deps: BrandReportActivityDeps) {
  const { brands, diagnoses, kpis, reports, knowledge } = deps;

  return {
    async loadReportInputs(ref: ReportRef): Promise<ReportInputs> {
      const brand = await brands.get(ref.workspaceId, ref.brandId);
      if (!brand) throw notFound(`Brand ${ref.brandId}`);
      const diagnosis = await diagnoses.get(ref.workspaceId, ref.brandId, ref.diagnosisId);
      if (!diagnosis) throw notFound(`Diagnosis ${ref.diagnosisId}`);
      if (diagnosis.status !== 'complete' || !diagnosis.completedAt) {
        throw failure('InvalidInput', `Diagnosis ${ref.diagnosisId} is not complete; finish its five steps first`);
      }
      const rows = (await kpis.list(ref.workspaceId, ref.brandId)) ?? [];
      return {
        brand: {
          id: brand.id,
          name: brand.name,
          slug: brand.slug,
          slogan: brand.slogan,
          mission: brand.mission,
          vision: brand.vision,
          category: brand.category,
          keywords: brand.keywords,
          colors: brand.colors,
          fontFamily: brand.fontFamily,
          logoKey: brand.logoKey,
        },
        diagnosis: { id: diagnosis.id, completedAt: diagnosis.completedAt, answers: diagnosis.answers },
        kpis: rows.map(({ period, followers, engagementRate, views, posts, source }) => ({
          period,
          followers,
          engagementRate,
          views,
          posts,
          source,
        })),
      };
    },

    /**
     * Diagnosis scores, KPI summary, rule-based recommendation codes and keyword clusters over the brand's keywords
     * and its indexed passages (those kept in PostgreSQL; a Pinecone-only knowledge base contributes its titles).
     */
    async scoreReport(input: { workspaceId: string; inputs: ReportInputs }): Promise<ReportScores> {
      const { workspaceId, inputs } = input;
      const diagnosis = scoreDiagnosis(inputs.diagnosis.answers as Answers);
      const kpi = summarizeKpis(inputs.kpis);
      const { items: docs } = await knowledge.listDocuments(workspaceId, inputs.brand.id, { limit: 100 });
      const texts = [...inputs.brand.keywords];
      for (const doc of docs.filter((d) => d.status === 'indexed')) {
        if (texts.length >= MAX_CLUSTER_PASSAGES) break;
        const chunks = await knowledge.listChunks(workspaceId, doc.id);
        if (chunks.length === 0) texts.push(doc.title);
        for (const c of chunks.slice(0, MAX_CLUSTER_PASSAGES - texts.length)) texts.push(c.text);
      }
      const clusters = clusterKeywords(texts, { seed: clusteringSeed(inputs.brand.id) });
      const recommendations = recommendationsFor(diagnosis, {
        popularityIndex: kpi.popularityIndex,
        trendScore: kpi.trendScore,
      });
      log.info('Report scored', {
        brandId: inputs.brand.id,
        overall: diagnosis.overall,
        kpiPeriods: kpi.series.length,
        clusteredTexts: texts.length,
        clusters: clusters.k,
        recommendations: recommendations.length,
      });
      return { diagnosis, kpis: kpi, clusters, recommendations };
    },

    /** Creates the report's row (status `generating`); a retry or a replayed start returns the same row. */
    async startReport(input: NewReport): Promise<{ reportId: string }> {
      const row = await reports.start(input);
      return { reportId: row.id };
    },

    async recordReportOutcome(input: { workflowId: string; outcome: ReportOutcome }): Promise<void> {
      if (!(await reports.recordOutcome(input.workflowId, input.outcome))) throw notFound(`Report ${input.workflowId}`);
    },

    async markReportSent(input: {
      workflowId: string;
      recipients: string[];
      messageId: string;
      sentAt: string;
    }): Promise<void> {
      const row = await reports.markSent(input.workflowId, {
        recipients: input.recipients,
        messageId: input.messageId,
        emailedAt: new Date(input.sentAt),
      });
      if (!row) throw notFound(`Report ${input.workflowId}`);
    },

    /** `ready` (approved, nobody to mail), `rejected` or `failed` with the reason. */
    async markReportStatus(input: {
      workflowId: string;
      status: 'ready' | 'rejected' | 'failed';
      error?: string;
    }): Promise<void> {
      await reports.markStatus(input.workflowId, input.status, input.error ?? null);
    },
  };
}

export type BrandReportActivities = ReturnType<typeof createBrandReportActivities>;
