/**
 * Platform clients for a brand's connected account (issue 12). The publish activities ask here first and fall back
 * to the deployment's clients (providers.ts, from env keys) when the brand has connected no account for the platform.
 *
 * The account's token source refreshes before expiry (within REFRESH_MARGIN_MS) and after a 401, under the account
 * row's lock, so concurrent publishes of one account refresh once. A refused refresh (`invalid_grant`: revoked or
 * expired grant) marks the account `reconnect_needed` and fails with `ProviderAuth`, which no preset retries; a
 * later publish finds the account flagged and fails at once, without asking the platform again.
 */
import {
  REFRESH_MARGIN_MS,
  type AccountCredentials,
  type AccountReadiness,
  type ConnectedAccountRepository,
} from '../../db/repositories/connected-account.repository';
import { failure } from '../../lib/failures';
import { OAuthError, refreshTokens } from '../../lib/oauth/oauth-client';
import { isConnectablePlatform, type ConnectablePlatform, type OAuthConfig } from '../../lib/oauth/oauth-config';
import type { PublishConfig } from '../../lib/publish-config';
import type { TokenSource } from './http';
import { createLinkedInClient } from './linkedin';
import { createFacebookClient, createInstagramClient } from './meta';
import type { ExternalPlatform, PlatformClient } from './platform-client.port';
import { PLATFORM_SETUP } from './setup';
import { createTikTokClient } from './tiktok';
import { createXClient } from './x';

export interface AccountClient {
  client: PlatformClient;
  accountId: string;
}

export interface AccountClients {
  /** The client of the brand's connected account; undefined when it has none for the platform. */
  forBrand(workspaceId: string, brandId: string, platform: ExternalPlatform): Promise<AccountClient | undefined>;
  /** The platform refused the account's token for good: publishing stops until the brand reconnects. */
  refused(accountId: string, reason: string): Promise<void>;
  /** Whether the brand's account for the platform can publish now (not_connected for a video-only platform). */
  readiness(workspaceId: string, brandId: string, platform: ExternalPlatform): Promise<AccountReadiness>;
}

export interface AccountClientDeps {
  accounts: ConnectedAccountRepository;
  oauth: OAuthConfig;
  publish: PublishConfig;
}

const fresh = (a: AccountCredentials) => !a.expiresAt || a.expiresAt.getTime() > Date.now() + REFRESH_MARGIN_MS;

function reconnectFailure(platform: ConnectablePlatform, reason: string | null) {
  return failure(
    'ProviderAuth',
    `The brand's ${PLATFORM_SETUP[platform].name} account needs to be reconnected${reason ? `: ${reason}` : ''}`,
  );
}

/** The account's access token, refreshed under the row lock when it is about to expire or was refused. */
export function accountToken(deps: AccountClientDeps, initial: AccountCredentials, timeoutMs: number): TokenSource {
  let current = initial;
  let refused: string | undefined;

  async function refresh(signal?: AbortSignal): Promise<void> {
    const usedToken = current.accessToken;
    const forced = refused !== undefined;
    const app = deps.oauth[current.platform];
    current = await deps.accounts.refreshUnderLock(current.id, async (locked) => {
      // Another publish refreshed it while this one waited for the lock.
      if (locked.accessToken !== usedToken && fresh(locked)) return { keep: true };
      if (!forced && fresh(locked)) return { keep: true };
      if (!locked.refreshToken)
        return { reconnect: refused ?? 'the token expired and the platform gave no refresh token' };
      if (!app)
        throw failure(
          'ProviderMisconfigured',
          `${PLATFORM_SETUP[current.platform].name}'s OAuth app is not configured, so the token cannot be refreshed`,
        );
      try {
        return {
          tokens: await refreshTokens(
            app,
            { refreshToken: locked.refreshToken, scopes: locked.scopes },
            { timeoutMs, signal },
          ),
        };
      } catch (err) {
        if (err instanceof OAuthError && err.needsReconnect) return { reconnect: err.message };
        if (err instanceof OAuthError) throw failure('ProviderUnavailable', err.message);
        throw err;
      }
    });
    refused = undefined;
  }

  return {
    async token(signal) {
      if (current.status === 'connected' && (!fresh(current) || refused !== undefined)) await refresh(signal);
      if (current.status !== 'connected') {
        const latest = await deps.accounts.get(current.workspaceId, current.brandId, current.platform);
        throw reconnectFailure(current.platform, latest?.lastError ?? null);
      }
      return current.accessToken;
    },
    invalidate() {
      // A refused token is refreshed once (when there is a refresh token); the request is then sent again.
      if (!current.refreshToken || refused !== undefined) return false;
      refused = 'the platform refused the access token and the refresh token';
      return true;
    },
  };
}

export function createAccountClients(deps: AccountClientDeps): AccountClients {
  const cfg = deps.publish;
  const { timeoutMs, uploadTimeoutMs, pollIntervalMs, processingTimeoutMs } = cfg;
  const timings = { timeoutMs, uploadTimeoutMs, pollIntervalMs, processingTimeoutMs };
  const endpoints = cfg.endpoints;

  function clientFor(account: AccountCredentials, auth: TokenSource): PlatformClient {
    if (!endpoints) throw failure('ProviderMisconfigured', 'The publishing endpoints are not configured');
    switch (account.platform) {
      case 'facebook':
        return createFacebookClient({ ...endpoints.meta, ...timings, auth, pageId: account.externalId });
      case 'instagram':
        return createInstagramClient({ ...endpoints.meta, ...timings, auth, igUserId: account.externalId });
      case 'linkedin':
        return createLinkedInClient({ ...endpoints.linkedin, ...timings, auth, authorUrn: account.externalId });
      case 'x':
        return createXClient({ ...endpoints.x, ...timings, auth });
      case 'tiktok':
        return createTikTokClient({ ...endpoints.tiktok, ...timings, auth });
    }
  }

  return {
    async forBrand(workspaceId, brandId, platform) {
      if (!isConnectablePlatform(platform)) return undefined;
      const account = await deps.accounts.forPublishing(workspaceId, brandId, platform);
      if (!account) return undefined;
      if (account.status !== 'connected') {
        const view = await deps.accounts.get(workspaceId, brandId, platform);
        throw reconnectFailure(platform, view?.lastError ?? null);
      }
      return { client: clientFor(account, accountToken(deps, account, timeoutMs)), accountId: account.id };
    },
    refused: (accountId, reason) => deps.accounts.markReconnectNeeded(accountId, reason),
    async readiness(workspaceId, brandId, platform) {
      if (!isConnectablePlatform(platform))
        return { platform, status: 'not_connected', ready: false, expiresAt: null, lastError: null };
      return deps.accounts.readiness(workspaceId, brandId, platform);
    },
  };
}
