/**
 * The one way product code fetches a URL that a user, a lead list or a webhook supplied (docs/leads.md, "Fetching
 * sites safely"): every hop checked (URL rules, then each resolved address) and connected to the address checked;
 * robots.txt and a per-host gap for page fetches; redirect, time and size caps. Outcomes other than a 2xx page are
 * failures of the vocabulary (lib/failures.ts).
 *
 * Redirects: pages follow up to `maxRedirects`, each hop re-checked. An https page may redirect to http: the fetch
 * sends no cookie or credential, so only the public page is exposed. `postJson` follows none: a callback's target is
 * configured, and a redirect would either drop or re-send its body. `fetchResource` is for what a page loads (the lead
 * renderer answers Chromium's requests with it): the same address, redirect, time and size rules, but no robots.txt
 * and no politeness gap (a browser loads a page's scripts at once; the caller bounds how many), and any status.
 */
import { failure } from '../../lib/failures';
import { checkUrl, parseAllowList, type UrlTarget } from '../../lib/net/url-policy';
import { resolveTarget, type Resolver, systemResolver } from './address-guard';
import { asFetchFailure, createDeadline, type Deadline, statusFailure } from './fetch-failures';
import { createHostPacer } from './host-pacer';
import { exchange, type ExchangeHead } from './http-exchange';
import { decodeText, isHtmlType, isTextType, looksLikeHtml, parseContentType, passedOnHeaders } from './page-body';
import { createRobotsCache, ROBOTS_MAX_BYTES, type RobotsAnswer } from './robots-cache';

export interface SafeFetcherOptions {
  /** `StudioflowBot/1.0 (+https://…)`: robots.txt groups match its first word. */
  userAgent: string;
  /** `host`, `host:port` or `host:*` entries whose addresses are not checked (lib/net/url-policy.ts). */
  allowedHosts?: readonly string[];
  maxBytes?: number;
  /** From the first request to the last byte, redirects included. */
  timeoutMs?: number;
  /** Silence on the connection for this long ends the fetch. */
  idleTimeoutMs?: number;
  /** Minimum gap between two requests to one host (this process). */
  hostDelayMs?: number;
  /** The most a robots.txt Crawl-delay may stretch that gap. */
  maxCrawlDelayMs?: number;
  maxRedirects?: number;
  robotsTtlMs?: number;
  /** Tests make names resolve where they need; production asks the system resolver. */
  resolve?: Resolver;
}

export interface FetchPageOptions {
  signal?: AbortSignal;
  /** 'html' (default) refuses anything but a page with `NotHtml`; 'any' takes every type. */
  accept?: 'html' | 'any';
}

export interface RedirectHop {
  url: string;
  status: number;
  location: string;
}

export interface FetchTimings {
  /** Waiting for robots.txt (0 when cached). */
  robotsMs: number;
  /** Waiting for the host's politeness slot. */
  waitMs: number;
  /** From the call to the last byte. */
  totalMs: number;
}

export interface FetchedPage {
  finalUrl: string;
  status: number;
  /** Media type without parameters, lower case ('' when the server named none). */
  contentType: string;
  charset?: string;
  body: Buffer;
  /** The body decoded, for text types (HTML, XML, JSON, text/*). */
  text?: string;
  bytes: number;
  redirects: RedirectHop[];
  timings: FetchTimings;
}

export interface JsonReply {
  url: string;
  status: number;
  contentType: string;
  body: string;
  /** The parsed body when the reply says it is JSON and parses. */
  json?: unknown;
  timings: FetchTimings;
}

export interface FetchResourceOptions {
  signal?: AbortSignal;
  /** The request headers servers answer by (content negotiation, CORS); nothing else of the page's request is sent. */
  headers?: { accept?: string; origin?: string };
}

/** A subresource as the server answered it, whatever the status, ready to hand to a browser. */
export interface FetchedResource {
  finalUrl: string;
  status: number;
  /** The Content-Type header as sent ('' when none). */
  contentType: string;
  /** The headers worth handing on (type, CORS, caching): never cookies, encodings or lengths. */
  headers: Record<string, string>;
  body: Buffer;
  bytes: number;
  redirects: RedirectHop[];
}

export interface SafeFetcher {
  fetchPage(url: string, options?: FetchPageOptions): Promise<FetchedPage>;
  /** GETs what a page loads (a script, an XHR): no robots.txt, no politeness gap, any status; every other rule. */
  fetchResource(url: string, options?: FetchResourceOptions): Promise<FetchedResource>;
  /** POSTs JSON (a CRM callback): same address rules, no robots, no politeness gap, no redirects. */
  postJson(
    url: string,
    body: unknown,
    headers?: Record<string, string>,
    options?: { signal?: AbortSignal },
  ): Promise<JsonReply>;
}

export const FETCHER_DEFAULTS = {
  maxBytes: 2 * 1024 * 1024,
  timeoutMs: 15_000,
  idleTimeoutMs: 5_000,
  hostDelayMs: 1_000,
  maxCrawlDelayMs: 10_000,
  maxRedirects: 5,
  robotsTtlMs: 60 * 60 * 1000,
};

interface Plan {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Buffer;
  robots: boolean;
  pace: boolean;
  followRedirects: boolean;
}

interface Followed {
  url: URL;
  head: ExchangeHead;
  redirects: RedirectHop[];
  robotsMs: number;
  waitMs: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const PAGE_ACCEPT = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1';

export function createSafeFetcher(options: SafeFetcherOptions): SafeFetcher {
  const settings = { ...FETCHER_DEFAULTS, ...withoutUndefined(options), userAgent: options.userAgent };
  const allowList = parseAllowList(options.allowedHosts ?? []);
  const resolve = options.resolve ?? systemResolver;
  const pacer = createHostPacer();
  const baseHeaders = { 'user-agent': settings.userAgent, 'accept-encoding': 'gzip, deflate, br' };

  const checked = (url: string | URL): UrlTarget => {
    const verdict = checkUrl(url, allowList);
    if (verdict.ok) return verdict.target;
    throw failure(/^not a URL|no host/.test(verdict.reason) ? 'InvalidInput' : 'AddressRefused', verdict.reason, {
      details: [{ url: String(url) }],
    });
  };

  async function follow(start: string, plan: Plan, deadline: Deadline, caller?: AbortSignal): Promise<Followed> {
    const redirects: RedirectHop[] = [];
    const seen = new Set<string>();
    let robotsMs = 0;
    let waitMs = 0;
    let next: string | URL = start;
    for (;;) {
      const target = checked(next);
      const addresses = await resolveTarget(target, resolve);
      let gapMs = settings.hostDelayMs;
      if (plan.robots) {
        const asked = Date.now();
        const verdict = await robots.check(target.url, caller);
        robotsMs += Date.now() - asked;
        if (!verdict.allowed)
          throw failure('BlockedByRobots', `${target.url.host}/robots.txt disallows ${target.url.pathname}`, {
            details: [{ url: target.url.href }],
          });
        gapMs = Math.max(gapMs, Math.min(verdict.crawlDelayMs ?? 0, settings.maxCrawlDelayMs));
      }
      if (plan.pace) waitMs += await pacer.wait(target.url.host, gapMs, caller);
      deadline.start();
      const head = await exchange({
        url: target.url,
        addresses,
        method: plan.method,
        headers: plan.headers,
        body: plan.body,
        idleTimeoutMs: settings.idleTimeoutMs,
        signal: deadline.signal,
      });
      const location = head.headers.location;
      if (!REDIRECTS.has(head.status) || !location) return { url: target.url, head, redirects, robotsMs, waitMs };
      head.discard();
      const to = resolveLocation(location, target.url);
      if (!to)
        throw failure('RequestRefused', `${target.url.href} redirects to an invalid location`, {
          details: [{ url: target.url.href, status: head.status, location: location.slice(0, 200) }],
        });
      to.hash = '';
      if (!plan.followRedirects)
        throw failure('RequestRefused', `${target.url.href} redirects to ${to.href}; callbacks follow no redirect`, {
          details: [{ url: target.url.href, status: head.status, location: to.href }],
        });
      redirects.push({ url: target.url.href, status: head.status, location: to.href });
      seen.add(target.url.href);
      if (seen.has(to.href) || redirects.length > settings.maxRedirects)
        throw failure(
          'TooManyRedirects',
          seen.has(to.href)
            ? `${start} redirects in a loop (${to.href} again)`
            : `${start} redirects more than ${settings.maxRedirects} times`,
          { details: redirects },
        );
      next = to;
    }
  }

  const fetchRobots = async (robotsUrl: URL): Promise<RobotsAnswer> => {
    const deadline = createDeadline(settings.timeoutMs);
    const plan: Plan = {
      method: 'GET',
      headers: { ...baseHeaders, accept: 'text/plain,*/*;q=0.5' },
      robots: false,
      pace: true,
      followRedirects: true,
    };
    try {
      const { head } = await follow(robotsUrl.href, plan, deadline);
      if (head.status < 200 || head.status >= 300) {
        head.discard();
        return { status: head.status, body: '' };
      }
      const body = await head.readBody(ROBOTS_MAX_BYTES, { truncate: true });
      return { status: head.status, body: body.toString('utf8') };
    } catch (err) {
      // RFC 9309: a robots.txt that keeps redirecting counts as missing.
      if ((err as { type?: string }).type === 'TooManyRedirects') return { status: 404, body: '' };
      throw asFetchFailure(err, robotsUrl.href, deadline);
    } finally {
      deadline.clear();
    }
  };

  const robots = createRobotsCache({ userAgent: settings.userAgent, ttlMs: settings.robotsTtlMs, fetchRobots });

  async function fetchPage(url: string, { signal, accept = 'html' }: FetchPageOptions = {}): Promise<FetchedPage> {
    const started = Date.now();
    const deadline = createDeadline(settings.timeoutMs, signal);
    const headers = { ...baseHeaders, accept: accept === 'html' ? PAGE_ACCEPT : '*/*' };
    const plan: Plan = { method: 'GET', headers, robots: true, pace: true, followRedirects: true };
    try {
      const { url: finalUrl, head, redirects, robotsMs, waitMs } = await follow(url, plan, deadline, signal);
      const media = parseContentType(head.headers['content-type']);
      const refusal =
        statusFailure(finalUrl, head.status, head.headers) ??
        (accept === 'html' && media.type && !isHtmlType(media.type) ? notHtml(finalUrl, media.type) : undefined);
      if (refusal) {
        head.discard();
        throw refusal;
      }
      const body = await head.readBody(settings.maxBytes);
      if (accept === 'html' && !media.type && !looksLikeHtml(body)) throw notHtml(finalUrl, 'no content type');
      const textual = isTextType(media.type) || (!media.type && accept === 'html');
      return {
        finalUrl: finalUrl.href,
        status: head.status,
        contentType: media.type,
        charset: media.charset,
        body,
        text: textual ? decodeText(body, media.charset) : undefined,
        bytes: body.length,
        redirects,
        timings: { robotsMs, waitMs, totalMs: Date.now() - started },
      };
    } catch (err) {
      throw asFetchFailure(err, url, deadline, signal);
    } finally {
      deadline.clear();
    }
  }

  async function fetchResource(url: string, { signal, headers = {} }: FetchResourceOptions = {}) {
    const deadline = createDeadline(settings.timeoutMs, signal);
    const sent: Record<string, string> = { ...baseHeaders, accept: headers.accept ?? '*/*' };
    if (headers.origin) sent.origin = headers.origin;
    const plan: Plan = { method: 'GET', headers: sent, robots: false, pace: false, followRedirects: true };
    try {
      const { url: finalUrl, head, redirects } = await follow(url, plan, deadline, signal);
      const body = await head.readBody(settings.maxBytes);
      return {
        finalUrl: finalUrl.href,
        status: head.status,
        contentType: head.headers['content-type'] ?? '',
        headers: passedOnHeaders(head.headers),
        body,
        bytes: body.length,
        redirects,
      } satisfies FetchedResource;
    } catch (err) {
      throw asFetchFailure(err, url, deadline, signal);
    } finally {
      deadline.clear();
    }
  }

  async function postJson(
    url: string,
    body: unknown,
    headers: Record<string, string> = {},
    { signal }: { signal?: AbortSignal } = {},
  ): Promise<JsonReply> {
    const started = Date.now();
    const deadline = createDeadline(settings.timeoutMs, signal);
    const plan: Plan = {
      method: 'POST',
      headers: {
        ...baseHeaders,
        accept: 'application/json, */*;q=0.5',
        ...headers,
        'content-type': 'application/json',
      },
      body: Buffer.from(JSON.stringify(body)),
      robots: false,
      pace: false,
      followRedirects: false,
    };
    try {
      const { url: finalUrl, head } = await follow(url, plan, deadline, signal);
      const refusal = statusFailure(finalUrl, head.status, head.headers);
      if (refusal) {
        head.discard();
        throw refusal;
      }
      const media = parseContentType(head.headers['content-type']);
      const text = (await head.readBody(settings.maxBytes)).toString('utf8');
      return {
        url: finalUrl.href,
        status: head.status,
        contentType: media.type,
        body: text,
        json: /\bjson$/.test(media.type) ? parseJson(text) : undefined,
        timings: { robotsMs: 0, waitMs: 0, totalMs: Date.now() - started },
      };
    } catch (err) {
      throw asFetchFailure(err, url, deadline, signal);
    } finally {
      deadline.clear();
    }
  }

  return { fetchPage, fetchResource, postJson };
}

function notHtml(url: URL, type: string) {
  return failure('NotHtml', `${url.href} is ${type}, not an HTML page`, { details: [{ url: url.href, type }] });
}

function resolveLocation(location: string, base: URL): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
