/**
 * The web UI in headless Chromium against a real stack (API + workers, Temporal dev server,
 * PostgreSQL): log in, launch a social post that needs approval, see an invalid edit refused
 * next to its field, approve, and watch the run complete live with its image and published link;
 * then retry it as a new run and cancel that one. Brands and admin settings are checked too.
 *
 * Screenshots of each stage go to test/e2e/screenshots/ when E2E_SCREENSHOTS=1.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM_ARGS } from '../../activities/render/browser-pool';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { watchCspViolations } from '../support/csp';
import { startTestStack, type TestStack } from '../support/harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = process.env.E2E_SCREENSHOTS === '1';
const SCREENSHOT_DIR = path.join(__dirname, 'screenshots');
const STEP_TIMEOUT = 60_000;

jest.setTimeout(240_000);

let stack: TestStack;
let browser: Browser;
let page: Page;
let brand: { id: string; name: string; channelUrl: string };
const pageErrors: string[] = [];

const testid = (id: string) => `[data-testid="${id}"]`;

async function screenshot(name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // A tall viewport instead of fullPage: the sticky sidebar stays where a user sees it.
  const height = await page.evaluate(() => Math.min(Math.max(document.documentElement.scrollHeight, 900), 2400));
  await page.setViewport({ width: 1366, height, deviceScaleFactor: 1 });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
  await page.setViewport({ width: 1366, height: 900, deviceScaleFactor: 1 });
}

/** Waits for an element, then clicks it (pages render after their data loads). */
async function click(selector: string): Promise<void> {
  await page.waitForSelector(selector, { visible: true });
  await page.click(selector);
}

/** Sets a form control's value the way typing would, so input listeners run. */
async function setValue(selector: string, value: string): Promise<void> {
  await page.$eval(
    selector,
    (el, v) => {
      const control = el as HTMLInputElement | HTMLTextAreaElement;
      control.value = v;
      control.dispatchEvent(new Event('input', { bubbles: true }));
    },
    value,
  );
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; install it with: apt-get install -y chromium`);
  stack = await startTestStack('e2e-social-post');
  brand = await stack.brand({ name: 'Harbour Lights Coffee', colors: { primary: '#0f4c5c', secondary: '#e36414' } });
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 900, deviceScaleFactor: 1 });
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.on('pageerror', (err) => pageErrors.push(err instanceof Error ? err.message : String(err)));
  // CSP violations count as page errors: the UI must work under its policy.
  await watchCspViolations(page, pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('social post in the web UI', () => {
  it('logs in, launches a post, refuses a bad edit, approves and shows the published post', async () => {
    // ---- log in (an unknown session lands on the login page) ----
    await page.goto(`${stack.baseUrl}/#/runs`);
    await page.waitForSelector(testid('login-email'));
    await page.type(testid('login-email'), stack.admin.email);
    await page.type(testid('login-password'), 'not-the-password');
    await click(testid('login-submit'));
    await page.waitForSelector(testid('form-error'));
    await screenshot('01-login-error');

    await page.$eval(testid('login-password'), (el) => ((el as HTMLInputElement).value = ''));
    await page.type(testid('login-password'), stack.admin.password);
    await click(testid('login-submit'));
    await page.waitForSelector(testid('runs-table') + ', .empty');
    expect(await page.$eval(testid('user-name'), (el) => el.textContent)).toBeTruthy();
    expect(await page.evaluate(() => location.hash)).toBe('#/runs');
    await screenshot('02-runs-empty');

    // ---- launch a social post that needs approval ----
    await click(testid('new-run'));
    await page.waitForSelector(`${testid('launch-brand')} option[value="${brand.id}"]`);
    await page.select(testid('launch-brand'), brand.id);
    await click(testid('platform-linkedin'));
    expect(await page.$eval(testid('format-square'), (el) => (el as HTMLInputElement).checked)).toBe(true);
    await click(testid('post-type-tips'));
    await page.type(testid('launch-topic'), 'Brewing better coffee at home');
    expect(await page.$eval(testid('launch-approval-required'), (el) => (el as HTMLInputElement).checked)).toBe(true);
    await setValue(testid('launch-approval-timeout'), '30');
    await screenshot('03-launch');
    await click(testid('launch-submit'));

    await page.waitForFunction(() => location.hash.startsWith('#/runs/social-post'));
    const runId = await page.evaluate(() => decodeURIComponent(location.hash.slice('#/runs/'.length)));
    expect(runId).toMatch(new RegExp(`^social-post/${brand.id}/`));

    // ---- the approval form appears once the copy is written and the image rendered ----
    await page.waitForSelector(testid('approval-form'), { timeout: STEP_TIMEOUT });
    expect(await page.$eval(testid('run-status'), (el) => el.getAttribute('data-status'))).toBe('running');
    expect(await page.$eval(`${testid('step')}[data-step="approval"]`, (el) => el.getAttribute('data-status'))).toBe(
      'waiting',
    );
    expect(
      await page.$eval(`${testid('step')}[data-step="render-image"]`, (el) => el.getAttribute('data-status')),
    ).toBe('done');
    const caption = await page.$eval(testid('approval-caption'), (el) => (el as HTMLTextAreaElement).value);
    expect(caption.length).toBeGreaterThan(20);
    expect(await page.$eval(testid('approval-hashtags'), (el) => (el as HTMLInputElement).value)).not.toContain('#');
    expect(await page.$eval(testid('approval-deadline'), (el) => el.textContent)).toMatch(/Decide within/);
    await page.waitForFunction(
      (sel) => {
        const img = document.querySelector(sel) as HTMLImageElement | null;
        return img !== null && img.complete && img.naturalWidth > 0;
      },
      {},
      `${testid('artifact-image')} img`,
    );
    await screenshot('04-approval');

    // ---- an edit that breaks a platform rule is refused, with the message next to the caption ----
    await setValue(testid('approval-caption'), '   ');
    await click(testid('approval-edit'));
    await page.waitForSelector('[data-field="edits.caption"] [data-testid="field-error"]');
    expect(await page.$eval(testid('approval-caption'), (el) => el.getAttribute('aria-invalid'))).toBe('true');
    await screenshot('05-approval-invalid-edit');
    await setValue(testid('approval-caption'), caption);

    // ---- approve ----
    await click(testid('approval-approve'));
    await page.waitForSelector(`${testid('run-status')}[data-status="completed"]`, { timeout: STEP_TIMEOUT });
    await page.waitForSelector(`${testid('step')}[data-step="publish"][data-status="done"]`);
    expect(await page.$(testid('approval-form'))).toBeNull();
    const statuses = await page.$$eval(testid('step'), (els) =>
      els.map((el) => [el.getAttribute('data-step'), el.getAttribute('data-status')]),
    );
    expect(statuses).toEqual([
      ['load-brand', 'done'],
      ['write-copy', 'done'],
      ['render-image', 'done'],
      ['approval', 'done'],
      ['publish', 'done'],
    ]);

    // The rendered image loads at full size; the published link points to the brand's channel.
    await page.waitForFunction(
      (sel) => {
        const img = document.querySelector(sel) as HTMLImageElement | null;
        return img !== null && img.complete && img.naturalWidth > 0;
      },
      {},
      `${testid('artifact-image')} img`,
    );
    expect(await page.$eval(`${testid('artifact-image')} img`, (img) => (img as HTMLImageElement).naturalWidth)).toBe(
      1080,
    );
    const published = await page.$eval(`${testid('artifact-link')} a`, (a) => (a as HTMLAnchorElement).href);
    expect(published.startsWith(`${brand.channelUrl}/`)).toBe(true);
    const postPage = await fetch(published);
    expect(postPage.status).toBe(200);
    expect(await page.$(testid('run-retry'))).not.toBeNull();
    expect(await page.$(testid('run-cancel'))).toBeNull();
    expect(await page.$eval(testid('run-temporal'), (a) => (a as HTMLAnchorElement).href)).toContain(
      encodeURIComponent(runId),
    );
    await screenshot('06-completed');

    // ---- retry as a new run, then cancel that one (after confirming) ----
    await click(testid('run-retry'));
    await page.waitForFunction(
      (first) => location.hash.startsWith('#/runs/') && decodeURIComponent(location.hash.slice(7)) !== first,
      {},
      runId,
    );
    const retryId = await page.evaluate(() => decodeURIComponent(location.hash.slice('#/runs/'.length)));
    expect(retryId).toMatch(new RegExp(`^social-post/${brand.id}/`));
    await page.waitForSelector(testid('approval-form'));
    await click(testid('run-cancel'));
    await page.waitForSelector(testid('confirm-ok'));
    await click(testid('confirm-ok'));
    await page.waitForSelector(`${testid('run-status')}[data-status="cancelled"]`);
    expect(await page.$(testid('approval-form'))).toBeNull();

    // ---- the run list shows it, completed ----
    await click(testid('nav-runs'));
    await page.waitForSelector(`${testid('run-row')}[data-status="completed"]`);
    await page.waitForSelector(`${testid('run-row')}[data-status="cancelled"]`);
    const rows = await page.$$eval(testid('run-row'), (els) =>
      els.map((r) => [r.getAttribute('data-run-id'), r.getAttribute('data-status')]),
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        [runId, 'completed'],
        [retryId, 'cancelled'],
      ]),
    );
    await screenshot('07-runs');

    // ---- a run that does not exist: its own heading, and the way back to the list ----
    await page.evaluate(() => (location.hash = `#/runs/${encodeURIComponent('social-post/no-such-run')}`));
    await page.waitForFunction(() => document.querySelector('#main h1')?.textContent === 'Run not found');
    await click('#main nav.breadcrumb a[href="#/runs"]');
    await page.waitForSelector(testid('run-row'));

    expect(pageErrors).toEqual([]);
  });

  it('lists, creates, edits and deletes brands, and lets an admin create an API key and a webhook endpoint', async () => {
    await click(testid('nav-brands'));
    const card = `${testid('brand-card')}[data-brand-id="${brand.id}"]`;
    await page.waitForSelector(card);
    expect(await page.$eval(`${card} ${testid('brand-channel')}`, (a) => (a as HTMLAnchorElement).href)).toBe(
      brand.channelUrl,
    );
    await screenshot('08-brands');
    await click(`${card} ${testid('brand-link')}`);
    await page.waitForSelector(testid('brand-form'));
    expect(await page.$eval(testid('brand-name'), (el) => (el as HTMLInputElement).value)).toBe(brand.name);
    await screenshot('09-brand');

    // Create, edit and delete a brand; an invalid website is refused next to its field.
    await click('a[href="#/brands"]');
    await page.waitForSelector(testid('new-brand'));
    await click(testid('new-brand'));
    await page.waitForSelector(testid('brand-form'));
    await page.type(testid('brand-name'), 'Northwind Tea');
    await page.type(testid('brand-keywords'), 'green tea, matcha ,  oolong');
    await page.type(testid('brand-website'), 'not a url');
    await click(testid('brand-submit'));
    await page.waitForSelector('[data-field="website"] [data-testid="field-error"]');
    await setValue(testid('brand-website'), 'https://northwind.example');
    await click(testid('brand-submit'));
    await page.waitForFunction(() => /^#\/brands\/[0-9a-f-]{36}$/.test(location.hash));
    const created = await stack.request(
      'GET',
      `/api/v1/brands/${await page.evaluate(() => location.hash.slice('#/brands/'.length))}`,
    );
    expect(created.body).toMatchObject({
      name: 'Northwind Tea',
      website: 'https://northwind.example',
      keywords: ['green tea', 'matcha', 'oolong'],
    });
    await page.waitForSelector(testid('brand-delete'));
    await setValue(testid('brand-slogan'), 'Steeped in the north');
    await click(testid('brand-submit'));
    await page.waitForFunction(() => location.hash === '#/brands');
    expect((await stack.request('GET', `/api/v1/brands/${created.body.id}`)).body.slogan).toBe('Steeped in the north');
    await click(`${testid('brand-card')}[data-brand-id="${created.body.id}"] ${testid('brand-link')}`);
    await page.waitForSelector(testid('brand-delete'));
    await click(testid('brand-delete'));
    await click(testid('confirm-ok'));
    await page.waitForFunction(() => location.hash === '#/brands');
    expect((await stack.request('GET', `/api/v1/brands/${created.body.id}`)).status).toBe(404);

    await click(testid('nav-settings'));
    await page.waitForSelector(testid('api-key-row'));
    // Every section of the page has loaded before we use its forms.
    await page.waitForFunction(() => !document.querySelector('main .loading'));
    await page.type(testid('api-key-name'), 'Nightly export');
    await click(`${testid('settings-api-keys')} button[type="submit"]`);
    await page.waitForSelector(`${testid('settings-api-keys')} ${testid('secret-value')}`);
    const key = await page.$eval(
      `${testid('settings-api-keys')} ${testid('secret-value')}`,
      (el) => el.textContent ?? '',
    );
    const me = await fetch(`${stack.baseUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);

    await page.type(testid('webhook-name'), 'Website brief form');
    await click(`${testid('settings-webhooks')} button[type="submit"]`);
    await page.waitForSelector(`${testid('settings-webhooks')} ${testid('secret-value')}`);
    await page.waitForSelector(testid('webhook-row'));
    await screenshot('10-settings');
    expect(pageErrors).toEqual([]);
  });
});
