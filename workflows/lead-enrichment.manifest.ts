import type { RunManifest } from './manifest';

/** One lead's enrichment (a child of the batch). */
export const leadEnrichmentManifest: RunManifest = {
  automation: 'lead-enrichment-lead',
  steps: [
    { name: 'load-lead', title: 'Load lead' },
    { name: 'fetch-site', title: 'Fetch site' },
    { name: 'places', title: 'Google Places' },
    { name: 'score', title: 'Score' },
    { name: 'research', title: 'Research' },
    { name: 'callback', title: 'CRM callback' },
  ],
  activitySteps: {
    startLeadEnrichment: 'load-lead',
    crawlLead: 'fetch-site',
    renderLeadPage: 'fetch-site',
    lookupLeadPlace: 'places',
    recordLeadEnrichment: 'score',
    qualifyLeadWithAgent: 'research',
    noteLeadResearch: 'research',
    sendLeadCallback: 'callback',
  },
  approvals: {},
  details: [
    { label: 'Lead', value: 'input.leadId' },
    { label: 'Batch', value: 'input.batchWorkflowId' },
    { label: 'Outcome', value: 'result.status', format: 'outcome', ok: ['qualified', 'disqualified'] },
    { label: 'Score', value: 'result.score', format: 'number' },
    { label: 'Failure', value: 'result.failure' },
    { label: 'Pages read', value: 'result.pages', format: 'number' },
    { label: 'Scored by', value: 'result.writtenBy' },
    { label: 'CRM callback', value: 'result.callback' },
  ],
};

/** A batch: snapshot the selection, then a window of lead children. */
export const leadEnrichmentBatchManifest: RunManifest = {
  automation: 'lead-enrichment',
  steps: [
    { name: 'select', title: 'Select leads' },
    { name: 'enrich', title: 'Enrich leads' },
  ],
  activitySteps: { snapshotLeadSelection: 'select', readLeadBatchPage: 'enrich' },
  approvals: {},
  details: [
    { label: 'Leads', value: 'result.total', format: 'number' },
    { label: 'In flight at most', value: 'input.concurrency', format: 'number' },
    { label: 'Outcome', value: 'result.status', format: 'outcome', ok: ['completed'] },
    { label: 'Qualified', value: 'result.counts.qualified', format: 'number' },
    { label: 'Disqualified', value: 'result.counts.disqualified', format: 'number' },
    { label: 'Failed', value: 'result.counts.failed', format: 'number' },
  ],
};
