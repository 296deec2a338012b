/**
 * `crawlLead` on the local site farm: the home page and its contact and about pages are read, the facts stored by key
 * and summarised; the home page's failures keep their own type; a follow-up page that fails is only listed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createCrawlActivities, type CrawlLeadInput, type CrawlLeadResult } from '../../activities/leads';
import { createLocalFileStorage, getJson } from '../../activities/storage';
import { createSafeFetcher } from '../../activities/web';
import type { LeadFacts } from '../../lib/leads/extract';
import { startSiteFarm, type SiteFarm } from '../support/site-farm';
import { NORMAL_PAGES } from '../support/site-farm.pages';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never;
const storage = createLocalFileStorage({
  rootDir: fs.mkdtempSync(path.join(os.tmpdir(), 'lead-crawl-')),
  publicBaseUrl: 'http://127.0.0.1:1',
});

let farm: SiteFarm;
beforeAll(async () => {
  farm = await startSiteFarm();
});
afterAll(() => farm?.stop());

const activities = (maxPages?: number) =>
  createCrawlActivities({
    storage,
    maxPages,
    fetcher: createSafeFetcher({ userAgent: 'StudioflowBot/1.0', allowedHosts: farm.allowedHosts, hostDelayMs: 0 }),
  });
const crawl = (website: string, maxPages?: number, more: Partial<CrawlLeadInput> = {}) =>
  new MockActivityEnvironment(undefined, { logger: quiet }).run(activities(maxPages).crawlLead, {
    website,
    factsKey: `leads/w1/${path.basename(website) || 'lead'}-${Date.now()}.json`,
    country: 'FR',
    ...more,
  }) as Promise<CrawlLeadResult>;

async function failureOf(promise: Promise<unknown>) {
  const err = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { type?: string; nonRetryable?: boolean } | undefined;
  return { type: err?.type, retryable: err ? !err.nonRetryable : undefined };
}

describe('crawlLead', () => {
  it('reads the home page and its contact and about pages, stores the facts and returns a summary', async () => {
    const result = await crawl(farm.url('normal'));
    expect(result.pages.map((p) => new URL(p.url).pathname)).toEqual(['/', '/contact', '/about']);
    expect(result.skipped).toEqual([]);
    expect(result.found).toMatchObject({ name: 'Atelier Lumière', phones: 1, socials: 3, city: 'Lyon' });
    expect(result.needsBrowser).toBe(false);

    const facts = await getJson<LeadFacts>(storage, result.factsKey);
    expect(facts.phones).toEqual([{ value: '+33472000000', source: farm.url('normal', '/contact') }]);
    expect(facts.socials.map((s) => s.network).sort()).toEqual(['facebook', 'instagram', 'linkedin']);
    expect(facts.technologies.map((t) => t.value)).toEqual(expect.arrayContaining(['WordPress', 'Google Analytics']));
  });

  it('reads no more pages than asked', async () => {
    const result = await crawl(farm.url('normal'), 2);
    expect(result.pages.map((p) => new URL(p.url).pathname)).toEqual(['/', '/contact']);
  });

  it('a follow-up page that fails is listed with its failure, and the crawl goes on', async () => {
    const result = await crawl(farm.url('robotsDisallow', '/open'));
    expect(result.pages.map((p) => new URL(p.url).pathname)).toEqual(['/open']);
    expect(result.skipped).toEqual([
      { url: farm.url('robotsDisallow', '/contact'), type: 'BlockedByRobots', message: expect.any(String) },
    ]);
    expect(farm.requestsTo('robotsDisallow', '/contact')).toHaveLength(0);
  });

  it('says when the home page needs a browser to show its content', async () => {
    const result = await crawl(farm.url('jsOnly'));
    expect(result).toMatchObject({ needsBrowser: true, found: { emails: 0, phones: 0 } });
  });

  it('reads the home page from storage when given a rendered one, and still fetches the follow-up pages', async () => {
    const rendered = NORMAL_PAGES['/'].replace('</nav>', '</nav><p>Mail: rendered@atelier-lumiere.fr</p>');
    await storage.put('leads/w1/rendered-home.html', Buffer.from(rendered), 'text/html; charset=utf-8');
    const homeRequests = farm.requestsTo('normal', '/').length;
    const result = await crawl(farm.url('jsOnly'), undefined, {
      homeHtmlKey: 'leads/w1/rendered-home.html',
      homeUrl: farm.url('normal'),
    });
    expect(farm.requestsTo('normal', '/')).toHaveLength(homeRequests);
    expect(result.pages.map((p) => new URL(p.url).pathname)).toEqual(['/', '/contact', '/about']);
    expect(result.pages[0]).toEqual({ url: farm.url('normal'), bytes: Buffer.byteLength(rendered) });
    expect(result.needsBrowser).toBe(false);
    const facts = await getJson<LeadFacts>(storage, result.factsKey);
    expect(facts.emails).toEqual([{ value: 'rendered@atelier-lumiere.fr', source: farm.url('normal') }]);
    expect(facts.phones).toEqual([{ value: '+33472000000', source: farm.url('normal', '/contact') }]);
  });

  it('refuses a rendered home page that is missing or has no web address', async () => {
    expect(await failureOf(crawl(farm.url('normal'), 1, { homeHtmlKey: 'leads/w1/never-stored.html' }))).toEqual({
      type: 'NotFound',
      retryable: false,
    });
    await storage.put('leads/w1/stored.html', Buffer.from('<p>x</p>'), 'text/html');
    expect(
      await failureOf(crawl(farm.url('normal'), 1, { homeHtmlKey: 'leads/w1/stored.html', homeUrl: 'file:///etc' })),
    ).toEqual({ type: 'InvalidInput', retryable: false });
  });

  it("the home page's failure is the crawl's, with its own type", async () => {
    expect(await failureOf(crawl(farm.url('robotsDisallow', '/products')))).toEqual({
      type: 'BlockedByRobots',
      retryable: false,
    });
    expect(await failureOf(crawl(farm.url('metadataRedirect')))).toEqual({ type: 'AddressRefused', retryable: false });
    expect(await failureOf(crawl(farm.url('notHtml')))).toEqual({ type: 'NotHtml', retryable: false });
    expect(await failureOf(crawl(farm.url('redirectLoop')))).toMatchObject({ type: 'TooManyRedirects' });
  });
});
