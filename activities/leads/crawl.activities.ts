/**
 * Step 1–2 of a lead's enrichment: fetch its home page and a few same-site pages (contact, legal notice, about)
 * through the SSRF-safe fetcher, extract the facts, and store them by key (claim-check: the workflow gets the key and
 * a summary). The home page decides: its failure (unreachable, robots.txt, refused address, too large, not HTML) is
 * the crawl's, with its own failure type; a follow-up page that fails is only listed.
 *
 * JavaScript pages (docs/lead-extraction.md): the result says whether the home page as fetched needs a browser
 * (`needsBrowser`); the workflow then has it rendered on the browser queue (`renderLeadPage`) and crawls again with
 * `homeHtmlKey`, and the home page is read from that stored DOM instead of being fetched. Follow-up pages are still
 * fetched plainly: contact and legal pages are rarely the app shell the home page is, and a browser per page would
 * multiply the cost.
 */
import { failure, isFailureType, type FailureType } from '../../lib/failures';
import { extractLeadFacts, type LeadFacts, type LeadPage } from '../../lib/leads/extract';
import { needsJavaScript } from '../../lib/leads/needs-javascript';
import { withHeartbeat } from '../shared/heartbeat';
import { putJson } from '../storage/claim-check';
import { assertValidStorageKey, type FileStorage } from '../storage/file-storage.port';
import type { SafeFetcher } from '../web';

export interface CrawlActivityDeps {
  fetcher: SafeFetcher;
  storage: FileStorage;
  /** Pages per lead, the home page included; default 4. */
  maxPages?: number;
}

export interface CrawlLeadInput {
  website: string;
  /** Where the facts are stored (e.g. `leads/<workspace>/<lead>/facts-<run>.json`). */
  factsKey: string;
  /** ISO 3166 alpha-2 for numbers written in national form. */
  country?: string;
  /** The name the lead was imported with. */
  name?: string;
  /** The home page as Chromium rendered it (`renderLeadPage`'s key): read from storage instead of fetched. */
  homeHtmlKey?: string;
  /** Where that rendered page was (`renderLeadPage`'s `finalUrl`); `website` when not given. */
  homeUrl?: string;
}

export interface CrawledPage {
  url: string;
  bytes: number;
}

export interface SkippedPage {
  url: string;
  type: FailureType | 'Error';
  message: string;
}

/** What the workflow keeps: the key, what was read, and counts for its step summary. */
export interface CrawlLeadResult {
  factsKey: string;
  pages: CrawledPage[];
  skipped: SkippedPage[];
  found: { name: string | null; emails: number; phones: number; socials: number; city: string | null };
  /**
   * The home page as fetched looks like it needs JavaScript to show its content (lib/leads/needs-javascript.ts):
   * render it and crawl again with `homeHtmlKey`. Always false when the home page came from `homeHtmlKey`.
   */
  needsBrowser: boolean;
}

export function createCrawlActivities(deps: CrawlActivityDeps) {
  const { fetcher, storage } = deps;
  const maxPages = deps.maxPages ?? 4;

  return {
    async crawlLead(input: CrawlLeadInput): Promise<CrawlLeadResult> {
      return withHeartbeat({ stage: 'home', pages: 0 }, async (heartbeat) => {
        const { signal } = heartbeat;
        const home = input.homeHtmlKey
          ? await renderedHome(storage, input.homeHtmlKey, input.homeUrl ?? input.website)
          : await fetcher.fetchPage(input.website, { signal });
        const pages: LeadPage[] = [{ url: home.finalUrl, html: home.text ?? '' }];
        const crawled: CrawledPage[] = [{ url: home.finalUrl, bytes: home.bytes }];
        const skipped: SkippedPage[] = [];
        const hints = { country: input.country, name: input.name };
        let facts: LeadFacts = extractLeadFacts(pages, hints);
        const needsBrowser =
          !input.homeHtmlKey &&
          needsJavaScript(pages[0].html, { emails: facts.emails.length, phones: facts.phones.length }).needed;

        for (const link of facts.followLinks.slice(0, maxPages - 1)) {
          heartbeat.update({ stage: link.kind, pages: crawled.length });
          try {
            const page = await fetcher.fetchPage(link.url, { signal });
            pages.push({ url: page.finalUrl, html: page.text ?? '' });
            crawled.push({ url: page.finalUrl, bytes: page.bytes });
          } catch (err) {
            heartbeat.throwIfCancelled();
            const type = (err as { type?: unknown }).type;
            skipped.push({
              url: link.url,
              type: isFailureType(type) ? type : 'Error',
              message: err instanceof Error ? err.message : String(err),
            });
          }
        }
        if (pages.length > 1) facts = extractLeadFacts(pages, hints);

        await putJson(storage, input.factsKey, facts);
        return {
          factsKey: input.factsKey,
          pages: crawled,
          skipped,
          found: {
            name: facts.name?.value ?? null,
            emails: facts.emails.length,
            phones: facts.phones.length,
            socials: facts.socials.length,
            city: facts.city?.value ?? null,
          },
          needsBrowser,
        };
      });
    },
  };
}

/** The stored rendered DOM, shaped as a fetched home page. */
async function renderedHome(storage: FileStorage, key: string, url: string) {
  assertValidStorageKey(key);
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url))
    throw failure('InvalidInput', `homeUrl must be an http(s) URL: ${JSON.stringify(url.slice(0, 200))}`);
  const html = await storage.get(key);
  if (html === null) throw failure('NotFound', `The rendered home page was not found under ${key}`);
  return { finalUrl: new URL(url).href, text: html.toString('utf8'), bytes: html.length };
}

export type CrawlActivities = ReturnType<typeof createCrawlActivities>;
