/**
 * Renders a lead's page in Chromium when its content needs JavaScript (crawlLead said `needsBrowser`) and stores the
 * rendered DOM by key, for `crawlLead({ homeHtmlKey })` to read (docs/lead-extraction.md, "JavaScript pages").
 *
 * Chromium never opens a connection itself: the document is fetched first through the SSRF-safe fetcher (robots.txt,
 * addresses, caps), and every request the page makes is answered through it too or aborted (lead-page.network.ts).
 * From the navigation on, the render has `timeoutMs` to load and then go quiet (no request pending for `quietMs`);
 * a page that does not is a `FetchTimeout`, and its page is closed. Time waiting for a browser slot does not count.
 */
import { log } from '@temporalio/activity';
import { type Page } from 'puppeteer-core';
import { failure } from '../../lib/failures';
import { withHeartbeat } from '../shared/heartbeat';
import { assertValidStorageKey, type FileStorage } from '../storage/file-storage.port';
import type { SafeFetcher } from '../web';
import type { BrowserPool } from './browser-pool';
import {
  createPageNetwork,
  type PageNetwork,
  type PageNetworkLimits,
  type PageNetworkStats,
} from './lead-page.network';

export interface RenderLeadPageInput {
  /** The page to render, usually the lead's website as crawlLead fetched it. */
  url: string;
  /** Where the rendered HTML is stored (e.g. `leads/<workspace>/<lead>/home-<run>.html`); a retry overwrites it. */
  key: string;
}

export interface RenderedLeadPage {
  key: string;
  /** Where the page ended (after redirects, including a script's): crawlLead's `homeUrl`. */
  finalUrl: string;
  /** Bytes of the stored HTML. */
  bytes: number;
  title: string;
  /** What the page asked for and how it was answered. */
  requests: PageNetworkStats;
}

export interface LeadPageLimits extends PageNetworkLimits {
  /** From the navigation to the page going quiet. */
  timeoutMs: number;
  /** No request pending for this long counts as settled. */
  quietMs: number;
  /** The most rendered HTML stored. */
  maxBytes: number;
}

export const LEAD_PAGE_LIMITS: LeadPageLimits = {
  timeoutMs: 20_000,
  quietMs: 500,
  maxSubrequests: 40,
  maxNavigations: 3,
  concurrency: 4,
  maxBytes: 4 * 1024 * 1024,
};

export interface LeadPageActivityDeps {
  pool: BrowserPool;
  storage: FileStorage;
  fetcher: SafeFetcher;
  limits?: Partial<LeadPageLimits>;
}

type Stage = 'fetching' | 'waiting-for-browser' | 'rendering' | 'storing';

export function createLeadPageActivities(deps: LeadPageActivityDeps) {
  const { pool, storage, fetcher } = deps;
  const limits = { ...LEAD_PAGE_LIMITS, ...deps.limits };

  return {
    async renderLeadPage(input: RenderLeadPageInput): Promise<RenderedLeadPage> {
      assertValidStorageKey(input?.key);
      if (typeof input.url !== 'string') throw failure('InvalidInput', 'url must be a string');
      let stage: Stage = 'fetching';
      let network: PageNetwork | undefined;
      return withHeartbeat(
        () => ({ stage, requests: network?.stats() }),
        async (heartbeat) => {
          const started = Date.now();
          const document = await fetcher.fetchPage(input.url, { signal: heartbeat.signal });
          const contentType = document.charset ? `text/html; charset=${document.charset}` : 'text/html';
          const net = createPageNetwork({
            ...limits,
            fetcher,
            signal: heartbeat.signal,
            document: { url: document.finalUrl, contentType, body: document.body },
          });
          network = net;
          // The details are read per beat (stage and live request counts), so each stage only sets and beats.
          stage = 'waiting-for-browser';
          heartbeat.beat();
          try {
            const page = await pool.withPage(
              async (tab) => {
                stage = 'rendering';
                heartbeat.beat();
                return settle(tab, document.finalUrl, net, limits);
              },
              { signal: heartbeat.signal, onRequest: (request) => net.onRequest(request) },
            );
            const bytes = Buffer.byteLength(page.html);
            if (bytes > limits.maxBytes)
              throw failure('ResponseTooLarge', `${page.url} renders to ${bytes} bytes: more than ${limits.maxBytes}`);
            stage = 'storing';
            heartbeat.beat();
            await storage.put(input.key, Buffer.from(page.html, 'utf8'), 'text/html; charset=utf-8');
            const requests = net.stats();
            log.info('Rendered lead page', {
              url: input.url,
              finalUrl: page.url,
              bytes,
              requests,
              refusals: net.refusals.slice(0, 5),
              durationMs: Date.now() - started,
            });
            return { key: input.key, finalUrl: page.url, bytes, title: page.title, requests };
          } finally {
            net.close();
          }
        },
      );
    },
  };
}

export type LeadPageActivities = ReturnType<typeof createLeadPageActivities>;

interface SettledPage {
  url: string;
  title: string;
  html: string;
}

/** Navigates, waits for the page to go quiet, and reads it; within `timeoutMs` or a `FetchTimeout`. */
async function settle(page: Page, url: string, network: PageNetwork, limits: LeadPageLimits): Promise<SettledPage> {
  // A service worker would fetch outside the page's interception (and fail on the dead proxy): keep pages off them.
  await page.setBypassServiceWorker(true);
  const work = (async () => {
    await page.goto(url, { waitUntil: 'load', timeout: 0 }).catch((err: Error) => {
      throw network.navigationFailure ?? failure('RenderFailed', `${url} did not load: ${err.message}`);
    });
    // A script may navigate while the page is read ("execution context was destroyed"): wait and read again.
    for (let attempt = 1; ; attempt++) {
      await network.idle(limits.quietMs);
      if (network.navigationFailure) throw network.navigationFailure;
      try {
        if (page.url().startsWith('chrome-error:'))
          throw failure('RenderFailed', `${url} ended on Chromium's error page`);
        return { url: page.url(), title: await page.title(), html: await page.content() };
      } catch (err) {
        if (attempt >= 3 || !/context was destroyed|navigat/i.test((err as Error).message)) throw err;
      }
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          failure('FetchTimeout', `${url} did not settle in the browser within ${limits.timeoutMs} ms`, {
            details: [{ url, timeoutMs: limits.timeoutMs, requests: network.stats() }],
          }),
        ),
      limits.timeoutMs,
    );
  });
  // The losing side fails once the page closes; nobody waits for it then.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
