/**
 * Issue 8, "Sessions, streams and abuse": event streams end when their credential does, are capped per caller and
 * never carry internal errors; log-in, webhook intake and the API are rate limited (429 + Retry-After); the UI is
 * served with a Content-Security-Policy it does not violate in Chromium; cookie-authenticated writes refuse
 * cross-site requests; production marks cookies Secure and closes /metrics; a JSON-looking cookie is no session.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import puppeteer from 'puppeteer-core';
import winston from 'winston';
import { CHROMIUM_ARGS } from '../../activities/render/browser-pool';
import { startServer, stopServer, type RunningServer } from '../../api/server';
import { loadConfig } from '../../lib/config';
import { logger } from '../../lib/logger';
import { generateKeyEntry } from '../../lib/secrets';
import { watchCspViolations } from '../support/csp';
import { startTestStack, waitFor, type TestStack } from '../support/harness';
import { sseEvents, type SseEvent } from '../support/sse';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

jest.setTimeout(180_000);

/** An open event stream: events arrive in `events`; `ended` resolves when the server closes it. */
function openStream(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const events: SseEvent[] = [];
  let status = 0;
  let contentType = '';
  let body = '';
  const ended = (async () => {
    const res = await fetch(url, { headers, signal: controller.signal });
    status = res.status;
    contentType = res.headers.get('content-type') ?? '';
    if (!contentType.includes('text/event-stream')) {
      body = await res.text();
      return;
    }
    for await (const event of sseEvents(res.body)) events.push(event);
  })().catch((err: unknown) => {
    if ((err as Error).name !== 'AbortError') throw err;
  });
  return {
    events,
    ended,
    get status() {
      return status;
    },
    get body() {
      return body;
    },
    close: () => controller.abort(),
    waitFor: (event: string, timeoutMs = 15_000) =>
      waitFor(`a "${event}" event`, async () => events.find((e) => e.event === event), timeoutMs, 50),
  };
}

async function login(stack: TestStack, email: string, password: string, headers: Record<string, string> = {}) {
  return stack.request('POST', '/api/v1/auth/login', { email, password }, { key: null, headers });
}

describe('event streams', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('abuse-streams', { workers: [], env: { STREAMS_PER_PRINCIPAL: '2' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('ends a stream with an unauthorized event once its API key is revoked', async () => {
    const key = await stack.server.services.accounts.createApiKey(
      { workspaceId: stack.workspaceId, role: 'admin', kind: 'user', id: stack.admin.id, name: stack.admin.email },
      'streaming key',
      'viewer',
    );
    const stream = openStream(`${stack.baseUrl}/api/v1/runs/stream`, { authorization: `Bearer ${key.key}` });
    await stream.waitFor('runs');
    expect((await stack.request('DELETE', `/api/v1/api-keys/${key.id}`)).status).toBe(204);
    const unauthorized = await stream.waitFor('unauthorized');
    expect(unauthorized.data.message).toMatch(/revoked|ended/);
    await stream.ended; // the server closed it
    expect(stream.events.filter((e) => e.event === 'runs')).toHaveLength(1);
  });

  it('ends a run’s event stream once its API key is revoked', async () => {
    const brand = await stack.brand();
    // No worker polls this stack's queues: the run stays running and the stream keeps ticking.
    const started = await stack.request('POST', '/api/v1/runs', {
      automation: 'social-post',
      input: { brandId: brand.id, platform: 'x', postType: 'tips' },
    });
    expect(started.status).toBe(201);
    const key = await stack.server.services.accounts.createApiKey(
      { workspaceId: stack.workspaceId, role: 'admin', kind: 'user', id: stack.admin.id, name: stack.admin.email },
      'run watcher',
      'viewer',
    );
    try {
      const stream = openStream(`${stack.baseUrl}/api/v1/runs/${encodeURIComponent(started.body.id)}/events`, {
        authorization: `Bearer ${key.key}`,
      });
      expect((await stream.waitFor('run')).data.status).toBe('running');
      expect((await stack.request('DELETE', `/api/v1/api-keys/${key.id}`)).status).toBe(204);
      await stream.waitFor('unauthorized');
      await stream.ended;
    } finally {
      await stack.client.workflow.getHandle(started.body.id).terminate('test over');
    }
  });

  it('ends a stream opened with a session cookie once the user logs out', async () => {
    const res = await login(stack, stack.admin.email, stack.admin.password);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    const stream = openStream(`${stack.baseUrl}/api/v1/runs/stream`, { cookie });
    await stream.waitFor('runs');
    const logout = await stack.request('POST', '/api/v1/auth/logout', undefined, { key: null, headers: { cookie } });
    expect(logout.status).toBe(204);
    await stream.waitFor('unauthorized');
    await stream.ended;
  });

  it('caps open streams per caller with a 429 problem', async () => {
    const url = `${stack.baseUrl}/api/v1/runs/stream`;
    const auth = { authorization: `Bearer ${stack.keys.editor}` };
    const first = openStream(url, auth);
    const second = openStream(url, auth);
    await Promise.all([first.waitFor('runs'), second.waitFor('runs')]);
    const third = openStream(url, auth);
    await third.ended;
    expect(third.status).toBe(429);
    const problem = JSON.parse(third.body);
    expect(problem).toMatchObject({ status: 429, type: 'https://studioflow.dev/problems/rate-limited' });
    // Another caller is not affected, and closing a stream frees its slot.
    const other = openStream(url, { authorization: `Bearer ${stack.keys.viewer}` });
    await other.waitFor('runs');
    other.close();
    first.close();
    await waitFor(
      'the slot to be released',
      async () => {
        const again = openStream(url, auth);
        const got = await Promise.race([again.waitFor('runs', 2_000).then(() => true), again.ended.then(() => false)]);
        again.close();
        return got;
      },
      10_000,
    );
    second.close();
  });

  it('sends a generic error with an id down the stream and logs the details under that id', async () => {
    const lines: string[] = [];
    const capture = new winston.transports.Stream({
      stream: new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    });
    logger().add(capture);
    // A server of its own whose Temporal connection we can break.
    const connection = await Connection.connect({ address: stack.config.temporal.address });
    const client = new Client({ connection, namespace: stack.config.temporal.namespace });
    let server: RunningServer | undefined = await startServer(
      { config: stack.config, db: stack.db, temporal: client, streamIntervalMs: 200 },
      { port: 0, host: '127.0.0.1' },
    );
    try {
      const stream = openStream(`${server.url}/api/v1/runs/stream`, { authorization: `Bearer ${stack.keys.viewer}` });
      await stream.waitFor('runs');
      await connection.close();
      const error = await stream.waitFor('error');
      expect(Object.keys(error.data).sort()).toEqual(['errorId', 'message']);
      expect(error.data.errorId).toMatch(/^[0-9a-f-]{36}$/);
      expect(error.data.message).toBe('Could not read the latest state; retrying');
      stream.close();
      const logged = await waitFor('the error to be logged', async () =>
        lines.find((l) => l.includes(error.data.errorId)),
      );
      expect(logged).toMatch(/Run list stream failed/);
      // The log has what the client did not get.
      expect(JSON.parse(logged).err).toBeDefined();
      await stopServer(server);
      server = undefined;
    } finally {
      logger().remove(capture);
      if (server) await stopServer(server);
    }
  });

  it('serves the UI with a Content-Security-Policy it does not violate, and accepts its own writes', async () => {
    const index = await fetch(`${stack.baseUrl}/`);
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('x-frame-options')).toBe('SAMEORIGIN');

    if (!fs.existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing; install it with: apt-get install -y chromium`);
    const brand = await stack.brand({ name: 'Policy Roasters' });
    const browser = await puppeteer.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(30_000);
      // Every securitypolicyviolation event, and Chromium's own console reports of blocked loads.
      const seen: string[] = [];
      await watchCspViolations(page, seen);
      const settle = () => page.waitForFunction(() => !document.querySelector('#main .loading'), { timeout: 30_000 });

      await page.goto(`${stack.baseUrl}/#/runs`);
      await page.waitForSelector('[data-testid="login-email"]');
      await page.type('[data-testid="login-email"]', stack.admin.email);
      await page.type('[data-testid="login-password"]', stack.admin.password);
      await page.click('[data-testid="login-submit"]'); // a JSON POST from the UI: accepted
      await page.waitForSelector('[data-testid="runs-table"], .empty');
      for (const hash of ['#/runs', '#/launch', '#/brands', `#/brands/${brand.id}`, '#/credits', '#/settings']) {
        await page.evaluate((h) => (location.hash = h), hash);
        await settle();
        await new Promise((r) => setTimeout(r, 300));
      }
      // A write without a body (log-out) goes through too, with X-Requested-With.
      await page.click('[data-testid="logout"]');
      await page.waitForSelector('[data-testid="login-email"]');
      await new Promise((r) => setTimeout(r, 300));
      expect(seen).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('refuses cross-site form posts and cross-origin writes made with the session cookie', async () => {
    const res = await login(stack, stack.admin.email, stack.admin.password);
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${stack.baseUrl}/api/v1/brands`, { method: 'POST', headers: { cookie, ...headers }, body });
    const form = await post({ 'content-type': 'application/x-www-form-urlencoded' }, 'name=Forged');
    expect(form.status).toBe(403);
    expect(form.headers.get('content-type')).toContain('application/problem+json');
    expect((await form.json()).reason).toBe('csrf');
    const plain = await post({ 'content-type': 'text/plain' }, '{"name":"Forged"}');
    expect(plain.status).toBe(403);
    const crossSite = await post(
      { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      JSON.stringify({ name: 'Forged' }),
    );
    expect(crossSite.status).toBe(403);
    const foreignOrigin = await post(
      { 'content-type': 'application/json', origin: 'https://evil.example' },
      JSON.stringify({ name: 'Forged' }),
    );
    expect(foreignOrigin.status).toBe(403);
    // A bodiless cross-site form post to log out.
    const logoutForm = await fetch(`${stack.baseUrl}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(logoutForm.status).toBe(403);
    expect((await stack.request('GET', '/api/v1/auth/me', undefined, { key: null, headers: { cookie } })).status).toBe(
      200,
    );
    // What the UI sends is accepted; API keys need none of it.
    const fromUi = await post(
      { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', origin: stack.baseUrl },
      JSON.stringify({ name: 'Real brand' }),
    );
    expect(fromUi.status).toBe(201);
    const withKey = await fetch(`${stack.baseUrl}/api/v1/brands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.keys.editor}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Keyed brand' }),
    });
    expect(withKey.status).toBe(201);
  });

  it('treats a malformed or JSON-looking session cookie as no session (401, not 500)', async () => {
    for (const value of ['j:[]', 'j:{"a":1}', 'j:%5B%5D', '%ff', '"quoted"', '']) {
      const res = await stack.request('GET', '/api/v1/auth/me', undefined, {
        key: null,
        headers: { cookie: `sf_session=${value}` },
      });
      expect({ value, status: res.status }).toEqual({ value, status: 401 });
    }
  });

  it('closes /metrics without the bearer token', async () => {
    expect((await fetch(`${stack.baseUrl}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${stack.baseUrl}/metrics`, {
      headers: { authorization: 'Bearer wrong-token-0123456789' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/Bearer/);
    const right = await fetch(`${stack.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${stack.env.METRICS_TOKEN}` },
    });
    expect(right.status).toBe(200);
  });
});

describe('rate limits', () => {
  let stack: TestStack;
  // Each test speaks from its own addresses (TRUST_PROXY trusts one X-Forwarded-For hop), so counters never collide.
  let next = Math.floor(Math.random() * 60_000);
  const address = () => {
    next += 1;
    return `10.${(next >> 8) & 255}.${next & 255}.7`;
  };
  beforeAll(async () => {
    stack = await startTestStack('abuse-limits', {
      workers: [],
      env: {
        TRUST_PROXY: 'true',
        LOGIN_MAX_FAILURES_PER_ACCOUNT: '5',
        LOGIN_MAX_FAILURES_PER_ADDRESS: '8',
        AUTH_REQUESTS_PER_ADDRESS_PER_MINUTE: '12',
        API_REQUESTS_PER_KEY_PER_MINUTE: '10',
        WEBHOOK_REQUESTS_PER_ENDPOINT_PER_MINUTE: '3',
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('locks an account after repeated wrong passwords: 429 with Retry-After, even for the right password', async () => {
    const from = { 'x-forwarded-for': address() };
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await login(stack, stack.admin.email, `wrong-${i}`, from)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const right = await login(stack, stack.admin.email, stack.admin.password, from);
    expect(right.status).toBe(429);
    expect(right.headers.get('content-type')).toContain('application/problem+json');
    expect(right.body).toMatchObject({ status: 429, type: 'https://studioflow.dev/problems/rate-limited' });
    expect(right.body.detail).toMatch(/account/);
    const retryAfter = Number(right.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(right.headers.get('set-cookie')).toBeNull();
    // From another address too: the lock is on the account.
    expect((await login(stack, stack.admin.email, stack.admin.password, { 'x-forwarded-for': address() })).status).toBe(
      429,
    );
    // The counters live in PostgreSQL: another API process over the same database refuses as well.
    const [rows] = await stack.db.sequelize.query(
      "SELECT count(*)::int AS n FROM rate_limits WHERE key LIKE 'login-%'",
    );
    expect((rows as { n: number }[])[0].n).toBeGreaterThan(0);
    const replica = await startServer(
      { config: stack.config, db: stack.db, temporal: stack.client },
      { port: 0, host: '127.0.0.1' },
    );
    try {
      const res = await fetch(`${replica.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': address() },
        body: JSON.stringify({ email: stack.admin.email, password: stack.admin.password }),
      });
      expect(res.status).toBe(429);
    } finally {
      await stopServer(replica);
    }
  });

  it('locks an address that fails on many accounts, and limits requests per address', async () => {
    const from = { 'x-forwarded-for': address() };
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await login(stack, `nobody-${randomUUID()}@example.test`, 'guess', from)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429, 429]);
    const res = await login(stack, `someone-${randomUUID()}@example.test`, 'guess', from);
    expect(res.status).toBe(429);
    expect(res.body.detail).toMatch(/address/);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    // A client cannot escape by writing its own X-Forwarded-For: only the proxy's hop counts.
    const spoofed = { 'x-forwarded-for': `198.51.100.9, ${from['x-forwarded-for']}` };
    expect((await login(stack, `other-${randomUUID()}@example.test`, 'guess', spoofed)).status).toBe(429);

    // Every request to an unauthenticated auth route counts per address (12 a minute here), successful ones too.
    const user = { email: `busy-${randomUUID()}@example.test`, password: `pw-${randomUUID()}` };
    await stack.server.services.accounts.createUser(stack.workspaceId, { ...user, name: 'Busy', role: 'viewer' });
    const other = { 'x-forwarded-for': address() };
    const oks: number[] = [];
    for (let i = 0; i < 13; i++) oks.push((await login(stack, user.email, user.password, other)).status);
    expect(oks).toEqual([...Array(12).fill(200), 429]);
  });

  it('limits webhook deliveries per endpoint', async () => {
    const created = await stack.request('POST', '/api/v1/webhook-endpoints', {
      name: 'CRM',
      automation: 'social-post',
      inputMapping: { brandId: '00000000-0000-4000-8000-000000000000', platform: 'x', postType: 'tips' },
    });
    expect(created.status).toBe(201);
    const deliver = (endpoint: string) =>
      stack.request('POST', `/api/v1/hooks/${endpoint}`, undefined, {
        key: null,
        raw: '{}',
        headers: {
          'content-type': 'application/json',
          'webhook-id': `msg_${randomUUID()}`,
          'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
          'webhook-signature': 'v1,bm90LWEtc2lnbmF0dXJl',
        },
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await deliver(created.body.id)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await deliver(created.body.id);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.body.type).toBe('https://studioflow.dev/problems/rate-limited');
    // Another endpoint is counted on its own.
    expect((await deliver(randomUUID())).status).not.toBe(429);
  });

  it('limits API requests per key', async () => {
    const principal = {
      workspaceId: stack.workspaceId,
      role: 'admin' as const,
      kind: 'user' as const,
      id: stack.admin.id,
      name: stack.admin.email,
    };
    const { key } = await stack.server.services.accounts.createApiKey(principal, 'busy integration', 'viewer');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await stack.request('GET', '/api/v1/brands', undefined, { key })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses[10]).toBe(429);
    const limited = await stack.request('GET', '/api/v1/brands', undefined, { key });
    expect(limited.body.detail).toMatch(/API key/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const { key: other } = await stack.server.services.accounts.createApiKey(principal, 'quiet one', 'viewer');
    expect((await stack.request('GET', '/api/v1/brands', undefined, { key: other })).status).toBe(200);
  });
});

describe('production configuration', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('abuse-prod', {
      workers: [],
      // Production refuses to start without keys for secrets at rest.
      env: { NODE_ENV: 'production', METRICS_TOKEN: '', SECRETS_KEYS: generateKeyEntry('prod') },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('marks the session cookie Secure and refuses SECURE_COOKIES=false', async () => {
    const res = await login(stack, stack.admin.email, stack.admin.password);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    expect(() => loadConfig({ ...stack.env, SECURE_COOKIES: 'false' })).toThrow(/SECURE_COOKIES/);
  });

  it('closes /metrics when no METRICS_TOKEN is configured', async () => {
    const res = await fetch(`${stack.baseUrl}/metrics`);
    expect(res.status).toBe(401);
    expect((await res.json()).detail).toMatch(/METRICS_TOKEN/);
  });
});
