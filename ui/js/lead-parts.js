/**
 * What the lead pages share: the lead vocabulary (mirrors lib/leads: statuses, sources, import fields and the size
 * limit), the score and status badges, and the concurrency field and start of a `lead-enrichment` run.
 */
import { api, isQuiet } from './api.js';
import { busy, clearErrors, field, h, showErrors, toast } from './dom.js';
import { runHref } from './runs.js';

/** lib/leads/lead-fields.ts LEAD_STATUSES. */
export const LEAD_STATUSES = [
  ['new', 'New'],
  ['enriched', 'Enriched'],
  ['qualified', 'Qualified'],
  ['disqualified', 'Disqualified'],
  ['failed', 'Failed'],
];
/** lib/leads/lead-fields.ts LEAD_SOURCE_KINDS. */
export const SOURCE_KINDS = [
  ['import', 'CSV import'],
  ['api', 'API'],
  ['webhook', 'Webhook'],
  ['places', 'Places search'],
  ['enrichment', 'Enrichment'],
];
export const sourceLabel = (kind) => (SOURCE_KINDS.find(([k]) => k === kind) || [kind, kind || '—'])[1];

/** lib/leads/csv-import.ts IMPORT_FIELDS, in its order, with the label a user reads. */
export const IMPORT_FIELDS = [
  ['companyName', 'Company name'],
  ['website', 'Website'],
  ['email', 'Email'],
  ['phone', 'Phone'],
  ['address', 'Address'],
  ['city', 'City'],
  ['country', 'Country'],
  ['category', 'Category'],
  ['description', 'Description'],
];
/** lib/leads/csv-import.ts MAX_IMPORT_BYTES: the API refuses a larger body with a 413. */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

/** The page of a lead. */
export const leadHref = (id) => `#/leads/${encodeURIComponent(id)}`;

/** A 0–100 score as a coloured badge: high from 70, medium from 40; a dash while unscored. */
export function scoreBadge(score, attrs = {}) {
  if (typeof score !== 'number') return h('span', { class: 'muted', title: 'Not scored yet', ...attrs }, '—');
  const band = score >= 70 ? 'high' : score >= 40 ? 'mid' : 'low';
  return h('span', { class: `score-badge score-${band}`, title: `Score ${score} of 100`, ...attrs }, String(score));
}

export const isHttpUrl = (url) => {
  try {
    const parsed = new window.URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
};

const DEFAULT_CONCURRENCY = 4;

/** The "sites at once" field of an enrichment start: 1–16, named `input.concurrency` like the API's errors. */
export function concurrencyField() {
  const input = h('input', {
    type: 'number',
    min: 1,
    max: 16,
    step: 1,
    value: String(DEFAULT_CONCURRENCY),
    class: 'input-narrow',
    'data-testid': 'enrich-concurrency',
  });
  const el = field({ label: 'Sites at once', name: 'input.concurrency', control: input, class: 'field-inline' });
  return {
    el,
    /** The value as a number, or the raw text when it is not one (the API names the field at fault). */
    read: () => (input.value.trim() === '' ? DEFAULT_CONCURRENCY : Number(input.value)),
  };
}

/**
 * Starts a lead-enrichment run with `input` and opens its run page; a refusal is shown on `form` (problem+json,
 * field errors next to their fields).
 */
export async function startEnrichment(ctx, form, button, input) {
  clearErrors(form);
  try {
    const run = await busy(
      button,
      () => api('/runs', { method: 'POST', body: { automation: 'lead-enrichment', input } }),
      'Starting…',
    );
    toast('Enrichment started.', 'success');
    ctx.navigate(runHref(run.id));
  } catch (err) {
    if (!isQuiet(err)) showErrors(form, err);
  }
}
