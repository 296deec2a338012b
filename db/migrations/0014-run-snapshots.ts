/**
 * Issue 16: the final detail of a closed run (status, progress, result or failure), kept once so later reads are served
 * without Temporal — a closed run never changes, and answering its `progress` query makes a worker replay its whole
 * history. Written the first time a closed run is read (api/services/run-reads.ts); the workspace is stored so
 * ownership is checked without asking Temporal either.
 */
import { DataTypes, type QueryInterface } from 'sequelize';

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('run_snapshots', {
    workflow_id: { type: DataTypes.STRING(1000), primaryKey: true },
    run_id: { type: DataTypes.STRING(64), allowNull: false },
    workspace_id: {
      type: DataTypes.UUID,
      allowNull: false,
      references: { model: 'workspaces', key: 'id' },
      onDelete: 'CASCADE',
    },
    detail: { type: DataTypes.JSONB, allowNull: false },
    closed_at: { type: DataTypes.DATE, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
  });
  await q.addIndex('run_snapshots', ['workspace_id']);
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.dropTable('run_snapshots');
}
