/**
 * robots.txt per origin (RFC 9309), fetched once and kept for a TTL; concurrent fetches of one site share the request.
 *
 * - 2xx: the rules for our user agent's product token (`StudioflowBot`), else `*`. Only the first 500 KiB is read.
 * - 4xx (none, or forbidden): everything allowed.
 * - 5xx: the whole site is disallowed while it lasts (RFC 9309 §2.3.1.4). The fetch fails with the retryable
 *   `SiteUnreachable`, since the site is failing rather than refusing; the verdict is kept for at most a minute so a
 *   retry asks again.
 * - No answer at all (DNS, refused address, timeout): the fetch fails with that failure, as the page itself would.
 */
import robotsParser from 'robots-parser';
import { failure } from '../../lib/failures';

export interface RobotsAnswer {
  status: number;
  body: string;
}

export interface RobotsVerdict {
  allowed: boolean;
  /** The site's Crawl-delay for us, in ms. */
  crawlDelayMs?: number;
}

export interface RobotsCache {
  check(url: URL, signal?: AbortSignal): Promise<RobotsVerdict>;
}

export interface RobotsCacheOptions {
  userAgent: string;
  ttlMs: number;
  /** GETs a robots.txt through the fetcher (SSRF checks, politeness, redirects), whatever its status. */
  fetchRobots(robotsUrl: URL): Promise<RobotsAnswer>;
  now?: () => number;
}

export const ROBOTS_MAX_BYTES = 500 * 1024;
const SERVER_ERROR_TTL_MS = 60_000;

type Rules =
  { kind: 'rules'; robots: ReturnType<typeof robotsParser> } | { kind: 'all' } | { kind: 'error'; status: number };

export function createRobotsCache(options: RobotsCacheOptions): RobotsCache {
  const now = options.now ?? Date.now;
  const cache = new Map<string, { expires: number; rules: Promise<Rules> }>();

  const load = async (origin: string): Promise<Rules> => {
    const robotsUrl = new URL('/robots.txt', origin);
    const answer = await options.fetchRobots(robotsUrl);
    if (answer.status >= 500) return { kind: 'error', status: answer.status };
    if (answer.status >= 400 || answer.status < 200) return { kind: 'all' };
    return { kind: 'rules', robots: robotsParser(robotsUrl.href, answer.body) };
  };

  // Shared by every caller of the origin, so it runs under the fetcher's own timeout, not one caller's signal.
  const rulesFor = (origin: string): Promise<Rules> => {
    const cached = cache.get(origin);
    if (cached && cached.expires > now()) return cached.rules;
    const rules = load(origin);
    const entry = { expires: now() + options.ttlMs, rules };
    cache.set(origin, entry);
    rules.then(
      (r) => {
        if (r.kind === 'error') entry.expires = Math.min(entry.expires, now() + SERVER_ERROR_TTL_MS);
      },
      () => {
        if (cache.get(origin) === entry) cache.delete(origin);
      },
    );
    return rules;
  };

  return {
    async check(url, signal) {
      const rules = await untilAborted(rulesFor(url.origin), signal);
      if (rules.kind === 'all') return { allowed: true };
      if (rules.kind === 'error')
        throw failure(
          'SiteUnreachable',
          `${url.host}/robots.txt answered ${rules.status}: the site counts as disallowed until it answers (RFC 9309)`,
          { details: [{ url: url.href, robotsStatus: rules.status }] },
        );
      const delaySeconds = rules.robots.getCrawlDelay(options.userAgent);
      return {
        allowed: rules.robots.isAllowed(url.href, options.userAgent) !== false,
        crawlDelayMs: typeof delaySeconds === 'number' && delaySeconds > 0 ? delaySeconds * 1000 : undefined,
      };
    },
  };
}

function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
