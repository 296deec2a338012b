/**
 * The brand report's large values by reference (claim-check): scores, passages and the analysis are stored under
 * the report's `work/` folder by the activity that produces them and loaded by the one that needs them, so the
 * workflow's history carries keys and the few figures its step summaries show. Built from the same activities the
 * inline path calls, so both paths compute the same report.
 */
import type { AnalysisActivities } from '../analysis/analysis.activities';
import type { KnowledgeActivities, PassageQuery } from '../knowledge/knowledge.activities';
import { getJson, putJson } from '../storage/claim-check';
import type { FileStorage } from '../storage/file-storage.port';
import { analysisDigest, passageCount, reportPassages, type AnalysisDigest } from '../../lib/report/summaries';
import type { ReportAnalysis, ReportBrand, ReportInputs, ReportPassage, ReportScores } from '../../lib/report/types';
import type { ReportOutcome } from '../../db/repositories/report.repository';
import type { BrandReportActivities } from './brand-report.activities';

export interface ReportWorkDeps {
  storage: FileStorage;
  scoreReport: BrandReportActivities['scoreReport'];
  retrievePassages: KnowledgeActivities['retrievePassages'];
  writeReportAnalysis: AnalysisActivities['writeReportAnalysis'];
  recordReportOutcome: BrandReportActivities['recordReportOutcome'];
}

/** What the score step shows. */
export interface StoredScores {
  key: string;
  overall: number | null;
  popularityIndex: number | null;
  clusterCount: number;
}

export interface StoredPassages {
  key: string;
  found: number;
  documentsSearched: number;
  embedder: string;
}

export interface StoredAnalysis extends AnalysisDigest {
  key: string;
}

export function createReportWorkActivities(deps: ReportWorkDeps) {
  const { storage } = deps;

  return {
    async scoreReportToStorage(input: {
      workspaceId: string;
      inputs: ReportInputs;
      key: string;
    }): Promise<StoredScores> {
      const scores = await deps.scoreReport({ workspaceId: input.workspaceId, inputs: input.inputs });
      await putJson(storage, input.key, scores);
      return {
        key: input.key,
        overall: scores.diagnosis.overall,
        popularityIndex: scores.kpis.popularityIndex,
        clusterCount: scores.clusters.k,
      };
    },

    async retrieveReportPassages(input: {
      workspaceId: string;
      brandId: string;
      queries: PassageQuery[];
      topK: number;
      key: string;
    }): Promise<StoredPassages> {
      const { key, ...request } = input;
      const retrieved = await deps.retrievePassages(request);
      const passages = reportPassages(retrieved.results);
      await putJson(storage, key, passages);
      return {
        key,
        found: passageCount(passages),
        documentsSearched: retrieved.documentsSearched,
        embedder: retrieved.embedder,
      };
    },

    async writeStoredReportAnalysis(input: {
      language: string;
      brand: ReportBrand;
      scoresKey: string;
      passagesKey: string;
      key: string;
    }): Promise<StoredAnalysis> {
      const [scores, passages] = await Promise.all([
        getJson<ReportScores>(storage, input.scoresKey, 'The report scores'),
        getJson<Record<string, ReportPassage[]>>(storage, input.passagesKey, 'The report passages'),
      ]);
      const analysis = await deps.writeReportAnalysis({
        language: input.language,
        brand: input.brand,
        scores,
        passages,
      });
      await putJson(storage, input.key, analysis);
      return { key: input.key, ...analysisDigest(analysis) };
    },

    async recordStoredReportOutcome(input: {
      workflowId: string;
      outcome: Omit<ReportOutcome, 'scores' | 'analysis'>;
      scoresKey: string;
      analysisKey: string;
    }): Promise<void> {
      const [scores, analysis] = await Promise.all([
        getJson<ReportScores>(storage, input.scoresKey, 'The report scores'),
        getJson<ReportAnalysis>(storage, input.analysisKey, 'The report analysis'),
      ]);
      await deps.recordReportOutcome({ workflowId: input.workflowId, outcome: { ...input.outcome, scores, analysis } });
    },
  };
}

export type ReportWorkActivities = ReturnType<typeof createReportWorkActivities>;
