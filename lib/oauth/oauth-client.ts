/**
 * The OAuth 2.0 authorization-code flow against one platform's app (RFC 6749 §4.1, PKCE S256 per RFC 7636, refresh
 * per §6, revocation per RFC 7009), and reading which account a token belongs to. Used by the API (connect,
 * callback, disconnect) and by the publish activities (refresh before expiry). Errors are `OAuthError`, carrying the
 * provider's `error` code (`invalid_grant`: the grant was revoked or expired; the account needs a reconnect).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ConnectablePlatform, OAuthApp } from './oauth-config';

export class OAuthError extends Error {
  override name = 'OAuthError';
  constructor(
    message: string,
    /** The provider's `error` (invalid_grant, invalid_client…), or `network` / `unexpected`. */
    readonly code: string,
    readonly status?: number,
  ) {
    super(message);
  }

  /** The grant or the app's credentials are refused: trying again cannot help; the brand must reconnect. */
  get needsReconnect(): boolean {
    return ['invalid_grant', 'invalid_client', 'unauthorized_client', 'access_denied'].includes(this.code);
  }
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  /** null when the platform says the token does not expire (Meta page tokens). */
  expiresAt: Date | null;
  scopes: string[];
}

export interface ExternalAccount {
  /** The id publishing addresses: an X user id, a Facebook page id, an Instagram user id, `urn:li:person:…`. */
  id: string;
  name: string | null;
  /** The token to publish with, when it is not the user token (a Facebook page token). */
  accessToken?: string;
}

/** 32 random bytes, base64url: a state or a PKCE verifier (43 characters, RFC 7636 §4.1). */
export const randomToken = () => randomBytes(32).toString('base64url');
export const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

export function authorizeUrl(
  app: OAuthApp,
  opts: { state: string; redirectUri: string; codeVerifier?: string },
): string {
  const url = new URL(app.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set(app.clientIdParam, app.clientId);
  url.searchParams.set('redirect_uri', opts.redirectUri);
  url.searchParams.set('scope', app.scopes.join(app.scopeSeparator));
  url.searchParams.set('state', opts.state);
  if (app.pkce && opts.codeVerifier) {
    url.searchParams.set('code_challenge', s256(opts.codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return url.toString();
}

interface Http {
  timeoutMs: number;
  signal?: AbortSignal;
}

async function call(app: OAuthApp, url: string, init: RequestInit, http: Http): Promise<unknown> {
  const timeout = AbortSignal.timeout(http.timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, {
      ...init,
      redirect: 'manual',
      signal: http.signal ? AbortSignal.any([http.signal, timeout]) : timeout,
    });
  } catch (err) {
    if (http.signal?.aborted) throw err;
    throw new OAuthError(`${app.name}: ${url} could not be reached (${(err as Error).message})`, 'network');
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const e = (body ?? {}) as { error?: unknown; error_description?: string; message?: string };
    // Meta nests its errors; TikTok answers { error, error_description }; X and LinkedIn follow RFC 6749 §5.2.
    const code = typeof e.error === 'string' ? e.error : res.status >= 500 ? 'server_error' : 'invalid_request';
    const detail =
      e.error_description ?? e.message ?? (e.error as { message?: string } | undefined)?.message ?? text.slice(0, 200);
    throw new OAuthError(`${app.name}: HTTP ${res.status} ${code}${detail ? `: ${detail}` : ''}`, code, res.status);
  }
  if (body === undefined) throw new OAuthError(`${app.name}: the reply is not JSON`, 'unexpected', res.status);
  return body;
}

/** A form POST to the token or revoke endpoint, with the app's client authentication. */
function tokenRequest(app: OAuthApp, url: string, fields: Record<string, string>, http: Http) {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  const body = new URLSearchParams(fields);
  if (app.clientAuth === 'basic') {
    const id = encodeURIComponent(app.clientId);
    const secret = encodeURIComponent(app.clientSecret);
    headers.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  } else {
    body.set(app.clientIdParam, app.clientId);
    body.set('client_secret', app.clientSecret);
  }
  return call(app, url, { method: 'POST', headers, body: body.toString() }, http);
}

function tokenSet(
  app: OAuthApp,
  body: unknown,
  previous?: { refreshToken: string | null; scopes: string[] },
): TokenSet {
  const b = body as { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown; scope?: unknown };
  if (typeof b.access_token !== 'string' || !b.access_token)
    throw new OAuthError(`${app.name}: the token reply has no access_token`, 'unexpected');
  const expiresIn = Number(b.expires_in);
  const scopes =
    typeof b.scope === 'string' ? b.scope.split(/[\s,]+/).filter(Boolean) : (previous?.scopes ?? app.scopes);
  return {
    accessToken: b.access_token,
    // A refresh that returns no new refresh token keeps the old one (RFC 6749 §6: rotation is optional).
    refreshToken:
      typeof b.refresh_token === 'string' && b.refresh_token ? b.refresh_token : (previous?.refreshToken ?? null),
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(Date.now() + expiresIn * 1000) : null,
    scopes,
  };
}

export async function exchangeCode(
  app: OAuthApp,
  opts: { code: string; redirectUri: string; codeVerifier?: string | null },
  http: Http,
): Promise<TokenSet> {
  const fields: Record<string, string> = {
    grant_type: 'authorization_code',
    code: opts.code,
    redirect_uri: opts.redirectUri,
  };
  if (opts.codeVerifier) fields.code_verifier = opts.codeVerifier;
  // X wants the client id in the body even with Basic authentication.
  if (app.clientAuth === 'basic') fields.client_id = app.clientId;
  return tokenSet(app, await tokenRequest(app, app.tokenUrl, fields, http));
}

export async function refreshTokens(
  app: OAuthApp,
  current: { refreshToken: string; scopes: string[] },
  http: Http,
): Promise<TokenSet> {
  const fields: Record<string, string> = { grant_type: 'refresh_token', refresh_token: current.refreshToken };
  if (app.clientAuth === 'basic') fields.client_id = app.clientId;
  return tokenSet(app, await tokenRequest(app, app.tokenUrl, fields, http), current);
}

/** Revokes a token at the platform; false when the platform has no revocation endpoint. */
export async function revokeToken(
  app: OAuthApp,
  token: { value: string; hint: 'access_token' | 'refresh_token' },
  http: Http,
): Promise<boolean> {
  if (!app.revokeUrl) return false;
  const fields: Record<string, string> = { token: token.value, token_type_hint: token.hint };
  if (app.clientAuth === 'basic') fields.client_id = app.clientId;
  await tokenRequest(app, app.revokeUrl, fields, http);
  return true;
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });

type Identify = (app: OAuthApp, token: string, http: Http) => Promise<ExternalAccount>;

/**
 * The user token the code buys is short-lived (hours), and so is a page token read with it. Exchanged for a long-lived
 * user token first (`grant_type=fb_exchange_token` at the token endpoint), `/me/accounts` hands out page tokens that do
 * not expire, which is what the account stores. Sent as a form POST so the secret stays out of URLs and logs.
 */
async function metaLongLivedUserToken(app: OAuthApp, token: string, http: Http): Promise<string> {
  const body = await tokenRequest(
    app,
    app.tokenUrl,
    { grant_type: 'fb_exchange_token', fb_exchange_token: token },
    http,
  );
  return tokenSet(app, body).accessToken;
}

/** The page the user manages first, with its token (`GET /me/accounts`): Facebook posts as a page, not as the user. */
async function metaPages(app: OAuthApp, shortLived: string, http: Http) {
  const token = await metaLongLivedUserToken(app, shortLived, http);
  const fields = encodeURIComponent('id,name,access_token,instagram_business_account{id,username}');
  const body = (await call(app, `${app.apiBaseUrl}/me/accounts?fields=${fields}`, bearer(token), http)) as {
    data?: {
      id: string;
      name?: string;
      access_token?: string;
      instagram_business_account?: { id: string; username?: string };
    }[];
  };
  return body.data ?? [];
}

const IDENTIFY: Record<ConnectablePlatform, Identify> = {
  async x(app, token, http) {
    const body = (await call(app, `${app.apiBaseUrl}/2/users/me`, bearer(token), http)) as {
      data?: { id?: string; username?: string; name?: string };
    };
    if (!body.data?.id) throw new OAuthError('X: /2/users/me returned no id', 'unexpected');
    return { id: body.data.id, name: body.data.username ? `@${body.data.username}` : (body.data.name ?? null) };
  },
  async linkedin(app, token, http) {
    const body = (await call(app, `${app.apiBaseUrl}/v2/userinfo`, bearer(token), http)) as {
      sub?: string;
      name?: string;
    };
    if (!body.sub) throw new OAuthError('LinkedIn: /v2/userinfo returned no sub', 'unexpected');
    return { id: `urn:li:person:${body.sub}`, name: body.name ?? null };
  },
  async facebook(app, token, http) {
    const page = (await metaPages(app, token, http))[0];
    if (!page?.access_token)
      throw new OAuthError('Facebook: the account manages no page this app may post to', 'access_denied');
    return { id: page.id, name: page.name ?? null, accessToken: page.access_token };
  },
  async instagram(app, token, http) {
    const page = (await metaPages(app, token, http)).find((p) => p.instagram_business_account?.id);
    if (!page?.instagram_business_account)
      throw new OAuthError('Instagram: no page of the account has an Instagram business account', 'access_denied');
    const ig = page.instagram_business_account;
    return { id: ig.id, name: ig.username ? `@${ig.username}` : (page.name ?? null), accessToken: page.access_token };
  },
  async tiktok(app, token, http) {
    const body = (await call(
      app,
      `${app.apiBaseUrl}/v2/user/info/?fields=${encodeURIComponent('open_id,display_name')}`,
      bearer(token),
      http,
    )) as { data?: { user?: { open_id?: string; display_name?: string } } };
    const user = body.data?.user;
    if (!user?.open_id) throw new OAuthError('TikTok: /v2/user/info/ returned no open_id', 'unexpected');
    return { id: user.open_id, name: user.display_name ?? null };
  },
};

/** The account a fresh token belongs to (and the token to publish with, when that differs). */
export function identifyAccount(app: OAuthApp, token: string, http: Http): Promise<ExternalAccount> {
  return IDENTIFY[app.platform](app, token, http);
}
