/**
 * One lead's enrichment, a child of the batch: read its site safely, ask Places when the lead lacks contact facts,
 * merge and score against the profile, let the research agent qualify it when a model is configured, and tell the
 * workspace's CRM. A site that cannot be read is the lead's outcome (`failed`, with the reason on the lead), not a
 * failed run; the run fails only when the enrichment itself breaks.
 */
import { CancellationScope, isCancellation, setHandler, workflowInfo } from '@temporalio/workflow';
import { leadFactsKey, leadPageKey } from '../lib/leads/batch';
import type { CrawlLeadInput, CrawlLeadResult } from '../activities/leads/crawl.activities';
import type { LeadFields, LeadStatus } from '../lib/leads/lead-fields';
import { failureTypeOf, failureMessage } from '../lib/failure-chain';
import { activitiesOn } from './activities-on';
import * as presets from './activity-options';
import { leadEnrichmentManifest } from './lead-enrichment.manifest';
import { ProgressTracker, progressQuery } from './progress';

export interface LeadEnrichmentInput {
  workspaceId: string;
  leadId: string;
  batchWorkflowId: string | null;
  /** Whether Places is configured (the API knows; a lookup is made only for leads that lack contact facts). */
  places: boolean;
}

export interface LeadEnrichmentResult {
  leadId: string;
  status: LeadStatus;
  score: number;
  /** Why the site could not be read. */
  failure: string | null;
  pages: number;
  /** `rules`, or the model that qualified the lead. */
  writtenBy: string;
  callback: 'sent' | 'not-configured' | 'failed';
}

type LeadPlaceFields = Partial<LeadFields>;

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Failures that say the site cannot be read (activities/web): the lead's outcome, not the run's. */
const SITE_FAILURES = new Set([
  'SiteUnreachable',
  'FetchTimeout',
  'DomainNotFound',
  'AddressRefused',
  'BlockedByRobots',
  'RequestRefused',
  'TooManyRedirects',
  'ResponseTooLarge',
  'NotHtml',
]);

export async function leadEnrichmentWorkflow(input: LeadEnrichmentInput): Promise<LeadEnrichmentResult> {
  const tracker = new ProgressTracker(leadEnrichmentManifest.automation, leadEnrichmentManifest.steps);
  setHandler(progressQuery, () => tracker.snapshot());
  const { workflowId } = workflowInfo();
  const ref = { workspaceId: input.workspaceId, leadId: input.leadId, workflowId };
  const { startLeadEnrichment, recordLeadEnrichment, failLeadEnrichment } = activitiesOn('main', presets.quick);
  const { crawlLead } = activitiesOn('main', presets.crawl);
  const { lookupLeadPlace } = activitiesOn('main', presets.quick);
  const { sendLeadCallback, noteLeadCallbackFailed } = activitiesOn('main', presets.callback);
  const { renderLeadPage } = activitiesOn('browser', presets.leadPage());
  const { qualifyLeadWithAgent } = activitiesOn('main', presets.llm);
  const { noteLeadResearch } = activitiesOn('main', presets.quick);

  /**
   * The home page needs JavaScript to show its content: Chromium renders it (every request it makes goes through the
   * safe fetcher) and the crawl reads the rendered page. A render that fails keeps the plain crawl's result.
   */
  const renderedCrawl = async (crawlInput: CrawlLeadInput, plain: CrawlLeadResult): Promise<CrawlLeadResult> => {
    tracker.start('fetch-site', 'The page needs JavaScript: rendering it in Chromium');
    try {
      const page = await renderLeadPage({
        url: crawlInput.website,
        key: leadPageKey(input.workspaceId, input.leadId, workflowId),
      });
      const crawled = await crawlLead({ ...crawlInput, homeHtmlKey: page.key, homeUrl: page.finalUrl });
      rendering = 'rendered in Chromium';
      return crawled;
    } catch (err) {
      if (isCancellation(err)) throw err;
      rendering = `not rendered in Chromium (${failureMessage(err)})`;
      return plain;
    }
  };
  let rendering = '';

  try {
    tracker.start('load-lead');
    const lead = await startLeadEnrichment({ ...ref, batchWorkflowId: input.batchWorkflowId });
    tracker.done('load-lead', lead.companyName ?? lead.domain ?? lead.website ?? input.leadId);

    let factsKey: string | null = null;
    let pages = 0;
    let siteFailure: { type: string; message: string } | null = null;
    let siteHadContacts = false;
    if (!lead.website) {
      tracker.skip('fetch-site', 'The lead has no website');
    } else {
      tracker.start('fetch-site', `Reading ${lead.website}`);
      try {
        const crawlInput = {
          website: lead.website,
          factsKey: leadFactsKey(input.workspaceId, input.leadId, workflowId),
          country: lead.country ?? undefined,
          name: lead.companyName ?? undefined,
        };
        let crawl = await crawlLead(crawlInput);
        if (crawl.needsBrowser) crawl = await renderedCrawl(crawlInput, crawl);
        factsKey = crawl.factsKey;
        pages = crawl.pages.length;
        const { emails, phones, socials } = crawl.found;
        siteHadContacts = phones > 0 && crawl.found.city !== null;
        const how = rendering ? `, ${rendering}` : '';
        tracker.done(
          'fetch-site',
          `${count(pages, 'page')}${how}: ${count(emails, 'email')}, ${count(phones, 'phone')}, ${count(socials, 'social profile')}`,
          rendering.startsWith('rendered') ? 'chromium' : 'http',
        );
      } catch (err) {
        const type = failureTypeOf(err);
        if (isCancellation(err) || !type || !SITE_FAILURES.has(type)) throw err;
        siteFailure = { type, message: failureMessage(err) };
        tracker.fail('fetch-site', siteFailure.message);
      }
    }

    let places: { placeId: string; fields: LeadPlaceFields } | null = null;
    if (!input.places) tracker.skip('places', 'Google Places is not configured');
    else if (!lead.missingContactFacts || siteHadContacts) tracker.skip('places', 'The lead has its contact facts');
    else {
      tracker.start('places');
      try {
        const found = await lookupLeadPlace({
          companyName: lead.companyName,
          website: lead.website,
          domain: lead.domain,
          city: lead.city,
          country: lead.country,
        });
        if (found.status === 'matched') {
          places = { placeId: found.placeId, fields: found.fields };
          tracker.done('places', `Matched ${found.fields.companyName ?? found.placeId}`, 'google-places');
        } else if (found.status === 'no-match') tracker.done('places', `No match: ${found.reason}`, 'google-places');
        else tracker.skip('places', 'Google Places is not configured');
      } catch (err) {
        // Places only adds to a lead: its failure is shown on the step and the enrichment goes on without it.
        if (isCancellation(err)) throw err;
        tracker.fail('places', failureMessage(err));
      }
    }

    tracker.start('score');
    const scored = await recordLeadEnrichment({ ...ref, factsKey, pages, siteFailure, places });
    tracker.done('score', `${scored.score}/100, ${scored.status}`, 'rules');

    let verdict = { score: scored.score, status: scored.status, writtenBy: 'rules' };
    if (siteFailure) tracker.skip('research', 'The site could not be read');
    else {
      tracker.start('research');
      const research = await qualifyLeadWithAgent({
        workspaceId: input.workspaceId,
        leadId: input.leadId,
        brandId: lead.brandId,
        factsKey,
        rules: {
          score: scored.score,
          status: scored.status === 'qualified' ? 'qualified' : 'disqualified',
          reasons: scored.reasons,
        },
      });
      if (research.outcome === 'no-model') tracker.skip('research', 'No model configured');
      else if (research.outcome === 'fallback')
        tracker.done(
          'research',
          `Kept the rules' score: ${research.fallbackReason ?? 'the model did not answer'}`,
          'rules',
        );
      else {
        const writtenBy = research.model ? `${research.writtenBy}:${research.model}` : research.writtenBy;
        await noteLeadResearch({
          workflowId,
          score: research.score,
          writtenBy,
          tokens: research.tokens,
          costUsd: research.costUsd,
        });
        verdict = { score: research.score, status: research.status, writtenBy };
        tracker.done(
          'research',
          `${research.score}/100, ${research.status} (${research.toolCalls} tool calls)`,
          writtenBy,
        );
      }
    }

    tracker.start('callback');
    let callback: LeadEnrichmentResult['callback'];
    try {
      const sent = await sendLeadCallback(ref);
      callback = sent.outcome;
      if (sent.outcome === 'sent') tracker.done('callback', `Posted (HTTP ${sent.status})`);
      else tracker.skip('callback', 'No CRM callback configured');
    } catch (err) {
      if (isCancellation(err)) throw err;
      callback = 'failed';
      await noteLeadCallbackFailed({ workflowId });
      tracker.fail('callback', failureMessage(err));
    }

    const summary = siteFailure
      ? `Site not read (${siteFailure.message}); scored ${verdict.score}/100`
      : `Scored ${verdict.score}/100: ${verdict.status}`;
    tracker.complete(summary);
    return {
      leadId: input.leadId,
      status: siteFailure ? scored.status : verdict.status,
      score: verdict.score,
      failure: scored.failureReason,
      pages,
      writtenBy: verdict.writtenBy,
      callback,
    };
  } catch (err) {
    const cancelled = isCancellation(err);
    tracker.failRunning(cancelled ? 'Cancelled' : failureMessage(err), cancelled ? 'cancelled' : 'failed');
    // The lead and its history row say so too, even when the run was cancelled.
    await CancellationScope.nonCancellable(() =>
      failLeadEnrichment({ ...ref, message: cancelled ? 'cancelled' : failureMessage(err) }),
    );
    throw err;
  }
}
