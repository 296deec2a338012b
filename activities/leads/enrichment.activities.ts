/**
 * The database side of one lead's enrichment: open the run's row on the lead's history, merge what the crawl and
 * Places found into the lead (each value with the page or service it came from), score it against the profile with
 * reasons, and close the row. Every write is keyed by the lead workflow's id, so a retry after a crash repeats
 * nothing: merging fills gaps only, scoring is deterministic, and the history row is updated in place.
 */
import { failure, failureLabel } from '../../lib/failures';
import { getJson } from '../storage/claim-check';
import type { FileStorage } from '../storage/file-storage.port';
import { fieldsFromFacts } from '../../lib/leads/facts-fields';
import type { LeadFacts } from '../../lib/leads/extract';
import type { LeadFields, LeadStatus } from '../../lib/leads/lead-fields';
import { defaultLeadProfile, type LeadProfile } from '../../lib/leads/profile';
import { scoreLead, type ScoreReason } from '../../lib/leads/score';
import type { LeadRepository } from '../../db/repositories/lead.repository';
import type { LeadProfileRepository } from '../../db/repositories/lead-profile.repository';
import type { LeadEnrichmentRepository } from '../../db/repositories/lead-enrichment.repository';

export interface LeadEnrichmentDeps {
  leads: LeadRepository;
  profiles: LeadProfileRepository;
  enrichments: LeadEnrichmentRepository;
  storage: FileStorage;
}

export interface LeadRunRef {
  workspaceId: string;
  leadId: string;
  /** The lead workflow's id: the key of its history row and of its side effects. */
  workflowId: string;
}

/** What the workflow needs of the lead to enrich it: small, no lists. */
export interface LeadToEnrich {
  brandId: string | null;
  companyName: string | null;
  website: string | null;
  domain: string | null;
  city: string | null;
  country: string | null;
  /** Whether Places has something to add (a lead with phone, address and city needs no lookup). */
  missingContactFacts: boolean;
}

export interface SiteFailure {
  type: string;
  message: string;
}

export interface RecordLeadEnrichmentInput extends LeadRunRef {
  /** The crawl's facts (claim-check key); null when the site could not be read. */
  factsKey: string | null;
  pages: number;
  /** Why the site could not be read; the lead is still scored on what it has. */
  siteFailure: SiteFailure | null;
  /** What Places found, when it was asked and matched. */
  places: { placeId: string; fields: Partial<LeadFields> } | null;
}

export interface LeadEnrichmentSummary {
  status: LeadStatus;
  score: number;
  /** Scoring's reasons, for the research agent to start from (one per criterion: a handful). */
  reasons: ScoreReason[];
  /** Fields that gained a value. */
  changed: string[];
  failureReason: string | null;
}

/** The lead's status after a run: a failed site marks it failed whatever it scores (the score still shows). */
const statusAfter = (siteFailure: SiteFailure | null, scored: LeadStatus): LeadStatus =>
  siteFailure ? 'failed' : scored;

export const siteFailureText = (f: SiteFailure) => `${failureLabel(f.type) ?? f.type}: ${f.message}`;

export function createLeadEnrichmentActivities(deps: LeadEnrichmentDeps) {
  const { leads, profiles, enrichments, storage } = deps;

  /** The brand's profile, else the workspace's, else the defaults. */
  async function profileFor(workspaceId: string, brandId: string | null): Promise<LeadProfile> {
    const own = brandId ? await profiles.get(workspaceId, brandId) : null;
    return (own ?? (await profiles.get(workspaceId, null)))?.profile ?? defaultLeadProfile();
  }

  return {
    /** Opens the run's row on the lead's history and says what the workflow needs; NotFound when the lead is gone. */
    async startLeadEnrichment(input: LeadRunRef & { batchWorkflowId: string | null }): Promise<LeadToEnrich> {
      const lead = await leads.get(input.workspaceId, input.leadId);
      if (!lead) throw failure('NotFound', `Lead ${input.leadId} not found`);
      await enrichments.start(input.workspaceId, input.leadId, input.workflowId, input.batchWorkflowId);
      return {
        brandId: lead.brandId,
        companyName: lead.companyName,
        website: lead.website,
        domain: lead.domain,
        city: lead.city,
        country: lead.country,
        missingContactFacts: lead.phones.length === 0 || !lead.address || !lead.city,
      };
    },

    /** Merges, scores, writes the lead's state and closes the run's history row. */
    async recordLeadEnrichment(input: RecordLeadEnrichmentInput): Promise<LeadEnrichmentSummary> {
      const parts: Parameters<LeadRepository['mergeFound']>[2] = [];
      if (input.factsKey) {
        const facts = await getJson<LeadFacts>(storage, input.factsKey, 'The crawled facts');
        for (const { source, fields } of fieldsFromFacts(facts))
          parts.push({ kind: 'enrichment', reference: source, fields });
      }
      if (input.places)
        parts.push({ kind: 'places', reference: `place:${input.places.placeId}`, fields: input.places.fields });
      const merged = await leads.mergeFound(input.workspaceId, input.leadId, parts);
      if (!merged) throw failure('NotFound', `Lead ${input.leadId} not found`);

      const { lead } = merged;
      const scored = scoreLead(
        { ...lead, siteReachable: input.siteFailure === null },
        await profileFor(input.workspaceId, lead.brandId),
      );
      const status = statusAfter(input.siteFailure, scored.status);
      const failureReason = input.siteFailure ? siteFailureText(input.siteFailure) : null;
      await leads.updateState(input.workspaceId, input.leadId, {
        status,
        score: scored.score,
        scoreReasons: scored.reasons,
        failureReason,
      });
      await enrichments.finish(input.workflowId, {
        status: input.siteFailure ? 'failed' : 'enriched',
        pages: input.pages,
        failure: failureReason,
        score: scored.score,
        writtenBy: 'rules',
      });
      return { status, score: scored.score, reasons: scored.reasons, changed: merged.changed, failureReason };
    },

    /**
     * An enrichment that broke for a reason that is not the site's (the lead vanished mid-run, a bug): the lead shows
     * it as failed and the run's row closes, so neither is left looking busy.
     */
    async failLeadEnrichment(input: LeadRunRef & { message: string }): Promise<void> {
      const failureReason = `Enrichment failed: ${input.message}`.slice(0, 2000);
      await leads.updateState(input.workspaceId, input.leadId, { status: 'failed', failureReason });
      await enrichments.finish(input.workflowId, {
        status: 'failed',
        pages: 0,
        failure: failureReason,
        score: null,
        writtenBy: 'rules',
      });
    },

    /** The research agent's verdict replaced the rules' one: its score, author and cost go on the run's row. */
    async noteLeadResearch(input: {
      workflowId: string;
      score: number;
      writtenBy: string;
      tokens?: { input: number; output: number };
      costUsd?: number;
    }): Promise<void> {
      await enrichments.noteResearch(input.workflowId, input);
    },
  };
}

export type LeadEnrichmentActivities = ReturnType<typeof createLeadEnrichmentActivities>;
