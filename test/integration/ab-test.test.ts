/**
 * The A/B test on the real stack, as a user runs it: a post experiment started as an `ab-test` run, simulated traffic
 * on the brand channel with known true click rates (seeded), a verdict for the truly better variant, the user's
 * promotion and the winning post published; and an experiment whose counts break its weights paused for a sample
 * ratio mismatch, then stopped; a clear winner held off until the minimum sample is reached; a winner blocked by a
 * guardrail that regressed. Every evaluation is kept and served as the experiment's series. Evaluations run every 3 s
 * here (the API allows that; a minute or more in practice).
 */
import { assignVariant } from '../../lib/abtest/assignment';
import { seededRandom } from '../../lib/abtest/random';
import { abTraffic, evaluationsOf as evaluationsOfStack } from '../support/ab-traffic';
import { startTestStack, waitFor, waitForRun, type TestStack } from '../support/harness';

let stack: TestStack;
let brand: { id: string; slug: string };

beforeAll(async () => {
  stack = await startTestStack('ab-test', { workers: ['main'] });
  brand = await stack.brand({ name: 'Split Roasters' });
});
afterAll(async () => {
  await stack?.stop();
});

const FAST = {
  minSamplePerVariant: 150,
  minDurationHours: 0,
  evaluateEveryMinutes: 0.05,
  maxDurationDays: 2,
  // Planned for a few hundred visitors a variant: the sequential test is sharpest there.
  plannedSamplePerVariant: 400,
};
const browser = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36' };

const evaluationsOf = (experimentId: string) => evaluationsOfStack(stack, experimentId);

async function startAbTest(fields: Record<string, unknown>) {
  const created = await stack.request('POST', '/api/v1/experiments', {
    brandId: brand.id,
    name: 'Shorter captions',
    hypothesis: 'A short caption gets more clicks on the call to action',
    config: FAST,
    ...fields,
  });
  expect(created.status).toBe(201);
  const run = await stack.request('POST', '/api/v1/runs', {
    automation: 'ab-test',
    input: { experimentId: created.body.id, approval: { required: true, timeoutSeconds: 600, onTimeout: 'reject' } },
  });
  expect(run.status).toBe(201);
  await waitForRun(stack, run.body.id, (r) => r.progress?.steps?.[0]?.status === 'done');
  return { experiment: created.body, runId: run.body.id as string };
}

describe('an A/B test of two posts on the brand channel', () => {
  it('finds the truly better variant from simulated traffic and publishes it once promoted', async () => {
    const { experiment, runId } = await startAbTest({
      kind: 'post',
      variants: [
        {
          key: 'A',
          name: 'Long',
          weight: 50,
          content: {
            caption: 'Our single-origin beans, roasted every Tuesday in small batches.',
            callToAction: 'Shop beans',
          },
        },
        {
          key: 'B',
          name: 'Short',
          weight: 50,
          content: { caption: 'Fresh beans. Tuesday.', callToAction: 'Shop beans' },
        },
      ],
    });
    const again = await stack.request('POST', '/api/v1/runs', {
      automation: 'ab-test',
      input: { experimentId: experiment.id, approval: { required: true, timeoutSeconds: 600, onTimeout: 'reject' } },
    });
    expect(again.status).toBe(200); // the experiment's run, found again: one run per experiment

    // Visitors with known true click rates: A 6 %, B 18 %.
    const random = seededRandom(2026);
    const page = `${stack.baseUrl}/c/${brand.slug}/x/${experiment.id}`;
    const seen = { A: 0, B: 0 };
    let visitorOfA = '';
    for (let i = 0; i < 700; i++) {
      const res = await fetch(page, { headers: browser });
      const html = await res.text();
      const variant = /data-variant="([AB])"/.exec(html)![1] as 'A' | 'B';
      seen[variant] += 1;
      const cookie = res.headers.get('set-cookie')!.split(';')[0];
      if (variant === 'A') visitorOfA ||= cookie;
      if (random.uniform() < (variant === 'A' ? 0.06 : 0.18))
        await fetch(`${page}/go`, { headers: { ...browser, cookie }, redirect: 'manual' });
    }
    expect(seen.A + seen.B).toBe(700);

    const waiting = await waitForRun(stack, runId, (r) => r.progress?.approvals?.length === 1, 90_000);
    const approval = waiting.progress.approvals[0];
    expect(approval).toMatchObject({
      kind: 'ab-verdict',
      title: 'Promote B?',
      content: { promote: 'B', action: 'stop-winner' },
    });
    // The sequential test may stop as soon as the evidence is there, before the traffic ends; never before the minimum.
    for (const key of ['A', 'B'] as const) {
      expect(waiting.progress.counts[key]).toBeGreaterThanOrEqual(150);
      expect(waiting.progress.counts[key]).toBeLessThanOrEqual(seen[key]);
    }
    const evaluate = waiting.progress.steps.find((s: { name: string }) => s.name === 'evaluate');
    expect(evaluate.detail).toMatch(/^A \d+\/\d+ .* · B \d+\/\d+ /);

    const decided = await stack.request('POST', `/api/v1/runs/${encodeURIComponent(runId)}/approvals/${approval.id}`, {
      action: 'approve',
    });
    expect(decided.status).toBe(200);
    const done = await waitForRun(stack, runId, (r) => r.status === 'completed', 60_000);
    expect(done.result).toMatchObject({ status: 'promoted', promoted: 'B' });

    const { body } = await stack.request('GET', `/api/v1/experiments/${experiment.id}`);
    expect(body).toMatchObject({
      status: 'completed',
      decision: { promoted: 'B', outcome: 'promoted', action: 'stop-winner' },
    });
    // Every evaluation the run made is on the server, once, in order; the last is the verdict it asked about.
    const series = await evaluationsOf(experiment.id);
    expect(series).toHaveLength(done.result.evaluations);
    expect(series.map((e) => e.n)).toEqual(series.map((_, i) => i + 1));
    expect(series.slice(0, -1).every((e) => e.action === 'continue')).toBe(true);
    expect(series[series.length - 1]).toMatchObject({ action: 'stop-winner', winner: 'B' });
    for (const e of series) {
      expect(e.variants.map((v) => v.key)).toEqual(['A', 'B']);
      expect(e.variants[0].chanceToBeBest + e.variants[1].chanceToBeBest).toBeCloseTo(1, 9);
    }
    const exposures = series.map((e) => e.variants[0].exposures + e.variants[1].exposures);
    expect(exposures).toEqual([...exposures].sort((a, b) => a - b));
    // The promoted post is on the channel, and the experiment's page now shows everyone the winner, uncounted.
    const channel = await (await fetch(`${stack.baseUrl}/c/${brand.slug}`)).text();
    expect(channel).toContain('Fresh beans. Tuesday.');
    // A visitor who saw A sees B now (once the channel's 2 s cache of the experiment has gone by).
    await waitFor(
      'the winner served to a visitor of A',
      async () =>
        (await (await fetch(page, { headers: { ...browser, cookie: visitorOfA } })).text()).includes(
          'data-variant="B"',
        ),
      10_000,
      250,
    );
  });
});

describe('a sample ratio mismatch', () => {
  it('pauses the experiment until someone acts, and a stop ends it with the control kept', async () => {
    const { experiment, runId } = await startAbTest({
      name: 'Skewed',
      kind: 'free',
      variants: [
        { key: 'A', name: 'One', weight: 50, content: { headline: 'One' } },
        { key: 'B', name: 'Two', weight: 50, content: { headline: 'Two' } },
      ],
    });
    // A broken integration reports exposures for A's units far more often than B's.
    const variants = experiment.variants as { key: string; weight: number }[];
    const events = [];
    for (let i = 0; events.length < 400; i++) {
      const unit = `skewed-${i}`;
      const key = assignVariant(experiment.id, unit, variants).key;
      if (key === 'A' || i % 4 === 0) events.push({ eventId: `x-${unit}`, unit, type: 'exposure' });
    }
    const posted = await stack.request('POST', `/api/v1/experiments/${experiment.id}/events`, events);
    expect(posted.body.counted).toBe(400);

    const paused = await waitForRun(
      stack,
      runId,
      (r) => r.progress?.summary === 'Paused: sample ratio mismatch',
      60_000,
    );
    expect(paused.progress.steps.find((s: { name: string }) => s.name === 'evaluate').detail).toMatch(
      /^Sample ratio mismatch/,
    );
    expect((await stack.request('GET', `/api/v1/experiments/${experiment.id}`)).body.status).toBe('paused');
    const series = await evaluationsOf(experiment.id);
    expect(series[series.length - 1]).toMatchObject({ action: 'pause-srm', srmPValue: expect.any(Number) });
    expect(series[series.length - 1].srmPValue!).toBeLessThan(0.001);
    const refused = await stack.request('POST', `/api/v1/experiments/${experiment.id}/control`, { action: 'pause' });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toMatch(/already paused/);

    expect(
      (await stack.request('POST', `/api/v1/experiments/${experiment.id}/control`, { action: 'stop' })).status,
    ).toBe(200);
    const done = await waitForRun(stack, runId, (r) => r.status === 'completed', 60_000);
    expect(done.result).toMatchObject({ status: 'stopped', promoted: null });
    expect((await stack.request('GET', `/api/v1/experiments/${experiment.id}`)).body.status).toBe('stopped');
  });
});

describe('the guardrails of a decision', () => {
  const free = (name: string, fields: Record<string, unknown> = {}) =>
    startAbTest({
      name,
      kind: 'free',
      variants: [
        { key: 'A', name: 'One', weight: 50, content: { headline: 'One' } },
        { key: 'B', name: 'Two', weight: 50, content: { headline: 'Two' } },
      ],
      ...fields,
    });

  it('holds off a clear winner until every variant has the minimum sample', async () => {
    const { experiment, runId } = await free('Too early', { config: { ...FAST, minSamplePerVariant: 300 } });
    // 200 units each, A converting 1 in 20 and B 1 in 2: significant by far, but short of 300 each.
    const converts = (key: string, i: number) => (key === 'B' ? i % 2 === 0 : i % 20 === 0);
    await abTraffic(stack, experiment, { from: 0, perVariant: 200, converts });
    const early = await waitFor(
      'two evaluations of the first 200 each',
      async () => {
        const series = await evaluationsOf(experiment.id);
        const seen = series.filter((e) => e.variants.every((v) => v.exposures === 200));
        return seen.length >= 2 ? series : null;
      },
      60_000,
      500,
    );
    expect(early.every((e) => e.action === 'continue')).toBe(true);
    const last = early[early.length - 1];
    expect(last.reasons).toContain('minimum sample not reached: A has 200 of 300 exposures');
    expect(last.reasons).toContain('minimum sample not reached: B has 200 of 300 exposures');
    // The evidence was there: only the minimum sample held the decision.
    expect(last.variants[1].sequentialPValue).toBeLessThan(0.05);
    expect((await stack.request('GET', `/api/v1/runs/${encodeURIComponent(runId)}`)).body.progress.approvals).toEqual(
      [],
    );

    // The next 100 each reach the minimum: the verdict follows.
    await abTraffic(stack, experiment, { from: 100_000, perVariant: 100, converts });
    const waiting = await waitForRun(stack, runId, (r) => r.progress?.approvals?.length === 1, 60_000);
    expect(waiting.progress.approvals[0].content).toMatchObject({ promote: 'B', action: 'stop-winner' });
    const series = await evaluationsOf(experiment.id);
    const verdict = series.findIndex((e) => e.action !== 'continue');
    expect(series[verdict]).toMatchObject({ action: 'stop-winner', winner: 'B' });
    expect(series[verdict].variants.every((v) => v.exposures === 300)).toBe(true);
    expect(series.slice(0, verdict).every((e) => e.variants.some((v) => v.exposures < 300))).toBe(true);

    const approval = waiting.progress.approvals[0];
    await stack.request('POST', `/api/v1/runs/${encodeURIComponent(runId)}/approvals/${approval.id}`, {
      action: 'reject',
    });
    const done = await waitForRun(stack, runId, (r) => r.status === 'completed', 60_000);
    expect(done.result).toMatchObject({ status: 'kept-control', promoted: 'A' });
  });

  it('blocks the win of a variant whose guardrail metric regressed, and says why', async () => {
    const { experiment, runId } = await free('Unsubscribes', {
      metric: 'click',
      guardrails: [{ metric: 'unsubscribe', worseWhen: 'higher', maxChange: 0.1 }],
    });
    // B gets far more clicks, and far more unsubscribes: 1 in 5 against A's 1 in 50.
    await abTraffic(stack, experiment, {
      from: 0,
      perVariant: 200,
      converts: (key, i, metric) =>
        metric === 'click' ? (key === 'B' ? i % 2 === 0 : i % 20 === 0) : key === 'B' ? i % 5 === 0 : i % 50 === 0,
      metrics: ['click', 'unsubscribe'],
    });
    const series = await waitFor(
      'two evaluations of all the traffic',
      async () => {
        const all = await evaluationsOf(experiment.id);
        return all.filter((e) => e.variants.every((v) => v.exposures === 200)).length >= 2 ? all : null;
      },
      60_000,
      500,
    );
    const last = series[series.length - 1];
    expect(last.action).toBe('continue');
    expect(last.variants[1].sequentialPValue).toBeLessThan(0.05);
    expect(last.reasons[0]).toBe('B beats A but a guardrail regressed: unsubscribe');
    expect(last.guardrails).toEqual([
      expect.objectContaining({ metric: 'unsubscribe', variant: 'B', regressed: true, change: expect.closeTo(9, 9) }),
    ]);
    expect(series.every((e) => e.action === 'continue')).toBe(true);
    const { body } = await stack.request('GET', `/api/v1/experiments/${experiment.id}`);
    expect(body.decision.guardrails).toEqual(last.guardrails);
    expect(body.stats.map((v: { guardrails: Record<string, number> }) => v.guardrails.unsubscribe)).toEqual([4, 40]);
    expect((await stack.request('GET', `/api/v1/runs/${encodeURIComponent(runId)}`)).body.progress.approvals).toEqual(
      [],
    );

    expect(
      (await stack.request('POST', `/api/v1/experiments/${experiment.id}/control`, { action: 'stop' })).status,
    ).toBe(200);
    const done = await waitForRun(stack, runId, (r) => r.status === 'completed', 60_000);
    expect(done.result).toMatchObject({ status: 'stopped', promoted: null });
  });
});
