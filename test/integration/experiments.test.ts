/**
 * A/B experiments over HTTP on the real stack: creation with its checks and defaults, the list, sticky assignment
 * (recorded once per unit while running, the control for a draft), idempotent events with per-unit counting, and the
 * per-variant stats. The experiment is set running through the repository (the workflow that starts it is separate).
 */
import { createExperimentRepository } from '../../db/repositories/experiment.repository';
import { startTestStack, type TestStack } from '../support/harness';

let stack: TestStack;
let other: TestStack;
let brandId: string;

beforeAll(async () => {
  [stack, other] = await Promise.all([
    startTestStack('experiments', { workers: [] }),
    startTestStack('experiments-other', { workers: [] }),
  ]);
  brandId = (await stack.brand({ name: 'Split Coffee' })).id;
});
afterAll(async () => {
  await Promise.all([stack?.stop(), other?.stop()]);
});

const postExperiment = (fields: Record<string, unknown> = {}) =>
  stack.request('POST', '/api/v1/experiments', {
    brandId,
    name: 'Shorter captions',
    hypothesis: 'A shorter caption gets more clicks on the call to action',
    kind: 'post',
    variants: [
      {
        key: 'A',
        name: 'Long',
        weight: 50,
        content: { caption: 'A long caption about our beans.', callToAction: 'Shop' },
      },
      { key: 'B', name: 'Short', weight: 50, content: { caption: 'Beans.', callToAction: 'Shop' } },
    ],
    ...fields,
  });

const setStatus = (id: string, status: 'running' | 'paused') =>
  createExperimentRepository(stack.db).updateState(stack.workspaceId, id, { status, started: true });

describe('creating experiments', () => {
  it('creates a draft with the first variant as control and guarded defaults', async () => {
    const res = await postExperiment();
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/v1/experiments/${res.body.id}`);
    expect(res.body).toMatchObject({
      status: 'draft',
      unit: 'visitor',
      metric: 'click',
      config: {
        alpha: 0.05,
        minSamplePerVariant: 1000,
        minDurationHours: 168,
        maxDurationDays: 28,
        expectedBaselineRate: 0.05,
      },
    });
    expect(res.body.variants.map((v: any) => [v.key, v.control, v.content.hashtags])).toEqual([
      ['A', true, []],
      ['B', false, []],
    ]);
  });

  it('names the field at fault', async () => {
    const bad = await postExperiment({
      variants: [
        { key: 'A', name: 'One', weight: 50, content: { caption: 'x', callToAction: 'Go' } },
        { key: 'A', name: 'Two', weight: 50, content: { callToAction: 'Go' } },
      ],
      guardrails: [{ metric: 'click' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'guardrails',
      'variants.1.content.caption',
      'variants.1.key',
    ]);
    const six = await postExperiment({
      variants: 'ABCDEF'
        .split('')
        .map((key) => ({ key, name: key, weight: 10, content: { caption: 'x', callToAction: 'y' } })),
    });
    expect(six.body.errors).toEqual([{ field: 'variants', message: expect.stringMatching(/5/) }]);
    const elsewhere = await other.request('POST', '/api/v1/experiments', { ...(await postBody()), brandId });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.errors).toEqual([{ field: 'brandId', message: 'no such brand in this workspace' }]);
  });

  it('lists newest first, a page at a time', async () => {
    for (let i = 0; i < 3; i++) await postExperiment({ name: `Page ${i}` });
    const first = await stack.request('GET', `/api/v1/experiments?limit=2&brandId=${brandId}`);
    expect(first.body.items).toHaveLength(2);
    const second = await stack.request(
      'GET',
      `/api/v1/experiments?limit=2&cursor=${first.body.nextCursor}&brandId=${brandId}`,
    );
    const names = [...first.body.items, ...second.body.items].map((e: { name: string }) => e.name);
    expect(names.slice(0, 3)).toEqual(['Page 2', 'Page 1', 'Page 0']);
    expect(new Set(names).size).toBe(names.length);
  });
});

async function postBody() {
  return {
    name: 'x',
    hypothesis: 'y',
    kind: 'free',
    variants: [
      { key: 'A', name: 'A', weight: 1, content: {} },
      { key: 'B', name: 'B', weight: 1, content: {} },
    ],
  };
}

describe('assignment and events', () => {
  it('serves the control to a draft, then a sticky split that records each unit once', async () => {
    const { body: experiment } = await postExperiment({ name: 'Sticky' });
    const assign = (unit: string) =>
      stack.request('GET', `/api/v1/experiments/${experiment.id}/assignment?unit=${encodeURIComponent(unit)}`);

    const draft = await assign('visitor-1');
    expect(draft.body).toMatchObject({ status: 'draft', variant: { key: 'A' }, recorded: false });

    await setStatus(experiment.id, 'running');
    // The service caches an experiment for 2 s: wait it out so the status change is seen.
    await new Promise((r) => setTimeout(r, 2_100));
    const seen = new Map<string, string>();
    for (let i = 0; i < 200; i++) {
      const res = await assign(`visitor-${i}`);
      expect(res.status).toBe(200);
      expect(res.body.recorded).toBe(true);
      seen.set(`visitor-${i}`, res.body.variant.key);
    }
    for (let i = 0; i < 50; i++) {
      const again = await assign(`visitor-${i}`);
      expect(again.body).toMatchObject({ variant: { key: seen.get(`visitor-${i}`) }, recorded: false });
    }
    const shares = [...seen.values()].filter((k) => k === 'A').length / 200;
    expect(shares).toBeGreaterThan(0.38);
    expect(shares).toBeLessThan(0.62);

    const { body } = await stack.request('GET', `/api/v1/experiments/${experiment.id}`);
    expect(body.stats.reduce((n: number, s: { exposures: number }) => n + s.exposures, 0)).toBe(200);
  });

  it('counts events once by id, a conversion once per unit, and refuses unknown metrics', async () => {
    const { body: experiment } = await postExperiment({ name: 'Events', guardrails: [{ metric: 'unsubscribe' }] });
    await setStatus(experiment.id, 'running');
    const events = (body: unknown) => stack.request('POST', `/api/v1/experiments/${experiment.id}/events`, body);
    const batch = [
      { eventId: 'e1', unit: 'u1', type: 'exposure' },
      { eventId: 'e2', unit: 'u2', type: 'exposure' },
      { eventId: 'e3', unit: 'u1', type: 'conversion' },
      { eventId: 'e4', unit: 'u1', type: 'conversion' },
      // A conversion of a unit never exposed records its exposure too.
      { eventId: 'e5', unit: 'u3', type: 'conversion' },
      { eventId: 'e6', unit: 'u2', type: 'conversion', metric: 'unsubscribe' },
    ];
    const first = await events(batch);
    expect(first.body).toEqual({ accepted: 6, duplicates: 0, counted: 5 });
    const again = await events(batch);
    expect(again.body).toEqual({ accepted: 0, duplicates: 6, counted: 0 });

    const { body } = await stack.request('GET', `/api/v1/experiments/${experiment.id}`);
    const total = (key: 'exposures' | 'conversions') =>
      body.stats.reduce((n: number, s: Record<string, number>) => n + s[key], 0);
    expect(total('exposures')).toBe(3);
    expect(total('conversions')).toBe(2);
    expect(body.stats.reduce((n: number, s: any) => n + s.guardrails.unsubscribe, 0)).toBe(1);

    const unknown = await events([
      { eventId: 'e7', unit: 'u1', type: 'exposure' },
      { eventId: 'e8', unit: 'u1', type: 'conversion', metric: 'purchase' },
    ]);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      { field: '1.metric', message: "not one of this experiment's metrics (click, unsubscribe)" },
    ]);

    await setStatus(experiment.id, 'paused');
    await new Promise((r) => setTimeout(r, 2_100));
    const paused = await events({ eventId: 'e9', unit: 'u9', type: 'exposure' });
    expect(paused.status).toBe(409);
    expect(paused.body.detail).toMatch(/paused/);
  });

  it("serves a post experiment on the brand's channel, sticky per visitor, counting views and clicks", async () => {
    const brand = await stack.request('GET', `/api/v1/brands/${brandId}`);
    const slug = brand.body.slug as string;
    const { body: experiment } = await postExperiment({ name: 'Channel' });
    await setStatus(experiment.id, 'running');
    const pageUrl = `${stack.baseUrl}/c/${slug}/x/${experiment.id}`;
    const browser = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36' };

    const visit = async (cookie?: string) => {
      const res = await fetch(pageUrl, { headers: { ...browser, ...(cookie ? { cookie } : {}) } });
      const html = await res.text();
      return {
        status: res.status,
        cookie: cookie ?? res.headers.get('set-cookie')!.split(';')[0],
        variant: /data-variant="([A-Z])"/.exec(html)?.[1],
        html,
      };
    };
    const first = await visit();
    expect(first.status).toBe(200);
    expect(first.cookie).toMatch(/^sf_v=[A-Za-z0-9_-]{22}$/);
    expect(first.html).toContain('class="cta"');
    // The same visitor sees the same variant on every visit.
    for (let i = 0; i < 5; i++) expect((await visit(first.cookie)).variant).toBe(first.variant);

    // 60 visitors, a bot and a prefetch: the visitors are counted once each, the others not at all.
    const visitors = [first, ...(await Promise.all(Array.from({ length: 59 }, () => visit())))];
    await fetch(pageUrl, { headers: { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' } });
    await fetch(pageUrl, { headers: { ...browser, 'sec-purpose': 'prefetch' } });
    expect(new Set(visitors.map((v) => v.variant))).toEqual(new Set(['A', 'B']));

    // A third of them click the call to action (twice, for some): each counts once and goes on to the channel.
    const clickers = visitors.filter((_, i) => i % 3 === 0);
    for (const v of clickers) {
      const res = await fetch(`${pageUrl}/go`, { headers: { ...browser, cookie: v.cookie }, redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`${stack.config.api.publicUrl}/c/${slug}`);
    }
    await fetch(`${pageUrl}/go`, { headers: { ...browser, cookie: clickers[0].cookie }, redirect: 'manual' });

    const { body } = await stack.request('GET', `/api/v1/experiments/${experiment.id}`);
    const byKey = Object.fromEntries(body.stats.map((s: any) => [s.key, s]));
    for (const key of ['A', 'B']) {
      expect(byKey[key].exposures).toBe(visitors.filter((v) => v.variant === key).length);
      expect(byKey[key].conversions).toBe(clickers.filter((v) => v.variant === key).length);
    }

    // Another brand's channel does not serve it.
    const otherBrand = await stack.brand({ name: 'Other Beans' });
    expect((await fetch(`${stack.baseUrl}/c/${otherBrand.slug}/x/${experiment.id}`, { headers: browser })).status).toBe(
      404,
    );
  });

  it('takes concurrent batches over the same units in any order, counting each unit once', async () => {
    const { body: experiment } = await postExperiment({ name: 'Concurrent' });
    await setStatus(experiment.id, 'running');
    const units = Array.from({ length: 60 }, (_, i) => `cu-${i}`);
    const batch = (tag: string, order: string[]) =>
      order.flatMap((unit) => [
        { eventId: `${tag}-x-${unit}`, unit, type: 'exposure' },
        { eventId: `${tag}-c-${unit}`, unit, type: 'conversion' },
      ]);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        stack.request(
          'POST',
          `/api/v1/experiments/${experiment.id}/events`,
          batch(`b${i}`, i % 2 ? [...units].reverse() : units),
        ),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    // Every event id is new, but each unit is exposed and converts once, whichever batch got there first.
    expect(results.reduce((n, r) => n + r.body.accepted, 0)).toBe(8 * 120);
    expect(results.reduce((n, r) => n + r.body.counted, 0)).toBe(120);
    const { body } = await stack.request('GET', `/api/v1/experiments/${experiment.id}`);
    expect(body.stats.reduce((n: number, s: any) => n + s.exposures, 0)).toBe(60);
    expect(body.stats.reduce((n: number, s: any) => n + s.conversions, 0)).toBe(60);
  });

  it("keeps another workspace's experiments out of reach", async () => {
    const { body: experiment } = await postExperiment({ name: 'Private' });
    expect((await other.request('GET', `/api/v1/experiments/${experiment.id}`)).status).toBe(404);
    expect((await other.request('GET', `/api/v1/experiments/${experiment.id}/assignment?unit=u`)).status).toBe(404);
  });
});
