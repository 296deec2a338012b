/**
 * Issue 12's "done when", end to end through the API: a user connects the brand's X account (OAuth with PKCE against
 * the local fake provider), plans a week of posts on the calendar (compressed to seconds, plus one days ahead), lets
 * the daily generation draft more, approves one, and sees each due entry publish at its minute on the brand's channel
 * and on the fake X, once; ready copy as written. Then a revoked grant: the X entry is failed with the reconnect
 * reason, the account flagged `reconnect_needed`, the provider asked to refresh at most once.
 */
import { QueryTypes } from 'sequelize';
import { calendarWorkflowId } from '../../workflows/editorial-calendar-messages';
import { endCalendars, entryOf, localIn, waitForEntry } from '../support/calendar-helpers';
import { startFakeOAuthProvider, type FakeOAuthProvider, xAppEnv } from '../fakes/oauth-provider-server';
import { startFakeXServer, type FakeXServer } from '../fakes/platforms/x-server';
import { startTestStack, waitFor, type TestStack } from '../support/harness';

const ZONE = 'Europe/Rome';
let provider: FakeOAuthProvider;
let x: FakeXServer;
let stack: TestStack;
const brands: string[] = [];

beforeAll(async () => {
  provider = await startFakeOAuthProvider();
  x = await startFakeXServer({ acceptTokens: () => provider.activeAccessTokens(), processingPolls: 0 });
  stack = await startTestStack('calendar-platforms', {
    workers: ['main', 'browser'],
    env: {
      CALENDAR_CHECK_LEAD_SECONDS: '3',
      ...xAppEnv(provider, x),
      PUBLISH_POLL_INTERVAL_MS: '20',
    },
  });
  const settings = await stack.request('PUT', '/api/v1/calendar/settings', {
    timeZone: ZONE,
    generationTime: '06:00',
    generationDays: 2,
    postTime: '10:00',
  });
  expect(settings.status).toBe(200);
}, 120_000);

afterAll(async () => {
  await endCalendars(stack, brands);
  for (const kind of ['generation', 'analytics'])
    await stack?.client.schedule
      .getHandle(`calendar-${kind}/${stack.workspaceId}`)
      .delete()
      .catch(() => undefined);
  await stack?.stop();
  await x?.close();
  await provider?.close();
});

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
async function triggerAnalytics() {
  const res = await stack.request('POST', '/api/v1/calendar/schedule-actions', {
    schedule: 'analytics',
    action: 'trigger',
  });
  expect(res.status).toBe(200);
}

/** Waits until `n` analytics runs this file triggered have completed. */
async function waitForAnalyticsRuns(n: number) {
  await waitFor(`${n} analytics runs completed`, async () => {
    const done = [];
    for await (const run of stack.client.workflow.list({
      query: `WorkflowType = 'calendarAnalyticsWorkflow' AND ExecutionStatus = 'Completed'`,
    }))
      if (run.workflowId.startsWith(`calendar-analytics/${stack.workspaceId}`)) done.push(run);
    return done.length >= n ? done : undefined;
  });
}

async function newBrand(name: string) {
  const brand = await stack.brand({ name: `${name} ${Date.now()}` });
  brands.push(brand.id);
  return brand;
}

/** The connect flow as a browser goes through it: start, the provider's page, our callback, back to the UI. */
async function connectX(brandId: string) {
  const started = await stack.request('POST', `/api/v1/brands/${brandId}/connected-accounts/x/connect`);
  expect(started.status).toBe(201);
  const approved = await fetch(started.body.authorizeUrl, { redirect: 'manual' });
  expect(approved.status).toBe(302);
  const back = await fetch(approved.headers.get('location')!, { redirect: 'manual' });
  expect(back.status).toBe(303);
  expect(back.headers.get('location')).toMatch(/connected=1$/);
}

async function xAccount(brandId: string) {
  const res = await stack.request('GET', `/api/v1/brands/${brandId}/connected-accounts`);
  expect(res.status).toBe(200);
  return res.body.items.find((i: { platform: string }) => i.platform === 'x').account;
}

async function create(body: Record<string, unknown>) {
  const res = await stack.request('POST', '/api/v1/calendar/entries', body);
  if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A status, or the answer's body in the failure message. */
function expectStatus(res: { status: number; body: unknown }, status: number) {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
}

interface Post {
  caption: string;
  workflow_id: string;
}
const postsOf = (brandId: string) =>
  stack.db.sequelize.query<Post>('SELECT caption, workflow_id FROM posts WHERE brand_id = :brandId', {
    replacements: { brandId },
    type: QueryTypes.SELECT,
  });

const prefixOf = (e: { brandId: string; id: string; version: number }) =>
  `${calendarWorkflowId(e.brandId)}/entry/${e.id}/v${e.version}`;
const tweetsCreated = () => x.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets' && r.status === 201);
const tweetTextOf = (r: { body: Buffer }) => JSON.parse(r.body.toString('utf8')).text as string;

describe('the calendar publishing to the brand channel and X', () => {
  it('connects X, plans a week, drafts and approves more, and publishes each due entry once on both targets', async () => {
    const brand = await newBrand('Platform Roasters');
    await connectX(brand.id);
    expect(await xAccount(brand.id)).toMatchObject({ status: 'connected' });
    const tweetsBefore = tweetsCreated().length;
    const refreshesBefore = provider.calls.refreshes;

    // The week, compressed: two entries with ready copy and one with a topic, seconds apart; one five days ahead.
    const copies = [
      { caption: 'Monday: Ethiopian natural, roasted this morning.', hashtags: ['freshcoffee'] },
      { caption: 'Wednesday: our decaf is water-processed, no solvents.', hashtags: ['decaf'] },
    ];
    const targets = ['local', 'x'];
    const monday = await create({
      brandId: brand.id,
      localAt: localIn(ZONE, 8),
      platforms: targets,
      copy: copies[0],
      status: 'scheduled',
    });
    const tuesday = await create({
      brandId: brand.id,
      localAt: localIn(ZONE, 11),
      platforms: targets,
      topic: 'Pour-over ratios',
      status: 'scheduled',
    });
    const wednesday = await create({
      brandId: brand.id,
      localAt: localIn(ZONE, 14),
      platforms: targets,
      copy: copies[1],
      status: 'scheduled',
    });
    const later = await create({
      brandId: brand.id,
      localAt: localIn(ZONE, 5 * 86_400),
      platforms: targets,
      topic: 'Holiday blends',
      status: 'scheduled',
    });
    for (const e of [monday, tuesday, wednesday, later]) {
      expect(e.validation).toMatchObject({ ok: true });
      expect(e.armed).toBe(true);
    }

    // The daily generation drafts the next days; one draft is taken to X too, re-timed and approved.
    const from = new Date(Date.now() + 3_600_000).toISOString();
    const to = new Date(Date.now() + 4 * 86_400_000).toISOString();
    const trigger = await stack.request('POST', '/api/v1/calendar/schedule-actions', {
      schedule: 'generation',
      action: 'trigger',
    });
    expect(trigger.status).toBe(200);
    const drafts = await waitFor(
      'generated drafts',
      async () => {
        const res = await stack.request(
          'GET',
          `/api/v1/calendar/entries?brandId=${brand.id}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
        );
        const generated = (res.body.items ?? []).filter((e: { source: string }) => e.source === 'generated');
        return generated.length === 2 ? generated : undefined;
      },
      60_000,
    );
    const draft = drafts[0];
    expect(draft).toMatchObject({ status: 'draft', source: 'generated' });
    // Drafted for the channel (LinkedIn's limits): the user shortens it for X as they add it.
    const edited = {
      ...draft.copy,
      caption: `${draft.copy.caption.split(/(?<=[.!?])\s/)[0].slice(0, 150)} (${draft.topic})`,
      hashtags: draft.copy.hashtags.slice(0, 2),
    };
    const retimed = await stack.request('PATCH', `/api/v1/calendar/entries/${draft.id}`, {
      version: draft.version,
      localAt: localIn(ZONE, 8),
      platforms: targets,
      copy: edited,
    });
    expectStatus(retimed, 200);
    const approved = await stack.request('POST', `/api/v1/calendar/entries/${draft.id}/approve`, {
      version: retimed.body.version,
    });
    expectStatus(approved, 200);
    expect(approved.body.status).toBe('scheduled');

    // Each due entry publishes at its minute on both targets.
    const due = [monday, tuesday, wednesday, { ...approved.body }];
    const published = [];
    for (const e of due) published.push(await waitForEntry(stack, e.id, 'published', 120_000));
    for (const [i, p] of published.entries()) {
      const e = due[i];
      expect(Date.parse(p.updatedAt)).toBeGreaterThanOrEqual(Date.parse(e.dueAt));
      expect(p.results).toEqual([
        { platform: 'local', url: expect.stringContaining('/c/') },
        { platform: 'x', url: expect.stringMatching(/\/status\/\d+$/) },
      ]);
      expect(p.runs).toEqual([`${prefixOf(p)}/local`, `${prefixOf(p)}/x`]);
    }

    // Once each on the channel, one post per entry, from that entry's local child.
    const posts = await postsOf(brand.id);
    expect(posts).toHaveLength(due.length);
    for (const p of published)
      expect(posts.filter((post) => post.workflow_id.includes(`/entry/${p.id}/`))).toEqual([
        expect.objectContaining({ workflow_id: expect.stringMatching(/\/local$/) }),
      ]);
    // Once each on X: one tweet per entry, nothing else.
    const tweets = tweetsCreated().slice(tweetsBefore);
    expect(tweets).toHaveLength(due.length);
    const tweetIds = published.map((p) => /\/status\/(\d+)$/.exec(p.results[1].url)![1]);
    expect(new Set(tweetIds).size).toBe(due.length);
    for (const id of tweetIds) expect(x.tweets.get(id)?.mediaIds).toHaveLength(1);
    expect(x.count((r) => r.path === '/2/tweets' && r.method === 'POST' && r.status !== 201)).toBe(0);
    expect(provider.calls.refreshes).toBe(refreshesBefore);

    // Ready copy as written, on both.
    for (const copy of [...copies, edited]) {
      expect(posts.filter((p) => p.caption === copy.caption)).toHaveLength(1);
      const tags = copy.hashtags.map((t: string) => `#${t.replace(/^#/, '')}`).join(' ');
      expect(tweets.map(tweetTextOf)).toContain(tags ? `${copy.caption}\n\n${tags}` : copy.caption);
    }

    // The far-future entry stays scheduled; nothing of it was published.
    const still = await entryOf(stack, later.id);
    expect(still.status).toBe('scheduled');
    expect(still.runs ?? []).toEqual([]);
    expect(posts.some((p) => p.workflow_id.includes(`/entry/${later.id}/`))).toBe(false);
    // Settled: a few seconds on, still once everywhere.
    await new Promise((r) => setTimeout(r, 4_000));
    expect(await postsOf(brand.id)).toHaveLength(due.length);
    expect(tweetsCreated().length - tweetsBefore).toBe(due.length);

    // The hourly analytics read the posts' stats on X through the brand's account into its KPIs.
    tweetIds.forEach((id, i) => x.setStats(id, { views: 100 * (i + 1), likes: 4, comments: 1 }));
    const reads = x.count((r) => r.method === 'GET' && r.path.startsWith('/2/tweets/'));
    await triggerAnalytics();
    const read = await waitFor(
      'the tweets read into the publications',
      async () => {
        const rows = await stack.db.sequelize.query<{ stats: { views: number } | null }>(
          `SELECT stats FROM publications WHERE brand_id = :brandId AND platform = 'x' AND status = 'published'`,
          { replacements: { brandId: brand.id }, type: QueryTypes.SELECT },
        );
        return rows.length === due.length && rows.every((r) => r.stats) ? rows : undefined;
      },
      60_000,
    );
    const views = read.map((r) => r.stats!.views).sort((a, b) => a - b);
    expect(views).toEqual(tweetIds.map((_, i) => 100 * (i + 1)));
    const kpis = await waitFor('KPIs with the X views', async () => {
      const res = await stack.request('GET', `/api/v1/brands/${brand.id}/kpis`);
      const week = res.body.items?.find((k: { views: number | null }) => (k.views ?? 0) >= sum(views));
      return week ? res.body.items : undefined;
    });
    expect(kpis.some((k: { engagementRate: number | null }) => (k.engagementRate ?? 0) > 0)).toBe(true);
    // Read again within the hour: nothing is asked of X twice.
    const readsAfterFirst = x.count((r) => r.method === 'GET' && r.path.startsWith('/2/tweets/'));
    expect(readsAfterFirst - reads).toBe(due.length);
    // (A trigger while a run is open is skipped by the schedule's overlap policy.)
    await waitForAnalyticsRuns(1);
    await triggerAnalytics();
    await waitForAnalyticsRuns(2);
    expect(x.count((r) => r.method === 'GET' && r.path.startsWith('/2/tweets/'))).toBe(readsAfterFirst);
  }, 300_000);

  it('a revoked grant fails the X entry with the reconnect reason, flags the account, and is not retried', async () => {
    const brand = await newBrand('Revoked Roasters');
    await connectX(brand.id);
    // The user removed the app on X, and the access token has expired: the refresh will be refused.
    provider.revokeAll();
    await stack.db.sequelize.query(
      `UPDATE connected_accounts SET expires_at = now() - interval '1 minute' WHERE brand_id = :brandId`,
      { replacements: { brandId: brand.id } },
    );
    const refreshes = provider.calls.refreshes;
    const tweetsBefore = tweetsCreated().length;
    const entry = await create({
      brandId: brand.id,
      localAt: localIn(ZONE, 6),
      platforms: ['x'],
      copy: { caption: 'Thursday: cold brew is back.', hashtags: ['coldbrew'] },
      status: 'scheduled',
    });
    // Expired but refreshable, as far as anyone knows before the time: scheduled without a flag.
    expect(entry.validation).toMatchObject({ ok: true });
    const failed = await waitForEntry(stack, entry.id, 'failed', 120_000);
    expect(failed.failure).toMatch(/^x: .*needs to be reconnected.*invalid_grant/);
    expect(failed.results).toEqual([{ platform: 'x', error: expect.stringMatching(/needs to be reconnected/) }]);
    expect(failed.runs).toEqual([`${prefixOf(entry)}/x`]);
    const account = await xAccount(brand.id);
    expect(account).toMatchObject({ status: 'reconnect_needed' });
    expect(account.lastError).toMatch(/invalid_grant/);
    // One refresh, refused; the publish was not retried.
    expect(provider.calls.refreshes - refreshes).toBe(1);

    // Not retried forever: the next X entry is flagged when scheduled and failed at its time, the provider not asked.
    const next = await create({
      brandId: brand.id,
      localAt: localIn(ZONE, 5),
      platforms: ['x'],
      copy: { caption: 'Friday: cold brew, second batch.', hashtags: ['coldbrew'] },
      status: 'scheduled',
    });
    expect(next.validation.ok).toBe(false);
    expect(next.validation.problems).toEqual([
      { platform: 'x', field: 'account', message: expect.stringMatching(/X needs to be reconnected: .*invalid_grant/) },
    ]);
    const refused = await waitForEntry(stack, next.id, 'failed', 60_000);
    expect(refused.failure).toMatch(/^x: X needs to be reconnected/);
    expect(refused.validation.stage).toBe('run');
    expect((await entryOf(stack, entry.id)).status).toBe('failed');
    expect(provider.calls.refreshes - refreshes).toBe(1);
    expect(tweetsCreated().length).toBe(tweetsBefore);
    expect(await postsOf(brand.id)).toEqual([]);
  }, 180_000);
});
