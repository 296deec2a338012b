/**
 * The lead renderer's network: Chromium opens no connection itself (NO_DIRECT_NETWORK_ARGS); every request a page
 * makes is intercepted here and fetched on the Node side through the SSRF-safe fetcher, then answered with
 * `request.respond`, or aborted.
 *
 * - The main frame's documents go through `fetchPage` (robots.txt, HTML only, 2xx only), at most `maxNavigations`
 *   after the first; a refused one is remembered, since it leaves the page on an error page.
 * - Scripts, XHR and fetch() go through `fetchResource` (same address, redirect, time and size rules, no robots.txt),
 *   at most `maxSubrequests` of them, `concurrency` at a time.
 * - `data:`, `blob:` and `about:blank` load as they are (in memory). Anything else is aborted: other schemes, methods
 *   other than GET, frames, styles, images, fonts, media, beacons, event streams. Reading a page's text needs none.
 * - A redirect the fetcher followed is answered as one (302 to where it ended), so the page sees the right URL; the
 *   target's answer is kept and served when Chromium asks for it.
 */
import { type ApplicationFailure } from '@temporalio/common';
import type { HTTPRequest, ResourceType } from 'puppeteer-core';
import { failure, isFailureType, type FailureType } from '../../lib/failures';
import type { SafeFetcher } from '../web';

export interface PageNetworkLimits {
  maxSubrequests: number;
  maxNavigations: number;
  concurrency: number;
}

export interface PageNetworkOptions extends PageNetworkLimits {
  fetcher: SafeFetcher;
  /** The activity's cancellation; closing the network aborts what is still being fetched too. */
  signal: AbortSignal;
  /** The first document, fetched before the page opened: served when Chromium navigates to its URL (no count). */
  document: { url: string; contentType: string; body: Buffer };
}

export interface RefusedRequest {
  url: string;
  type: FailureType | 'Error';
}

export interface PageNetworkStats {
  /** Requests answered from a fetch. */
  answered: number;
  /** Requests the fetcher refused or failed (address, redirect, timeout…), aborted. */
  refused: number;
  /** Requests aborted without fetching: types, schemes or methods not loaded, or past the limit. */
  dropped: number;
}

export interface PageNetwork {
  onRequest(request: HTTPRequest): void;
  /** Resolves once no request has been pending for `quietMs`. */
  idle(quietMs: number): Promise<void>;
  /** The last main-frame navigation's failure, when it was refused (the page then shows an error page). */
  readonly navigationFailure: ApplicationFailure | undefined;
  /** The first refusals, for the log. */
  readonly refusals: readonly RefusedRequest[];
  stats(): PageNetworkStats;
  /** Aborts what is in flight and every later request. */
  close(): void;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const SUBRESOURCES = new Set<ResourceType>(['script', 'xhr', 'fetch']);
const KEEP_REFUSALS = 20;

export function createPageNetwork(options: PageNetworkOptions): PageNetwork {
  const { fetcher, maxSubrequests, maxNavigations } = options;
  const closing = new AbortController();
  const signal = AbortSignal.any([options.signal, closing.signal]);
  /** Answers waiting for Chromium to ask for them: a redirect's target, and the first document. */
  const ready = new Map<string, Answer>([
    [
      options.document.url,
      { status: 200, headers: { 'content-type': options.document.contentType }, body: options.document.body },
    ],
  ]);
  const refusals: RefusedRequest[] = [];
  const stats: PageNetworkStats = { answered: 0, refused: 0, dropped: 0 };
  const slots = createLimiter(options.concurrency);
  let navigations = 0;
  let subrequests = 0;
  let pending = 0;
  let lastActivity = Date.now();
  let navigationFailure: ApplicationFailure | undefined;

  const settle = (work: Promise<unknown>) => {
    pending++;
    work
      .catch(() => undefined)
      .finally(() => {
        pending--;
        lastActivity = Date.now();
      });
  };
  const drop = (request: HTTPRequest) => {
    stats.dropped++;
    settle(request.abort('blockedbyclient'));
  };

  const refuse = (request: HTTPRequest, err: unknown): Promise<void> => {
    stats.refused++;
    const type = (err as { type?: unknown }).type;
    if (refusals.length < KEEP_REFUSALS)
      refusals.push({ url: request.url().slice(0, 300), type: isFailureType(type) ? type : 'Error' });
    return request.abort(type === 'FetchTimeout' ? 'timedout' : 'blockedbyclient');
  };

  const respond = (request: HTTPRequest, answer: Answer) => {
    stats.answered++;
    return request.respond({ status: answer.status, headers: answer.headers, body: answer.body });
  };

  /** Answers with the fetched answer, or with a redirect to where the fetch ended, keeping the answer for it. */
  const answerFetched = (request: HTTPRequest, finalUrl: string, answer: Answer) => {
    if (finalUrl === request.url()) return respond(request, answer);
    ready.set(finalUrl, answer);
    const cors = answer.headers['access-control-allow-origin'];
    return respond(request, {
      status: 302,
      headers: { location: finalUrl, ...(cors ? { 'access-control-allow-origin': cors } : {}) },
      body: Buffer.alloc(0),
    });
  };

  async function navigate(request: HTTPRequest): Promise<void> {
    if (++navigations > maxNavigations) {
      navigationFailure = tooManyNavigations(request.url(), maxNavigations);
      return refuse(request, navigationFailure);
    }
    try {
      const page = await slots.run(() => fetcher.fetchPage(request.url(), { signal }));
      navigationFailure = undefined;
      const type = page.charset ? `${page.contentType}; charset=${page.charset}` : page.contentType || 'text/html';
      return answerFetched(request, page.finalUrl, {
        status: page.status,
        headers: { 'content-type': type },
        body: page.body,
      });
    } catch (err) {
      navigationFailure = err as ApplicationFailure;
      return refuse(request, err);
    }
  }

  async function load(request: HTTPRequest): Promise<void> {
    try {
      const headers = request.headers();
      const resource = await slots.run(() =>
        fetcher.fetchResource(request.url(), { signal, headers: { accept: headers.accept, origin: headers.origin } }),
      );
      return answerFetched(request, resource.finalUrl, resource);
    } catch (err) {
      return refuse(request, err);
    }
  }

  return {
    onRequest(request) {
      if (request.isInterceptResolutionHandled()) return;
      lastActivity = Date.now();
      const url = request.url();
      // In-memory URLs: Chromium answers them itself, nothing touches the network.
      if (/^(?:data|blob):/i.test(url) || url === 'about:blank') return settle(request.continue());
      const main = request.isNavigationRequest() && request.frame()?.parentFrame() === null;
      if (closing.signal.aborted || !/^https?:/i.test(url) || request.method() !== 'GET') return drop(request);
      const kept = ready.get(url);
      if (kept && (main || !request.isNavigationRequest())) {
        ready.delete(url);
        return settle(respond(request, kept));
      }
      if (main) return settle(navigate(request));
      if (!SUBRESOURCES.has(request.resourceType()) || subrequests >= maxSubrequests) return drop(request);
      subrequests++;
      settle(load(request));
    },

    async idle(quietMs) {
      for (;;) {
        const quietFor = Date.now() - lastActivity;
        if (pending === 0 && quietFor >= quietMs) return;
        await new Promise((resolve) => setTimeout(resolve, Math.max(20, quietMs - quietFor)));
        signal.throwIfAborted();
      }
    },

    get navigationFailure() {
      return navigationFailure;
    },
    refusals,
    stats: () => ({ ...stats }),
    close: () => closing.abort(new Error('The page is closed')),
  };
}

function tooManyNavigations(url: string, max: number): ApplicationFailure {
  return failure('TooManyRedirects', `The page navigated more than ${max} times (then to ${url.slice(0, 200)})`);
}

/** At most `size` fetches at once; the rest wait in order. */
function createLimiter(size: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve));
      else active++;
      try {
        return await work();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else active--;
      }
    },
  };
}
