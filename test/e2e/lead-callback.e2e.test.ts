/**
 * The CRM callback in #/settings, in headless Chromium against the real API and PostgreSQL: a refused URL is named on
 * its field; saving shows the signing secret once; the saved callback is listed; a new secret is shown once and
 * signs from then on; removing it says so. A screenshot goes to test/e2e/screenshots/ when E2E_SCREENSHOTS=1.
 */
import { openE2EPage, testid, type E2EPage } from '../support/e2e-page';
import { startTestStack, type TestStack } from '../support/harness';

jest.setTimeout(120_000);

let stack: TestStack;
let ui: E2EPage;

beforeAll(async () => {
  stack = await startTestStack('e2e-lead-callback', { workers: [] });
  ui = await openE2EPage({ screenshotPrefix: 'lead-callback' });
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

const section = testid('settings-lead-callback');
const secret = `${section} ${testid('secret-value')}`;

it('sets, rotates and removes the CRM callback, showing each secret once', async () => {
  const { page } = ui;
  await ui.logIn(stack, '#/settings');
  await page.waitForSelector(testid('lead-callback-none'));

  // A URL the crawler would refuse is named on its field, and nothing is saved.
  await fill(testid('lead-callback-url'), 'ftp://crm.example.com/hooks');
  await ui.click(testid('lead-callback-save'));
  await page.waitForSelector(`[data-field="url"] ${testid('field-error')}`);
  expect((await stack.request('GET', '/api/v1/lead-callback')).status).toBe(404);

  await fill(testid('lead-callback-url'), 'https://crm.example.com/hooks/studioflow');
  await ui.click(testid('lead-callback-save'));
  await page.waitForSelector(secret);
  const first = await ui.text(secret);
  expect(first).toMatch(/^whsec_/);
  expect(await ui.text(testid('lead-callback-current'))).toContain('https://crm.example.com/hooks/studioflow');
  const saved = await stack.request('GET', '/api/v1/lead-callback');
  expect(saved.body).toMatchObject({ url: 'https://crm.example.com/hooks/studioflow', enabled: true });
  expect(saved.body.secret).toBeUndefined();
  await ui.screenshot('saved');

  await ui.click(testid('lead-callback-rotate'));
  await ui.click(testid('confirm-ok'));
  await page.waitForFunction(
    (sel, old) => (document.querySelector(sel)?.textContent ?? '').trim() !== old,
    {},
    secret,
    first,
  );
  expect(await ui.text(secret)).toMatch(/^whsec_/);

  await page.$$eval(`${section} button`, (buttons) =>
    (buttons.find((b) => b.textContent === 'Remove') as HTMLButtonElement).click(),
  );
  await ui.click(testid('confirm-ok'));
  await page.waitForSelector(testid('lead-callback-none'));
  expect((await stack.request('GET', '/api/v1/lead-callback')).status).toBe(404);
  expect(ui.errors).toEqual([]);
});
