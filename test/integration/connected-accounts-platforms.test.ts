/**
 * Issue 12: connecting a Facebook page, an Instagram professional account, a LinkedIn member and a TikTok account
 * through the real connect flow (our connect route, the provider's authorize page, our callback), each against a
 * fake provider with that platform's client authentication (Meta with PKCE; LinkedIn and TikTok without, TikTok's
 * `client_key`) and the platform's fake API for the account look-up (`/me/accounts`, `/v2/userinfo`,
 * `/v2/user/info/`; Meta's short-lived user token exchanged for a long-lived one first). The stored account carries
 * the platform's id and name, and no API answer carries a token. A Facebook photo then goes out with the non-expiring page token the look-up handed over, not the user token.
 */
import { randomUUID } from 'node:crypto';
import { createAccountClients, createPublishActivities } from '../../activities/publish';
import { createBrandRepository } from '../../db/repositories/brand.repository';
import { createConnectedAccountRepository } from '../../db/repositories/connected-account.repository';
import { createPostRepository } from '../../db/repositories/post.repository';
import { createPublicationRepository } from '../../db/repositories/publication.repository';
import { secretBoxFromConfig } from '../../lib/secrets';
import { startFakeOAuthProvider, type FakeOAuthProvider } from '../fakes/oauth-provider-server';
import { startFakeLinkedInServer, type FakeLinkedInServer } from '../fakes/platforms/linkedin-server';
import { startFakeMetaServer, type FakeMetaServer } from '../fakes/platforms/meta-server';
import { bearerOf } from '../fakes/platforms/fake-platform-server';
import { startFakeTikTokServer, type FakeTikTokServer } from '../fakes/platforms/tiktok-server';
import { startTestStack, type TestStack } from '../support/harness';
import { PNG_1X1, runActivity as run } from '../support/activity-run';

let metaAuth: FakeOAuthProvider;
let linkedinAuth: FakeOAuthProvider;
let tiktokAuth: FakeOAuthProvider;
let meta: FakeMetaServer;
let linkedin: FakeLinkedInServer;
let tiktok: FakeTikTokServer;
let stack: TestStack;

beforeAll(async () => {
  metaAuth = await startFakeOAuthProvider({ clientAuth: 'body', expiresIn: 5_184_000 });
  linkedinAuth = await startFakeOAuthProvider({ clientAuth: 'body', expiresIn: 5_184_000 });
  tiktokAuth = await startFakeOAuthProvider({ clientAuth: 'body', clientIdParam: 'client_key', expiresIn: 86_400 });
  meta = await startFakeMetaServer({
    acceptTokens: () => metaAuth.activeAccessTokens(),
    longLivedTokens: () => metaAuth.longLivedTokens(),
  });
  linkedin = await startFakeLinkedInServer({ acceptTokens: () => linkedinAuth.activeAccessTokens() });
  tiktok = await startFakeTikTokServer({ acceptTokens: () => tiktokAuth.activeAccessTokens() });
  stack = await startTestStack('connected-accounts-platforms', {
    workers: [],
    env: {
      META_CLIENT_ID: metaAuth.clientId,
      META_CLIENT_SECRET: metaAuth.clientSecret,
      META_OAUTH_AUTHORIZE_URL: `${metaAuth.url}/authorize`,
      META_OAUTH_TOKEN_URL: `${metaAuth.url}/token`,
      META_GRAPH_BASE_URL: meta.url,
      META_GRAPH_VIDEO_BASE_URL: meta.url,
      LINKEDIN_CLIENT_ID: linkedinAuth.clientId,
      LINKEDIN_CLIENT_SECRET: linkedinAuth.clientSecret,
      LINKEDIN_OAUTH_AUTHORIZE_URL: `${linkedinAuth.url}/authorize`,
      LINKEDIN_OAUTH_TOKEN_URL: `${linkedinAuth.url}/token`,
      LINKEDIN_OAUTH_REVOKE_URL: `${linkedinAuth.url}/revoke`,
      LINKEDIN_API_BASE_URL: linkedin.url,
      TIKTOK_CLIENT_KEY: tiktokAuth.clientId,
      TIKTOK_CLIENT_SECRET: tiktokAuth.clientSecret,
      TIKTOK_OAUTH_AUTHORIZE_URL: `${tiktokAuth.url}/authorize`,
      TIKTOK_OAUTH_TOKEN_URL: `${tiktokAuth.url}/token`,
      TIKTOK_OAUTH_REVOKE_URL: `${tiktokAuth.url}/revoke`,
      TIKTOK_API_BASE_URL: tiktok.url,
    },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await Promise.all([meta, linkedin, tiktok, metaAuth, linkedinAuth, tiktokAuth].map((s) => s?.close()));
});

/** The connect flow as a browser goes through it; answers the authorize URL and where the browser ends up. */
async function connect(brandId: string, platform: string) {
  const started = await stack.request('POST', `/api/v1/brands/${brandId}/connected-accounts/${platform}/connect`);
  expect(started.status).toBe(201);
  const authorize = new URL(started.body.authorizeUrl);
  expect(authorize.searchParams.get('redirect_uri')).toBe(`${stack.baseUrl}/api/v1/oauth/callback`);
  const approved = await fetch(authorize, { redirect: 'manual' });
  expect(approved.status).toBe(302);
  const back = await fetch(approved.headers.get('location')!, { redirect: 'manual' });
  expect(back.status).toBe(303);
  return { authorize, location: back.headers.get('location')!, started: JSON.stringify(started.body) };
}

async function listed(brandId: string) {
  const res = await stack.request('GET', `/api/v1/brands/${brandId}/connected-accounts`);
  expect(res.status).toBe(200);
  return res.body as { items: { platform: string; account: Record<string, unknown> | null }[] };
}

function expectNoToken(text: string, tokens: Iterable<string>) {
  for (const t of tokens) expect(text).not.toContain(t);
}

describe('connecting accounts on Meta, LinkedIn and TikTok', () => {
  it('connects a Facebook page with PKCE and stores the page, publishing with the page token', async () => {
    const brand = await stack.brand({ name: `Page Roasters ${Date.now()}` });
    const before = { ...metaAuth.calls };
    const { authorize, location, started } = await connect(brand.id, 'facebook');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('scope')).toBe('pages_show_list,pages_read_engagement,pages_manage_posts');
    expect(location).toBe(`${stack.baseUrl}/#/brands/${brand.id}?tab=accounts&platform=facebook&connected=1`);
    expect(metaAuth.calls.challenged).toBe(before.challenged + 1);
    expect(metaAuth.calls.pkceVerified).toBe(before.pkceVerified + 1);
    // The pages are read with the long-lived user token, so the page token does not expire.
    const lookup = meta.requests.filter((r) => r.path === `/${meta.version}/me/accounts`).at(-1)!;
    expect(metaAuth.longLivedTokens()).toContain(bearerOf(lookup.headers));

    const list = await listed(brand.id);
    const account = list.items.find((i) => i.platform === 'facebook')!.account;
    // A page token does not expire and has no refresh token.
    expect(account).toMatchObject({
      status: 'connected',
      externalId: meta.pageId,
      externalName: meta.pageName,
      expiresAt: null,
    });
    const tokens = [...metaAuth.issuedTokens(), ...meta.pageTokens];
    expectNoToken(JSON.stringify(list) + started, tokens);
    const [rows] = await stack.db.sequelize.query(`SELECT * FROM connected_accounts WHERE brand_id = :id`, {
      replacements: { id: brand.id },
    });
    expectNoToken(JSON.stringify(rows), tokens);

    // The photo goes to the stored page, with the page token.
    const secrets = secretBoxFromConfig(stack.config);
    const acts = createPublishActivities({
      storage: stack.server.services.storage,
      publications: createPublicationRepository(stack.db, { secrets }),
      posts: createPostRepository(stack.db),
      brands: createBrandRepository(stack.db),
      clients: {},
      accounts: createAccountClients({
        accounts: createConnectedAccountRepository(stack.db, { secrets }),
        oauth: stack.config.oauth,
        publish: stack.config.publish,
      }),
      publicUrl: stack.config.api.publicUrl,
      heartbeatIntervalMs: 200,
    });
    const imageKey = `drafts/${stack.workspaceId}/social-post/test-${randomUUID()}/image.png`;
    await stack.server.services.storage.put(imageKey, PNG_1X1, 'image/png');
    const workflowId = `social-post/${randomUUID()}`;
    const result = await run(acts.publishPostImage, {
      platform: 'facebook' as const,
      idempotencyKey: `${workflowId}/publish/facebook`,
      workflowId,
      workspaceId: stack.workspaceId,
      brandId: brand.id,
      imageKey,
      text: { caption: 'Fresh beans today', hashtags: ['coffee'], altText: 'Beans' },
      format: 'square' as const,
    });
    expect(result.status).toBe('published');
    const upload = meta.requests.filter((r) => r.path === `/${meta.version}/${meta.pageId}/photos`).at(-1)!;
    expect(upload.status).toBe(200);
    expect(meta.permanentPageTokens).toContain(bearerOf(upload.headers));
  });

  it('connects an Instagram professional account through its page', async () => {
    const brand = await stack.brand({ name: `Gram Roasters ${Date.now()}` });
    const before = metaAuth.calls.pkceVerified;
    const { authorize, location, started } = await connect(brand.id, 'instagram');
    expect(authorize.searchParams.get('scope')).toContain('instagram_content_publish');
    expect(location).toContain('platform=instagram&connected=1');
    expect(metaAuth.calls.pkceVerified).toBe(before + 1);
    const lookup = meta.requests.filter((r) => r.path === `/${meta.version}/me/accounts`).at(-1)!;
    expect(lookup.query.fields).toContain('instagram_business_account');
    expect(metaAuth.longLivedTokens()).toContain(bearerOf(lookup.headers));
    const list = await listed(brand.id);
    expect(list.items.find((i) => i.platform === 'instagram')!.account).toMatchObject({
      status: 'connected',
      externalId: meta.igUserId,
      externalName: `@${meta.igUsername}`,
    });
    expect(list.items.find((i) => i.platform === 'facebook')!.account).toBeNull();
    expectNoToken(JSON.stringify(list) + started, [...metaAuth.issuedTokens(), ...meta.pageTokens]);
  });

  it('connects a LinkedIn member without PKCE, as the member URN', async () => {
    const brand = await stack.brand({ name: `Linked Roasters ${Date.now()}` });
    const before = { ...linkedinAuth.calls };
    const { authorize, location, started } = await connect(brand.id, 'linkedin');
    expect(authorize.searchParams.get('code_challenge')).toBeNull();
    expect(authorize.searchParams.get('scope')).toBe('openid profile w_member_social');
    expect(location).toContain('platform=linkedin&connected=1');
    expect(linkedinAuth.calls.codeExchanges).toBe(before.codeExchanges + 1);
    expect(linkedinAuth.calls.challenged).toBe(before.challenged);
    const list = await listed(brand.id);
    const account = list.items.find((i) => i.platform === 'linkedin')!.account!;
    expect(account).toMatchObject({
      status: 'connected',
      externalId: `urn:li:person:${linkedin.memberSub}`,
      externalName: linkedin.memberName,
    });
    expect(new Date(account.expiresAt as string).getTime()).toBeGreaterThan(Date.now() + 50 * 86_400_000);
    expectNoToken(JSON.stringify(list) + started, linkedinAuth.issuedTokens());

    // Disconnecting revokes at LinkedIn.
    const revocations = linkedinAuth.calls.revocations;
    const removed = await stack.request('DELETE', `/api/v1/brands/${brand.id}/connected-accounts/linkedin`);
    expect(removed.body).toEqual({ platform: 'linkedin', revoked: true });
    expect(linkedinAuth.calls.revocations).toBeGreaterThan(revocations);
  });

  it('connects a TikTok account without PKCE, with client_key, as its open_id', async () => {
    const brand = await stack.brand({ name: `Tok Roasters ${Date.now()}` });
    const before = { ...tiktokAuth.calls };
    const { authorize, location, started } = await connect(brand.id, 'tiktok');
    expect(authorize.searchParams.get('client_key')).toBe(tiktokAuth.clientId);
    expect(authorize.searchParams.get('client_id')).toBeNull();
    expect(authorize.searchParams.get('code_challenge')).toBeNull();
    expect(authorize.searchParams.get('scope')).toBe('user.info.basic,video.publish');
    expect(location).toContain('platform=tiktok&connected=1');
    expect(tiktokAuth.calls.codeExchanges).toBe(before.codeExchanges + 1);
    const lookup = tiktok.requests.filter((r) => r.path === '/v2/user/info/').at(-1)!;
    expect(lookup.status).toBe(200);
    const list = await listed(brand.id);
    const account = list.items.find((i) => i.platform === 'tiktok')!.account!;
    expect(account).toMatchObject({ status: 'connected', externalId: tiktok.openId, externalName: tiktok.displayName });
    expect(account.scopes).toEqual(['user.info.basic', 'video.publish']);
    expectNoToken(JSON.stringify(list) + started, tiktokAuth.issuedTokens());
  });
});
