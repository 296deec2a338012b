/**
 * The video pipeline in the web UI, in headless Chromium against a real stack (API + workers, Temporal dev server,
 * PostgreSQL, espeak-ng, ffmpeg): an admin grants credits, launches a 30-second vertical video that needs approval,
 * sees a broken scene refused next to its field, edits a scene and approves, watches the render, plays the video
 * with its subtitles in the page, and finds it on the brand's channel.
 *
 * Screenshots of each stage go to test/e2e/screenshots/ when E2E_SCREENSHOTS=1.
 */
import fs from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROMIUM_ARGS } from '../../activities/render/browser-pool';
import { watchCspViolations } from '../support/csp';
import { startTestStack, type TestStack } from '../support/harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = process.env.E2E_SCREENSHOTS === '1';
const SCREENSHOT_DIR = path.join(__dirname, 'screenshots');
const STEP_TIMEOUT = 90_000;

jest.setTimeout(300_000);

let stack: TestStack;
let browser: Browser;
let page: Page;
let brand: { id: string; name: string; slug: string; channelUrl: string };
const pageErrors: string[] = [];

const testid = (id: string) => `[data-testid="${id}"]`;

async function screenshot(name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const height = await page.evaluate(() => Math.min(Math.max(document.documentElement.scrollHeight, 900), 3000));
  await page.setViewport({ width: 1366, height, deviceScaleFactor: 1 });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `video-${name}.png`) });
  await page.setViewport({ width: 1366, height: 900, deviceScaleFactor: 1 });
}

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

const stepStatus = (name: string) =>
  page.$eval(`${testid('step')}[data-step="${name}"]`, (el) => el.getAttribute('data-status'));

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; install it with: apt-get install -y chromium`);
  stack = await startTestStack('e2e-video');
  brand = await stack.brand({ name: 'Juniper Teahouse', colors: { primary: '#1d3557', secondary: '#e9c46a' } });
  browser = await puppeteer.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
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

it('grants credits, launches a video, edits and approves its script, and plays the published video', async () => {
  // ---- log in ----
  await page.goto(`${stack.baseUrl}/#/credits`);
  await page.waitForSelector(testid('login-email'));
  await page.type(testid('login-email'), stack.admin.email);
  await page.type(testid('login-password'), stack.admin.password);
  await click(testid('login-submit'));

  // ---- credits: none yet; a bad grant is refused next to its field; a good one shows in balance and ledger ----
  await page.waitForFunction(
    (sel) => document.querySelector(sel)?.textContent === '0',
    {},
    testid('credits-available'),
  );
  await setValue(testid('grant-amount'), '0');
  await click(testid('grant-submit'));
  await page.waitForSelector(`${testid('field-error')}[data-error-for="amount"]`);
  await setValue(testid('grant-amount'), '40');
  await setValue(testid('grant-note'), 'Launch campaign');
  await click(testid('grant-submit'));
  await page.waitForFunction(
    (sel) => document.querySelector(sel)?.textContent === '40',
    {},
    testid('credits-available'),
  );
  const grant = await page.waitForSelector(`${testid('ledger-row')}[data-kind="grant"]`);
  expect(await grant!.evaluate((el) => el.textContent)).toContain('Launch campaign');
  await screenshot('01-credits');

  // ---- launch: the estimate follows the length and the platforms ----
  await page.goto(`${stack.baseUrl}/#/launch`);
  await click(testid('launch-video'));
  await page.waitForSelector(`${testid('launch-brand')} option[value="${brand.id}"]`);
  await page.select(testid('launch-brand'), brand.id);
  await page.waitForFunction(
    (sel) => document.querySelector(sel)?.textContent === '3 credits',
    {},
    testid('video-cost-total'),
  );
  await setValue(testid('video-seconds'), '31');
  await page.waitForFunction(
    (sel) => document.querySelector(sel)?.textContent === '4 credits',
    {},
    testid('video-cost-total'),
  );
  await setValue(testid('video-seconds'), '30');
  await page.waitForFunction(
    (sel) => document.querySelector(sel)?.textContent === '3 credits',
    {},
    testid('video-cost-total'),
  );
  // Nothing typed for the topic: refused in the page, next to the field.
  await click(testid('launch-submit'));
  await page.waitForSelector(`${testid('field-error')}[data-error-for="input.brief.topic"]`);
  await setValue(testid('video-topic'), 'Three infusions from one pot of oolong');
  await setValue(testid('video-callToAction'), 'Book a tasting');
  expect(await page.$eval(testid('video-format-vertical'), (el) => (el as HTMLInputElement).checked)).toBe(true);
  await screenshot('02-launch');
  await click(testid('launch-submit'));
  await page.waitForFunction(() => location.hash.startsWith('#/runs/video'));
  const runId = await page.evaluate(() => decodeURIComponent(location.hash.slice('#/runs/'.length)));
  expect(runId).toMatch(new RegExp(`^video/${brand.id}/`));

  // ---- the script waits for approval, one scene per fieldset ----
  await page.waitForSelector(testid('approval-form'));
  expect(await stepStatus('approval')).toBe('waiting');
  expect(await stepStatus('script')).toBe('done');
  const scenes = await page.$$(testid('scene'));
  expect(scenes.length).toBeGreaterThanOrEqual(3);
  expect(await page.$eval(testid('script-total'), (el) => el.textContent)).toMatch(/for a 30 s video$/);
  // What the recorded draft measured, beside the estimate.
  expect(await page.$eval(testid('script-measured'), (el) => el.textContent)).toMatch(
    /^Recorded to check its length: \d+\.\d s with the pauses, at \d+ words per minute \(espeak\)\.$/,
  );
  // An empty narration breaks the script's rules: the API names the field, shown next to the textarea.
  const original = await page.$eval(testid('scene-1-narration'), (el) => (el as HTMLTextAreaElement).value);
  await setValue(testid('scene-1-narration'), '');
  await click(testid('approval-edit'));
  await page.waitForSelector(`${testid('field-error')}[data-error-for^="edits.scenes.1.narration"]`);
  await setValue(testid('scene-1-narration'), original);
  // Fixed: the error next to the field goes as soon as the field changes.
  expect(await page.$(`${testid('field-error')}[data-error-for^="edits.scenes.1.narration"]`)).toBeNull();
  expect(await page.$eval(testid('scene-1-narration'), (el) => el.getAttribute('aria-invalid'))).toBeNull();
  await setValue(testid('scene-0-onScreenText'), 'One pot, three cups');
  await screenshot('03-approval');
  await click(testid('approval-edit'));

  // ---- render progress, then the finished run with its video ----
  await page.waitForFunction(
    (sel) => document.querySelector(sel)?.getAttribute('data-status') !== 'pending',
    {},
    `${testid('step')}[data-step="render"]`,
  );
  await page.waitForFunction(
    (sel) => document.querySelector(sel)?.getAttribute('data-status') === 'completed',
    { timeout: 240_000 },
    testid('run-status'),
  );
  for (const name of ['voice', 'visuals', 'render', 'metadata', 'publish', 'settle'])
    expect(await stepStatus(name)).toBe('done');
  await page.waitForSelector(`${testid('artifact-video')} video track[kind="subtitles"]`);
  // The browser plays it: metadata loaded, 1080×1920, as long as the narration (within 10 %).
  const video = await page.$eval(`${testid('artifact-video')} video`, async (el) => {
    const v = el as HTMLVideoElement;
    if (v.readyState < 1) await new Promise((resolve) => v.addEventListener('loadedmetadata', resolve, { once: true }));
    v.muted = true;
    await v.play();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const played = v.currentTime;
    v.pause();
    return { width: v.videoWidth, height: v.videoHeight, duration: v.duration, played, tracks: v.textTracks.length };
  });
  expect(video).toMatchObject({ width: 1080, height: 1920, tracks: 1 });
  expect(video.played).toBeGreaterThan(0);
  const voiceDetail = await page.$eval(`${testid('step')}[data-step="voice"] .step-detail`, (el) => el.textContent);
  const narration = Number(/([\d.]+) s of narration/.exec(voiceDetail ?? '')![1]);
  expect(Math.abs(video.duration - narration) / narration).toBeLessThan(0.1);
  await screenshot('04-done');
  const settle = await page.$eval(`${testid('step')}[data-step="settle"] .step-detail`, (el) => el.textContent);
  // Length is billed up to the 30 s asked for: the charge is the quote.
  expect(settle).toBe('3 of 3 reserved credits charged');

  // ---- on the brand's channel ----
  const link = await page.$eval(`${testid('artifact-link')} a`, (el) => (el as HTMLAnchorElement).href);
  expect(link).toContain(`/c/${brand.slug}/posts/`);
  await page.goto(link);
  await page.waitForSelector('video source[type="video/mp4"]');
  expect(await page.$eval('video track', (el) => el.getAttribute('srclang'))).toBe('en');
  await screenshot('05-channel');

  // ---- credits: the hold is settled, the charge shows in the ledger ----
  await page.goto(`${stack.baseUrl}/#/credits`);
  await page.waitForFunction(
    (sel) => document.querySelector(sel)?.textContent === '37',
    {},
    testid('credits-available'),
  );
  expect(await page.$eval(testid('credits-reserved'), (el) => el.textContent)).toBe('0');
  await page.waitForSelector(`${testid('ledger-row')}[data-kind="capture"]`);
  expect(await page.$$(`${testid('ledger-row')}[data-kind="capture"]`)).toHaveLength(1);

  expect(pageErrors).toEqual([]);
});
