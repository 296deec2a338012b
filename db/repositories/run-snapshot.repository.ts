/** Final details of closed runs (migration 0014), by workflow id. Plain SQL: one table, two statements. */
import { QueryTypes } from 'sequelize';
import type { Database } from '../index';

export interface RunSnapshot<T = unknown> {
  workflowId: string;
  runId: string;
  workspaceId: string;
  detail: T;
}

export function createRunSnapshotRepository(db: Database) {
  return {
    async get<T>(workflowId: string): Promise<RunSnapshot<T> | null> {
      const rows = await db.sequelize.query<{ run_id: string; workspace_id: string; detail: T }>(
        'SELECT run_id, workspace_id, detail FROM run_snapshots WHERE workflow_id = :workflowId',
        { replacements: { workflowId }, type: QueryTypes.SELECT },
      );
      const row = rows[0];
      return row ? { workflowId, runId: row.run_id, workspaceId: row.workspace_id, detail: row.detail } : null;
    },
    /** The first snapshot of a run wins: two readers closing it at once write the same thing. */
    async save(snapshot: RunSnapshot & { closedAt: string | null }): Promise<void> {
      await db.sequelize.query(
        `INSERT INTO run_snapshots (workflow_id, run_id, workspace_id, detail, closed_at, created_at)
         VALUES (:workflowId, :runId, :workspaceId, CAST(:detail AS jsonb), :closedAt, now())
         ON CONFLICT (workflow_id) DO NOTHING`,
        {
          replacements: {
            workflowId: snapshot.workflowId,
            runId: snapshot.runId,
            workspaceId: snapshot.workspaceId,
            detail: JSON.stringify(snapshot.detail),
            closedAt: snapshot.closedAt,
          },
        },
      );
    },
  };
}

export type RunSnapshotRepository = ReturnType<typeof createRunSnapshotRepository>;
