/**
 * Connected accounts (issue 12): a brand connects its own platform accounts through each platform's OAuth app.
 *
 * - `startConnect`: a state (32 random bytes; only its SHA-256 is stored) and, where the platform supports it, a PKCE
 *   verifier (sealed), valid 10 minutes; answers the platform's authorize URL.
 * - `callback`: takes the state once, exchanges the code (with the verifier), reads which account the token is for,
 *   stores the tokens sealed, and tells the route where to send the browser back (the brand's accounts tab).
 * - `list` never returns a token; `disconnect` revokes at the platform where it has a revocation endpoint.
 */
import type {
  ConnectedAccountRepository,
  ConnectedAccountView,
} from '../../db/repositories/connected-account.repository';
import { ConflictError, NotFoundError } from '../../lib/errors';
import { logger } from '../../lib/logger';
import {
  authorizeUrl,
  exchangeCode,
  identifyAccount,
  OAuthError,
  randomToken,
  revokeToken,
  sha256Hex,
} from '../../lib/oauth/oauth-client';
import { CONNECTABLE_PLATFORMS, type ConnectablePlatform, type OAuthConfig } from '../../lib/oauth/oauth-config';
import type { Principal } from './account.service';

const STATE_TTL_MS = 10 * 60_000;
const log = logger('connected-accounts');

export interface ConnectedAccountServiceDeps {
  accounts: ConnectedAccountRepository;
  oauth: OAuthConfig;
  brandExists(workspaceId: string, brandId: string): Promise<boolean>;
  /** PUBLIC_URL: the callback is `<publicUrl>/api/v1/oauth/callback`; the browser returns to the UI there. */
  publicUrl: string;
  timeoutMs: number;
}

export interface PlatformAccountsView {
  platform: ConnectablePlatform;
  /** Whether the deployment has this platform's OAuth app (a connect needs it). */
  available: boolean;
  account: ConnectedAccountView | null;
}

export function createConnectedAccountService(deps: ConnectedAccountServiceDeps) {
  const redirectUri = `${deps.publicUrl}/api/v1/oauth/callback`;
  const http = { timeoutMs: deps.timeoutMs };
  const backTo = (brandId: string, outcome: Record<string, string>) =>
    `${deps.publicUrl}/#/brands/${encodeURIComponent(brandId)}?${new URLSearchParams({ tab: 'accounts', ...outcome })}`;

  async function brand(workspaceId: string, brandId: string) {
    if (!(await deps.brandExists(workspaceId, brandId))) throw new NotFoundError(`Brand ${brandId} not found`);
  }

  return {
    redirectUri,

    async list(principal: Principal, brandId: string): Promise<{ items: PlatformAccountsView[] }> {
      await brand(principal.workspaceId, brandId);
      const accounts = await deps.accounts.list(principal.workspaceId, brandId);
      return {
        items: CONNECTABLE_PLATFORMS.map((platform) => ({
          platform,
          available: deps.oauth[platform] !== undefined,
          account: accounts.find((a) => a.platform === platform) ?? null,
        })),
      };
    },

    async startConnect(principal: Principal, brandId: string, platform: ConnectablePlatform) {
      await brand(principal.workspaceId, brandId);
      const app = deps.oauth[platform];
      if (!app)
        throw new ConflictError(
          `${platform} has no OAuth app in this deployment: set its client id and secret (docs/publishing.md)`,
        );
      const state = randomToken();
      const codeVerifier = app.pkce ? randomToken() : null;
      const expiresAt = new Date(Date.now() + STATE_TTL_MS);
      await deps.accounts.createState({
        stateHash: sha256Hex(state),
        workspaceId: principal.workspaceId,
        brandId,
        platform,
        codeVerifier,
        userId: principal.kind === 'user' ? principal.id : null,
        expiresAt,
      });
      return {
        platform,
        authorizeUrl: authorizeUrl(app, { state, redirectUri, codeVerifier: codeVerifier ?? undefined }),
        pkce: app.pkce,
        expiresAt: expiresAt.toISOString(),
      };
    },

    /**
     * The platform sent the browser back. The state alone authorises it (unguessable, single use, 10 minutes): the
     * browser may arrive without the session that started the connect. Answers where to send the browser.
     */
    async callback(query: { state?: string; code?: string; error?: string; error_description?: string }) {
      const pending = query.state ? await deps.accounts.takeState(sha256Hex(query.state)) : null;
      if (!pending)
        return { status: 400 as const, message: 'This connect link is unknown, used or expired; start again' };
      const { brandId, platform } = pending;
      const app = deps.oauth[platform];
      if (query.error || !query.code || !app)
        return {
          status: 303 as const,
          location: backTo(brandId, {
            platform,
            error: query.error_description ?? query.error ?? (app ? 'no code returned' : 'the OAuth app is gone'),
          }),
        };
      try {
        const tokens = await exchangeCode(
          app,
          { code: query.code, redirectUri, codeVerifier: pending.codeVerifier },
          http,
        );
        const external = await identifyAccount(app, tokens.accessToken, http);
        await deps.accounts.connect({
          workspaceId: pending.workspaceId,
          brandId,
          platform,
          externalId: external.id,
          externalName: external.name,
          // A page token (Meta) is what publishing uses; it does not expire and has no refresh token.
          tokens: external.accessToken
            ? { accessToken: external.accessToken, refreshToken: null, expiresAt: null, scopes: tokens.scopes }
            : tokens,
          connectedBy: pending.userId,
        });
        return { status: 303 as const, location: backTo(brandId, { platform, connected: '1' }) };
      } catch (err) {
        if (!(err instanceof OAuthError)) throw err;
        log.warn('OAuth connect failed', { platform, brandId, error: err.message });
        return { status: 303 as const, location: backTo(brandId, { platform, error: err.message.slice(0, 300) }) };
      }
    },

    /** Removes the account; revokes its tokens at the platform where it can (a failed revocation is reported). */
    async disconnect(principal: Principal, brandId: string, platform: ConnectablePlatform) {
      await brand(principal.workspaceId, brandId);
      const removed = await deps.accounts.remove(principal.workspaceId, brandId, platform);
      if (!removed) throw new NotFoundError(`The brand has no ${platform} account connected`);
      const app = deps.oauth[platform];
      let revoked = false;
      if (app?.revokeUrl) {
        try {
          // The refresh token first: revoking it ends the grant; the access token may outlive it otherwise.
          if (removed.refreshToken)
            await revokeToken(app, { value: removed.refreshToken, hint: 'refresh_token' }, http);
          revoked = await revokeToken(app, { value: removed.accessToken, hint: 'access_token' }, http);
        } catch (err) {
          if (!(err instanceof OAuthError)) throw err;
          // Kept as revoked, so the brand sees the platform did not confirm and can retry or remove it there.
          await deps.accounts.markRevoked(removed, err.message);
          log.warn('Revocation failed', { platform, brandId, error: err.message });
          return { platform, revoked: false, error: err.message };
        }
      }
      return { platform, revoked };
    },
  };
}

export type ConnectedAccountService = ReturnType<typeof createConnectedAccountService>;
