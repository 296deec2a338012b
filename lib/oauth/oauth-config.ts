/**
 * The OAuth 2.0 apps a deployment registers with each platform, so brands can connect their own accounts
 * (docs/publishing.md, "Connected accounts"). The app's client id and secret are per deployment; the tokens a brand
 * grants are per brand, sealed in `connected_accounts`. Defaults are the platforms' real endpoints; tests point them
 * at a local fake provider. Pure parsing: lib/config.ts embeds the result as `config.oauth`.
 */
import { z } from 'zod';

export const CONNECTABLE_PLATFORMS = ['facebook', 'instagram', 'linkedin', 'x', 'tiktok'] as const;
export type ConnectablePlatform = (typeof CONNECTABLE_PLATFORMS)[number];

export const isConnectablePlatform = (value: unknown): value is ConnectablePlatform =>
  typeof value === 'string' && (CONNECTABLE_PLATFORMS as readonly string[]).includes(value);

/** One platform's OAuth app and the API the connect flow reads the account from. */
export interface OAuthApp {
  platform: ConnectablePlatform;
  /** For messages: "X". */
  name: string;
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** RFC 7009-style revocation; absent when the platform has none (Meta: the page token stays until removed there). */
  revokeUrl?: string;
  scopes: string[];
  /** Whether the authorize request carries a PKCE S256 challenge (RFC 7636). */
  pkce: boolean;
  /** How the app authenticates at the token endpoint: HTTP Basic (X) or fields in the body. */
  clientAuth: 'basic' | 'body';
  /** The name of the client id parameter (TikTok calls it `client_key`). */
  clientIdParam: 'client_id' | 'client_key';
  /** Scopes are joined with a space (RFC 6749) or a comma (Meta, TikTok). */
  scopeSeparator: ' ' | ',';
  /** Where the account behind a token is read (the platform's API base, with the version where it has one). */
  apiBaseUrl: string;
}

export type OAuthConfig = Partial<Record<ConnectablePlatform, OAuthApp>>;

const text = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const url = (fallback: string) => z.url().default(fallback);

export const oauthEnvSchema = z.object({
  META_CLIENT_ID: text,
  META_CLIENT_SECRET: text,
  META_OAUTH_AUTHORIZE_URL: url('https://www.facebook.com/v23.0/dialog/oauth'),
  META_OAUTH_TOKEN_URL: url('https://graph.facebook.com/v23.0/oauth/access_token'),
  META_GRAPH_BASE_URL: url('https://graph.facebook.com'),
  META_GRAPH_API_VERSION: z.string().default('v23.0'),

  LINKEDIN_CLIENT_ID: text,
  LINKEDIN_CLIENT_SECRET: text,
  LINKEDIN_OAUTH_AUTHORIZE_URL: url('https://www.linkedin.com/oauth/v2/authorization'),
  LINKEDIN_OAUTH_TOKEN_URL: url('https://www.linkedin.com/oauth/v2/accessToken'),
  LINKEDIN_OAUTH_REVOKE_URL: url('https://www.linkedin.com/oauth/v2/revoke'),
  LINKEDIN_API_BASE_URL: url('https://api.linkedin.com'),

  X_CLIENT_ID: text,
  X_CLIENT_SECRET: text,
  X_OAUTH_AUTHORIZE_URL: url('https://x.com/i/oauth2/authorize'),
  X_OAUTH_TOKEN_URL: url('https://api.x.com/2/oauth2/token'),
  X_OAUTH_REVOKE_URL: url('https://api.x.com/2/oauth2/revoke'),
  X_API_BASE_URL: url('https://api.x.com'),

  TIKTOK_CLIENT_KEY: text,
  TIKTOK_CLIENT_SECRET: text,
  TIKTOK_OAUTH_AUTHORIZE_URL: url('https://www.tiktok.com/v2/auth/authorize/'),
  TIKTOK_OAUTH_TOKEN_URL: url('https://open.tiktokapis.com/v2/oauth/token/'),
  TIKTOK_OAUTH_REVOKE_URL: url('https://open.tiktokapis.com/v2/oauth/revoke/'),
  TIKTOK_API_BASE_URL: url('https://open.tiktokapis.com'),
});

/** Reads the OAuth apps; an id without its secret (or the reverse) fails the boot, naming the other. */
export function oauthConfigFromEnv(env: Record<string, string | undefined>): OAuthConfig {
  const parsed = oauthEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid OAuth settings: ${problems}`);
  }
  const e = parsed.data;
  const pair = (idName: string, id: string | undefined, secretName: string, secret: string | undefined) => {
    if (Boolean(id) !== Boolean(secret))
      throw new Error(`The OAuth app is half configured: set both ${idName} and ${secretName}`);
    return id && secret ? { clientId: id, clientSecret: secret } : undefined;
  };
  const config: OAuthConfig = {};

  const meta = pair('META_CLIENT_ID', e.META_CLIENT_ID, 'META_CLIENT_SECRET', e.META_CLIENT_SECRET);
  if (meta) {
    const common = {
      ...meta,
      authorizeUrl: e.META_OAUTH_AUTHORIZE_URL,
      tokenUrl: e.META_OAUTH_TOKEN_URL,
      pkce: true,
      clientAuth: 'body' as const,
      clientIdParam: 'client_id' as const,
      scopeSeparator: ',' as const,
      apiBaseUrl: `${e.META_GRAPH_BASE_URL.replace(/\/+$/, '')}/${e.META_GRAPH_API_VERSION}`,
    };
    config.facebook = {
      ...common,
      platform: 'facebook',
      name: 'Facebook',
      scopes: ['pages_show_list', 'pages_read_engagement', 'pages_manage_posts'],
    };
    config.instagram = {
      ...common,
      platform: 'instagram',
      name: 'Instagram',
      scopes: ['pages_show_list', 'instagram_basic', 'instagram_content_publish'],
    };
  }

  const linkedin = pair('LINKEDIN_CLIENT_ID', e.LINKEDIN_CLIENT_ID, 'LINKEDIN_CLIENT_SECRET', e.LINKEDIN_CLIENT_SECRET);
  if (linkedin)
    config.linkedin = {
      ...linkedin,
      platform: 'linkedin',
      name: 'LinkedIn',
      authorizeUrl: e.LINKEDIN_OAUTH_AUTHORIZE_URL,
      tokenUrl: e.LINKEDIN_OAUTH_TOKEN_URL,
      revokeUrl: e.LINKEDIN_OAUTH_REVOKE_URL,
      scopes: ['openid', 'profile', 'w_member_social'],
      // LinkedIn offers PKCE to native apps only; a web app's code is bound by the state and its secret.
      pkce: false,
      clientAuth: 'body',
      clientIdParam: 'client_id',
      scopeSeparator: ' ',
      apiBaseUrl: e.LINKEDIN_API_BASE_URL.replace(/\/+$/, ''),
    };

  const x = pair('X_CLIENT_ID', e.X_CLIENT_ID, 'X_CLIENT_SECRET', e.X_CLIENT_SECRET);
  if (x)
    config.x = {
      ...x,
      platform: 'x',
      name: 'X',
      authorizeUrl: e.X_OAUTH_AUTHORIZE_URL,
      tokenUrl: e.X_OAUTH_TOKEN_URL,
      revokeUrl: e.X_OAUTH_REVOKE_URL,
      scopes: ['tweet.read', 'tweet.write', 'users.read', 'media.write', 'offline.access'],
      pkce: true,
      clientAuth: 'basic',
      clientIdParam: 'client_id',
      scopeSeparator: ' ',
      apiBaseUrl: e.X_API_BASE_URL.replace(/\/+$/, ''),
    };

  const tiktok = pair('TIKTOK_CLIENT_KEY', e.TIKTOK_CLIENT_KEY, 'TIKTOK_CLIENT_SECRET', e.TIKTOK_CLIENT_SECRET);
  if (tiktok)
    config.tiktok = {
      ...tiktok,
      platform: 'tiktok',
      name: 'TikTok',
      authorizeUrl: e.TIKTOK_OAUTH_AUTHORIZE_URL,
      tokenUrl: e.TIKTOK_OAUTH_TOKEN_URL,
      revokeUrl: e.TIKTOK_OAUTH_REVOKE_URL,
      scopes: ['user.info.basic', 'video.publish'],
      pkce: false,
      clientAuth: 'body',
      clientIdParam: 'client_key',
      scopeSeparator: ',',
      apiBaseUrl: e.TIKTOK_API_BASE_URL.replace(/\/+$/, ''),
    };

  return config;
}
