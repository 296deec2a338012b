/**
 * A brand's connected platform accounts and the OAuth connects in flight (migration 0016). Tokens are sealed by
 * lib/secrets on every write and opened only by `forPublishing` and `refreshUnderLock`; every other read returns a
 * view without them. A refresh runs under the row's lock (`SELECT … FOR UPDATE`), so concurrent publishes of one
 * account refresh it once: the second finds the token the first stored.
 */
import { randomUUID } from 'node:crypto';
import { QueryTypes, type Transaction } from 'sequelize';
import { sealedContext, type SecretBox } from '../../lib/secrets';
import type { ConnectablePlatform } from '../../lib/oauth/oauth-config';
import type { Database } from '../index';

export type AccountStatus = 'connected' | 'reconnect_needed' | 'revoked';

/** What the API and the UI see: never a token. */
export interface ConnectedAccountView {
  id: string;
  brandId: string;
  platform: ConnectablePlatform;
  externalId: string;
  externalName: string | null;
  status: AccountStatus;
  scopes: string[];
  expiresAt: string | null;
  lastError: string | null;
  connectedAt: string;
  refreshedAt: string | null;
}

/** The account with its tokens in clear, for the publish path only. */
export interface AccountCredentials {
  id: string;
  workspaceId: string;
  brandId: string;
  platform: ConnectablePlatform;
  externalId: string;
  status: AccountStatus;
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  scopes: string[];
}

export interface NewTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  scopes: string[];
}

/** Whether a brand's account can publish now, for the calendar and the social post: no token in it. */
export interface AccountReadiness {
  platform: string;
  status: AccountStatus | 'not_connected';
  /** Connected, and its token is valid now or can be refreshed. */
  ready: boolean;
  expiresAt: string | null;
  lastError: string | null;
}

interface Row {
  id: string;
  workspace_id: string;
  brand_id: string;
  platform: ConnectablePlatform;
  external_id: string;
  external_name: string | null;
  access_token: string;
  refresh_token: string | null;
  expires_at: Date | null;
  scopes: string[];
  status: AccountStatus;
  last_error: string | null;
  connected_at: Date;
  refreshed_at: Date | null;
}

interface StateRow {
  id: string;
  workspace_id: string;
  brand_id: string;
  platform: ConnectablePlatform;
  code_verifier: string | null;
  user_id: string | null;
  expires_at: Date;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const MAX_ERROR = 1000;

const view = (r: Row): ConnectedAccountView => ({
  id: r.id,
  brandId: r.brand_id,
  platform: r.platform,
  externalId: r.external_id,
  externalName: r.external_name,
  status: r.status,
  scopes: r.scopes ?? [],
  expiresAt: iso(r.expires_at),
  lastError: r.last_error,
  connectedAt: iso(r.connected_at)!,
  refreshedAt: iso(r.refreshed_at),
});

/** A token that expires no sooner than this from now counts as valid; a refresh starts before then. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

export function readinessOf(platform: string, r: Row | null, now = Date.now()): AccountReadiness {
  if (!r) return { platform, status: 'not_connected', ready: false, expiresAt: null, lastError: null };
  const fresh = !r.expires_at || new Date(r.expires_at).getTime() > now + REFRESH_MARGIN_MS;
  return {
    platform,
    status: r.status,
    ready: r.status === 'connected' && (fresh || r.refresh_token !== null),
    expiresAt: iso(r.expires_at),
    lastError: r.last_error,
  };
}

export function createConnectedAccountRepository(db: Database, deps: { secrets: SecretBox }) {
  const { sequelize } = db;
  const ctx = (column: string, id: string) => sealedContext('connected_accounts', column, id);
  const seal = (column: string, id: string, value: string | null) =>
    value === null ? null : deps.secrets.seal(value, ctx(column, id));
  const open = (column: string, id: string, value: string | null) =>
    value === null ? null : deps.secrets.open(value, ctx(column, id));

  const credentials = (r: Row): AccountCredentials => ({
    id: r.id,
    workspaceId: r.workspace_id,
    brandId: r.brand_id,
    platform: r.platform,
    externalId: r.external_id,
    status: r.status,
    accessToken: open('access_token', r.id, r.access_token)!,
    refreshToken: open('refresh_token', r.id, r.refresh_token),
    expiresAt: r.expires_at ? new Date(r.expires_at) : null,
    scopes: r.scopes ?? [],
  });

  async function select(
    where: string,
    replacements: Record<string, unknown>,
    transaction?: Transaction,
    lock = '',
  ): Promise<Row | null> {
    const [row] = await sequelize.query<Row>(`SELECT * FROM connected_accounts WHERE ${where} ${lock}`, {
      replacements,
      type: QueryTypes.SELECT,
      transaction,
    });
    return row ?? null;
  }

  async function storeTokens(id: string, tokens: NewTokens, transaction?: Transaction): Promise<void> {
    await sequelize.query(
      `UPDATE connected_accounts
          SET access_token = :access, refresh_token = :refresh, expires_at = :expiresAt,
              scopes = string_to_array(:scopes, ' '), status = 'connected', last_error = NULL, refreshed_at = now(),
              updated_at = now()
        WHERE id = :id`,
      {
        replacements: {
          id,
          access: seal('access_token', id, tokens.accessToken),
          refresh: seal('refresh_token', id, tokens.refreshToken),
          expiresAt: tokens.expiresAt,
          scopes: tokens.scopes.join(' '),
        },
        transaction,
      },
    );
  }

  return {
    async list(workspaceId: string, brandId: string): Promise<ConnectedAccountView[]> {
      const rows = await sequelize.query<Row>(
        `SELECT * FROM connected_accounts WHERE workspace_id = :workspaceId AND brand_id = :brandId ORDER BY platform`,
        { replacements: { workspaceId, brandId }, type: QueryTypes.SELECT },
      );
      return rows.map(view);
    },

    async get(
      workspaceId: string,
      brandId: string,
      platform: ConnectablePlatform,
    ): Promise<ConnectedAccountView | null> {
      const row = await select('workspace_id = :workspaceId AND brand_id = :brandId AND platform = :platform', {
        workspaceId,
        brandId,
        platform,
      });
      return row ? view(row) : null;
    },

    /**
     * Whether the brand's account for `platform` can publish now: connected, with a token that is valid or can be
     * refreshed. The check the calendar makes before it schedules an entry for a platform.
     */
    async readiness(workspaceId: string, brandId: string, platform: ConnectablePlatform): Promise<AccountReadiness> {
      const row = await select('workspace_id = :workspaceId AND brand_id = :brandId AND platform = :platform', {
        workspaceId,
        brandId,
        platform,
      });
      return readinessOf(platform, row);
    },

    /** `readiness` by brand id alone (brand ids are unique across workspaces), for callers that hold only that. */
    async readinessOfBrand(brandId: string, platform: ConnectablePlatform): Promise<AccountReadiness> {
      return readinessOf(platform, await select('brand_id = :brandId AND platform = :platform', { brandId, platform }));
    },

    /** Connects (or reconnects) the brand's account for the platform with fresh tokens. */
    async connect(input: {
      workspaceId: string;
      brandId: string;
      platform: ConnectablePlatform;
      externalId: string;
      externalName: string | null;
      tokens: NewTokens;
      connectedBy: string | null;
    }): Promise<ConnectedAccountView> {
      return sequelize.transaction(async (transaction) => {
        // The row's id is the sealing context: it is fixed first, then the sealed tokens are written to it.
        await sequelize.query(
          `INSERT INTO connected_accounts (id, workspace_id, brand_id, platform, external_id, access_token)
           VALUES (:id, :workspaceId, :brandId, :platform, :externalId, '')
           ON CONFLICT (brand_id, platform) DO NOTHING`,
          { replacements: { ...input, id: randomUUID() }, transaction },
        );
        const row = await select('brand_id = :brandId AND platform = :platform', input, transaction, 'FOR UPDATE');
        if (!row || row.workspace_id !== input.workspaceId) throw new Error('The brand belongs to another workspace');
        await sequelize.query(
          `UPDATE connected_accounts SET external_id = :externalId, external_name = :externalName,
                  connected_by = :connectedBy, connected_at = now() WHERE id = :id`,
          { replacements: { ...input, id: row.id }, transaction },
        );
        await storeTokens(row.id, input.tokens, transaction);
        return view((await select('id = :id', { id: row.id }, transaction))!);
      });
    },

    /** The account with its tokens, for publishing; null when the brand has none for the platform. */
    async forPublishing(
      workspaceId: string,
      brandId: string,
      platform: ConnectablePlatform,
    ): Promise<AccountCredentials | null> {
      const row = await select('workspace_id = :workspaceId AND brand_id = :brandId AND platform = :platform', {
        workspaceId,
        brandId,
        platform,
      });
      return row ? credentials(row) : null;
    },

    /**
     * Refreshes the account's tokens under its row lock. `decide` sees the row as it is once locked: it answers
     * `{ tokens }` after refreshing, `{ keep: true }` when another process already did, or `{ reconnect: reason }`
     * when the platform refused the grant (the account becomes `reconnect_needed`, and stays so until reconnected).
     */
    async refreshUnderLock(
      id: string,
      decide: (current: AccountCredentials) => Promise<{ tokens: NewTokens } | { keep: true } | { reconnect: string }>,
    ): Promise<AccountCredentials> {
      return sequelize.transaction(async (transaction) => {
        const row = await select('id = :id', { id }, transaction, 'FOR UPDATE');
        if (!row) throw new Error(`Connected account ${id} no longer exists`);
        const current = credentials(row);
        if (row.status !== 'connected') return current;
        const outcome = await decide(current);
        if ('keep' in outcome) return current;
        if ('reconnect' in outcome) {
          await sequelize.query(
            `UPDATE connected_accounts SET status = 'reconnect_needed', last_error = :error, updated_at = now()
              WHERE id = :id`,
            { replacements: { id, error: outcome.reconnect.slice(0, MAX_ERROR) }, transaction },
          );
          return { ...current, status: 'reconnect_needed' };
        }
        await storeTokens(id, outcome.tokens, transaction);
        return credentials((await select('id = :id', { id }, transaction))!);
      });
    },

    /** The platform refused the account's token: publishing stops until the brand reconnects. */
    async markReconnectNeeded(id: string, error: string): Promise<void> {
      await sequelize.query(
        `UPDATE connected_accounts SET status = 'reconnect_needed', last_error = :error, updated_at = now()
          WHERE id = :id AND status = 'connected'`,
        { replacements: { id, error: error.slice(0, MAX_ERROR) } },
      );
    },

    /** Removes the account; its tokens in clear are returned once, for revoking them at the platform. */
    async remove(
      workspaceId: string,
      brandId: string,
      platform: ConnectablePlatform,
    ): Promise<AccountCredentials | null> {
      const rows = await sequelize.query<Row>(
        `DELETE FROM connected_accounts
          WHERE workspace_id = :workspaceId AND brand_id = :brandId AND platform = :platform RETURNING *`,
        { replacements: { workspaceId, brandId, platform }, type: QueryTypes.SELECT },
      );
      return rows[0] ? credentials(rows[0]) : null;
    },

    /** The revocation failed at the platform: the row stays, marked revoked, so the UI can say so and retry. */
    async markRevoked(input: AccountCredentials, error: string): Promise<void> {
      await sequelize.query(
        `INSERT INTO connected_accounts (id, workspace_id, brand_id, platform, external_id, access_token,
                refresh_token, expires_at, status, last_error)
         VALUES (:id, :workspaceId, :brandId, :platform, :externalId, :access, :refresh, :expiresAt, 'revoked', :error)
         ON CONFLICT (brand_id, platform) DO NOTHING`,
        {
          replacements: {
            ...input,
            access: seal('access_token', input.id, input.accessToken),
            refresh: seal('refresh_token', input.id, input.refreshToken),
            error: error.slice(0, MAX_ERROR),
          },
        },
      );
    },

    /** A connect in flight: found later by the SHA-256 of its state. */
    async createState(input: {
      stateHash: string;
      workspaceId: string;
      brandId: string;
      platform: ConnectablePlatform;
      codeVerifier: string | null;
      userId: string | null;
      expiresAt: Date;
    }): Promise<void> {
      const id = randomUUID();
      await sequelize.query(`DELETE FROM oauth_states WHERE expires_at < now()`);
      await sequelize.query(
        `INSERT INTO oauth_states (id, state_hash, workspace_id, brand_id, platform, code_verifier, user_id, expires_at)
         VALUES (:id, :stateHash, :workspaceId, :brandId, :platform, :verifier, :userId, :expiresAt)`,
        {
          replacements: {
            ...input,
            id,
            verifier:
              input.codeVerifier === null
                ? null
                : deps.secrets.seal(input.codeVerifier, sealedContext('oauth_states', 'code_verifier', id)),
          },
        },
      );
    },

    /** Takes the connect of this state, once: a second callback with it finds nothing. Expired ones are null. */
    async takeState(stateHash: string): Promise<{
      workspaceId: string;
      brandId: string;
      platform: ConnectablePlatform;
      codeVerifier: string | null;
      userId: string | null;
    } | null> {
      const rows = await sequelize.query<StateRow>(
        `DELETE FROM oauth_states WHERE state_hash = :stateHash RETURNING *`,
        {
          replacements: { stateHash },
          type: QueryTypes.SELECT,
        },
      );
      const row = rows[0];
      if (!row || new Date(row.expires_at).getTime() < Date.now()) return null;
      return {
        workspaceId: row.workspace_id,
        brandId: row.brand_id,
        platform: row.platform,
        userId: row.user_id,
        codeVerifier:
          row.code_verifier === null
            ? null
            : deps.secrets.open(row.code_verifier, sealedContext('oauth_states', 'code_verifier', row.id)),
      };
    },
  };
}

export type ConnectedAccountRepository = ReturnType<typeof createConnectedAccountRepository>;
