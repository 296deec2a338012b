/** robots.txt per origin (activities/web/robots-cache.ts): parsing for our agent, TTL, shared fetches, 5xx. */
import { ApplicationFailure } from '@temporalio/common';
import { createRobotsCache, type RobotsAnswer } from '../../activities/web/robots-cache';

const UA = 'StudioflowBot/1.0 (+http://localhost:3000)';

function cacheWith(answers: Record<string, RobotsAnswer>, ttlMs = 1_000) {
  let clock = 0;
  const asked: string[] = [];
  const cache = createRobotsCache({
    userAgent: UA,
    ttlMs,
    now: () => clock,
    fetchRobots: async (url) => {
      asked.push(url.href);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return answers[url.origin];
    },
  });
  return { cache, asked, advance: (ms: number) => (clock += ms) };
}

describe('robots cache', () => {
  const rules = `User-agent: *
Disallow: /

User-agent: StudioflowBot
Disallow: /private/
Allow: /private/press$
Crawl-delay: 2
`;

  it('reads the group for our product token, with its paths and crawl delay', async () => {
    const { cache } = cacheWith({ 'https://a.example': { status: 200, body: rules } });
    const check = (path: string) => cache.check(new URL(path, 'https://a.example'));
    expect(await check('/')).toEqual({ allowed: true, crawlDelayMs: 2000 });
    expect((await check('/private/x')).allowed).toBe(false);
    expect((await check('/private/press')).allowed).toBe(true);
  });

  it('allows everything when robots.txt is missing or forbidden', async () => {
    const { cache } = cacheWith({
      'https://a.example': { status: 404, body: '' },
      'https://b.example': { status: 403, body: '' },
    });
    expect(await cache.check(new URL('https://a.example/x'))).toEqual({ allowed: true });
    expect(await cache.check(new URL('https://b.example/x'))).toEqual({ allowed: true });
  });

  it('asks once per origin while fresh, shared by concurrent callers, again after the TTL', async () => {
    const { cache, asked, advance } = cacheWith({ 'https://a.example': { status: 200, body: rules } });
    await Promise.all(['/a', '/b', '/c'].map((p) => cache.check(new URL(p, 'https://a.example'))));
    expect(asked).toEqual(['https://a.example/robots.txt']);
    advance(1_001);
    await cache.check(new URL('https://a.example/d'));
    expect(asked).toHaveLength(2);
  });

  it('keeps robots.txt per origin: another port or scheme is another site', async () => {
    const { cache, asked } = cacheWith({
      'https://a.example': { status: 200, body: rules },
      'http://a.example:8080': { status: 404, body: '' },
    });
    await cache.check(new URL('https://a.example/'));
    expect((await cache.check(new URL('http://a.example:8080/private/x'))).allowed).toBe(true);
    expect(asked).toHaveLength(2);
  });

  it('disallows the site on a 5xx with a retryable failure, and asks again within a minute', async () => {
    const { cache, asked, advance } = cacheWith({ 'https://a.example': { status: 503, body: '' } }, 3_600_000);
    const err = await cache.check(new URL('https://a.example/')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'SiteUnreachable', nonRetryable: false });
    await cache.check(new URL('https://a.example/')).catch(() => undefined);
    expect(asked).toHaveLength(1);
    advance(60_001);
    await cache.check(new URL('https://a.example/')).catch(() => undefined);
    expect(asked).toHaveLength(2);
  });

  it('forgets a robots.txt that could not be fetched, so the next fetch asks again', async () => {
    let calls = 0;
    const cache = createRobotsCache({
      userAgent: UA,
      ttlMs: 60_000,
      fetchRobots: async () => {
        if (calls++ === 0) throw new Error('connection reset');
        return { status: 404, body: '' };
      },
    });
    await expect(cache.check(new URL('https://a.example/'))).rejects.toThrow('connection reset');
    expect(await cache.check(new URL('https://a.example/'))).toEqual({ allowed: true });
  });

  it("lets one caller's cancellation end its own wait only", async () => {
    const { cache } = cacheWith({ 'https://a.example': { status: 404, body: '' } });
    const controller = new AbortController();
    const cancelled = cache.check(new URL('https://a.example/'), controller.signal);
    const other = cache.check(new URL('https://a.example/x'));
    controller.abort(new Error('cancelled'));
    await expect(cancelled).rejects.toThrow('cancelled');
    expect(await other).toEqual({ allowed: true });
  });
});
