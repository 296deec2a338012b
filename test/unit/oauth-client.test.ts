/** lib/oauth: the OAuth apps read from configuration with the platforms' real endpoints, and the authorize URL. */
import { authorizeUrl, OAuthError, s256 } from '../../lib/oauth/oauth-client';
import { oauthConfigFromEnv } from '../../lib/oauth/oauth-config';

describe('OAuth apps from configuration', () => {
  it('turns on a platform with its id and secret, with the real endpoints by default', () => {
    const config = oauthConfigFromEnv({
      X_CLIENT_ID: 'xid',
      X_CLIENT_SECRET: 'xsecret',
      META_CLIENT_ID: 'm',
      META_CLIENT_SECRET: 's',
    });
    expect(Object.keys(config).sort()).toEqual(['facebook', 'instagram', 'x']);
    expect(config.x).toMatchObject({
      authorizeUrl: 'https://x.com/i/oauth2/authorize',
      tokenUrl: 'https://api.x.com/2/oauth2/token',
      revokeUrl: 'https://api.x.com/2/oauth2/revoke',
      pkce: true,
      clientAuth: 'basic',
    });
    expect(config.instagram).toMatchObject({ tokenUrl: 'https://graph.facebook.com/v23.0/oauth/access_token' });
    expect(config.instagram?.revokeUrl).toBeUndefined();
    expect(oauthConfigFromEnv({})).toEqual({});
  });

  it('refuses half an app, naming the missing variable', () => {
    expect(() => oauthConfigFromEnv({ LINKEDIN_CLIENT_ID: 'id' })).toThrow(/LINKEDIN_CLIENT_SECRET/);
    expect(() => oauthConfigFromEnv({ TIKTOK_CLIENT_SECRET: 's' })).toThrow(/TIKTOK_CLIENT_KEY/);
    expect(() => oauthConfigFromEnv({ X_OAUTH_TOKEN_URL: 'not a url' })).toThrow(/X_OAUTH_TOKEN_URL/);
  });
});

describe('authorize URL', () => {
  const config = oauthConfigFromEnv({
    X_CLIENT_ID: 'xid',
    X_CLIENT_SECRET: 'xsecret',
    TIKTOK_CLIENT_KEY: 'tk',
    TIKTOK_CLIENT_SECRET: 'ts',
  });

  it('carries the state and the S256 challenge of the verifier (RFC 7636 appendix B)', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(s256(verifier)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    const url = new URL(
      authorizeUrl(config.x!, { state: 'st', redirectUri: 'https://app/cb', codeVerifier: verifier }),
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'xid',
      redirect_uri: 'https://app/cb',
      scope: 'tweet.read tweet.write users.read media.write offline.access',
      state: 'st',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
  });

  it('uses TikTok’s client_key and comma-separated scopes, without PKCE', () => {
    const url = new URL(authorizeUrl(config.tiktok!, { state: 'st', redirectUri: 'https://app/cb' }));
    expect(url.searchParams.get('client_key')).toBe('tk');
    expect(url.searchParams.get('scope')).toBe('user.info.basic,video.publish');
    expect(url.searchParams.has('code_challenge')).toBe(false);
  });

  it('calls a refused grant a reconnect, a server error not', () => {
    expect(new OAuthError('x', 'invalid_grant', 400).needsReconnect).toBe(true);
    expect(new OAuthError('x', 'server_error', 503).needsReconnect).toBe(false);
  });
});
