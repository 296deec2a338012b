/**
 * Issue 12, social posts reach the platforms: a brand's connected platform accounts and the OAuth connects in flight.
 *
 * `connected_accounts`: one per brand and platform. The access and refresh tokens are sealed by lib/secrets from the
 * first write (context `connected_accounts.<column>:<id>`), so a dump shows none; `status` says whether publishing
 * can use it (`reconnect_needed` after the platform refused a refresh or a token, `revoked` after a disconnect the
 * platform did not confirm). `oauth_states`: one per connect started, found by the SHA-256 of its `state` (the
 * value itself only travels through the browser), holding the PKCE verifier sealed; used once, expiring in minutes.
 */
import type { QueryInterface } from 'sequelize';

const CONNECTABLE_PLATFORMS = ['facebook', 'instagram', 'linkedin', 'x', 'tiktok'];

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  const platforms = CONNECTABLE_PLATFORMS.map((p) => `'${p}'`).join(', ');
  await q.sequelize.query(`
    CREATE TABLE connected_accounts (
      id UUID PRIMARY KEY,
      workspace_id UUID NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
      brand_id UUID NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
      platform VARCHAR(16) NOT NULL CHECK (platform IN (${platforms})),
      external_id VARCHAR(300) NOT NULL,
      external_name VARCHAR(300),
      access_token TEXT NOT NULL,
      refresh_token TEXT,
      expires_at TIMESTAMPTZ,
      scopes TEXT[] NOT NULL DEFAULT '{}',
      status VARCHAR(20) NOT NULL DEFAULT 'connected'
        CHECK (status IN ('connected', 'reconnect_needed', 'revoked')),
      last_error TEXT,
      connected_by UUID REFERENCES users (id) ON DELETE SET NULL,
      connected_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      refreshed_at TIMESTAMPTZ,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      UNIQUE (brand_id, platform)
    )`);
  await q.sequelize.query(`CREATE INDEX connected_accounts_workspace ON connected_accounts (workspace_id, brand_id)`);
  await q.sequelize.query(`
    CREATE TABLE oauth_states (
      id UUID PRIMARY KEY,
      state_hash CHAR(64) NOT NULL UNIQUE,
      workspace_id UUID NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
      brand_id UUID NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
      platform VARCHAR(16) NOT NULL CHECK (platform IN (${platforms})),
      code_verifier TEXT,
      user_id UUID REFERENCES users (id) ON DELETE SET NULL,
      expires_at TIMESTAMPTZ NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
  await q.sequelize.query(`CREATE INDEX oauth_states_expires ON oauth_states (expires_at)`);
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.dropTable('oauth_states');
  await q.dropTable('connected_accounts');
}
