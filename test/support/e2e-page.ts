/**
 * What the e2e tests share: a headless Chromium page (Debian's chromium, the pool's flags) that collects page errors
 * and CSP violations, the small actions a user makes (click once visible, type into a control, read text), logging in,
 * and screenshots to test/e2e/screenshots/ when E2E_SCREENSHOTS=1.
 */
import fs from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROMIUM_ARGS } from '../../activities/render/browser-pool';
import { watchCspViolations } from './csp';
import type { TestStack } from './harness';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT_DIR = path.join(__dirname, '..', 'e2e', 'screenshots');
const VIEWPORT = { width: 1366, height: 900, deviceScaleFactor: 1 };

export const testid = (id: string) => `[data-testid="${id}"]`;

export interface E2EPage {
  browser: Browser;
  page: Page;
  /** Page errors and CSP violations seen so far: a test ends by expecting none. */
  errors: string[];
  click(selector: string): Promise<void>;
  /** Sets a control's value the way typing would, so its input listeners run. */
  setValue(selector: string, value: string): Promise<void>;
  text(selector: string): Promise<string>;
  texts(selector: string): Promise<string[]>;
  /** Opens `hash` and logs in as the stack's admin on the login page it lands on. */
  logIn(stack: TestStack, hash: string): Promise<void>;
  /** A screenshot named `<prefix>-<name>.png` (or `<name>.png`), only when E2E_SCREENSHOTS=1. */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openE2EPage(
  options: { screenshotPrefix?: string; stepTimeoutMs?: number } = {},
): Promise<E2EPage> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; install it with: apt-get install -y chromium`);
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  const page = await browser.newPage();
  await page.setViewport(VIEWPORT);
  page.setDefaultTimeout(options.stepTimeoutMs ?? 30_000);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err instanceof Error ? err.message : String(err)));
  await watchCspViolations(page, errors);

  const click = async (selector: string) => {
    await page.waitForSelector(selector, { visible: true });
    await page.click(selector);
  };
  return {
    browser,
    page,
    errors,
    click,
    async setValue(selector, value) {
      await page.waitForSelector(selector);
      await page.$eval(
        selector,
        (el, v) => {
          const control = el as HTMLInputElement | HTMLTextAreaElement;
          control.value = v;
          control.dispatchEvent(new Event('input', { bubbles: true }));
        },
        value,
      );
    },
    text: (selector) => page.$eval(selector, (el) => (el.textContent ?? '').trim()),
    texts: (selector) => page.$$eval(selector, (els) => els.map((el) => (el.textContent ?? '').trim())),
    async logIn(stack, hash) {
      await page.goto(`${stack.baseUrl}/${hash}`);
      await page.waitForSelector(testid('login-email'));
      await page.type(testid('login-email'), stack.admin.email);
      await page.type(testid('login-password'), stack.admin.password);
      await click(testid('login-submit'));
    },
    async screenshot(name) {
      if (process.env.E2E_SCREENSHOTS !== '1') return;
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      // A tall viewport instead of fullPage: the sticky sidebar stays where a user sees it.
      const height = await page.evaluate(() => Math.min(Math.max(document.documentElement.scrollHeight, 900), 2400));
      await page.setViewport({ ...VIEWPORT, height });
      const file = options.screenshotPrefix ? `${options.screenshotPrefix}-${name}` : name;
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${file}.png`) });
      await page.setViewport(VIEWPORT);
    },
    close: () => browser.close(),
  };
}
