import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type BrowserContext, type HTTPRequest, type Page } from 'puppeteer-core';

/**
 * Flags for a headless Chromium that renders local HTML only: no GPU, no /dev/shm (small in containers),
 * and none of the background traffic (updates, sync, QUIC probes) a render host has no use for.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
] as const;

/**
 * Launch flags of the pool's Chromium only (not of the test browsers that open the product's own UI): Chromium never
 * connects anywhere by itself. Every request a page makes is intercepted and answered by this process or aborted;
 * what interception cannot see (a `<link rel=preconnect>`, a WebSocket, DNS prefetch) must go through a proxy whose
 * name resolves nowhere, and WebRTC may not send UDP outside that proxy. The lead renderer relies on it
 * (docs/lead-extraction.md, "JavaScript pages").
 */
export const NO_DIRECT_NETWORK_ARGS = [
  '--proxy-server=http://no-direct-network.invalid:9',
  '--proxy-bypass-list=<-loopback>',
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--webrtc-ip-handling-policy=disable_non_proxied_udp',
] as const;

/** Viewport every page starts with; callers set their own before rendering. */
export const DEFAULT_VIEWPORT = { width: 1080, height: 1080, deviceScaleFactor: 1 } as const;

export interface BrowserPoolOptions {
  executablePath: string;
  /** Maximum number of pages open at once; further callers wait in FIFO order. */
  size: number;
  launchTimeoutMs?: number;
  /** How long `close()` waits for pages in use before closing the browser anyway. */
  closeTimeoutMs?: number;
}

export interface WithPageOptions {
  /** Aborting gives up the wait for a page, or closes the page being used, and rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Answers the page's requests instead of the default, which lets only `data:` and `about:` load. It must resolve
   * every request (respond, abort or continue); `continue` of a network URL would reach the dead proxy and fail.
   */
  onRequest?: (request: HTTPRequest) => void;
}

export interface BrowserPoolStats {
  size: number;
  active: number;
  waiting: number;
  launched: boolean;
}

export interface BrowserPool {
  readonly size: number;
  /** Runs `fn` on a fresh page in its own browser context; the page is closed afterwards, whatever happens. */
  withPage<T>(fn: (page: Page) => Promise<T>, options?: WithPageOptions): Promise<T>;
  /**
   * Runs `fn` on a warm page: one a previous call left open, or a fresh one that is kept open afterwards (at most
   * `size` of them). Opening a context and a page costs more than drawing a frame or printing a short PDF. Only for
   * the product's own self-contained templates, which replace the whole document (`setContent`) and set their own
   * viewport: the page keeps the default network policy (data: and about: only) and starts from the default
   * viewport, but nothing else is reset between callers. A call that fails or is aborted closes its page.
   */
  withWarmPage<T>(fn: (page: Page) => Promise<T>, options?: Pick<WithPageOptions, 'signal'>): Promise<T>;
  /** Readiness probe: launches the browser if needed and talks to it. */
  check(): Promise<void>;
  /** Refuses new work, lets pages in use finish (up to `closeTimeoutMs`), then closes Chromium. */
  close(): Promise<void>;
  stats(): BrowserPoolStats;
}

export class BrowserPoolClosedError extends Error {
  constructor() {
    super('The browser pool is closed');
    this.name = 'BrowserPoolClosedError';
  }
}

interface LaunchedBrowser {
  browser: Browser;
  userDataDir: string;
}

export function createBrowserPool(options: BrowserPoolOptions): BrowserPool {
  const { executablePath, size, launchTimeoutMs = 30_000, closeTimeoutMs = 15_000 } = options;
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`Browser pool size must be a positive integer: ${size}`);

  const slots = createSlots(size);
  let current: LaunchedBrowser | null = null;
  let launching: Promise<Browser> | null = null;
  let closed = false;
  /** Warm pages not in use, with the context each owns. */
  let idle: { page: Page; context: BrowserContext; browser: Browser }[] = [];

  async function launch(): Promise<Browser> {
    // A fresh profile per launch: a crashed browser's profile may be locked or corrupt.
    const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'studioflow-chromium-'));
    let browser: Browser;
    try {
      browser = await puppeteer.launch({
        executablePath,
        headless: true,
        pipe: true, // no debugging port to collide on; Chromium also exits when this process dies
        userDataDir,
        args: [...CHROMIUM_ARGS, ...NO_DIRECT_NETWORK_ARGS],
        timeout: launchTimeoutMs,
        protocolTimeout: 60_000,
        defaultViewport: DEFAULT_VIEWPORT,
        // The worker owns shutdown and calls close(); puppeteer's handlers would exit the process.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    } catch (err) {
      await removeDir(userDataDir);
      throw err;
    }
    const launched: LaunchedBrowser = { browser, userDataDir };
    browser.once('disconnected', () => {
      // A crash lands here too: forget the browser so the next page relaunches it.
      if (current === launched) current = null;
      void removeDir(userDataDir);
    });
    if (closed) {
      await shutdownBrowser(launched);
      throw new BrowserPoolClosedError();
    }
    current = launched;
    return browser;
  }

  function getBrowser(): Promise<Browser> {
    if (closed) return Promise.reject(new BrowserPoolClosedError());
    if (current?.browser.connected) return Promise.resolve(current.browser);
    launching ??= launch().finally(() => {
      launching = null;
    });
    return launching;
  }

  async function openContext(): Promise<BrowserContext> {
    const browser = await getBrowser();
    try {
      return await browser.createBrowserContext();
    } catch (err) {
      if (browser.connected) throw err;
      // The browser died between renders and the disconnect was not seen yet: relaunch once.
      if (current?.browser === browser) current = null;
      return (await getBrowser()).createBrowserContext();
    }
  }

  async function runOnFreshPage<T>(
    fn: (page: Page) => Promise<T>,
    { signal, onRequest = blockNetwork }: WithPageOptions,
  ): Promise<T> {
    const context = await openContext();
    const closeContext = () => context.close().catch(() => undefined);
    const onAbort = () => void closeContext();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      signal?.throwIfAborted();
      const page = await context.newPage();
      await preparePage(page, onRequest);
      return await raceAbort(fn(page), signal);
    } catch (err) {
      // Closing the page on abort makes puppeteer fail with "Target closed"; report the cancellation instead.
      if (signal?.aborted) throw signal.reason;
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await closeContext();
    }
  }

  /** A warm page of the running browser, or a fresh one. */
  async function takeWarmPage(): Promise<{ page: Page; context: BrowserContext; browser: Browser }> {
    for (let warm = idle.pop(); warm; warm = idle.pop()) {
      if (warm.browser.connected && warm.browser === current?.browser && !warm.page.isClosed()) return warm;
      void warm.context.close().catch(() => undefined);
    }
    const context = await openContext();
    try {
      const page = await context.newPage();
      await preparePage(page, blockNetwork);
      return { page, context, browser: context.browser() };
    } catch (err) {
      await context.close().catch(() => undefined);
      throw err;
    }
  }

  async function runOnWarmPage<T>(fn: (page: Page) => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    const warm = await takeWarmPage();
    const onAbort = () => void warm.context.close().catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    let reusable = false;
    try {
      signal?.throwIfAborted();
      const result = await raceAbort(fn(warm.page), signal);
      // A page that cannot even take its viewport back is not kept; the caller's result stands.
      reusable = await warm.page.setViewport(DEFAULT_VIEWPORT).then(
        () => true,
        () => false,
      );
      return result;
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (reusable && !closed && !signal?.aborted) idle.push(warm);
      else await warm.context.close().catch(() => undefined);
    }
  }

  return {
    size,

    async withWarmPage(fn, options = {}) {
      if (closed) throw new BrowserPoolClosedError();
      await slots.acquire(options.signal);
      try {
        return await runOnWarmPage(fn, options.signal);
      } finally {
        slots.release();
      }
    },

    async withPage(fn, options = {}) {
      if (closed) throw new BrowserPoolClosedError();
      await slots.acquire(options.signal);
      try {
        return await runOnFreshPage(fn, options);
      } finally {
        slots.release();
      }
    },

    async check() {
      const browser = await getBrowser();
      await browser.version();
    },

    async close() {
      if (closed) return;
      closed = true;
      slots.rejectWaiting(new BrowserPoolClosedError());
      await Promise.race([slots.idle(), delay(closeTimeoutMs)]);
      await launching?.catch(() => undefined);
      const warm = idle;
      idle = [];
      await Promise.all(warm.map((w) => w.context.close().catch(() => undefined)));
      const launched = current;
      current = null;
      if (launched) await shutdownBrowser(launched);
    },

    stats() {
      return { size, active: slots.active(), waiting: slots.waiting(), launched: current !== null };
    },
  };
}

/** Starts every page from the same state and keeps it off the network. */
async function preparePage(page: Page, onRequest: (request: HTTPRequest) => void): Promise<void> {
  await page.setViewport(DEFAULT_VIEWPORT);
  page.setDefaultTimeout(30_000);
  await page.setRequestInterception(true);
  page.on('request', onRequest);
}

/** Only inline content may load, so a template can never hang on (or leak data to) the network. */
function blockNetwork(request: HTTPRequest): void {
  if (request.isInterceptResolutionHandled()) return;
  const url = request.url();
  const local = url.startsWith('data:') || url.startsWith('about:');
  const resolution = local ? request.continue() : request.abort('blockedbyclient');
  resolution.catch(() => undefined);
}

async function shutdownBrowser({ browser, userDataDir }: LaunchedBrowser): Promise<void> {
  const closing = browser.close().then(
    () => true,
    () => false,
  );
  const closedInTime = await Promise.race([closing, delay(10_000).then(() => false)]);
  if (!closedInTime) browser.process()?.kill('SIGKILL');
  await removeDir(userDataDir);
}

async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 }).catch(() => undefined);
}

function raceAbort<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

interface Waiter {
  grant(): void;
  fail(err: unknown): void;
}

/** A counting semaphore with FIFO waiters that can give up through an AbortSignal. */
function createSlots(size: number) {
  let active = 0;
  const waiting: Waiter[] = [];
  let onIdle: (() => void)[] = [];

  return {
    active: () => active,
    waiting: () => waiting.length,

    acquire(signal?: AbortSignal): Promise<void> {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (active < size) {
        active++;
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          waiting.splice(waiting.indexOf(waiter), 1);
          reject(signal?.reason);
        };
        const waiter: Waiter = {
          grant: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
          fail: (err) => {
            signal?.removeEventListener('abort', onAbort);
            reject(err);
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.push(waiter);
      });
    },

    release(): void {
      const next = waiting.shift();
      // Hand the slot straight to the next waiter so a newcomer cannot jump the queue.
      if (next) return next.grant();
      active--;
      if (active === 0) {
        onIdle.forEach((resolve) => resolve());
        onIdle = [];
      }
    },

    rejectWaiting(err: unknown): void {
      waiting.splice(0).forEach((waiter) => waiter.fail(err));
    },

    idle(): Promise<void> {
      if (active === 0) return Promise.resolve();
      return new Promise((resolve) => onIdle.push(resolve));
    },
  };
}
