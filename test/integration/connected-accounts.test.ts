/**
 * Issue 12, social posts reach the platforms: a brand connects an X account through the OAuth flow against a local
 * fake provider (PKCE checked there), its tokens are sealed (a dump shows none), an expired token is refreshed once
 * before a publish (concurrent publishes included), a revoked grant flags the account `reconnect_needed` and fails
 * the publish non-retryably without asking again, a social post is published on the brand's channel and on the fake
 * X exactly once, and a disconnect revokes the grant.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { createAccountClients, createPublishActivities, type PublishActivities } from '../../activities/publish';
import { connectedAccountReadiness } from '../../lib/calendar/account-readiness.port';
import { createBrandRepository } from '../../db/repositories/brand.repository';
import { createConnectedAccountRepository } from '../../db/repositories/connected-account.repository';
import { createPostRepository } from '../../db/repositories/post.repository';
import { createPublicationRepository } from '../../db/repositories/publication.repository';
import { secretBoxFromConfig } from '../../lib/secrets';
import { startFakeOAuthProvider, type FakeOAuthProvider, xAppEnv } from '../fakes/oauth-provider-server';
import { startFakeXServer, type FakeXServer } from '../fakes/platforms/x-server';
import { startTestStack, waitForRun, type TestStack } from '../support/harness';
import { PNG_1X1, runActivity as run } from '../support/activity-run';

let provider: FakeOAuthProvider;
let x: FakeXServer;
let stack: TestStack;
let acts: PublishActivities;

beforeAll(async () => {
  provider = await startFakeOAuthProvider();
  x = await startFakeXServer({ acceptTokens: () => provider.activeAccessTokens(), processingPolls: 0 });
  stack = await startTestStack('connected-accounts', {
    workers: ['main', 'browser'],
    env: {
      ...xAppEnv(provider, x),
      PUBLISH_POLL_INTERVAL_MS: '20',
    },
  });
  const secrets = secretBoxFromConfig(stack.config);
  const accounts = createConnectedAccountRepository(stack.db, { secrets });
  acts = createPublishActivities({
    storage: stack.server.services.storage,
    publications: createPublicationRepository(stack.db, { secrets }),
    posts: createPostRepository(stack.db),
    brands: createBrandRepository(stack.db),
    clients: {},
    accounts: createAccountClients({ accounts, oauth: stack.config.oauth, publish: stack.config.publish }),
    publicUrl: stack.config.api.publicUrl,
    heartbeatIntervalMs: 200,
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await x?.close();
  await provider?.close();
});

/** The connect flow as a browser goes through it: start, the provider's page, back to our callback, back to the UI. */
async function connect(brandId: string): Promise<string> {
  const started = await stack.request('POST', `/api/v1/brands/${brandId}/connected-accounts/x/connect`);
  expect(started.status).toBe(201);
  const authorize = new URL(started.body.authorizeUrl);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('redirect_uri')).toBe(`${stack.baseUrl}/api/v1/oauth/callback`);
  const approved = await fetch(authorize, { redirect: 'manual' });
  expect(approved.status).toBe(302);
  const back = await fetch(approved.headers.get('location')!, { redirect: 'manual' });
  expect(back.status).toBe(303);
  return back.headers.get('location')!;
}

async function account(brandId: string) {
  const res = await stack.request('GET', `/api/v1/brands/${brandId}/connected-accounts`);
  expect(res.status).toBe(200);
  return res.body.items.find((i: { platform: string }) => i.platform === 'x').account;
}

async function expire(brandId: string) {
  await stack.db.sequelize.query(
    `UPDATE connected_accounts SET expires_at = now() - interval '1 minute' WHERE brand_id = :brandId`,
    { replacements: { brandId } },
  );
}

async function draftImage(): Promise<string> {
  const key = `drafts/${stack.workspaceId}/social-post/test-${randomUUID()}/image.png`;
  await stack.server.services.storage.put(key, PNG_1X1, 'image/png');
  return key;
}

async function publishInput(brandId: string) {
  const workflowId = `social-post/${randomUUID()}`;
  return {
    platform: 'x' as const,
    idempotencyKey: `${workflowId}/publish/x`,
    workflowId,
    workspaceId: stack.workspaceId,
    brandId,
    imageKey: await draftImage(),
    text: {
      caption: `Grind right before you brew ${randomUUID().slice(0, 8)}`,
      hashtags: ['coffee'],
      altText: 'A cup',
    },
    format: 'square' as const,
  };
}

describe('connecting an account', () => {
  it('runs the OAuth code flow with PKCE, stores the tokens sealed and lists the account without them', async () => {
    const brand = await stack.brand({ name: `Connected Coffee ${Date.now()}` });
    const before = provider.calls.pkceVerified;
    const location = await connect(brand.id);
    expect(location).toBe(`${stack.baseUrl}/#/brands/${brand.id}?tab=accounts&platform=x&connected=1`);
    expect(provider.calls.pkceVerified).toBe(before + 1);

    const listed = await account(brand.id);
    expect(listed).toMatchObject({ status: 'connected', externalId: '1234567890', externalName: '@studioflow' });
    expect(listed.scopes).toContain('tweet.write');
    const text = JSON.stringify(listed);
    for (const t of provider.issuedTokens()) expect(text).not.toContain(t);

    // A dump of the tables: no token, no verifier in clear.
    const [rows] = await stack.db.sequelize.query(`SELECT * FROM connected_accounts`);
    const [states] = await stack.db.sequelize.query(`SELECT * FROM oauth_states`);
    const dump = JSON.stringify([rows, states]);
    expect(provider.issuedTokens().length).toBeGreaterThan(1);
    for (const t of provider.issuedTokens()) expect(dump).not.toContain(t);
    expect(dump).toContain('enc:v1:');
  });

  it('refuses a callback whose state is unknown or already used', async () => {
    const res = await stack.request('GET', '/api/v1/oauth/callback?state=forged&code=abc', undefined, { key: null });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('state');
  });

  it('answers 409 for a platform whose OAuth app the deployment lacks, 400 for an unknown platform', async () => {
    const brand = await stack.brand({ name: `No App ${Date.now()}` });
    expect((await stack.request('POST', `/api/v1/brands/${brand.id}/connected-accounts/tiktok/connect`)).status).toBe(
      409,
    );
    const bad = await stack.request('POST', `/api/v1/brands/${brand.id}/connected-accounts/myspace/connect`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toMatch(/^platform/);
  });
});

describe('publishing with the connected account', () => {
  it('refreshes an expired token once before publishing, even for two publishes at the same time', async () => {
    const brand = await stack.brand({ name: `Refreshing Roasters ${Date.now()}` });
    await connect(brand.id);
    await expire(brand.id);
    const refreshes = provider.calls.refreshes;
    const [a, b] = await Promise.all([
      run(acts.publishPostImage, await publishInput(brand.id)),
      run(acts.publishPostImage, await publishInput(brand.id)),
    ]);
    expect([a.status, b.status]).toEqual(['published', 'published']);
    expect(provider.calls.refreshes).toBe(refreshes + 1);
    const after = await account(brand.id);
    expect(after.status).toBe('connected');
    expect(new Date(after.expiresAt).getTime()).toBeGreaterThan(Date.now() + 3600_000);
    expect(x.count((r) => r.path === '/2/tweets' && r.status === 201)).toBeGreaterThanOrEqual(2);
  });

  it('a revoked grant flags the account reconnect_needed and fails non-retryably, without asking again', async () => {
    const brand = await stack.brand({ name: `Revoked Roasters ${Date.now()}` });
    await connect(brand.id);
    provider.revokeAll();
    await expire(brand.id);
    const refreshes = provider.calls.refreshes;
    const failure = await run(acts.publishPostImage, await publishInput(brand.id)).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).type).toBe('ProviderAuth');
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
    expect((failure as ApplicationFailure).message).toMatch(/needs to be reconnected.*invalid_grant/);
    expect(provider.calls.refreshes).toBe(refreshes + 1);
    const flagged = await account(brand.id);
    expect(flagged).toMatchObject({ status: 'reconnect_needed' });
    expect(flagged.lastError).toMatch(/invalid_grant/);

    // The next publish fails at once: the provider is not asked again.
    const again = await run(acts.publishPostImage, await publishInput(brand.id)).then(
      () => undefined,
      (err: unknown) => err as ApplicationFailure,
    );
    expect(again?.type).toBe('ProviderAuth');
    expect(provider.calls.refreshes).toBe(refreshes + 1);

    // Reconnecting clears the flag.
    await connect(brand.id);
    expect((await account(brand.id)).status).toBe('connected');
  });

  it('a social post is published on the brand channel and on X exactly once', async () => {
    const brand = await stack.brand({ name: `Posting Roasters ${Date.now()}` });
    await connect(brand.id);
    const tweetsBefore = x.count((r) => r.path === '/2/tweets' && r.status === 201);
    const started = await stack.request('POST', '/api/v1/runs', {
      automation: 'social-post',
      input: {
        brandId: brand.id,
        platform: 'x',
        postType: 'tips',
        topic: 'pour-over ratios',
        approval: { required: false, timeoutSeconds: 60, onTimeout: 'approve' },
      },
    });
    expect(started.status).toBe(201);
    const done = await waitForRun(
      stack,
      started.body.id,
      (r) => r.status === 'completed' || r.status === 'failed',
      120_000,
    );
    expect(done.status).toBe('completed');
    const publications = done.result.publications;
    expect(publications.map((p: { platform: string; status: string }) => [p.platform, p.status])).toEqual([
      ['local', 'published'],
      ['x', 'published'],
    ]);
    expect(x.count((r) => r.path === '/2/tweets' && r.status === 201)).toBe(tweetsBefore + 1);
    const tweet = [...x.tweets.values()].find((t) => t.id === publications[1].externalId)!;
    expect(tweet.mediaIds).toHaveLength(1);
    const [rows] = await stack.db.sequelize.query(`SELECT platform, status FROM publications WHERE workflow_id = :id`, {
      replacements: { id: started.body.id },
    });
    expect(rows).toEqual([{ platform: 'x', status: 'published' }]);
    const page = await fetch(publications[0].url);
    expect(page.status).toBe(200);
  });

  it('answers whether a brand can publish on a platform, for the calendar', async () => {
    const brand = await stack.brand({ name: `Ready Roasters ${Date.now()}` });
    const readiness = connectedAccountReadiness({
      accounts: createConnectedAccountRepository(stack.db, { secrets: secretBoxFromConfig(stack.config) }),
      publish: stack.config.publish,
    });
    expect(await readiness.accountReady(brand.id, 'local')).toEqual({ ready: true });
    expect(await readiness.accountReady(brand.id, 'x')).toEqual({
      ready: false,
      reason: "X is not connected: connect the brand's account in its settings",
    });
    await connect(brand.id);
    expect(await readiness.accountReady(brand.id, 'x')).toEqual({ ready: true });
    // Expired, but refreshable: still ready.
    await expire(brand.id);
    expect(await readiness.accountReady(brand.id, 'x')).toEqual({ ready: true });
    await stack.db.sequelize.query(
      `UPDATE connected_accounts SET status = 'reconnect_needed', last_error = 'invalid_grant' WHERE brand_id = :id`,
      { replacements: { id: brand.id } },
    );
    expect(await readiness.accountReady(brand.id, 'x')).toEqual({
      ready: false,
      reason: 'X needs to be reconnected: invalid_grant',
    });
  });

  it('disconnecting revokes the grant at the provider and removes the account', async () => {
    const brand = await stack.brand({ name: `Leaving Roasters ${Date.now()}` });
    await connect(brand.id);
    const revocations = provider.calls.revocations;
    const res = await stack.request('DELETE', `/api/v1/brands/${brand.id}/connected-accounts/x`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ platform: 'x', revoked: true });
    expect(provider.calls.revocations).toBe(revocations + 2);
    expect(await account(brand.id)).toBeNull();
    expect((await stack.request('DELETE', `/api/v1/brands/${brand.id}/connected-accounts/x`)).status).toBe(404);
  });
});
