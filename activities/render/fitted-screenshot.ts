import type { Page } from 'puppeteer-core';

const SET_CONTENT_TIMEOUT_MS = 20_000;
/** The fit script normally finishes in milliseconds; past this the page is captured as CSS laid it out. */
const READY_TIMEOUT_MS = 5_000;

/** `overflow`: the template's fit script gave up (text clipped); `timeout`: it never said it was done. */
export type FitState = 'ready' | 'overflow' | 'timeout';

export interface FittedScreenshot {
  png: Buffer;
  state: FitState;
}

/**
 * A PNG of `html` at `width`×`height`, taken once the template's fit script has marked the document `data-ready`
 * (or after the wait gives up). `optimizeForSpeed`: lighter zlib compression, for intermediates decoded once.
 */
export async function fittedScreenshot(
  page: Page,
  html: string,
  { width, height, optimizeForSpeed }: { width: number; height: number; optimizeForSpeed?: boolean },
): Promise<FittedScreenshot> {
  await page.setViewport({ width, height, deviceScaleFactor: 1 });
  await page.setContent(html, { waitUntil: 'load', timeout: SET_CONTENT_TIMEOUT_MS });
  const state = (await page.evaluate(WAIT_FOR_FIT)) as FitState;
  const image = await page.screenshot({
    type: 'png',
    clip: { x: 0, y: 0, width, height },
    captureBeyondViewport: false,
    ...(optimizeForSpeed ? { optimizeForSpeed } : {}),
  });
  return { png: Buffer.from(image.buffer, image.byteOffset, image.byteLength), state };
}

/**
 * Page-side wait: fonts loaded and the fit script done. A string, not a function, because tsx/esbuild would inject
 * helpers (`__name`) into a serialised function that do not exist in the page.
 */
const WAIT_FOR_FIT = `document.fonts.ready.then(() => new Promise((resolve) => {
  const root = document.documentElement;
  const deadline = performance.now() + ${READY_TIMEOUT_MS};
  const poll = () => {
    if (root.getAttribute('data-ready') === 'true') resolve(root.hasAttribute('data-overflow') ? 'overflow' : 'ready');
    else if (performance.now() > deadline) resolve('timeout');
    else setTimeout(poll, 10);
  };
  poll();
}))`;
