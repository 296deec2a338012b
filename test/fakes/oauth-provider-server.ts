/**
 * A local OAuth 2.0 authorization server (RFC 6749, PKCE per RFC 7636, revocation per RFC 7009) standing in for a
 * platform's. By default X's shapes (confidential client with HTTP Basic at the token endpoint); `clientAuth: 'body'`
 * takes the client id and secret as form fields instead (Meta, LinkedIn, TikTok), and `clientIdParam: 'client_key'`
 * names the id as TikTok does, at the authorize and token endpoints alike:
 *
 * - `GET /authorize?response_type=code&client_id&redirect_uri&scope&state[&code_challenge&code_challenge_method=S256]`
 *   approves at once (a user who clicks "Allow") and redirects 302 to `redirect_uri?code&state`;
 * - `POST /token` `grant_type=authorization_code` (code, redirect_uri, code_verifier checked against the challenge)
 *   or `grant_type=refresh_token` (refresh tokens rotate; a used or revoked one is `invalid_grant`);
 * - `POST /token` `grant_type=fb_exchange_token` (`fb_exchange_token`: a live access token) → a long-lived token of the
 *   same grant, as Meta's `oauth/access_token` answers (listed by `longLivedTokens()`);
 * - `POST /revoke` `token` (access or refresh; revoking either ends the grant).
 *
 * Tokens it issues are listed by `activeAccessTokens()`, which a fake platform accepts (`acceptTokens`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Grant {
  id: number;
  scope: string;
  accessTokens: Set<string>;
  refreshToken: string;
  revoked: boolean;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  scope: string;
  challenge?: string;
  used: boolean;
}

export interface FakeOAuthProvider {
  url: string;
  clientId: string;
  clientSecret: string;
  /** Seconds an access token lives (`expires_in`). */
  expiresIn: number;
  activeAccessTokens(): string[];
  /** Access tokens issued by a `fb_exchange_token` exchange (Meta's long-lived user tokens). */
  longLivedTokens(): string[];
  /** Every token ever issued, to prove none is stored in clear. */
  issuedTokens(): string[];
  /** Counters of what was asked. */
  calls: {
    authorize: number;
    /** Authorize requests that carried a PKCE challenge. */
    challenged: number;
    codeExchanges: number;
    pkceVerified: number;
    refreshes: number;
    revocations: number;
  };
  /** Revokes every grant (the user removed the app on the platform). */
  revokeAll(): void;
  close(): Promise<void>;
}

const token = (prefix: string) => `${prefix}-${randomBytes(18).toString('base64url')}`;
const s256 = (v: string) => createHash('sha256').update(v).digest('base64url');

export async function startFakeOAuthProvider(
  opts: { expiresIn?: number; clientAuth?: 'basic' | 'body'; clientIdParam?: 'client_id' | 'client_key' } = {},
): Promise<FakeOAuthProvider> {
  const clientAuth = opts.clientAuth ?? 'basic';
  const clientIdParam = opts.clientIdParam ?? 'client_id';
  const clientId = `client-${randomBytes(6).toString('hex')}`;
  const clientSecret = `secret-${randomBytes(12).toString('hex')}`;
  const codes = new Map<string, PendingCode>();
  const grants: Grant[] = [];
  const issued: string[] = [];
  const longLived = new Set<string>();
  const calls = { authorize: 0, challenged: 0, codeExchanges: 0, pkceVerified: 0, refreshes: 0, revocations: 0 };
  const provider = { expiresIn: opts.expiresIn ?? 7200 };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const oauthError = (res: ServerResponse, status: number, error: string, description: string) =>
    send(res, status, { error, error_description: description });

  function issue(grant: Grant) {
    const access = token('at');
    grant.accessTokens.add(access);
    issued.push(access, grant.refreshToken);
    return {
      token_type: 'bearer',
      access_token: access,
      refresh_token: grant.refreshToken,
      expires_in: provider.expiresIn,
      scope: grant.scope,
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));

    if (req.method === 'GET' && url.pathname === '/authorize') {
      calls.authorize += 1;
      const q = url.searchParams;
      const redirect = q.get('redirect_uri');
      if (q.get(clientIdParam) !== clientId || !redirect)
        return oauthError(res, 400, 'invalid_request', 'unknown client');
      if (q.get('response_type') !== 'code') return oauthError(res, 400, 'unsupported_response_type', 'code only');
      const challenge = q.get('code_challenge') ?? undefined;
      if (challenge && q.get('code_challenge_method') !== 'S256')
        return oauthError(res, 400, 'invalid_request', 'S256 only');
      if (challenge) calls.challenged += 1;
      const code = token('code');
      codes.set(code, { clientId, redirectUri: redirect, scope: q.get('scope') ?? '', challenge, used: false });
      const back = new URL(redirect);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state') ?? '');
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }

    // Confidential client: HTTP Basic, or the id and secret as form fields.
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [id, secret] =
      clientAuth === 'body'
        ? [form.get(clientIdParam), form.get('client_secret')]
        : basic
          ? Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent)
          : [];
    if (req.method === 'POST' && (url.pathname === '/token' || url.pathname === '/revoke')) {
      if (id !== clientId || secret !== clientSecret)
        return oauthError(res, 401, 'invalid_client', 'client authentication failed');
    }

    if (req.method === 'POST' && url.pathname === '/token') {
      if (form.get('grant_type') === 'authorization_code') {
        calls.codeExchanges += 1;
        const pending = codes.get(form.get('code') ?? '');
        if (!pending || pending.used) return oauthError(res, 400, 'invalid_grant', 'unknown or used code');
        pending.used = true;
        if (form.get('redirect_uri') !== pending.redirectUri)
          return oauthError(res, 400, 'invalid_grant', 'redirect_uri does not match');
        if (pending.challenge) {
          const verifier = form.get('code_verifier') ?? '';
          if (s256(verifier) !== pending.challenge)
            return oauthError(res, 400, 'invalid_grant', 'code_verifier does not match the challenge');
          calls.pkceVerified += 1;
        }
        const grant: Grant = {
          id: grants.length + 1,
          scope: pending.scope,
          accessTokens: new Set(),
          refreshToken: token('rt'),
          revoked: false,
        };
        grants.push(grant);
        return send(res, 200, issue(grant));
      }
      if (form.get('grant_type') === 'refresh_token') {
        calls.refreshes += 1;
        const grant = grants.find((g) => g.refreshToken === form.get('refresh_token'));
        if (!grant || grant.revoked)
          return oauthError(res, 400, 'invalid_grant', 'Value passed for the token was invalid.');
        // Rotation: the old refresh token and access tokens stop working.
        grant.refreshToken = token('rt');
        grant.accessTokens.clear();
        return send(res, 200, issue(grant));
      }
      if (form.get('grant_type') === 'fb_exchange_token') {
        const value = form.get('fb_exchange_token') ?? '';
        const grant = grants.find((g) => !g.revoked && g.accessTokens.has(value));
        if (!grant) return oauthError(res, 400, 'invalid_grant', 'fb_exchange_token is not a valid access token');
        const access = token('ll');
        grant.accessTokens.add(access);
        longLived.add(access);
        issued.push(access);
        return send(res, 200, { access_token: access, token_type: 'bearer', expires_in: 5_183_944 });
      }
      return oauthError(res, 400, 'unsupported_grant_type', String(form.get('grant_type')));
    }

    if (req.method === 'POST' && url.pathname === '/revoke') {
      calls.revocations += 1;
      const value = form.get('token') ?? '';
      const grant = grants.find((g) => g.refreshToken === value || g.accessTokens.has(value));
      if (grant) grant.revoked = true;
      return send(res, 200, { revoked: true });
    }
    return oauthError(res, 404, 'not_found', url.pathname);
  }

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => oauthError(res, 500, 'server_error', String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    clientId,
    clientSecret,
    get expiresIn() {
      return provider.expiresIn;
    },
    set expiresIn(value: number) {
      provider.expiresIn = value;
    },
    activeAccessTokens: () => grants.filter((g) => !g.revoked).flatMap((g) => [...g.accessTokens]),
    longLivedTokens: () => [...longLived],
    issuedTokens: () => [...issued],
    calls,
    revokeAll() {
      for (const g of grants) g.revoked = true;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** The settings that point the product's X app at this provider and its API at a fake X server. */
export function xAppEnv(provider: FakeOAuthProvider, x: { url: string }): Record<string, string> {
  return {
    X_CLIENT_ID: provider.clientId,
    X_CLIENT_SECRET: provider.clientSecret,
    X_OAUTH_AUTHORIZE_URL: `${provider.url}/authorize`,
    X_OAUTH_TOKEN_URL: `${provider.url}/token`,
    X_OAUTH_REVOKE_URL: `${provider.url}/revoke`,
    X_API_BASE_URL: x.url,
    X_UPLOAD_BASE_URL: x.url,
  };
}
