/**
 * Issue 4, publishing: video posts on the brand's local channel, and one row per platform publication of a video
 * (idempotency key `<workflowId>/publish/<platform>`), holding the platform's ids, the upload checkpoint a retried
 * upload resumes from, and the last stats read back.
 */
import { DataTypes, type QueryInterface } from 'sequelize';

const ref = (table: string) => ({
  type: DataTypes.UUID,
  allowNull: false,
  references: { model: table, key: 'id' },
  onDelete: 'CASCADE',
});

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.addColumn('posts', 'media_kind', { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'image' });
  await q.addColumn('posts', 'title', { type: DataTypes.STRING(300), allowNull: true });
  await q.addColumn('posts', 'video_key', { type: DataTypes.STRING(512), allowNull: true });
  await q.addColumn('posts', 'video_bytes', { type: DataTypes.BIGINT, allowNull: true });
  await q.addColumn('posts', 'subtitles_key', { type: DataTypes.STRING(512), allowNull: true });
  await q.addColumn('posts', 'subtitles_language', { type: DataTypes.STRING(16), allowNull: true });
  await q.addColumn('posts', 'thumbnail_key', { type: DataTypes.STRING(512), allowNull: true });
  await q.addColumn('posts', 'duration_seconds', { type: DataTypes.DOUBLE, allowNull: true });
  await q.sequelize.query(`
    ALTER TABLE posts
      ADD CONSTRAINT posts_media_kind_check CHECK (media_kind IN ('image', 'video')),
      ADD CONSTRAINT posts_video_check CHECK (
        media_kind = 'image' OR status = 'draft' OR (video_key IS NOT NULL AND video_bytes IS NOT NULL))`);

  await q.createTable('publications', {
    id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
    workspace_id: ref('workspaces'),
    brand_id: ref('brands'),
    workflow_id: { type: DataTypes.STRING(300), allowNull: false },
    platform: { type: DataTypes.STRING(16), allowNull: false },
    status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
    external_id: { type: DataTypes.STRING(300), allowNull: true },
    url: { type: DataTypes.STRING(1000), allowNull: true },
    idempotency_key: { type: DataTypes.STRING(400), allowNull: false, unique: true },
    // Where an interrupted upload resumes: the platform's session/media/container ids and the parts already sent.
    upload_state: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
    error: { type: DataTypes.TEXT, allowNull: true },
    stats: { type: DataTypes.JSONB, allowNull: true },
    stats_at: { type: DataTypes.DATE, allowNull: true },
    published_at: { type: DataTypes.DATE, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
    updated_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
  });
  await q.sequelize.query(`
    ALTER TABLE publications
      ADD CONSTRAINT publications_platform_check
        CHECK (platform IN ('local', 'youtube', 'facebook', 'instagram', 'linkedin', 'x', 'tiktok')),
      ADD CONSTRAINT publications_status_check CHECK (status IN ('pending', 'published', 'failed')),
      ADD CONSTRAINT publications_published_check
        CHECK (status <> 'published' OR (external_id IS NOT NULL AND published_at IS NOT NULL))`);
  await q.addIndex('publications', ['brand_id', 'platform', 'external_id']);
  await q.addIndex('publications', ['workflow_id']);
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.dropTable('publications');
  await q.sequelize.query(
    'ALTER TABLE posts DROP CONSTRAINT posts_video_check, DROP CONSTRAINT posts_media_kind_check',
  );
  for (const column of [
    'duration_seconds',
    'thumbnail_key',
    'subtitles_language',
    'subtitles_key',
    'video_bytes',
    'video_key',
    'title',
    'media_kind',
  ])
    await q.removeColumn('posts', column);
}
