/**
 * Issue 13: A/B experiments. An experiment belongs to a brand and has 2–5 variants with weights. Assignment is a
 * hash of (experiment, unit), so it needs no row; what is stored is what is counted:
 *
 * - `experiment_exposures`: one row per unit that saw the experiment (its first variant), so a unit counts once;
 * - `experiment_conversions`: one row per unit and metric that converted, so a unit converts once per metric;
 * - `experiment_events`: every event id received, so a batch sent again counts nothing twice;
 * - `experiment_counts`: per variant and metric, the running totals the evaluation reads (updated in the same
 *   transaction as the rows above, so they never disagree).
 */
import { DataTypes, type QueryInterface } from 'sequelize';

const id = { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 };
const at = { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW };
const experiment = {
  type: DataTypes.UUID,
  allowNull: false,
  references: { model: 'experiments', key: 'id' },
  onDelete: 'CASCADE',
};
const variant = {
  type: DataTypes.UUID,
  allowNull: false,
  references: { model: 'experiment_variants', key: 'id' },
  onDelete: 'CASCADE',
};

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('experiments', {
    id,
    workspace_id: {
      type: DataTypes.UUID,
      allowNull: false,
      references: { model: 'workspaces', key: 'id' },
      onDelete: 'CASCADE',
    },
    brand_id: {
      type: DataTypes.UUID,
      allowNull: false,
      references: { model: 'brands', key: 'id' },
      onDelete: 'CASCADE',
    },
    name: { type: DataTypes.STRING(200), allowNull: false },
    hypothesis: { type: DataTypes.TEXT, allowNull: false },
    kind: { type: DataTypes.STRING(16), allowNull: false },
    unit: { type: DataTypes.STRING(16), allowNull: false },
    metric: { type: DataTypes.STRING(40), allowNull: false },
    guardrails: { type: DataTypes.JSONB, allowNull: false, defaultValue: [] },
    config: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
    status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'draft' },
    workflow_id: { type: DataTypes.STRING(300), allowNull: true },
    decision: { type: DataTypes.JSONB, allowNull: true },
    started_at: { type: DataTypes.DATE, allowNull: true },
    ended_at: { type: DataTypes.DATE, allowNull: true },
    created_at: at,
    updated_at: at,
  });
  await q.sequelize.query(`
    ALTER TABLE experiments
      ADD CONSTRAINT experiments_kind_check CHECK (kind IN ('post', 'free')),
      ADD CONSTRAINT experiments_unit_check CHECK (unit IN ('visitor', 'recipient')),
      ADD CONSTRAINT experiments_status_check
        CHECK (status IN ('draft', 'running', 'paused', 'stopped', 'completed'))`);
  await q.addIndex('experiments', ['workspace_id', 'created_at']);

  await q.createTable('experiment_variants', {
    id,
    experiment_id: experiment,
    key: { type: DataTypes.STRING(8), allowNull: false },
    name: { type: DataTypes.STRING(120), allowNull: false },
    weight: { type: DataTypes.SMALLINT, allowNull: false },
    is_control: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    content: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
    post_id: { type: DataTypes.UUID, allowNull: true },
    position: { type: DataTypes.SMALLINT, allowNull: false },
  });
  await q.addIndex('experiment_variants', ['experiment_id', 'key'], { unique: true });

  await q.createTable('experiment_exposures', {
    experiment_id: { ...experiment, primaryKey: true },
    unit: { type: DataTypes.STRING(200), allowNull: false, primaryKey: true },
    variant_id: variant,
    at,
  });
  await q.createTable('experiment_conversions', {
    experiment_id: { ...experiment, primaryKey: true },
    unit: { type: DataTypes.STRING(200), allowNull: false, primaryKey: true },
    metric: { type: DataTypes.STRING(40), allowNull: false, primaryKey: true },
    variant_id: variant,
    at,
  });
  await q.createTable('experiment_events', {
    experiment_id: { ...experiment, primaryKey: true },
    event_id: { type: DataTypes.STRING(200), allowNull: false, primaryKey: true },
    at,
  });
  await q.createTable('experiment_counts', {
    experiment_id: { ...experiment, primaryKey: true },
    variant_id: { ...variant, primaryKey: true },
    // `exposure`, or the metric a conversion is for.
    metric: { type: DataTypes.STRING(40), allowNull: false, primaryKey: true },
    count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
  });
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  for (const table of ['experiment_counts', 'experiment_events', 'experiment_conversions', 'experiment_exposures'])
    await q.dropTable(table);
  await q.dropTable('experiment_variants');
  await q.dropTable('experiments');
}
