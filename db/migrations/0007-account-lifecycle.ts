/**
 * Issue 8, account lifecycle: disabled users and instance admins, sessions a user can list and revoke, emailed
 * invitations and password resets (tokens stored as SHA-256 hashes only), and TOTP two-factor with hashed recovery
 * codes. The TOTP secret is sealed (lib/secrets), never stored in clear.
 */
import { DataTypes, type QueryInterface } from 'sequelize';

const id = { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 };
const createdAt = { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW };
const ref = (table: string, onDelete = 'CASCADE', allowNull = false) => ({
  type: DataTypes.UUID,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete,
});

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.addColumn('users', 'disabled_at', { type: DataTypes.DATE, allowNull: true });
  await q.addColumn('users', 'instance_admin', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
  await q.addColumn('users', 'totp_secret', { type: DataTypes.TEXT, allowNull: true });
  await q.addColumn('users', 'totp_enabled_at', { type: DataTypes.DATE, allowNull: true });
  // The last 30-second step a code was accepted for: a code works once, even inside its validity window.
  await q.addColumn('users', 'totp_last_step', { type: DataTypes.BIGINT, allowNull: true });
  // The first user of an instance (the bootstrap admin) operates it.
  await q.sequelize.query(
    'UPDATE users SET instance_admin = true WHERE id = (SELECT id FROM users ORDER BY created_at, id LIMIT 1)',
  );

  // Sessions get a public id (the primary key is the token's hash and never leaves the server) and what a user needs
  // to recognise one of theirs.
  await q.addColumn('sessions', 'public_id', { type: DataTypes.UUID, allowNull: true });
  await q.sequelize.query('UPDATE sessions SET public_id = gen_random_uuid() WHERE public_id IS NULL');
  await q.changeColumn('sessions', 'public_id', { type: DataTypes.UUID, allowNull: false });
  await q.addIndex('sessions', ['public_id'], { unique: true });
  await q.addIndex('sessions', ['expires_at']);
  await q.addColumn('sessions', 'user_agent', { type: DataTypes.STRING(300), allowNull: true });
  await q.addColumn('sessions', 'ip', { type: DataTypes.STRING(64), allowNull: true });
  await q.addColumn('sessions', 'last_seen_at', { type: DataTypes.DATE, allowNull: true });

  await q.createTable('invitations', {
    id,
    workspace_id: ref('workspaces'),
    email: { type: DataTypes.STRING(254), allowNull: false },
    role: { type: DataTypes.STRING(16), allowNull: false },
    token_hash: { type: DataTypes.CHAR(64), allowNull: false, unique: true },
    invited_by: ref('users', 'SET NULL', true),
    expires_at: { type: DataTypes.DATE, allowNull: false },
    accepted_at: { type: DataTypes.DATE, allowNull: true },
    accepted_by: ref('users', 'SET NULL', true),
    revoked_at: { type: DataTypes.DATE, allowNull: true },
    created_at: createdAt,
  });
  await q.addIndex('invitations', ['workspace_id', 'created_at']);
  await q.addIndex('invitations', ['expires_at']);

  await q.createTable('password_resets', {
    id,
    user_id: ref('users'),
    token_hash: { type: DataTypes.CHAR(64), allowNull: false, unique: true },
    expires_at: { type: DataTypes.DATE, allowNull: false },
    used_at: { type: DataTypes.DATE, allowNull: true },
    created_at: createdAt,
  });
  await q.addIndex('password_resets', ['expires_at']);

  await q.createTable('recovery_codes', {
    user_id: { ...ref('users'), primaryKey: true },
    code_hash: { type: DataTypes.CHAR(64), allowNull: false, primaryKey: true },
    used_at: { type: DataTypes.DATE, allowNull: true },
    created_at: createdAt,
  });
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.dropTable('recovery_codes');
  await q.dropTable('password_resets');
  await q.dropTable('invitations');
  for (const column of ['last_seen_at', 'ip', 'user_agent', 'public_id']) await q.removeColumn('sessions', column);
  for (const column of ['totp_last_step', 'totp_enabled_at', 'totp_secret', 'instance_admin', 'disabled_at'])
    await q.removeColumn('users', column);
}
