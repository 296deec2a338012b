/**
 * The SSRF-safe web fetcher (activities/web) against the local site farm: each site's documented outcome, the
 * address rules on every hop, robots.txt, politeness, the caps, and the callback POST.
 */
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { type Resolver, type SafeFetcherOptions, createSafeFetcher } from '../../activities/web';
import { type SiteFarm, startSiteFarm } from '../support/site-farm';

const UA = 'StudioflowBot/1.0 (+http://localhost:3000)';
let farm: SiteFarm;
let api: Server;

beforeAll(async () => {
  api = createServer((_req, res) => res.end('the API'));
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  farm = await startSiteFarm({
    apiPort: (api.address() as AddressInfo).port,
    slowMs: 2_000,
    hugeBytes: 4 * 1024 * 1024,
  });
});

afterAll(async () => {
  await farm.stop();
  await new Promise((resolve) => api.close(resolve));
});

const fetcher = (options: Partial<SafeFetcherOptions> = {}) =>
  createSafeFetcher({ userAgent: UA, allowedHosts: farm.allowedHosts, hostDelayMs: 0, ...options });

/** The failure a promise rejects with (its type, retryability and message). */
async function failureOf(promise: Promise<unknown>) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ApplicationFailure)) throw new Error(`expected a failure, got ${String(err)}`);
  return { type: err.type, retryable: !err.nonRetryable, message: err.message, details: err.details };
}

describe('fetchPage on the site farm', () => {
  it('fetches a normal site, asking its robots.txt once (missing: allowed)', async () => {
    const fetch = fetcher();
    const home = await fetch.fetchPage(farm.url('normal'));
    expect(home).toMatchObject({
      finalUrl: farm.url('normal'),
      status: 200,
      contentType: 'text/html',
      charset: 'utf-8',
      redirects: [],
    });
    expect(home.text).toContain('Atelier Lumière');
    expect(home.bytes).toBe(home.body.length);
    expect(home.timings.totalMs).toBeGreaterThanOrEqual(0);
    for (const path of ['/contact', '/about'])
      expect((await fetch.fetchPage(farm.url('normal', path))).status).toBe(200);
    expect(farm.requestsTo('normal', '/robots.txt')).toHaveLength(1);
    expect(farm.requestsTo('normal', '/contact')[0].userAgent).toBe(UA);
  });

  it('fetches a JavaScript-only page as it is (the crawler decides on Chromium)', async () => {
    const page = await fetcher().fetchPage(farm.url('jsOnly'));
    expect(page.text).toContain('<div id="root"></div>');
  });

  it('passes malformed HTML on untouched', async () => {
    const page = await fetcher().fetchPage(farm.url('malformed'));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Bäckerei Kraus & Sohn');
  });

  it('honours robots.txt for the path', async () => {
    const fetch = fetcher();
    expect(await failureOf(fetch.fetchPage(farm.url('robotsDisallow', '/products')))).toMatchObject({
      type: 'BlockedByRobots',
      retryable: false,
    });
    expect((await fetch.fetchPage(farm.url('robotsDisallow', '/open'))).status).toBe(200);
    expect(farm.requestsTo('robotsDisallow', '/products')).toHaveLength(0);
  });

  it('treats a robots.txt 5xx as disallowing the site for now (retryable)', async () => {
    const failure = await failureOf(fetcher().fetchPage(farm.url('robotsError')));
    expect(failure).toMatchObject({ type: 'SiteUnreachable', retryable: true });
    expect(failure.message).toMatch(/robots\.txt answered 503/);
    expect(farm.requestsTo('robotsError', '/')).toHaveLength(0);
  });

  it('gives up on a slow site: total timeout, idle timeout', async () => {
    const slow = await failureOf(fetcher({ timeoutMs: 300 }).fetchPage(farm.url('slow')));
    expect(slow).toMatchObject({ type: 'FetchTimeout', retryable: true });
    const silent = await failureOf(fetcher({ idleTimeoutMs: 200 }).fetchPage(farm.url('slow', '/trickle')));
    expect(silent).toMatchObject({ type: 'FetchTimeout' });
    expect(silent.message).toMatch(/sent nothing for 200 ms/);
    const dripping = await failureOf(
      fetcher({ timeoutMs: 400, idleTimeoutMs: 200 }).fetchPage(farm.url('slow', '/drip')),
    );
    expect(dripping).toMatchObject({ type: 'FetchTimeout' });
  });

  it('stops reading a huge page at the cap, declared, streamed or compressed', async () => {
    const fetch = fetcher({ maxBytes: 256 * 1024 });
    for (const path of ['/', '/declared', '/gzip'])
      expect(await failureOf(fetch.fetchPage(farm.url('huge', path)))).toMatchObject({
        type: 'ResponseTooLarge',
        retryable: false,
      });
  });

  it('stops a redirect loop', async () => {
    const failure = await failureOf(fetcher().fetchPage(farm.url('redirectLoop')));
    expect(failure).toMatchObject({ type: 'TooManyRedirects', retryable: false });
    expect(failure.message).toMatch(/loop/);
  });

  it('refuses a redirect to a location that is no URL', async () => {
    expect(await failureOf(fetcher().fetchPage(farm.url('normal', '/bad-redirect')))).toMatchObject({
      type: 'RequestRefused',
      retryable: false,
    });
  });

  it('stops a long redirect chain at the limit', async () => {
    const failure = await failureOf(fetcher({ maxRedirects: 1 }).fetchPage(farm.url('redirectLoop')));
    expect(failure.message).toMatch(/more than 1 times/);
  });

  it('refuses a redirect to the cloud metadata address', async () => {
    const failure = await failureOf(fetcher().fetchPage(farm.url('metadataRedirect')));
    expect(failure).toMatchObject({ type: 'AddressRefused', retryable: false });
    expect(failure.message).toMatch(/169\.254\.169\.254.*link-local/);
  });

  it("refuses a redirect to the API's own port on 127.0.0.1", async () => {
    const failure = await failureOf(fetcher().fetchPage(farm.url('apiRedirect')));
    expect(failure).toMatchObject({ type: 'AddressRefused' });
    expect(failure.message).toMatch(new RegExp(`port ${(api.address() as AddressInfo).port}`));
  });

  it('refuses a response that is not HTML, unless any type is asked for', async () => {
    const fetch = fetcher();
    for (const path of ['/', '/logo.png'])
      expect(await failureOf(fetch.fetchPage(farm.url('notHtml', path)))).toMatchObject({
        type: 'NotHtml',
        retryable: false,
      });
    const pdf = await fetch.fetchPage(farm.url('notHtml'), { accept: 'any' });
    expect(pdf).toMatchObject({ contentType: 'application/pdf', text: undefined });
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('answers a missing page with RequestRefused', async () => {
    expect(await failureOf(fetcher().fetchPage(farm.url('normal', '/nope')))).toMatchObject({
      type: 'RequestRefused',
      retryable: false,
      details: [{ status: 404 }],
    });
  });

  it('keeps the gap between two requests to one host', async () => {
    const fetch = fetcher({ hostDelayMs: 200 });
    const before = farm.requestsTo('malformed').length;
    await Promise.all([1, 2, 3].map(() => fetch.fetchPage(farm.url('malformed'))));
    const times = farm
      .requestsTo('malformed')
      .slice(before)
      .map((r) => r.at);
    expect(times).toHaveLength(4); // robots.txt + 3 pages
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(150);
  });

  it('ends as cancelled, not timed out, when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = fetcher().fetchPage(farm.url('slow'), { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('activity cancelled')), 100);
    await expect(pending).rejects.toThrow('activity cancelled');
  });
});

describe('address rules', () => {
  it('refuses the farm without the allow-list: it is loopback', async () => {
    const failure = await failureOf(createSafeFetcher({ userAgent: UA }).fetchPage(farm.url('normal')));
    expect(failure).toMatchObject({ type: 'AddressRefused' });
  });

  it('refuses loopback and metadata addresses even on the standard ports', async () => {
    const fetch = createSafeFetcher({ userAgent: UA });
    for (const url of [
      'http://127.0.0.1/',
      'http://[::1]/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:169.254.169.254]/',
      'http://0.0.0.0/',
    ])
      expect((await failureOf(fetch.fetchPage(url))).type).toBe('AddressRefused');
  });

  it('refuses a name that resolves to a private address, or to any private address among public ones', async () => {
    const names: Record<string, string[]> = {
      'intranet.example': ['10.1.2.3'],
      'mixed.example': ['93.184.216.34', '192.168.0.10'],
      'nat64.example': ['64:ff9b::a9fe:a9fe'],
      'cgnat.example': ['100.64.1.1'],
    };
    const resolve: Resolver = async (host) =>
      names[host].map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    const fetch = createSafeFetcher({ userAgent: UA, resolve });
    for (const [host, [, ...rest]] of Object.entries(names)) {
      const failure = await failureOf(fetch.fetchPage(`https://${host}/`));
      expect(failure.type).toBe('AddressRefused');
      expect(failure.message).toContain(host);
      if (rest.length) expect(failure.message).toContain(rest[0]);
    }
  });

  it('says a name that does not resolve is not found', async () => {
    const resolve: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    expect(
      await failureOf(createSafeFetcher({ userAgent: UA, resolve }).fetchPage('https://gone.example/')),
    ).toMatchObject({
      type: 'DomainNotFound',
      retryable: false,
    });
  });

  it('connects an allow-listed name to the address it checked, resolving once per request', async () => {
    const port = new URL(farm.origins.normal).port;
    const asked: string[] = [];
    // farm.test is in no DNS: the page arrives only if the socket used the address this resolver gave.
    const resolve: Resolver = async (host) => {
      asked.push(host);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const fetch = createSafeFetcher({ userAgent: UA, allowedHosts: [`farm.test:${port}`], hostDelayMs: 0, resolve });
    expect((await fetch.fetchPage(`http://farm.test:${port}/about`)).status).toBe(200);
    expect(asked).toEqual(['farm.test', 'farm.test']); // the page, then its robots.txt
  });

  it('lets an allow-listed name through to its private address', async () => {
    const port = new URL(farm.origins.normal).port;
    const resolve: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const fetch = createSafeFetcher({ userAgent: UA, allowedHosts: [`farm.test:${port}`], hostDelayMs: 0, resolve });
    const page = await fetch.fetchPage(`http://farm.test:${port}/contact`);
    expect(page.text).toContain('hello@atelier-lumiere.example');
  });

  it('refuses URL tricks before any request', async () => {
    const fetch = fetcher();
    expect((await failureOf(fetch.fetchPage('file:///etc/passwd'))).type).toBe('AddressRefused');
    expect((await failureOf(fetch.fetchPage('http://user:pw@example.com/'))).type).toBe('AddressRefused');
    expect((await failureOf(fetch.fetchPage('http://93.184.216.34:8080/'))).type).toBe('AddressRefused');
    expect((await failureOf(fetch.fetchPage('not a url'))).type).toBe('InvalidInput');
  });
});

describe('postJson (CRM callbacks)', () => {
  it('posts JSON with the caller headers and reads the JSON reply', async () => {
    const reply = await fetcher().postJson(farm.url('normal', '/hook'), { lead: 1 }, { 'webhook-id': 'msg_1' });
    expect(reply).toMatchObject({ status: 200, contentType: 'application/json', json: { received: { lead: 1 } } });
    expect(farm.requestsTo('normal', '/hook').at(-1)?.method).toBe('POST');
  });

  it('asks no robots.txt and keeps no politeness gap', async () => {
    const before = farm.requestsTo('robotsDisallow', '/robots.txt').length;
    const reply = await fetcher({ hostDelayMs: 60_000 }).postJson(farm.url('robotsDisallow', '/hook'), {});
    expect(reply.status).toBe(204);
    expect(farm.requestsTo('robotsDisallow', '/robots.txt')).toHaveLength(before);
  });

  it('retries a 5xx after its Retry-After, not a 4xx, and follows no redirect', async () => {
    const fetch = fetcher();
    const down = await failureOf(fetch.postJson(farm.url('normal', '/hook/500'), {}));
    expect(down).toMatchObject({ type: 'SiteUnreachable', retryable: true });
    expect(await failureOf(fetch.postJson(farm.url('normal', '/hook/404'), {}))).toMatchObject({
      type: 'RequestRefused',
      retryable: false,
    });
    const moved = await failureOf(fetch.postJson(farm.url('normal', '/hook/moved'), {}));
    expect(moved.message).toMatch(/follow no redirect/);
  });

  it('refuses a private callback address', async () => {
    expect((await failureOf(createSafeFetcher({ userAgent: UA }).postJson(farm.url('normal', '/hook'), {}))).type).toBe(
      'AddressRefused',
    );
  });
});

describe('fetchResource (what a rendered page loads)', () => {
  it('reads any type and any status, asks no robots.txt, and hands on only the headers a browser needs', async () => {
    const fetch = fetcher({ hostDelayMs: 60_000 });
    const script = await fetch.fetchResource(farm.url('jsOnly', '/app.js'), { headers: { origin: 'http://x.test' } });
    expect(script).toMatchObject({
      status: 200,
      contentType: 'text/javascript',
      headers: { 'content-type': 'text/javascript' },
    });
    expect(script.body.toString()).toContain("getElementById('root')");
    expect(Object.keys(script.headers)).not.toContain('date');
    // robots.txt closes /contact to pages, not to what a page loads; no politeness gap either (60 s here).
    const robotsAsked = farm.requestsTo('robotsDisallow', '/robots.txt').length;
    const closed = await fetch.fetchResource(farm.url('robotsDisallow', '/contact'));
    expect(closed.status).toBe(200);
    expect(farm.requestsTo('robotsDisallow', '/robots.txt')).toHaveLength(robotsAsked);
    expect((await fetch.fetchResource(farm.url('normal', '/missing.js'))).status).toBe(404);
  });

  it('keeps every other rule: addresses on every hop, redirect limit, size cap', async () => {
    expect((await failureOf(fetcher().fetchResource(farm.url('metadataRedirect')))).type).toBe('AddressRefused');
    expect((await failureOf(fetcher().fetchResource('http://169.254.169.254/latest/meta-data/'))).type).toBe(
      'AddressRefused',
    );
    expect((await failureOf(fetcher().fetchResource(farm.url('redirectLoop')))).type).toBe('TooManyRedirects');
    expect((await failureOf(fetcher({ maxBytes: 64 * 1024 }).fetchResource(farm.url('huge')))).type).toBe(
      'ResponseTooLarge',
    );
    const moved = await fetcher().fetchResource(farm.url('normal', '/hook/moved'));
    expect(moved).toMatchObject({ finalUrl: farm.url('normal', '/hook'), redirects: [{ status: 307 }] });
  });
});
