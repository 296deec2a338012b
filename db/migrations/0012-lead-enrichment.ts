/**
 * Issue 11: the history of each lead's enrichment runs and the workspace's CRM callback.
 *
 * `lead_enrichments` has one row per `leadEnrichmentWorkflow` run (its workflow id is unique), written by the run's
 * activities, so a retried activity updates its own row instead of adding one. `lead_callbacks` holds the URL a
 * workspace's CRM is told about enriched leads at, with its Standard Webhooks secret sealed (lib/secrets).
 */
import { DataTypes, type QueryInterface } from 'sequelize';

const workspace = {
  type: DataTypes.UUID,
  allowNull: false,
  references: { model: 'workspaces', key: 'id' },
  onDelete: 'CASCADE',
};
const at = (allowNull: boolean) => ({
  type: DataTypes.DATE,
  allowNull,
  ...(allowNull ? {} : { defaultValue: DataTypes.NOW }),
});

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('lead_enrichments', {
    id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
    workspace_id: workspace,
    lead_id: { type: DataTypes.UUID, allowNull: false, references: { model: 'leads', key: 'id' }, onDelete: 'CASCADE' },
    workflow_id: { type: DataTypes.STRING(400), allowNull: false, unique: true },
    batch_workflow_id: { type: DataTypes.STRING(300), allowNull: true },
    status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'running' },
    pages: { type: DataTypes.SMALLINT, allowNull: false, defaultValue: 0 },
    failure: { type: DataTypes.TEXT, allowNull: true },
    score: { type: DataTypes.SMALLINT, allowNull: true },
    written_by: { type: DataTypes.STRING(120), allowNull: true },
    tokens_in: { type: DataTypes.INTEGER, allowNull: true },
    tokens_out: { type: DataTypes.INTEGER, allowNull: true },
    cost_usd: { type: DataTypes.DECIMAL(12, 6), allowNull: true },
    callback: { type: DataTypes.STRING(16), allowNull: true },
    started_at: at(false),
    finished_at: at(true),
  });
  await q.sequelize.query(`
    ALTER TABLE lead_enrichments
      ADD CONSTRAINT lead_enrichments_status_check CHECK (status IN ('running', 'enriched', 'failed')),
      ADD CONSTRAINT lead_enrichments_callback_check CHECK (callback IN ('sent', 'not-configured', 'failed'))`);
  await q.addIndex('lead_enrichments', ['lead_id', 'started_at']);

  await q.createTable('lead_callbacks', {
    workspace_id: { ...workspace, primaryKey: true },
    url: { type: DataTypes.STRING(2048), allowNull: false },
    // Sealed: `enc:v1:…` (lib/secrets), context `lead_callbacks.secret:<workspace id>`.
    secret: { type: DataTypes.TEXT, allowNull: false },
    enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    created_at: at(false),
    updated_at: at(false),
  });
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.dropTable('lead_callbacks');
  await q.dropTable('lead_enrichments');
}
