/**
 * Issue 11's "Done when", as a user does it in headless Chromium against the real API, workers (main and browser
 * queues), Temporal and PostgreSQL: a CSV of 50 leads pointing at local business sites is previewed and imported;
 * "Enrich all matching" starts a batch of 8 at once; the batch run page's counts move live until every lead is
 * enriched; a lead shows the emails, phone and Instagram profile its site states (each with the page it came from),
 * its score with reasons and its enrichment run, whose own page shows its steps; importing the file again merges
 * every row and creates no lead.
 *
 * Screenshots of the batch (running and done), the lead and its run go to test/e2e/screenshots/ when
 * E2E_SCREENSHOTS=1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { openE2EPage, testid, type E2EPage } from '../support/e2e-page';
import { startTestStack, type TestStack } from '../support/harness';
import { businessOf, startLeadSites, type LeadSites } from '../support/lead-sites';

const STEP_TIMEOUT = 30_000;
const LEADS = 50;
// Each site answers after this delay, so the batch runs long enough (50 leads, 8 at once, two pages each) to watch.
const SITE_DELAY_MS = 150;

jest.setTimeout(120_000);

let stack: TestStack;
let sites: LeadSites;
let ui: E2EPage;
let page: Page;
let workDir: string;
const ownerEmail = (i: number) => `sales${i}@crm-export.example`;

/** The file a user exports from their CRM: the sites have no domain (127.0.0.1), so the email is the dedupe key. */
function csv(): string {
  const rows = Array.from({ length: LEADS }, (_, i) => {
    const b = businessOf(i);
    return [b.name, sites.url(i), ownerEmail(i), b.city].join(',');
  });
  return ['company,website,email,city', ...rows, ''].join('\n');
}

const screenshot = (name: string) => ui.screenshot(name);
const click = (selector: string) => ui.click(selector);
const setValue = (selector: string, value: string) => ui.setValue(selector, value);
const text = (selector: string) => ui.text(selector);
const texts = (selector: string) => ui.texts(selector);
const hrefs = (selector: string) => page.$$eval(selector, (els) => els.map((el) => el.getAttribute('href')));
const waitForRows = (count: number) =>
  page.waitForFunction((sel, n) => document.querySelectorAll(sel).length === n, {}, testid('lead-row'), count);

/** Picks the file and waits for its preview: the mapping guessed from the headers, the first rows as leads. */
async function importFile(file: string): Promise<void> {
  await page.evaluate(() => (location.hash = '#/leads/import'));
  const input = (await page.waitForSelector(testid('import-file'))) as ElementHandle<HTMLInputElement>;
  await input.uploadFile(file);
  await page.waitForSelector(`${testid('import-preview')}`, { visible: true });
  expect(await text(testid('import-summary'))).toBe(`${LEADS} rows: ${LEADS} ready to import, 0 refused.`);
}

/** The batch page's counts as drawn, e.g. {queued: 34, running: 8, enriched: 8, qualified: 2, failed: 0}. */
interface CountsSeen {
  at: number;
  counts: Record<string, number>;
}

/**
 * Records every state of the run page's counts the page draws, from before the run starts: the UI is one page, so
 * an observer on the body sees the run page replace the leads page and each live update after it.
 */
async function recordCounts(): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { countsSeen: CountsSeen[] };
    w.countsSeen = [];
    let last = '';
    const read = () => {
      const tiles = document.querySelectorAll('[data-testid="run-counts"] [data-testid^="count-"]');
      if (tiles.length === 0) return;
      const counts: Record<string, number> = {};
      for (const tile of Array.from(tiles))
        counts[tile.getAttribute('data-testid')!.slice('count-'.length)] = Number(
          tile.querySelector('.stat-value')?.textContent,
        );
      const key = JSON.stringify(counts);
      if (key === last) return;
      last = key;
      w.countsSeen.push({ at: Date.now(), counts });
    };
    new MutationObserver(read).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}

const countsSeen = () => page.evaluate(() => (window as unknown as { countsSeen: CountsSeen[] }).countsSeen);

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lead-enrichment-e2e-'));
  sites = await startLeadSites({ slowFrom: 0, slowMs: SITE_DELAY_MS });
  [stack, ui] = await Promise.all([
    startTestStack('e2e-lead-enrichment', {
      // The sites share one host: no politeness delay between them, as in the enrichment integration test.
      env: { CRAWLER_ALLOWED_HOSTS: sites.allowedHost, CRAWLER_HOST_DELAY_MS: '0' },
      workers: ['main', 'browser'],
    }),
    openE2EPage({ screenshotPrefix: 'lead-enrichment', stepTimeoutMs: STEP_TIMEOUT }),
  ]);
  page = ui.page;
  // Bistros and bakeries in Lyon or Paris are the ideal customer; the rest of the file scores lower.
  const profile = await stack.request('PUT', '/api/v1/lead-profile', {
    categories: ['bistro', 'bakery'],
    cities: ['Lyon', 'Paris'],
    mustHave: { email: true },
  });
  expect(profile.status).toBe(200);
}, 90_000);

afterAll(async () => {
  await ui?.close();
  await stack?.stop();
  await sites?.stop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe('lead enrichment in the web UI', () => {
  it('imports 50 leads, enriches them live, shows what each site gave, and merges a re-import', async () => {
    const file = path.join(workDir, 'crm-export.csv');
    fs.writeFileSync(file, csv());

    // ---- log in, import the file: the mapping guessed from the headers, the first rows previewed ----
    await ui.logIn(stack, '#/leads');
    await page.waitForSelector('.page .empty');

    await importFile(file);
    const mapped = await page.$$eval('[data-testid^="map-"]', (els) =>
      els.map((el) => [el.getAttribute('data-testid')!.slice(4), (el as HTMLSelectElement).value]),
    );
    expect(Object.fromEntries(mapped)).toMatchObject({
      companyName: 'company',
      website: 'website',
      email: 'email',
      city: 'city',
      phone: '',
    });
    expect(await page.$$(testid('import-preview-row'))).toHaveLength(20);
    expect(await texts(`${testid('import-preview')} tbody tr:first-child td`)).toEqual([
      '2',
      'Ready',
      businessOf(0).name,
      sites.url(0),
      ownerEmail(0),
      businessOf(0).city,
    ]);
    await click(testid('import-submit'));
    await page.waitForSelector(`${testid('import-outcome')}:not([hidden])`);
    expect(await text(testid('import-created'))).toBe(String(LEADS));
    expect(await text(testid('import-merged'))).toBe('0');
    expect(await text(testid('import-refused'))).toBe('0');

    // ---- "Enrich all matching", 8 sites at once: the batch's run page opens ----
    await click(testid('import-view-leads'));
    await waitForRows(25);
    await setValue(testid('enrich-concurrency'), '8');
    await click(testid('enrich-all'));
    await recordCounts();
    const startedAt = Date.now();
    await click(testid('confirm-ok'));
    await page.waitForFunction(() => location.hash.startsWith('#/runs/'));
    const batchId = decodeURIComponent((await page.evaluate(() => location.hash)).slice('#/runs/'.length));
    expect(batchId).toMatch(/^lead-enrichment\//);
    await page.waitForSelector(`${testid('run-status')}[data-status="running"]`);
    expect(await text('h1.run-title')).toBe('Lead enrichment');

    // ---- the counts move live: leads running, then enriched, until every one is done ----
    // Mid-batch: leads in flight and some already enriched.
    await page.waitForFunction(() => {
      const value = (name: string) =>
        Number(document.querySelector(`[data-testid="count-${name}"] .stat-value`)?.textContent);
      return value('running') > 0 && value('enriched') >= 8;
    });
    await screenshot('batch-running');
    await page.waitForSelector(`${testid('run-status')}[data-status="completed"]`, { timeout: 60_000 });
    const batchSeconds = (Date.now() - startedAt) / 1000;
    const seen = await countsSeen();
    const final = seen[seen.length - 1].counts;
    expect(final).toMatchObject({ queued: 0, running: 0, enriched: LEADS, failed: 0 });
    expect(await texts(`${testid('run-counts')} .stat-label`)).toEqual([
      'Queued',
      'Running',
      'Enriched',
      'Qualified',
      'Failed',
    ]);
    // Drawn while it ran: at least two states between the first and the last, with leads in flight and the
    // enriched count climbing through them.
    const during = seen.filter((s) => s.counts.enriched < LEADS);
    expect(during.some((s) => s.counts.running > 0)).toBe(true);
    const enrichedSteps = new Set(during.map((s) => s.counts.enriched));
    expect(enrichedSteps.size).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i].counts.enriched).toBeGreaterThanOrEqual(seen[i - 1].counts.enriched);
      expect(seen[i].counts.running).toBeLessThanOrEqual(8);
    }
    const qualified = final.qualified;
    expect(qualified).toBeGreaterThan(0);
    expect(qualified).toBeLessThan(LEADS);
    await page.waitForFunction(
      (sel, n) => (document.querySelector(sel)?.textContent ?? '').startsWith(`${n} of ${n} leads done`),
      {},
      testid('run-summary'),
      LEADS,
    );
    expect(await text(testid('run-summary'))).toBe(
      `${LEADS} of ${LEADS} leads done: ${LEADS} enriched (${qualified} qualified), 0 failed`,
    );
    await screenshot('batch-done');
    console.log(
      `Batch of ${LEADS} leads, 8 at once: ${batchSeconds.toFixed(1)} s; ${seen.length} count states drawn: ` +
        seen.map((s) => `${s.counts.running}/${s.counts.enriched}`).join(' '),
    );

    // ---- a lead: what its site gave, with the page each value came from, its score and its run ----
    const b = businessOf(0); // a bistro in Lyon
    await page.evaluate((q) => (location.hash = `#/leads?q=${encodeURIComponent(q)}`), ownerEmail(0));
    await waitForRows(1);
    await click(`${testid('lead-row')} ${testid('lead-link')}`);
    await page.waitForSelector(testid('lead-name'));
    expect(await text(testid('lead-name'))).toBe(b.name);
    const leadId = decodeURIComponent((await page.evaluate(() => location.hash)).slice('#/leads/'.length));
    expect(await hrefs(testid('lead-email'))).toEqual([`mailto:${ownerEmail(0)}`, `mailto:${b.email}`]);
    expect(await hrefs(testid('lead-phone'))).toEqual([`tel:${b.phone}`]);
    expect(await hrefs(testid('lead-social'))).toEqual([b.instagram]);
    // Each value names the source that gave it: the CSV the first email, the contact page the site's one.
    const contactPage = `${sites.url(0)}contact`;
    expect(await texts(`${testid('lead-field-emails')} li ${testid('field-source')}`)).toEqual([
      expect.stringMatching(/^from CSV import · crm-export\.csv/),
      expect.stringContaining(`from Enrichment · ${contactPage}`),
    ]);
    expect(await text(`${testid('lead-field-address')} ${testid('field-source')}`)).toContain(
      `from Enrichment · ${contactPage}`,
    );
    expect(await text(`${testid('lead-field-phones')} ${testid('field-source')}`)).toContain(
      `from Enrichment · ${contactPage}`,
    );
    expect(await text(`${testid('lead-field-socials-instagram')} ${testid('field-source')}`)).toContain(
      `from Enrichment · ${sites.url(0)}`,
    );
    expect(await text(`${testid('lead-field-companyName')} ${testid('field-source')}`)).toMatch(
      /^from CSV import · crm-export\.csv/,
    );
    expect(await page.$eval(testid('lead-detail-status'), (el) => el.getAttribute('data-status'))).toBe('qualified');
    expect(Number(await text(testid('lead-detail-score')))).toBeGreaterThanOrEqual(60);
    expect(await page.$$eval(testid('lead-reason'), (els) => els.map((el) => el.getAttribute('data-rule')))).toEqual([
      'category',
      'keywords',
      'location',
      'contacts',
      'web',
    ]);
    expect(await texts(`${testid('lead-reason')}[data-rule="location"] .reason-detail`)).toEqual(['In Lyon']);
    expect(await text(testid('lead-no-technologies'))).toBe('None found on its site.');
    const childId = `${batchId}/lead/${leadId}`;
    expect(await page.$$(testid('lead-enrichment'))).toHaveLength(1);
    expect(await page.$eval(testid('lead-enrichment'), (el) => el.getAttribute('data-status'))).toBe('enriched');
    expect(await hrefs(testid('lead-enrichment-run'))).toEqual([`#/runs/${encodeURIComponent(childId)}`]);
    await screenshot('lead');

    // ---- its enrichment run: one lead's steps ----
    await click(testid('lead-enrichment-run'));
    await page.waitForSelector(`${testid('run-status')}[data-status="completed"]`);
    expect(await text('h1.run-title')).toBe('Lead enrichment (one lead)');
    await page.waitForSelector(testid('step'));
    const steps = await page.$$eval(testid('step'), (els) =>
      els.map((el) => [el.getAttribute('data-step'), el.getAttribute('data-status')]),
    );
    expect(steps).toEqual([
      ['load-lead', 'done'],
      ['fetch-site', 'done'],
      ['places', 'skipped'],
      ['score', 'done'],
      ['research', 'skipped'],
      ['callback', 'skipped'],
    ]);
    expect(await texts(`${testid('step')}[data-step="callback"] .step-detail`)).toEqual(['No CRM callback configured']);
    // Its details name the lead and the batch it ran for (from the run's memo).
    const details = await page.$eval('dl.details', (el) => el.textContent ?? '');
    expect(details).toContain(leadId);
    expect(details).toContain(batchId);
    // A lead is enriched again from its own page: the API starts no child run on its own.
    expect(await page.$(testid('run-retry'))).toBeNull();
    await screenshot('lead-run');

    // ---- the same file again: every row merged into its lead, none created ----
    await importFile(file);
    await click(testid('import-submit'));
    await page.waitForSelector(`${testid('import-outcome')}:not([hidden])`);
    expect(await text(testid('import-created'))).toBe('0');
    expect(await text(testid('import-merged'))).toBe(String(LEADS));
    expect(await text(testid('import-refused'))).toBe('0');
    await click(testid('import-view-leads'));
    await waitForRows(25);
    await click(testid('leads-next'));
    await page.waitForFunction(() => document.querySelector('[data-testid="leads-page"]')?.textContent === 'Page 2');
    await waitForRows(25);
    expect(await page.$eval(testid('leads-next'), (el) => (el as HTMLButtonElement).disabled)).toBe(true);
    const all = await stack.request('GET', '/api/v1/leads?limit=100');
    expect(all.body.items).toHaveLength(LEADS);
    expect(all.body.nextCursor).toBeNull();

    expect(ui.errors).toEqual([]);
  });
});
