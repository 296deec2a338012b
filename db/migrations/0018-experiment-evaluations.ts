/**
 * Issue 13: every evaluation an A/B test's run makes, kept so the experiment's page can chart how the chance to be
 * best moved over time (the experiment's `decision` holds the last one only). A row per evaluation, keyed by the
 * workflow run and the activity's id in it: a retried attempt (a worker killed mid-evaluation) writes the same row
 * again instead of adding one, and a replayed history runs no activity at all. `seq` orders the rows and pages them.
 */
import { DataTypes, type QueryInterface } from 'sequelize';

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('experiment_evaluations', {
    seq: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
    experiment_id: {
      type: DataTypes.UUID,
      allowNull: false,
      references: { model: 'experiments', key: 'id' },
      onDelete: 'CASCADE',
    },
    run_id: { type: DataTypes.STRING(64), allowNull: false },
    activity_id: { type: DataTypes.STRING(64), allowNull: false },
    evaluated_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
    elapsed_ms: { type: DataTypes.BIGINT, allowNull: false },
    action: { type: DataTypes.STRING(16), allowNull: false },
    winner: { type: DataTypes.STRING(8), allowNull: true },
    reasons: { type: DataTypes.JSONB, allowNull: false, defaultValue: [] },
    // Per variant: key, exposures, conversions, rate, its interval, chance to be best, and the treatments' test.
    variants: { type: DataTypes.JSONB, allowNull: false },
    // Per guardrail and treatment: the metric's rates and whether it regressed.
    guardrails: { type: DataTypes.JSONB, allowNull: false, defaultValue: [] },
    srm_p_value: { type: DataTypes.DOUBLE, allowNull: true },
  });
  await q.addIndex('experiment_evaluations', ['run_id', 'activity_id'], { unique: true });
  await q.addIndex('experiment_evaluations', ['experiment_id', 'seq']);
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.dropTable('experiment_evaluations');
}
