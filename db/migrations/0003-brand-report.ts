/**
 * Issue 3: brand KPIs per period, the diagnosis questionnaire's answers, and generated reports. Local-channel page
 * views are counted on posts so KPIs can be collected from the platform's own channel.
 */
import { DataTypes, type QueryInterface } from 'sequelize';

const id = { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 };
const timestamps = {
  created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
  updated_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
};
const ref = (table: string, onDelete = 'CASCADE') => ({
  type: DataTypes.UUID,
  allowNull: false,
  references: { model: table, key: 'id' },
  onDelete,
});

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('brand_kpis', {
    id,
    workspace_id: ref('workspaces'),
    brand_id: ref('brands'),
    period: { type: DataTypes.DATEONLY, allowNull: false },
    followers: { type: DataTypes.BIGINT, allowNull: true },
    engagement_rate: { type: DataTypes.DOUBLE, allowNull: true },
    views: { type: DataTypes.BIGINT, allowNull: true },
    posts: { type: DataTypes.INTEGER, allowNull: true },
    source: { type: DataTypes.STRING(16), allowNull: false },
    ...timestamps,
  });
  await q.sequelize.query(`
    ALTER TABLE brand_kpis
      ADD CONSTRAINT brand_kpis_source_check CHECK (source IN ('manual', 'csv', 'local-channel')),
      ADD CONSTRAINT brand_kpis_values_check CHECK (
        (followers IS NULL OR followers >= 0) AND (views IS NULL OR views >= 0) AND (posts IS NULL OR posts >= 0)
        AND (engagement_rate IS NULL OR (engagement_rate >= 0 AND engagement_rate <= 1)))`);
  await q.addIndex('brand_kpis', ['brand_id', 'period'], { unique: true });

  await q.createTable('diagnoses', {
    id,
    workspace_id: ref('workspaces'),
    brand_id: ref('brands'),
    status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'draft' },
    answers: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
    completed_steps: { type: DataTypes.ARRAY(DataTypes.STRING(24)), allowNull: false, defaultValue: [] },
    scores: { type: DataTypes.JSONB, allowNull: true },
    completed_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps,
  });
  await q.sequelize.query(
    `ALTER TABLE diagnoses ADD CONSTRAINT diagnoses_status_check CHECK (status IN ('draft', 'complete'))`,
  );
  await q.addIndex('diagnoses', ['brand_id', 'created_at']);

  await q.createTable('brand_reports', {
    id,
    workspace_id: ref('workspaces'),
    brand_id: ref('brands'),
    // A report keeps the diagnosis it was made from: such a diagnosis cannot be deleted.
    diagnosis_id: ref('diagnoses', 'RESTRICT'),
    workflow_id: { type: DataTypes.STRING(300), allowNull: false, unique: true },
    status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'generating' },
    title: { type: DataTypes.STRING(300), allowNull: false },
    language: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'en' },
    overall: { type: DataTypes.DOUBLE, allowNull: true },
    pdf_key: { type: DataTypes.STRING(512), allowNull: true },
    html_key: { type: DataTypes.STRING(512), allowNull: true },
    pdf_sha256: { type: DataTypes.STRING(64), allowNull: true },
    pages: { type: DataTypes.INTEGER, allowNull: true },
    bytes: { type: DataTypes.INTEGER, allowNull: true },
    recipients: { type: DataTypes.ARRAY(DataTypes.STRING(254)), allowNull: false, defaultValue: [] },
    emailed_at: { type: DataTypes.DATE, allowNull: true },
    message_id: { type: DataTypes.STRING(300), allowNull: true },
    providers: { type: DataTypes.JSONB, allowNull: false, defaultValue: [] },
    scores: { type: DataTypes.JSONB, allowNull: true },
    analysis: { type: DataTypes.JSONB, allowNull: true },
    error: { type: DataTypes.TEXT, allowNull: true },
    ...timestamps,
  });
  await q.sequelize.query(`
    ALTER TABLE brand_reports ADD CONSTRAINT brand_reports_status_check
      CHECK (status IN ('generating', 'ready', 'sent', 'rejected', 'failed'))`);
  await q.addIndex('brand_reports', ['brand_id', 'created_at']);

  await q.addColumn('posts', 'views', { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.removeColumn('posts', 'views');
  await q.dropTable('brand_reports');
  await q.dropTable('diagnoses');
  await q.dropTable('brand_kpis');
}
