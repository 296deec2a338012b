/** Log-in, sessions, API keys, roles, and workspace isolation. */
import { startTestStack, type TestStack } from '../support/harness';

let a: TestStack;
let b: TestStack;
let brandA: { id: string };
let runA: { id: string };
const enc = encodeURIComponent;

beforeAll(async () => {
  a = await startTestStack('acct-a', { workers: ['main', 'browser'] });
  // The second workspace shares the database and Temporal namespace but nothing else.
  b = await startTestStack('acct-b', { workers: [] });
  brandA = await a.brand();
  const res = await a.request('POST', '/api/v1/runs', {
    automation: 'social-post',
    input: {
      brandId: brandA.id,
      platform: 'facebook',
      postType: 'engagement',
      approval: { required: true, timeoutSeconds: 600 },
    },
  });
  expect(res.status).toBe(201);
  runA = res.body;
});
afterAll(async () => {
  await a?.request('POST', `/api/v1/runs/${enc(runA.id)}/cancel`);
  await Promise.all([a?.stop(), b?.stop()]);
});

describe('sessions', () => {
  it('logs in with a password, sets an HTTP-only cookie, and logs out', async () => {
    const bad = await a.request(
      'POST',
      '/api/v1/auth/login',
      { email: a.admin.email, password: 'wrong' },
      { key: null },
    );
    expect(bad.status).toBe(401);
    const login = await a.request(
      'POST',
      '/api/v1/auth/login',
      { email: a.admin.email, password: a.admin.password },
      { key: null },
    );
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ email: a.admin.email, role: 'admin' });
    expect(login.body.user.passwordHash).toBeUndefined();
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/sf_session=[^;]+;.*HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const session = cookie.split(';')[0];

    const me = await a.request('GET', '/api/v1/auth/me', undefined, { key: null, headers: { cookie: session } });
    expect(me.status).toBe(200);
    expect(me.body.workspace.id).toBe(a.workspaceId);
    expect(me.body.temporalUiUrl).toBe('http://localhost:8233');

    expect(
      (await a.request('POST', '/api/v1/auth/logout', undefined, { key: null, headers: { cookie: session } })).status,
    ).toBe(204);
    expect(
      (await a.request('GET', '/api/v1/auth/me', undefined, { key: null, headers: { cookie: session } })).status,
    ).toBe(401);
  });

  it('requires credentials and refuses unknown or revoked API keys', async () => {
    expect((await a.request('GET', '/api/v1/runs', undefined, { key: null })).status).toBe(401);
    expect(
      (await a.request('GET', '/api/v1/runs', undefined, { key: 'sf_AAAAAAAAAAAA_' + 'x'.repeat(43) })).status,
    ).toBe(401);
    const created = await a.request('POST', '/api/v1/api-keys', { name: 'ci', role: 'viewer' });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^sf_[A-Za-z0-9]{12}_/);
    expect((await a.request('GET', '/api/v1/runs', undefined, { key: created.body.key })).status).toBe(200);
    const listed = await a.request('GET', '/api/v1/api-keys');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    expect((await a.request('DELETE', `/api/v1/api-keys/${created.body.id}`)).status).toBe(204);
    expect((await a.request('GET', '/api/v1/runs', undefined, { key: created.body.key })).status).toBe(401);
  });

  it('verifies a busy key from memory, records its use in batches, and refuses it on the very next request after revocation', async () => {
    const created = await a.request('POST', '/api/v1/api-keys', { name: 'busy', role: 'editor' });
    const key = created.body.key as string;
    const before = await a.request('GET', '/api/v1/api-keys');
    expect(before.body.items.find((k: { id: string }) => k.id === created.body.id).lastUsedAt).toBeNull();
    // Warm: the key is in this process's cache after the first of these.
    for (let i = 0; i < 5; i++)
      expect((await a.request('GET', '/api/v1/automations', undefined, { key })).status).toBe(200);
    // Its use is recorded (the list writes what is pending first), not on each request.
    const listed = await a.request('GET', '/api/v1/api-keys');
    expect(
      Date.parse(listed.body.items.find((k: { id: string }) => k.id === created.body.id).lastUsedAt),
    ).toBeGreaterThan(Date.now() - 60_000);
    // Two requests in flight with the key while it is revoked: whatever they get, the next one is refused.
    const inFlight = [1, 2].map(() => a.request('GET', '/api/v1/automations', undefined, { key }));
    expect((await a.request('DELETE', `/api/v1/api-keys/${created.body.id}`)).status).toBe(204);
    await Promise.all(inFlight);
    expect((await a.request('GET', '/api/v1/automations', undefined, { key })).status).toBe(401);
    const start = await a.request(
      'POST',
      '/api/v1/runs',
      { automation: 'social-post', input: { brandId: brandA.id, platform: 'facebook', postType: 'engagement' } },
      { key },
    );
    expect(start.status).toBe(401);
  });
});

describe('roles', () => {
  it('lets viewers read but not start, approve or cancel', async () => {
    const viewer = { key: a.keys.viewer };
    expect((await a.request('GET', '/api/v1/runs', undefined, viewer)).status).toBe(200);
    expect((await a.request('GET', `/api/v1/runs/${enc(runA.id)}`, undefined, viewer)).status).toBe(200);
    const start = await a.request(
      'POST',
      '/api/v1/runs',
      { automation: 'social-post', input: { brandId: brandA.id, platform: 'x', postType: 'tips' } },
      viewer,
    );
    expect(start.status).toBe(403);
    expect(start.headers.get('content-type')).toContain('application/problem+json');
    expect(
      (await a.request('POST', `/api/v1/runs/${enc(runA.id)}/approvals/copy-1`, { action: 'approve' }, viewer)).status,
    ).toBe(403);
    expect((await a.request('POST', `/api/v1/runs/${enc(runA.id)}/cancel`, undefined, viewer)).status).toBe(403);
    expect((await a.request('POST', '/api/v1/brands', { name: 'Nope' }, viewer)).status).toBe(403);
  });

  it('lets editors start runs and edit brands but not manage keys, users or webhooks', async () => {
    const editor = { key: a.keys.editor };
    expect((await a.request('POST', '/api/v1/brands', { name: 'Editor brand' }, editor)).status).toBe(201);
    expect((await a.request('GET', '/api/v1/api-keys', undefined, editor)).status).toBe(403);
    expect(
      (
        await a.request(
          'POST',
          '/api/v1/users',
          { email: 'x@example.test', name: 'X', password: 'long-enough-pw', role: 'admin' },
          editor,
        )
      ).status,
    ).toBe(403);
    expect((await a.request('GET', '/api/v1/webhook-endpoints', undefined, editor)).status).toBe(403);
  });

  it('lets admins add users who can then log in with their role', async () => {
    const email = `viewer-${a.name}@example.test`;
    const created = await a.request('POST', '/api/v1/users', {
      email,
      name: 'Vera Viewer',
      password: 'a-good-long-password',
      role: 'viewer',
    });
    expect(created.status).toBe(201);
    expect(
      (
        await a.request('POST', '/api/v1/users', {
          email,
          name: 'Again',
          password: 'a-good-long-password',
          role: 'viewer',
        })
      ).status,
    ).toBe(409);
    const weak = await a.request('POST', '/api/v1/users', {
      email: 'w@example.test',
      name: 'W',
      password: 'short',
      role: 'viewer',
    });
    expect(weak.status).toBe(400);
    expect(weak.body.errors[0].field).toBe('password');
    const login = await a.request(
      'POST',
      '/api/v1/auth/login',
      { email, password: 'a-good-long-password' },
      { key: null },
    );
    expect(login.body.user.role).toBe('viewer');
  });
});

describe('workspace isolation', () => {
  it("answers another workspace's ids with 404 and never lists its runs or brands", async () => {
    expect((await b.request('GET', `/api/v1/runs/${enc(runA.id)}`)).status).toBe(404);
    expect((await b.request('GET', `/api/v1/runs/${enc(runA.id)}/events`)).status).toBe(404);
    expect((await b.request('POST', `/api/v1/runs/${enc(runA.id)}/cancel`)).status).toBe(404);
    expect(
      (await b.request('POST', `/api/v1/runs/${enc(runA.id)}/approvals/copy-1`, { action: 'approve' })).status,
    ).toBe(404);
    expect((await b.request('POST', `/api/v1/runs/${enc(runA.id)}/retry`)).status).toBe(404);
    expect((await b.request('GET', `/api/v1/brands/${brandA.id}`)).status).toBe(404);
    expect((await b.request('PATCH', `/api/v1/brands/${brandA.id}`, { name: 'Hijacked' })).status).toBe(404);
    expect((await b.request('DELETE', `/api/v1/brands/${brandA.id}`)).status).toBe(404);
    const start = await b.request('POST', '/api/v1/runs', {
      automation: 'social-post',
      input: { brandId: brandA.id, platform: 'x', postType: 'tips' },
    });
    expect(start.status).toBe(404);
    expect(start.body.errors[0].field).toBe('input.brandId');

    const runs = await b.request('GET', '/api/v1/runs?limit=100');
    expect(runs.status).toBe(200);
    expect(runs.body.items.map((r: any) => r.id)).not.toContain(runA.id);
    const brands = await b.request('GET', '/api/v1/brands');
    expect(brands.body.items).toEqual([]);
  });
});
