/**
 * Account lifecycle in headless Chromium against a real stack and SMTP sink: an admin invites a colleague from the
 * Members page; the colleague opens the emailed link in another browser, sets a password and lands logged in; their
 * account page lists the session; the admin disables them and their open page is sent back to log in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROMIUM_ARGS } from '../../activities/render/browser-pool';
import { startSmtpSink, type SmtpSink } from '../../lib/smtp-sink';
import { startTestStack, type TestStack } from '../support/harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT_DIR = process.env.E2E_SCREENSHOTS === '1' ? path.join(__dirname, 'screenshots') : null;
jest.setTimeout(180_000);

let stack: TestStack;
let sink: SmtpSink;
let browser: Browser;
const pageErrors: string[] = [];
const testid = (id: string) => `[data-testid="${id}"]`;

async function open(): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1366, height: 900 });
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (err) => pageErrors.push(err instanceof Error ? err.message : String(err)));
  return page;
}

/** Screenshots of each stage go to test/e2e/screenshots/ when E2E_SCREENSHOTS=1. */
async function screenshot(page: Page, name: string) {
  if (!SCREENSHOT_DIR) return;
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `accounts-${name}.png`) });
}

async function click(page: Page, selector: string) {
  await page.waitForSelector(selector, { visible: true });
  await page.click(selector);
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; install it with: apt-get install -y chromium`);
  sink = await startSmtpSink({ port: 0 });
  stack = await startTestStack('e2e-accounts', {
    workers: ['main'],
    env: { SMTP_HOST: sink.host, SMTP_PORT: String(sink.port) },
  });
  browser = await puppeteer.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await sink?.close();
});

it('invites from the Members page, accepts in another browser, and a disable signs the invitee out', async () => {
  const admin = await open();
  await admin.goto(`${stack.baseUrl}/#/members`);
  await admin.waitForSelector(testid('login-email'));
  await admin.type(testid('login-email'), stack.admin.email);
  await admin.type(testid('login-password'), stack.admin.password);
  await click(admin, testid('login-submit'));
  await admin.waitForFunction(() => location.hash === '#/members');

  const address = `colleague-${randomUUID().slice(0, 8)}@example.test`;
  await admin.waitForSelector(testid('invite-email'));
  await admin.type(testid('invite-email'), address);
  await admin.select(testid('invite-role'), 'viewer');
  await click(admin, testid('invite-send'));
  await admin.waitForFunction(
    (email) =>
      Array.from(document.querySelectorAll('[data-testid="invitation-row"]')).some(
        (row) => row.textContent!.includes(email) && row.textContent!.includes('pending'),
      ),
    {},
    address,
  );

  await screenshot(admin, '01-members');
  const mail = await sink.waitFor((m) => m.envelope.to.includes(address), 30_000);
  const link = /(http:\/\/\S+#\/accept-invitation\/[A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1];
  expect(link.startsWith(stack.baseUrl)).toBe(true);

  // The invitee, in a browser of their own.
  const invitee = await open();
  await invitee.goto(link);
  await invitee.waitForSelector(testid('invite-name'));
  await click(invitee, testid('invite-submit'));
  await invitee.waitForSelector(testid('field-error'));
  await screenshot(invitee, '02-accept-invitation');
  await invitee.type(testid('invite-name'), 'Colleague');
  await invitee.type(testid('invite-password'), 'a long enough password');
  await click(invitee, testid('invite-submit'));
  await invitee.waitForFunction(() => location.hash === '#/runs');
  expect(await invitee.$eval(testid('user-name'), (el) => el.textContent)).toBe('Colleague');

  await click(invitee, testid('nav-account'));
  await invitee.waitForSelector(testid('session-current'));
  expect(await invitee.$$eval(testid('session-row'), (rows) => rows.length)).toBe(1);
  await screenshot(invitee, '03-account');
  expect(await invitee.$eval(testid('two-factor'), (el) => el.textContent)).toContain('for admins');

  // The admin disables the invitee: their next request is refused and the page goes back to log in.
  await admin.reload();
  await admin.waitForFunction(
    (email) =>
      Array.from(document.querySelectorAll('[data-testid="member-row"]')).some((r) => r.textContent!.includes(email)),
    {},
    address,
  );
  const rows = await admin.$$(testid('member-row'));
  for (const row of rows) {
    if (!(await row.evaluate((el, email) => el.textContent!.includes(email), address))) continue;
    await (await row.$(testid('member-toggle')))!.click();
  }
  await click(admin, testid('confirm-ok'));
  await admin.waitForFunction(
    (email) =>
      Array.from(document.querySelectorAll('[data-testid="member-row"]')).some(
        (r) => r.textContent!.includes(email) && r.textContent!.includes('disabled'),
      ),
    {},
    address,
  );

  await click(invitee, testid('nav-runs'));
  await invitee.waitForFunction(() => location.hash.startsWith('#/login'));
  expect(pageErrors).toEqual([]);
});
