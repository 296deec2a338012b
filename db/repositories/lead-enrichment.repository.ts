/**
 * The history of each lead's enrichment runs (`lead_enrichments`, migration 0012): one row per lead workflow run,
 * keyed by its workflow id, so an activity retried after a crash updates the row it wrote instead of adding one.
 */
import { QueryTypes } from 'sequelize';
import type { Database } from '../index';

export type EnrichmentStatus = 'running' | 'enriched' | 'failed';
export type CallbackOutcome = 'sent' | 'not-configured' | 'failed';

export interface LeadEnrichmentRecord {
  workflowId: string;
  batchWorkflowId: string | null;
  status: EnrichmentStatus;
  pages: number;
  failure: string | null;
  score: number | null;
  writtenBy: string | null;
  tokens: { input: number; output: number } | null;
  costUsd: number | null;
  callback: CallbackOutcome | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface EnrichmentOutcome {
  status: Exclude<EnrichmentStatus, 'running'>;
  pages: number;
  failure: string | null;
  score: number | null;
  writtenBy: string;
}

interface Row {
  workflow_id: string;
  batch_workflow_id: string | null;
  status: EnrichmentStatus;
  pages: number;
  failure: string | null;
  score: number | null;
  written_by: string | null;
  tokens_in: number | null;
  tokens_out: number | null;
  cost_usd: string | null;
  callback: CallbackOutcome | null;
  started_at: Date;
  finished_at: Date | null;
}

const toRecord = (r: Row): LeadEnrichmentRecord => ({
  workflowId: r.workflow_id,
  batchWorkflowId: r.batch_workflow_id,
  status: r.status,
  pages: r.pages,
  failure: r.failure,
  score: r.score,
  writtenBy: r.written_by,
  tokens: r.tokens_in === null ? null : { input: r.tokens_in, output: r.tokens_out ?? 0 },
  costUsd: r.cost_usd === null ? null : Number(r.cost_usd),
  callback: r.callback,
  startedAt: new Date(r.started_at).toISOString(),
  finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
});

/** Enrichment runs shown on a lead, newest first. */
const RUNS_SHOWN = 50;

export function createLeadEnrichmentRepository(db: Database) {
  const run = (sql: string, replacements: Record<string, unknown>) =>
    db.sequelize.query(sql, { replacements, type: QueryTypes.UPDATE });

  return {
    /** Records that a run started on the lead; a second call for the same run changes nothing. */
    async start(workspaceId: string, leadId: string, workflowId: string, batchWorkflowId: string | null) {
      await db.sequelize.query(
        `INSERT INTO lead_enrichments (id, workspace_id, lead_id, workflow_id, batch_workflow_id, status, started_at)
         VALUES (gen_random_uuid(), :workspaceId, :leadId, :workflowId, :batchWorkflowId, 'running', now())
         ON CONFLICT (workflow_id) DO NOTHING`,
        { replacements: { workspaceId, leadId, workflowId, batchWorkflowId }, type: QueryTypes.INSERT },
      );
    },

    async finish(workflowId: string, outcome: EnrichmentOutcome) {
      await run(
        `UPDATE lead_enrichments SET status = :status, pages = GREATEST(pages, :pages), failure = :failure, score = :score,
           written_by = :writtenBy, finished_at = COALESCE(finished_at, now())
         WHERE workflow_id = :workflowId`,
        { workflowId, ...outcome },
      );
    },

    /** What the research agent used, and its verdict's score (it replaces the rules' one). */
    async noteResearch(
      workflowId: string,
      note: { score: number; writtenBy: string; tokens?: { input: number; output: number }; costUsd?: number },
    ) {
      await run(
        `UPDATE lead_enrichments SET score = :score, written_by = :writtenBy, tokens_in = :tokensIn,
           tokens_out = :tokensOut, cost_usd = :costUsd
         WHERE workflow_id = :workflowId`,
        {
          workflowId,
          score: note.score,
          writtenBy: note.writtenBy,
          tokensIn: note.tokens?.input ?? null,
          tokensOut: note.tokens?.output ?? null,
          costUsd: note.costUsd ?? null,
        },
      );
    },

    async noteCallback(workflowId: string, callback: CallbackOutcome) {
      await run('UPDATE lead_enrichments SET callback = :callback WHERE workflow_id = :workflowId', {
        workflowId,
        callback,
      });
    },

    async listForLead(workspaceId: string, leadId: string): Promise<LeadEnrichmentRecord[]> {
      const rows = await db.sequelize.query<Row>(
        `SELECT * FROM lead_enrichments WHERE workspace_id = :workspaceId AND lead_id = :leadId
         ORDER BY started_at DESC, id DESC LIMIT :limit`,
        { replacements: { workspaceId, leadId, limit: RUNS_SHOWN }, type: QueryTypes.SELECT },
      );
      return rows.map(toRecord);
    },
  };
}

export type LeadEnrichmentRepository = ReturnType<typeof createLeadEnrichmentRepository>;
