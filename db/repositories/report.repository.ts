/**
 * Brand reports. The workflow creates its row when it starts (keyed by workflow id, so a retried activity finds
 * the same row) and fills it in as steps finish; the API lists and serves them per brand.
 */
import type { ReportAnalysis, ReportScores, SectionProvenance } from '../../lib/report/types';
import type { BrandReport, ReportStatus } from '../models/report.model';
import type { Database } from '../index';

export interface ReportRecord {
  id: string;
  workspaceId: string;
  brandId: string;
  diagnosisId: string;
  workflowId: string;
  status: ReportStatus;
  title: string;
  language: string;
  overall: number | null;
  pdfKey: string | null;
  htmlKey: string | null;
  pdfSha256: string | null;
  pages: number | null;
  bytes: number | null;
  recipients: string[];
  emailedAt: string | null;
  messageId: string | null;
  providers: SectionProvenance[];
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ReportDetail extends ReportRecord {
  scores: ReportScores | null;
  analysis: ReportAnalysis | null;
}

export interface NewReport {
  workspaceId: string;
  brandId: string;
  diagnosisId: string;
  workflowId: string;
  title: string;
  language: string;
  recipients: string[];
}

export interface ReportOutcome {
  overall: number | null;
  pdfKey: string;
  htmlKey: string;
  pdfSha256: string;
  pages: number;
  bytes: number;
  providers: SectionProvenance[];
  scores: ReportScores;
  analysis: ReportAnalysis;
}

const toRecord = (r: BrandReport): ReportRecord => ({
  id: r.id,
  workspaceId: r.workspaceId,
  brandId: r.brandId,
  diagnosisId: r.diagnosisId,
  workflowId: r.workflowId,
  status: r.status,
  title: r.title,
  language: r.language,
  overall: r.overall,
  pdfKey: r.pdfKey,
  htmlKey: r.htmlKey,
  pdfSha256: r.pdfSha256,
  pages: r.pages,
  bytes: r.bytes,
  recipients: r.recipients,
  emailedAt: r.emailedAt ? r.emailedAt.toISOString() : null,
  messageId: r.messageId,
  providers: r.providers as SectionProvenance[],
  error: r.error,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const toDetail = (r: BrandReport): ReportDetail => ({
  ...toRecord(r),
  scores: (r.scores as ReportScores | null) ?? null,
  analysis: (r.analysis as ReportAnalysis | null) ?? null,
});

export function createReportRepository(db: Database) {
  const { BrandReport } = db.models;
  const byWorkflow = (workflowId: string) => BrandReport.findOne({ where: { workflowId } });

  return {
    /** Idempotent by workflow id: a retry returns the row the first attempt made. */
    async start(input: NewReport): Promise<ReportRecord> {
      const [row] = await BrandReport.findOrCreate({ where: { workflowId: input.workflowId }, defaults: input });
      return toRecord(row);
    },

    async recordOutcome(workflowId: string, outcome: ReportOutcome): Promise<ReportRecord | null> {
      const row = await byWorkflow(workflowId);
      if (!row) return null;
      await row.update({ ...outcome, status: row.status === 'sent' ? 'sent' : 'ready', error: null });
      return toRecord(row);
    },

    async markSent(
      workflowId: string,
      sent: { recipients: string[]; messageId: string; emailedAt: Date },
    ): Promise<ReportRecord | null> {
      const row = await byWorkflow(workflowId);
      if (!row) return null;
      await row.update({ ...sent, status: 'sent' });
      return toRecord(row);
    },

    async markStatus(
      workflowId: string,
      status: 'ready' | 'rejected' | 'failed',
      error: string | null = null,
    ): Promise<ReportRecord | null> {
      const row = await byWorkflow(workflowId);
      if (!row) return null;
      // A sent report stays sent: the mail is out whatever happens after.
      if (row.status !== 'sent') await row.update({ status, error });
      return toRecord(row);
    },

    async get(workspaceId: string, brandId: string, id: string): Promise<ReportDetail | null> {
      const row = await BrandReport.findOne({ where: { id, workspaceId, brandId } });
      return row ? toDetail(row) : null;
    },

    async getByWorkflow(workflowId: string): Promise<ReportRecord | null> {
      const row = await byWorkflow(workflowId);
      return row ? toRecord(row) : null;
    },

    /** Newest first. */
    async list(workspaceId: string, brandId: string, limit = 100): Promise<ReportRecord[]> {
      const rows = await BrandReport.findAll({
        where: { workspaceId, brandId },
        attributes: { exclude: ['scores', 'analysis'] },
        order: [
          ['createdAt', 'DESC'],
          ['id', 'DESC'],
        ],
        limit,
      });
      return rows.map(toRecord);
    },
  };
}

export type ReportRepository = ReturnType<typeof createReportRepository>;
