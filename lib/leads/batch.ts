/**
 * What a lead enrichment batch works through and the counts it reports. Pure: imported by the workflows, the API and
 * the activities.
 */
import type { LeadSourceKind, LeadStatus } from './lead-fields';

/** The most leads one batch takes; a larger selection is cut here and the batch says so. */
export const MAX_BATCH_LEADS = 10_000;
/** The most ids a request may name (a page's selection); larger batches select by filter. */
export const MAX_SELECTED_IDS = 500;
export const MAX_BATCH_CONCURRENCY = 16;
export const DEFAULT_BATCH_CONCURRENCY = 4;
/** Lead ids read from the snapshot at a time: small enough to keep each read's history event small. */
export const BATCH_PAGE_SIZE = 100;
/** Children started by one run of the batch before it continues as new (after its window drains). */
export const CHILDREN_PER_RUN = 200;

export interface LeadFilter {
  status?: LeadStatus;
  search?: string;
  city?: string;
  source?: LeadSourceKind;
  minScore?: number;
  maxScore?: number;
}

export type LeadSelection = { leadIds: string[] } | { filter: LeadFilter };

export interface BatchCounts {
  /** Leads in the snapshot. */
  total: number;
  started: number;
  qualified: number;
  disqualified: number;
  /** Leads whose site could not be read, or whose enrichment broke. */
  failed: number;
}

export const emptyCounts = (total = 0): BatchCounts => ({
  total,
  started: 0,
  qualified: 0,
  disqualified: 0,
  failed: 0,
});

export const finishedOf = (c: BatchCounts) => c.qualified + c.disqualified + c.failed;

/** What the run page shows, in this order: queued, running, enriched, failed (and qualified among the enriched). */
export function batchProgressCounts(c: BatchCounts): Record<string, number> {
  const finished = finishedOf(c);
  return {
    queued: c.total - c.started,
    running: c.started - finished,
    enriched: c.qualified + c.disqualified,
    qualified: c.qualified,
    failed: c.failed,
  };
}

export function batchSummary(c: BatchCounts): string {
  const p = batchProgressCounts(c);
  return `${finishedOf(c)} of ${c.total} leads done: ${p.enriched} enriched (${p.qualified} qualified), ${p.failed} failed`;
}

/** A storage-key-safe form of a workflow id. */
export const keySafe = (id: string) => id.replace(/[^A-Za-z0-9_-]+/g, '_');

/** Where the crawl of one lead run stores its facts, and where a batch keeps its snapshot of lead ids. */
export const leadFactsKey = (workspaceId: string, leadId: string, workflowId: string) =>
  `leads/${workspaceId}/${leadId}/facts-${keySafe(workflowId)}.json`;
export const batchLeadsKey = (workspaceId: string, batchWorkflowId: string) =>
  `leads/${workspaceId}/batches/${keySafe(batchWorkflowId)}.json`;
/** Where the Chromium-rendered home page of one lead run is kept for the crawl to read. */
export const leadPageKey = (workspaceId: string, leadId: string, workflowId: string) =>
  `leads/${workspaceId}/${leadId}/home-${keySafe(workflowId)}.html`;
