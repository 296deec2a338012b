import { DataTypes, type QueryInterface } from 'sequelize';

const id = { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 };
const timestamps = {
  created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
  updated_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
};
const ref = (table: string, onDelete = 'CASCADE', allowNull = false) => ({
  type: DataTypes.UUID,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete,
});

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('workspaces', {
    id,
    name: { type: DataTypes.STRING(120), allowNull: false },
    ...timestamps,
  });

  await q.createTable('users', {
    id,
    workspace_id: ref('workspaces'),
    email: { type: DataTypes.STRING(254), allowNull: false, unique: true },
    name: { type: DataTypes.STRING(120), allowNull: false },
    password_hash: { type: DataTypes.STRING(100), allowNull: false },
    role: { type: DataTypes.STRING(16), allowNull: false },
    ...timestamps,
  });

  await q.createTable('sessions', {
    id: { type: DataTypes.STRING(64), primaryKey: true },
    user_id: ref('users'),
    expires_at: { type: DataTypes.DATE, allowNull: false },
    created_at: timestamps.created_at,
  });
  await q.addIndex('sessions', ['user_id']);

  await q.createTable('api_keys', {
    id,
    workspace_id: ref('workspaces'),
    name: { type: DataTypes.STRING(120), allowNull: false },
    prefix: { type: DataTypes.STRING(32), allowNull: false, unique: true },
    secret_hash: { type: DataTypes.STRING(64), allowNull: false },
    role: { type: DataTypes.STRING(16), allowNull: false },
    created_by: ref('users', 'SET NULL', true),
    last_used_at: { type: DataTypes.DATE, allowNull: true },
    revoked_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps,
  });

  await q.createTable('brands', {
    id,
    workspace_id: ref('workspaces'),
    name: { type: DataTypes.STRING(120), allowNull: false },
    slug: { type: DataTypes.STRING(80), allowNull: false, unique: true },
    slogan: { type: DataTypes.STRING(200), allowNull: true },
    mission: { type: DataTypes.TEXT, allowNull: true },
    vision: { type: DataTypes.TEXT, allowNull: true },
    category: { type: DataTypes.STRING(80), allowNull: true },
    voice: { type: DataTypes.STRING(200), allowNull: true },
    website: { type: DataTypes.STRING(300), allowNull: true },
    keywords: { type: DataTypes.ARRAY(DataTypes.STRING(60)), allowNull: false, defaultValue: [] },
    colors: { type: DataTypes.JSONB, allowNull: false },
    font_family: { type: DataTypes.STRING(80), allowNull: true },
    logo_key: { type: DataTypes.STRING(300), allowNull: true },
    ...timestamps,
  });
  await q.addIndex('brands', ['workspace_id', 'created_at']);

  await q.createTable('channels', {
    id,
    workspace_id: ref('workspaces'),
    brand_id: ref('brands'),
    kind: { type: DataTypes.STRING(24), allowNull: false },
    title: { type: DataTypes.STRING(160), allowNull: false },
    ...timestamps,
  });
  await q.addIndex('channels', ['brand_id', 'kind'], { unique: true });

  await q.createTable('posts', {
    id,
    workspace_id: ref('workspaces'),
    brand_id: ref('brands'),
    channel_id: ref('channels'),
    platform: { type: DataTypes.STRING(24), allowNull: false },
    post_type: { type: DataTypes.STRING(24), allowNull: false },
    caption: { type: DataTypes.TEXT, allowNull: false },
    hashtags: { type: DataTypes.ARRAY(DataTypes.STRING(100)), allowNull: false, defaultValue: [] },
    call_to_action: { type: DataTypes.TEXT, allowNull: false },
    alt_text: { type: DataTypes.TEXT, allowNull: false },
    image_key: { type: DataTypes.STRING(300), allowNull: true },
    status: { type: DataTypes.STRING(16), allowNull: false },
    workflow_id: { type: DataTypes.STRING(300), allowNull: true },
    idempotency_key: { type: DataTypes.STRING(400), allowNull: true, unique: true },
    published_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps,
  });
  await q.addIndex('posts', ['channel_id', 'published_at']);
  await q.addIndex('posts', ['workspace_id', 'created_at']);

  await q.createTable('webhook_endpoints', {
    id,
    workspace_id: ref('workspaces'),
    name: { type: DataTypes.STRING(120), allowNull: false },
    automation: { type: DataTypes.STRING(60), allowNull: false },
    input_mapping: { type: DataTypes.JSONB, allowNull: false },
    secret: { type: DataTypes.STRING(200), allowNull: false },
    enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    ...timestamps,
  });

  await q.createTable('webhook_deliveries', {
    endpoint_id: { ...ref('webhook_endpoints'), primaryKey: true },
    delivery_id: { type: DataTypes.STRING(200), primaryKey: true },
    workflow_id: { type: DataTypes.STRING(300), allowNull: false },
    received_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
  });

  await q.createTable('idempotency_records', {
    key: { type: DataTypes.STRING(400), primaryKey: true },
    scope: { type: DataTypes.STRING(60), allowNull: false },
    result: { type: DataTypes.JSONB, allowNull: false },
    created_at: timestamps.created_at,
  });
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  for (const table of [
    'idempotency_records',
    'webhook_deliveries',
    'webhook_endpoints',
    'posts',
    'channels',
    'brands',
    'api_keys',
    'sessions',
    'users',
    'workspaces',
  ]) {
    await q.dropTable(table);
  }
}
