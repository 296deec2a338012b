/**
 * Issue 11: leads, where each came from, and the ideal customer profile they are scored against.
 *
 * Dedupe keys: a workspace has at most one lead per normalised domain (a partial unique index, since a lead may have
 * only emails); emails are matched through a GIN index on the array (`emails && ARRAY[…]`), with no side table to
 * keep in step. Concurrent upserts of one lead are serialised by transaction advisory locks on those keys
 * (db/repositories/lead.repository.ts); the unique index is the backstop.
 */
import { DataTypes, type QueryInterface } from 'sequelize';

const id = { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 };
const timestamps = {
  created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
  updated_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
};
const workspace = {
  type: DataTypes.UUID,
  allowNull: false,
  references: { model: 'workspaces', key: 'id' },
  onDelete: 'CASCADE',
};
const brand = {
  type: DataTypes.UUID,
  allowNull: true,
  references: { model: 'brands', key: 'id' },
  onDelete: 'CASCADE',
};
const text = (length: number) => ({ type: DataTypes.STRING(length), allowNull: true });
const list = (length: number) => ({
  type: DataTypes.ARRAY(DataTypes.STRING(length)),
  allowNull: false,
  defaultValue: [],
});
const jsonb = (defaultValue: unknown) => ({ type: DataTypes.JSONB, allowNull: false, defaultValue });

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('leads', {
    id,
    workspace_id: workspace,
    brand_id: brand,
    company_name: text(300),
    website: text(2048),
    domain: text(253),
    emails: list(320),
    phones: list(40),
    socials: jsonb({}),
    address: text(500),
    city: text(120),
    country: text(80),
    category: text(120),
    description: { type: DataTypes.TEXT, allowNull: true },
    language: text(16),
    technologies: list(80),
    score: { type: DataTypes.SMALLINT, allowNull: true },
    score_reasons: jsonb([]),
    status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'new' },
    failure_reason: { type: DataTypes.TEXT, allowNull: true },
    field_sources: jsonb({}),
    ...timestamps,
  });
  await q.sequelize.query(`
    ALTER TABLE leads
      ADD CONSTRAINT leads_status_check CHECK (status IN ('new', 'enriched', 'qualified', 'disqualified', 'failed')),
      ADD CONSTRAINT leads_score_check CHECK (score BETWEEN 0 AND 100)`);
  await q.sequelize.query(
    'CREATE UNIQUE INDEX leads_workspace_domain_key ON leads (workspace_id, domain) WHERE domain IS NOT NULL',
  );
  await q.sequelize.query('CREATE INDEX leads_emails_idx ON leads USING gin (emails)');
  await q.addIndex('leads', ['workspace_id', 'created_at']);
  await q.addIndex('leads', ['workspace_id', 'score']);
  await q.addIndex('leads', ['workspace_id', 'status']);

  await q.createTable('lead_sources', {
    id,
    lead_id: { type: DataTypes.UUID, allowNull: false, references: { model: 'leads', key: 'id' }, onDelete: 'CASCADE' },
    // Denormalised so the list's source filter needs no join through leads.
    workspace_id: { type: DataTypes.UUID, allowNull: false },
    kind: { type: DataTypes.STRING(16), allowNull: false },
    reference: text(300),
    row: { type: DataTypes.INTEGER, allowNull: true },
    outcome: { type: DataTypes.STRING(16), allowNull: false },
    created_at: timestamps.created_at,
  });
  await q.sequelize.query(`
    ALTER TABLE lead_sources
      ADD CONSTRAINT lead_sources_kind_check CHECK (kind IN ('import', 'api', 'webhook', 'places', 'enrichment')),
      ADD CONSTRAINT lead_sources_outcome_check CHECK (outcome IN ('created', 'merged'))`);
  await q.addIndex('lead_sources', ['lead_id', 'created_at']);
  await q.addIndex('lead_sources', ['workspace_id', 'kind']);

  await q.createTable('lead_profiles', {
    id,
    workspace_id: workspace,
    brand_id: brand,
    profile: jsonb({}),
    ...timestamps,
  });
  // One profile per workspace and one per brand: two partial indexes, as NULL brand ids never collide in one.
  await q.sequelize.query(
    'CREATE UNIQUE INDEX lead_profiles_workspace_key ON lead_profiles (workspace_id) WHERE brand_id IS NULL',
  );
  await q.sequelize.query(
    'CREATE UNIQUE INDEX lead_profiles_brand_key ON lead_profiles (workspace_id, brand_id) WHERE brand_id IS NOT NULL',
  );
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.dropTable('lead_profiles');
  await q.dropTable('lead_sources');
  await q.dropTable('leads');
}
