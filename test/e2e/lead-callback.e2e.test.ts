/**
 * The CRM callback in #/settings, in headless Chromium against the real API and PostgreSQL: a refused URL is named on
 * its field; saving shows the signing secret once; the saved callback is listed; a new secret is shown once and
 * signs from then on; removing it says so. A screenshot goes to test/e2e/screenshots/ when E2E_SCREENSHOTS=1.
 */
import fs from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROMIUM_ARGS } from '../../activities/render/browser-pool';
import { watchCspViolations } from '../support/csp';
import { startTestStack, type TestStack } from '../support/harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const testid = (id: string) => `[data-testid="${id}"]`;

jest.setTimeout(120_000);

let stack: TestStack;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; install it with: apt-get install -y chromium`);
  stack = await startTestStack('e2e-lead-callback', { workers: [] });
  browser = await puppeteer.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 900, deviceScaleFactor: 1 });
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (err) => pageErrors.push(err instanceof Error ? err.message : String(err)));
  await watchCspViolations(page, pageErrors);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const text = (selector: string) => page.$eval(selector, (el) => (el.textContent ?? '').trim());
async function click(selector: string) {
  await page.waitForSelector(selector, { visible: true });
  await page.click(selector);
}
async function fill(selector: string, value: string) {
  await page.waitForSelector(selector);
  await page.$eval(selector, (el) => ((el as HTMLInputElement).value = ''));
  await page.type(selector, value);
}

it('sets, rotates and removes the CRM callback, showing each secret once', async () => {
  await page.goto(`${stack.baseUrl}/#/settings`);
  await page.waitForSelector(testid('login-email'));
  await page.type(testid('login-email'), stack.admin.email);
  await page.type(testid('login-password'), stack.admin.password);
  await click(testid('login-submit'));
  await page.waitForSelector(testid('lead-callback-none'));

  // A URL the crawler would refuse is named on its field, and nothing is saved.
  await fill(testid('lead-callback-url'), 'ftp://crm.example.com/hooks');
  await click(testid('lead-callback-save'));
  await page.waitForSelector(`[data-field="url"] ${testid('field-error')}`);
  expect((await stack.request('GET', '/api/v1/lead-callback')).status).toBe(404);

  await fill(testid('lead-callback-url'), 'https://crm.example.com/hooks/studioflow');
  await click(testid('lead-callback-save'));
  await page.waitForSelector(`${testid('settings-lead-callback')} ${testid('secret-value')}`);
  const first = await text(`${testid('settings-lead-callback')} ${testid('secret-value')}`);
  expect(first).toMatch(/^whsec_/);
  expect(await text(testid('lead-callback-current'))).toContain('https://crm.example.com/hooks/studioflow');
  const saved = await stack.request('GET', '/api/v1/lead-callback');
  expect(saved.body).toMatchObject({ url: 'https://crm.example.com/hooks/studioflow', enabled: true });
  expect(saved.body.secret).toBeUndefined();
  if (process.env.E2E_SCREENSHOTS === '1') {
    fs.mkdirSync(path.join(__dirname, 'screenshots'), { recursive: true });
    const section = await page.$(testid('settings-lead-callback'));
    await section!.screenshot({ path: path.join(__dirname, 'screenshots', 'lead-callback.png') });
  }

  await click(testid('lead-callback-rotate'));
  await click(testid('confirm-ok'));
  await page.waitForFunction(
    (sel, old) => (document.querySelector(sel)?.textContent ?? '').trim() !== old,
    {},
    `${testid('settings-lead-callback')} ${testid('secret-value')}`,
    first,
  );
  expect(await text(`${testid('settings-lead-callback')} ${testid('secret-value')}`)).toMatch(/^whsec_/);

  await page.$$eval(`${testid('settings-lead-callback')} button`, (buttons) =>
    (buttons.find((b) => b.textContent === 'Remove') as HTMLButtonElement).click(),
  );
  await click(testid('confirm-ok'));
  await page.waitForSelector(testid('lead-callback-none'));
  expect((await stack.request('GET', '/api/v1/lead-callback')).status).toBe(404);
  expect(pageErrors).toEqual([]);
});
