/**
 * The A/B test pages in headless Chromium against the real API, PostgreSQL and Temporal (the main worker): a post
 * experiment launched through the form (a refused caption named on its field, then fixed), listed under its brand,
 * started with "Create and start" (the run page opens), events posted through the API show up as counts and the
 * workflow's evaluations on its page (the chance-to-be-best chart from the server's series, a guardrail that
 * regressed), and it is paused and resumed from there; a free-form one saved as a draft, started from its page, paused
 * by a sample ratio mismatch (the banner says so) and stopped. Screenshots go to
 * test/e2e/screenshots/ when E2E_SCREENSHOTS=1.
 */
import { assignVariant } from '../../lib/abtest/assignment';
import { openE2EPage, testid, type E2EPage } from '../support/e2e-page';
import { startTestStack, type TestStack } from '../support/harness';

jest.setTimeout(180_000);

let stack: TestStack;
let ui: E2EPage;
let brand: { id: string; slug: string; name: string };

beforeAll(async () => {
  stack = await startTestStack('e2e-experiments', { workers: ['main'] });
  brand = await stack.brand({ name: 'Split Roasters' });
  ui = await openE2EPage({ screenshotPrefix: 'experiments' });
});
afterAll(async () => {
  await ui?.close();
  await stack?.stop();
});

async function fill(selector: string, value: string) {
  await ui.page.waitForSelector(selector);
  await ui.page.$eval(selector, (el) => ((el as HTMLInputElement).value = ''));
  await ui.page.type(selector, value);
}

/** Waits until the element's text matches `pattern` (the page's CSP allows no eval, so a regex is sent). */
async function waitForText(selector: string, pattern: RegExp) {
  await ui.page.waitForFunction(
    (sel, source, flags) => {
      const el = document.querySelector(sel);
      return !!el && new RegExp(source, flags).test((el.textContent ?? '').trim());
    },
    { timeout: 60_000 },
    selector,
    pattern.source,
    pattern.flags,
  );
}

const card = (key: string) => `${testid('variant-card')}[data-variant="${key}"]`;

it('launches a post experiment, counts its events and pauses and resumes it', async () => {
  const { page } = ui;
  await ui.logIn(stack, '#/experiments');
  await page.waitForSelector(testid('experiments-new'));
  await ui.click(testid('nav-experiments'));
  await ui.click(testid('experiments-new'));
  await page.waitForSelector(testid('experiment-form'));

  await fill(testid('experiment-name'), 'Shorter captions');
  await fill(testid('experiment-hypothesis'), 'A short caption gets more clicks on the call to action');
  await fill(testid('variant-caption-A'), 'Our single-origin beans, roasted every Tuesday in small batches.');
  await fill(testid('variant-callToAction-A'), 'Shop beans');
  await fill(testid('variant-hashtags-A'), 'coffee, roastery');
  // Variant B's caption is left empty and the guardrail's metric is not a metric name: the API refuses both and names
  // the fields.
  await fill(testid('variant-callToAction-B'), 'Shop beans');
  await page.select(testid('experiment-platform'), 'linkedin');
  await page.select(testid('experiment-unit'), 'visitor');
  await ui.click(testid('guardrail-add'));
  await fill(testid('guardrail-metric-0'), 'Un subscribe');
  await fill(testid('guardrail-change-0'), '25');
  expect(await page.$eval(testid('experiment-config-alpha'), (el) => (el as HTMLInputElement).value)).toBe('0.05');
  await page.click('.experiment-settings summary');
  await fill(testid('experiment-config-evaluateEveryMinutes'), '0.05');
  await fill(testid('experiment-config-minDurationHours'), '0');
  await fill(testid('experiment-config-minSamplePerVariant'), '100');
  await ui.click(testid('experiment-start'));
  const refused = `[data-field="variants.1.content.caption"] ${testid('field-error')}`;
  await page.waitForSelector(refused);
  expect(await page.$eval(refused, (el) => el.getAttribute('data-error-for'))).toBe('variants.1.content.caption');
  await page.waitForSelector(`[data-field="guardrails.0.metric"] ${testid('field-error')}`);
  expect((await stack.request('GET', '/api/v1/experiments')).body.items).toHaveLength(0);
  await ui.screenshot('form-refused');

  await fill(testid('variant-caption-B'), 'Fresh beans. Tuesday.');
  await fill(testid('guardrail-metric-0'), 'unsubscribe');
  await ui.click(testid('experiment-start'));
  await page.waitForFunction(() => location.hash.startsWith('#/runs/'));
  const list = await stack.request('GET', '/api/v1/experiments');
  expect(list.body.items).toHaveLength(1);
  const id: string = list.body.items[0].id;
  expect(list.body.items[0]).toMatchObject({
    name: 'Shorter captions',
    kind: 'post',
    brandId: brand.id,
    unit: 'visitor',
    post: { platform: 'linkedin', postType: 'promotional' },
    guardrails: [{ metric: 'unsubscribe', worseWhen: 'higher', maxChange: 0.25 }],
  });
  const runHash = decodeURIComponent(await page.evaluate(() => location.hash));

  // The run binds the experiment: running from then on. Listed under its brand.
  for (let i = 0; (await stack.request('GET', `/api/v1/experiments/${id}`)).body.status !== 'running'; i++) {
    if (i > 100) throw new Error('the experiment did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const started = await stack.request('GET', `/api/v1/experiments/${id}`);
  expect(runHash).toBe(`#/runs/${started.body.workflowId}`);
  await page.goto(`${stack.baseUrl}/#/experiments?brandId=${brand.id}`);
  await page.waitForSelector(`${testid('experiment-row')}[data-experiment-id="${id}"]`);
  expect(await ui.texts(testid('experiment-link'))).toEqual(['Shorter captions']);
  expect(await ui.text(testid('experiment-status'))).toBe('Running');
  await ui.screenshot('list');

  // 200 visitors exposed through the API, one in five converting; the API assigns each its variant. B's visitors
  // unsubscribe far more often than A's: its guardrail regresses.
  const variants = list.body.items[0].variants as { key: string; weight: number }[];
  const events: Array<Record<string, string>> = [];
  for (let i = 0; i < 200; i++) {
    events.push({ eventId: `x${i}`, unit: `u${i}`, type: 'exposure' });
    if (i % 5 === 0) events.push({ eventId: `c${i}`, unit: `u${i}`, type: 'conversion' });
    if (i % (assignVariant(id, `u${i}`, variants).key === 'B' ? 3 : 20) === 0)
      events.push({ eventId: `u${i}`, unit: `u${i}`, type: 'conversion', metric: 'unsubscribe' });
  }
  const posted = await stack.request('POST', `/api/v1/experiments/${id}/events`, events);
  expect(posted.status).toBe(200);
  const detail = await stack.request('GET', `/api/v1/experiments/${id}`);
  const stats = Object.fromEntries(detail.body.stats.map((s: { key: string }) => [s.key, s]));

  await ui.click(testid('experiment-link'));
  await page.waitForSelector(card('A'));
  await waitForText(`${card('A')} ${testid('variant-exposures')}`, /^[1-9]/);
  expect(await ui.text(`${card('A')} ${testid('variant-exposures')}`)).toBe(stats.A.exposures.toLocaleString('en-US'));
  expect(await ui.text(`${card('B')} ${testid('variant-conversions')}`)).toBe(
    stats.B.conversions.toLocaleString('en-US'),
  );
  expect(await ui.text(`${card('A')} ${testid('variant-control')}`)).toBe('Control');
  expect(await ui.text(`${card('B')} ${testid('variant-content')}`)).toContain('Fresh beans. Tuesday.');
  // The workflow's next evaluation sees them: chance to be best and the p-value appear, with the reasons.
  await waitForText(`${card('B')} ${testid('variant-best')}`, /%$/);
  await waitForText(`${card('B')} ${testid('variant-pvalue')}`, /^\d\.\d{3}$/);
  expect((await ui.texts(`${testid('experiment-reasons')} li`)).length).toBeGreaterThan(0);
  const brandView = await stack.request('GET', `/api/v1/brands/${brand.id}`);
  expect(await page.$eval(testid('experiment-channel'), (a) => a.getAttribute('href'))).toBe(
    `${brandView.body.channelUrl}/x/${id}`,
  );
  expect(brandView.body.channelUrl).toMatch(new RegExp(`/c/${brand.slug}$`));
  // The guardrail: B's unsubscribes regressed against A's, which blocks any win of B.
  await page.waitForSelector(`${card('B')} ${testid('guardrail-regressed')}`, { timeout: 60_000 });
  expect(await page.$(`${card('A')} ${testid('guardrail-regressed')}`)).toBeNull();
  expect(await ui.text(testid('experiment-guardrails'))).toContain('“unsubscribe” must not rise more than 25%');

  // Chance to be best over every evaluation of the run, from the server: a page opened now charts them all.
  await page.waitForSelector(`${testid('chance-chart')} svg path.chart-series-1`, { timeout: 60_000 });
  await page.reload();
  await page.waitForSelector(`${testid('chance-chart')} svg path.chart-series-1`, { timeout: 60_000 });
  const charted = Number(await page.$eval(testid('chance-chart'), (el) => el.getAttribute('data-points')));
  const series = (await stack.request('GET', `/api/v1/experiments/${id}/evaluations?limit=1000`)).body.items;
  expect(charted).toBeGreaterThan(1);
  expect(charted).toBeLessThanOrEqual(series.length);
  expect(await ui.texts(`${testid('chance-legend')} li strong`)).toEqual(['A', 'B']);
  await ui.screenshot('detail');

  await ui.click(testid('experiment-pause'));
  await waitForText(testid('experiment-status'), /^Paused$/);
  expect((await stack.request('GET', `/api/v1/experiments/${id}`)).body.status).toBe('paused');
  await ui.screenshot('paused');

  await ui.click(testid('experiment-resume'));
  await waitForText(testid('experiment-status'), /^Running$/);
  expect((await stack.request('GET', `/api/v1/experiments/${id}`)).body.status).toBe('running');

  // Extending by 0 days is refused by the API and said on the controls.
  await fill(testid('experiment-days'), '0');
  await ui.click(testid('experiment-extend'));
  await page.waitForSelector(`${testid('experiment-controls')} ${testid('form-error')}`);
  expect(ui.errors).toEqual([]);
});

it('saves a free-form draft, starts it from its page and stops it', async () => {
  const { page } = ui;
  await page.goto(`${stack.baseUrl}/#/experiments/new`);
  await page.waitForSelector(testid('experiment-form'));
  await fill(testid('experiment-name'), 'Subject lines');
  await fill(testid('experiment-hypothesis'), 'A question in the subject gets more opens');
  await fill(testid('experiment-metric'), 'open');
  await page.select(testid('experiment-kind'), 'free');
  await ui.click(testid('variant-add'));
  await fill(testid('variant-json-A'), '{"subject": "Our autumn blend is here"}');
  await fill(testid('variant-json-B'), '{"subject": "Tried our autumn blend?"}');
  await fill(testid('variant-json-C'), '{"subject": ');
  await page.click('.experiment-settings summary');
  await fill(testid('experiment-config-evaluateEveryMinutes'), '0.05');
  // The third variant's JSON is refused before anything is sent, next to its field.
  await ui.click(testid('experiment-create'));
  await page.waitForSelector(`[data-field="variants.2.content"] ${testid('field-error')}`);
  await ui.click(testid('variant-remove-C'));
  expect(await page.$$(testid('variant-row'))).toHaveLength(2);
  await ui.click(testid('experiment-create'));
  await page.waitForSelector(testid('experiment-start-card'));

  const id = decodeURIComponent(await page.evaluate(() => location.hash)).replace('#/experiments/', '');
  const draft = await stack.request('GET', `/api/v1/experiments/${id}`);
  expect(draft.body).toMatchObject({ status: 'draft', kind: 'free', metric: 'open', workflowId: null });
  expect(draft.body.variants.map((v: { content: unknown }) => v.content)).toEqual([
    { subject: 'Our autumn blend is here' },
    { subject: 'Tried our autumn blend?' },
  ]);
  expect(await ui.text(testid('experiment-status'))).toBe('Draft');
  expect(await page.$(testid('experiment-channel'))).toBeNull();
  expect(await ui.text(`${card('B')} ${testid('variant-content')}`)).toContain('Tried our autumn blend?');

  await ui.click(testid('experiment-start'));
  await waitForText(testid('experiment-status'), /^Running$/);
  await page.waitForSelector(testid('experiment-run'));
  const started = await stack.request('GET', `/api/v1/experiments/${id}`);
  expect(await page.$eval(testid('experiment-run'), (a) => decodeURIComponent(a.getAttribute('href')!))).toBe(
    `#/runs/${started.body.workflowId}`,
  );

  // A broken integration reports A's units far more often than B's: the run pauses it and the page says why.
  const variants = started.body.variants as { key: string; weight: number }[];
  const skewed = [];
  for (let i = 0; skewed.length < 400; i++)
    if (assignVariant(id, `s${i}`, variants).key === 'A' || i % 4 === 0)
      skewed.push({ eventId: `s${i}`, unit: `s${i}`, type: 'exposure' });
  expect((await stack.request('POST', `/api/v1/experiments/${id}/events`, skewed)).status).toBe(200);
  await page.waitForSelector(testid('experiment-srm'), { timeout: 60_000 });
  await waitForText(testid('experiment-status'), /^Paused$/);
  expect(await ui.text(testid('experiment-srm'))).toMatch(
    /^Sample ratio mismatch\. .*paused until you resume or stop it\.$/,
  );
  expect(await ui.text(testid('experiment-action'))).toBe('Paused: sample ratio mismatch');
  await ui.screenshot('srm');

  await ui.click(testid('experiment-stop'));
  await ui.click(testid('confirm-ok'));
  await waitForText(testid('experiment-status'), /^Stopped$/);
  expect(await page.$(testid('experiment-controls'))).toBeNull();
  await page.waitForSelector(testid('experiment-outcome'));
  expect(await ui.text(testid('experiment-outcome'))).toContain('Stopped: nothing promoted');
  expect((await stack.request('GET', `/api/v1/experiments/${id}`)).body.status).toBe('stopped');
  await ui.screenshot('stopped');
  expect(ui.errors).toEqual([]);
});
