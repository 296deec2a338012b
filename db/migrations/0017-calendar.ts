/**
 * Issue 12: the editorial calendar.
 *
 * - `calendar_entries`: what is planned for a brand at a wall-clock time (`local_at` in `time_zone`); `due_at` is
 *   that time's instant, recomputed whenever the entry moves. `version` is bumped by every change: a run is for one
 *   version, and the claim that starts it (`status = 'publishing'`) only succeeds on that version, so an entry moved
 *   while its old timer was pending never publishes at the old time. Generated drafts carry `generated_for` (the local
 *   day they fill), unique per brand, so a repeated daily generation drafts nothing twice.
 * - `calendar_settings`: per workspace, its time zone and when the daily generation runs.
 */
import { DataTypes, Op, literal, type QueryInterface } from 'sequelize';

// A database default (raw INSERTs write these rows, not a model).
const at = { type: DataTypes.DATE, allowNull: false, defaultValue: literal('now()') };
const ref = (model: string, allowNull = false) => ({
  type: DataTypes.UUID,
  allowNull,
  references: { model, key: 'id' },
  onDelete: allowNull ? 'SET NULL' : 'CASCADE',
});

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('calendar_entries', {
    id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
    workspace_id: ref('workspaces'),
    brand_id: ref('brands'),
    local_at: { type: DataTypes.STRING(19), allowNull: false },
    time_zone: { type: DataTypes.STRING(64), allowNull: false },
    due_at: { type: DataTypes.DATE, allowNull: false },
    kind: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'post' },
    platforms: { type: DataTypes.ARRAY(DataTypes.STRING(16)), allowNull: false },
    post_type: { type: DataTypes.STRING(20), allowNull: false },
    topic: { type: DataTypes.TEXT, allowNull: true },
    copy: { type: DataTypes.JSONB, allowNull: true },
    media: { type: DataTypes.JSONB, allowNull: true },
    video: { type: DataTypes.JSONB, allowNull: true },
    status: { type: DataTypes.STRING(12), allowNull: false },
    owner_id: ref('users', true),
    version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
    validation: { type: DataTypes.JSONB, allowNull: true },
    runs: { type: DataTypes.JSONB, allowNull: false, defaultValue: [] },
    results: { type: DataTypes.JSONB, allowNull: false, defaultValue: [] },
    failure: { type: DataTypes.TEXT, allowNull: true },
    source: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'user' },
    generated_for: { type: DataTypes.STRING(10), allowNull: true },
    created_at: at,
    updated_at: at,
  });
  await q.sequelize.query(`
    ALTER TABLE calendar_entries
      ADD CONSTRAINT calendar_entries_status_check
        CHECK (status IN ('idea', 'draft', 'scheduled', 'publishing', 'published', 'failed', 'cancelled')),
      ADD CONSTRAINT calendar_entries_kind_check CHECK (kind IN ('post', 'video')),
      ADD CONSTRAINT calendar_entries_source_check CHECK (source IN ('user', 'generated'))`);
  await q.addIndex('calendar_entries', ['workspace_id', 'due_at']);
  await q.addIndex('calendar_entries', ['brand_id', 'status', 'due_at']);
  await q.addIndex('calendar_entries', ['brand_id', 'generated_for'], {
    unique: true,
    where: { generated_for: { [Op.ne]: null } },
    name: 'calendar_entries_generated_once',
  });

  await q.createTable('calendar_settings', {
    workspace_id: { ...ref('workspaces'), primaryKey: true },
    time_zone: { type: DataTypes.STRING(64), allowNull: false, defaultValue: 'UTC' },
    generation_time: { type: DataTypes.STRING(5), allowNull: false, defaultValue: '06:00' },
    generation_days: { type: DataTypes.SMALLINT, allowNull: false, defaultValue: 3 },
    post_time: { type: DataTypes.STRING(5), allowNull: false, defaultValue: '10:00' },
    created_at: at,
    updated_at: at,
  });
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.dropTable('calendar_settings');
  await q.dropTable('calendar_entries');
}
