/**
 * Leads' JavaScript pages rendered by real Chromium (the browser pool) on the real site farm: every request the page
 * makes goes through the SSRF-safe fetcher on the Node side or is aborted; a loopback server outside the allow-list
 * (the trap) must never see a TCP connection or a UDP packet; a page that never settles ends with `FetchTimeout`.
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createCrawlActivities, type CrawlLeadResult } from '../../activities/leads';
import {
  createBrowserPool,
  createLeadPageActivities,
  type BrowserPool,
  type LeadPageLimits,
  type RenderedLeadPage,
} from '../../activities/render';
import { createLocalFileStorage, getJson, type FileStorage } from '../../activities/storage';
import { createSafeFetcher, type SafeFetcher } from '../../activities/web';
import type { LeadFacts } from '../../lib/leads/extract';
import { startSiteFarm, type SiteFarm } from '../support/site-farm';

const CHROMIUM = '/usr/bin/chromium';
const UA = 'StudioflowBot/1.0 (+http://localhost:3000)';
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never;

let dir: string;
let pool: BrowserPool;
let storage: FileStorage;
let farm: SiteFarm;
let fetcher: SafeFetcher;
const trap = { tcp: 0, udp: 0, port: 0, server: http.createServer(), socket: dgram.createSocket('udp4') };

/** A loopback port where both a TCP server and a UDP socket listen, and count whatever reaches them. */
async function startTrap(): Promise<void> {
  trap.server.on('connection', () => void trap.tcp++);
  trap.server.on('request', (_req, res) => res.end('secret'));
  trap.socket.on('message', () => void trap.udp++);
  for (;;) {
    await new Promise<void>((resolve) => trap.server.listen(0, '127.0.0.1', resolve));
    trap.port = (trap.server.address() as AddressInfo).port;
    const bound = await new Promise<boolean>((resolve) => {
      trap.socket.once('error', () => resolve(false));
      trap.socket.bind(trap.port, '127.0.0.1', () => resolve(true));
    });
    if (bound) return;
    await new Promise((resolve) => trap.server.close(resolve));
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lead-browser-'));
  storage = createLocalFileStorage({ rootDir: dir, publicBaseUrl: 'http://files.test/' });
  await startTrap();
  farm = await startSiteFarm({ trapPort: trap.port });
  fetcher = createSafeFetcher({ userAgent: UA, allowedHosts: farm.allowedHosts, hostDelayMs: 0 });
  pool = createBrowserPool({ executablePath: CHROMIUM, size: 1 });
});
afterAll(async () => {
  await pool?.close();
  await farm?.stop();
  trap.server.closeAllConnections();
  await new Promise((resolve) => trap.server.close(resolve));
  trap.socket.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const render = (url: string, key: string, limits: Partial<LeadPageLimits> = {}, env = new MockActivityEnvironment()) =>
  env.run(createLeadPageActivities({ pool, storage, fetcher, limits }).renderLeadPage, {
    url,
    key,
  }) as Promise<RenderedLeadPage>;

const crawl = (input: { website: string; homeHtmlKey?: string; homeUrl?: string }) =>
  new MockActivityEnvironment(undefined, { logger: quiet }).run(createCrawlActivities({ fetcher, storage }).crawlLead, {
    ...input,
    factsKey: `leads/w1/facts-${Date.now()}-${Math.random().toString(36).slice(2)}.json`,
  }) as Promise<CrawlLeadResult>;

async function failureOf(promise: Promise<unknown>) {
  const err = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { type?: string; nonRetryable?: boolean; message?: string } | undefined;
  return { type: err?.type, retryable: err ? !err.nonRetryable : undefined, message: err?.message };
}

const stored = async (key: string) => (await storage.get(key))?.toString('utf8') ?? '';
/** Lets a connection attempt made just before the page closed reach the trap before it is counted. */
const settleTrap = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('renderLeadPage', () => {
  it('renders a JavaScript-only home page; crawlLead then reads what only the script wrote', async () => {
    const plain = await crawl({ website: farm.url('jsOnly') });
    expect(plain).toMatchObject({ needsBrowser: true, found: { emails: 0, phones: 0 } });

    const env = new MockActivityEnvironment();
    const beats: { stage?: string }[] = [];
    env.on('heartbeat', (details: { stage?: string }) => beats.push(details));
    const page = await render(farm.url('jsOnly'), 'leads/w1/l1/home.html', {}, env);
    expect(page).toMatchObject({
      key: 'leads/w1/l1/home.html',
      finalUrl: farm.url('jsOnly'),
      title: 'Nordlicht Design',
      requests: { answered: 2, refused: 0 },
    });
    const html = await stored('leads/w1/l1/home.html');
    expect(page.bytes).toBe(Buffer.byteLength(html));
    expect(html).toContain('studio@nordlicht-design.de');
    expect(beats.map((b) => b.stage)).toEqual(expect.arrayContaining(['fetching', 'rendering', 'storing']));
    // The script reached the site from Node, through the fetcher (its user agent), not from Chromium.
    expect(farm.requestsTo('jsOnly', '/app.js').map((r) => r.userAgent)).toContain(UA);
    expect(farm.requestsTo('jsOnly').every((r) => r.userAgent === UA)).toBe(true);

    const again = await crawl({ website: farm.url('jsOnly'), homeHtmlKey: page.key, homeUrl: page.finalUrl });
    expect(again).toMatchObject({ needsBrowser: false, found: { name: 'Nordlicht Design', emails: 1, phones: 1 } });
    const facts = await getJson<LeadFacts>(storage, again.factsKey);
    expect(facts.emails).toEqual([{ value: 'studio@nordlicht-design.de', source: farm.url('jsOnly') }]);
    expect(facts.phones.map((p) => p.value)).toEqual(['+49301234567']);
  });

  it("answers the page's own requests and refuses the metadata service, a loopback server outside the allow-list and a redirect to it", async () => {
    const before = { tcp: trap.tcp, udp: trap.udp };
    const page = await render(farm.url('jsProbe'), 'leads/w1/probe/home.html');
    const html = await stored(page.key);
    expect(html).toContain('hallo@probe-studio.de');
    expect(html).toContain('Tel. +49 30 7654321');
    for (const name of ['metadata', 'trap', 'redirected'])
      expect(html).toContain(`<li id="${name}">${name}: refused</li>`);
    expect(html).not.toContain('secret');
    // The farm site that redirects to 169.254.169.254 was asked (from Node); the hop it pointed to was refused.
    expect(farm.requestsTo('metadataRedirect', '/')).toHaveLength(1);
    expect(page.requests.refused).toBeGreaterThanOrEqual(3);
    expect(page.requests.dropped).toBeGreaterThanOrEqual(3);
    await settleTrap();
    // No fetch, WebSocket, preconnect, image, frame, beacon or STUN packet reached the trap.
    expect({ tcp: trap.tcp, udp: trap.udp }).toEqual(before);

    const facts = await getJson<LeadFacts>(
      storage,
      (await crawl({ website: farm.url('jsProbe'), homeHtmlKey: page.key, homeUrl: page.finalUrl })).factsKey,
    );
    expect(facts.emails.map((e) => e.value)).toEqual(['hallo@probe-studio.de']);
    expect(facts.phones.map((p) => p.value)).toEqual(['+49307654321']);
  });

  it('fetches no more of what the page loads than the limit, and aborts the rest unfetched', async () => {
    const dataRequests = farm.requestsTo('jsProbe', '/data.json').length;
    const page = await render(farm.url('jsProbe'), 'leads/w1/limited/home.html', { maxSubrequests: 1 });
    // The document and probe.js; the script's fetches found the limit reached.
    expect(page.requests).toMatchObject({ answered: 2, refused: 0 });
    const html = await stored(page.key);
    expect(html).toContain('hallo@probe-studio.de');
    expect(html).toContain('<li id="trap">trap: refused</li>');
    expect(html).not.toContain('Tel.');
    expect(farm.requestsTo('jsProbe', '/data.json')).toHaveLength(dataRequests);
  });

  it('refuses a page whose script sends it to a refused address, and stores nothing', async () => {
    const before = trap.tcp;
    expect(await failureOf(render(farm.url('jsRedirect'), 'leads/w1/redirect/home.html'))).toMatchObject({
      type: 'AddressRefused',
      retryable: false,
    });
    await settleTrap();
    expect(trap.tcp).toBe(before);
    expect(await storage.exists('leads/w1/redirect/home.html')).toBe(false);
  });

  it('refuses a document the fetcher refuses before opening a page', async () => {
    expect(await failureOf(render(farm.url('metadataRedirect'), 'leads/w1/meta/home.html'))).toMatchObject({
      type: 'AddressRefused',
      retryable: false,
    });
    expect(await failureOf(render(farm.url('robotsDisallow', '/products'), 'leads/w1/robots/home.html'))).toMatchObject(
      { type: 'BlockedByRobots' },
    );
  });

  it('ends a page that never settles at the time bound with FetchTimeout, and the pool goes on', async () => {
    const started = Date.now();
    const outcome = await failureOf(render(farm.url('jsSpin'), 'leads/w1/spin/home.html', { timeoutMs: 2_000 }));
    expect(outcome).toMatchObject({ type: 'FetchTimeout', retryable: true });
    expect(outcome.message).toContain('did not settle in the browser within 2000 ms');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(pool.stats()).toMatchObject({ active: 0, waiting: 0 });
    const next = await render(farm.url('jsOnly'), 'leads/w1/after-spin/home.html');
    expect(next.title).toBe('Nordlicht Design');
  });

  it('stops when the activity is cancelled', async () => {
    const env = new MockActivityEnvironment();
    const rendering = render(farm.url('jsSpin'), 'leads/w1/cancelled/home.html', { timeoutMs: 30_000 }, env);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    env.cancel();
    await expect(rendering).rejects.toBeInstanceOf(CancelledFailure);
    expect(pool.stats()).toMatchObject({ active: 0 });
  });
});
