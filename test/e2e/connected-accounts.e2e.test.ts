/**
 * Connected accounts in a brand's settings, in headless Chromium (issue 12): the user connects an X account through
 * the platform's consent page (a local fake OAuth provider that approves at once) and lands back on the tab, sees
 * "Reconnect needed" once the platform refused the account's token, reconnects, and disconnects.
 */
import { startFakeOAuthProvider, type FakeOAuthProvider, xAppEnv } from '../fakes/oauth-provider-server';
import { startFakeXServer, type FakeXServer } from '../fakes/platforms/x-server';
import { openE2EPage, testid, type E2EPage } from '../support/e2e-page';
import { startTestStack, type TestStack } from '../support/harness';

jest.setTimeout(120_000);

let provider: FakeOAuthProvider;
let x: FakeXServer;
let stack: TestStack;
let ui: E2EPage;

beforeAll(async () => {
  provider = await startFakeOAuthProvider();
  x = await startFakeXServer({ acceptTokens: () => provider.activeAccessTokens() });
  stack = await startTestStack('e2e-connected-accounts', {
    workers: [],
    env: {
      ...xAppEnv(provider, x),
    },
  });
  ui = await openE2EPage({ screenshotPrefix: 'connected-accounts' });
});
afterAll(async () => {
  await ui?.close();
  await stack?.stop();
  await x?.close();
  await provider?.close();
});

const statusOf = (platform: string) =>
  ui.page.$eval(testid(`account-${platform}`), (el) => el.getAttribute('data-status'));

it('connects, shows reconnect needed, reconnects and disconnects an X account', async () => {
  const brand = await stack.brand({ name: `Tab Roasters ${Date.now()}` });
  await ui.logIn(stack, `#/brands/${brand.id}?tab=accounts`);
  await ui.page.waitForSelector(testid('account-x'));
  expect(await statusOf('x')).toBe('not_connected');
  // Platforms without an OAuth app here offer no Connect button.
  expect(await ui.page.$(testid('connect-tiktok'))).toBeNull();

  await Promise.all([ui.page.waitForNavigation(), ui.click(testid('connect-x'))]);
  await ui.page.waitForFunction(
    (sel) => document.querySelector(sel)?.getAttribute('data-status') === 'connected',
    {},
    testid('account-x'),
  );
  expect(provider.calls.pkceVerified).toBe(1);
  expect(await ui.text(testid('account-x'))).toContain('@studioflow');
  await ui.screenshot('connected');

  await stack.db.sequelize.query(
    `UPDATE connected_accounts SET status = 'reconnect_needed',
       last_error = 'X OAuth: HTTP 400 invalid_grant: Value passed for the token was invalid.' WHERE brand_id = :id`,
    { replacements: { id: brand.id } },
  );
  await ui.page.reload();
  await ui.page.waitForSelector(`${testid('account-x')}[data-status="reconnect_needed"]`);
  expect(await ui.text(testid('account-x'))).toContain('Reconnect needed');
  expect(await ui.text(testid('account-x'))).toContain('invalid_grant');
  await ui.screenshot('reconnect-needed');

  await Promise.all([ui.page.waitForNavigation(), ui.click(testid('connect-x'))]);
  await ui.page.waitForSelector(`${testid('account-x')}[data-status="connected"]`);

  await ui.click(testid('disconnect-x'));
  await ui.click(testid('confirm-ok'));
  await ui.page.waitForSelector(`${testid('account-x')}[data-status="not_connected"]`);
  expect(provider.calls.revocations).toBe(2);
  expect(ui.errors).toEqual([]);
});
