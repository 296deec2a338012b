/**
 * The calendar page in headless Chromium against the real API, PostgreSQL and Temporal: a draft dragged to the next
 * day keeps its time, an entry whose account is not connected shows its reason in the drawer, a draft is approved from
 * the drawer, the week view, and the daily generation paused and resumed from the schedules panel. Screenshots go to
 * test/e2e/screenshots/ when E2E_SCREENSHOTS=1.
 */
import { addLocalDays } from '../../lib/calendar/wall-clock';
import { endCalendars, entryOf, localIn } from '../support/calendar-helpers';
import { openE2EPage, testid, type E2EPage } from '../support/e2e-page';
import { startTestStack, waitFor, type TestStack } from '../support/harness';

jest.setTimeout(180_000);

const ZONE = 'Europe/Rome';
let stack: TestStack;
let ui: E2EPage;
let brand: { id: string; name: string };

beforeAll(async () => {
  stack = await startTestStack('e2e-calendar', { workers: ['main'] });
  brand = await stack.brand({ name: 'Calendar Roasters' });
  expect((await stack.request('PUT', '/api/v1/calendar/settings', { timeZone: ZONE })).status).toBe(200);
  ui = await openE2EPage({ screenshotPrefix: 'calendar' });
});
afterAll(async () => {
  await ui?.close();
  if (stack) {
    await endCalendars(stack, [brand.id]);
    for (const kind of ['generation', 'analytics'])
      await stack.client.schedule
        .getHandle(`calendar-${kind}/${stack.workspaceId}`)
        .delete()
        .catch(() => undefined);
  }
  await stack?.stop();
});

const chip = (id: string) => `${testid('calendar-entry')}[data-entry-id="${id}"]`;
const day = (d: string) => `${testid('calendar-day')}[data-day="${d}"]`;

it('moves an entry by drag and drop, shows validation, approves a draft and manages the schedules', async () => {
  const { page } = ui;
  const inTwoDays = `${localIn(ZONE, 2 * 86_400).slice(0, 10)}T09:00`;
  const draft = (
    await stack.request('POST', '/api/v1/calendar/entries', {
      brandId: brand.id,
      localAt: inTwoDays,
      topic: 'Pour-over basics',
    })
  ).body;
  const flagged = (
    await stack.request('POST', '/api/v1/calendar/entries', {
      brandId: brand.id,
      localAt: `${inTwoDays.slice(0, 10)}T15:30`,
      topic: 'Reels of the roastery',
      platforms: ['instagram'],
      status: 'scheduled',
    })
  ).body;
  expect(flagged.validation.ok).toBe(false);

  await ui.logIn(stack, `#/calendar?day=${inTwoDays.slice(0, 10)}`);
  await page.waitForSelector(testid('calendar-month'));
  await page.waitForSelector(chip(draft.id));
  expect(await ui.text(`${chip(flagged.id)} .cal-chip-flag`)).toBe('!');
  await page.waitForSelector(`${testid('schedule-generation')}`);
  // The next generation at 06:00 in the workspace's zone, said in that zone (the browser's zone here is UTC).
  expect(await ui.text(testid('schedule-generation'))).toMatch(/Next: .*06:00:00 AM GMT\+[12]/);
  await ui.screenshot('month');

  // Drag the draft onto the next day: same time, new day.
  const next = addLocalDays(inTwoDays, 1);
  await page.evaluate(
    (from, to) => {
      const source = document.querySelector(from)!;
      const target = document.querySelector(to)!;
      const data = new DataTransfer();
      source.dispatchEvent(new DragEvent('dragstart', { dataTransfer: data, bubbles: true }));
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    },
    chip(draft.id),
    day(next.slice(0, 10)),
  );
  await waitFor('the draft moved', async () => (await entryOf(stack, draft.id)).localAt === next);
  await page.waitForSelector(`${day(next.slice(0, 10))} ${chip(draft.id)}`);

  // The flagged entry's drawer says why.
  await ui.click(chip(flagged.id));
  await page.waitForSelector(testid('calendar-drawer'));
  expect(await ui.text(testid('calendar-validation'))).toMatch(/Instagram: Instagram is not connected/);
  await ui.screenshot('drawer-flagged');

  // Approve the draft from its drawer.
  await ui.click(chip(draft.id));
  await page.waitForFunction(
    (sel) => (document.querySelector(sel)?.textContent ?? '').includes('Pour-over basics'),
    {},
    `${testid('calendar-drawer')} h2`,
  );
  await ui.click(testid('calendar-approve'));
  await waitFor('the draft scheduled', async () => (await entryOf(stack, draft.id)).status === 'scheduled');
  await page.waitForSelector(`${chip(draft.id)}[data-status="scheduled"]`);

  // The schedules panel: pause and resume the daily generation.
  await ui.click(testid('schedule-generation-pause'));
  await page.waitForSelector(`${testid('schedule-generation')}[data-paused="true"]`);
  await ui.screenshot('schedule-paused');
  await ui.click(testid('schedule-generation-resume'));
  await page.waitForSelector(`${testid('schedule-generation')}[data-paused="false"]`);

  await ui.click(testid('calendar-view-week'));
  await page.waitForSelector(testid('calendar-week'));
  await ui.screenshot('week');
  expect(ui.errors).toEqual([]);
});
