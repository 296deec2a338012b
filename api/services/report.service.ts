/** Reports per brand: listed from their rows, files served from storage (never through the public /files route). */
import type { FileStorage } from '../../activities/storage';
import type { ReportDetail, ReportRecord, ReportRepository } from '../../db/repositories/report.repository';
import { NotFoundError } from '../../lib/errors';

type Hidden = 'workspaceId' | 'pdfKey' | 'htmlKey' | 'messageId';
export type ReportView = Omit<ReportRecord, Hidden> & { pdfUrl: string | null; htmlUrl: string | null };
export type ReportDetailView = ReportView & Pick<ReportDetail, 'scores' | 'analysis'>;

export function createReportService(repo: ReportRepository, storage: FileStorage) {
  const links = (r: ReportRecord) => {
    const base = `/api/v1/brands/${r.brandId}/reports/${r.id}`;
    return { pdfUrl: r.pdfKey ? `${base}/pdf` : null, htmlUrl: r.htmlKey ? `${base}/html` : null };
  };
  const view = (r: ReportRecord): ReportView => {
    const { workspaceId: _w, pdfKey: _p, htmlKey: _h, messageId: _m, ...rest } = r;
    return { ...rest, ...links(r) };
  };
  const find = async (workspaceId: string, brandId: string, id: string) => {
    const report = await repo.get(workspaceId, brandId, id);
    if (!report) throw new NotFoundError(`Report ${id} not found`);
    return report;
  };

  return {
    async list(workspaceId: string, brandId: string, brandExists: () => Promise<boolean>) {
      if (!(await brandExists())) throw new NotFoundError(`Brand ${brandId} not found`);
      return { items: (await repo.list(workspaceId, brandId)).map(view) };
    },

    async get(workspaceId: string, brandId: string, id: string): Promise<ReportDetailView> {
      const { scores, analysis, ...record } = await find(workspaceId, brandId, id);
      return { ...view(record), scores, analysis };
    },

    /** The PDF or HTML bytes; 404 while the report is still being made. */
    async file(workspaceId: string, brandId: string, id: string, kind: 'pdf' | 'html') {
      const report = await find(workspaceId, brandId, id);
      const key = kind === 'pdf' ? report.pdfKey : report.htmlKey;
      const data = key ? await storage.get(key) : null;
      if (!data) throw new NotFoundError(`The report's ${kind.toUpperCase()} is not ready`);
      return { report, data };
    },
  };
}

export type ReportService = ReturnType<typeof createReportService>;
