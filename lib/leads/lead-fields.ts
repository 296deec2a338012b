/**
 * What a lead holds and how two versions of it merge. A merge never loses a value: fields the lead already has stay,
 * empty ones are filled, lists gain the new entries. Each field remembers the source that first gave it a value, and
 * each value of a list (`emails:<value>`) the source that gave that value.
 */
export const LEAD_STATUSES = ['new', 'enriched', 'qualified', 'disqualified', 'failed'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** Where a lead (or one of its values) came from. `enrichment` is the crawler writing back. */
export const LEAD_SOURCE_KINDS = ['import', 'api', 'webhook', 'places', 'enrichment'] as const;
export type LeadSourceKind = (typeof LEAD_SOURCE_KINDS)[number];

export const SCALAR_FIELDS = [
  'companyName',
  'website',
  'domain',
  'address',
  'city',
  'country',
  'category',
  'description',
  'language',
] as const;
export const LIST_FIELDS = ['emails', 'phones', 'technologies'] as const;
type ScalarField = (typeof SCALAR_FIELDS)[number];
type ListField = (typeof LIST_FIELDS)[number];

export type LeadFields = { [K in ScalarField]: string | null } & { [K in ListField]: string[] } & {
  socials: Record<string, string>;
};

export interface FieldSource {
  source: LeadSourceKind;
  /** File name and row, webhook delivery, page URL. */
  reference: string | null;
  at: string;
}
export type FieldSources = Record<string, FieldSource>;

/** Caps that keep a lead row bounded however often it is merged. */
export const LIST_CAPS: Record<ListField, number> = { emails: 20, phones: 20, technologies: 50 };
const MAX_SOCIALS = 20;

export const emptyLeadFields = (): LeadFields => ({
  companyName: null,
  website: null,
  domain: null,
  address: null,
  city: null,
  country: null,
  category: null,
  description: null,
  language: null,
  emails: [],
  phones: [],
  technologies: [],
  socials: {},
});

/** `existing` with the gaps filled from `incoming`; `changed` names the fields that gained something. */
export function mergeLeadFields(
  existing: LeadFields,
  sources: FieldSources,
  incoming: Partial<LeadFields>,
  source: FieldSource,
): { fields: LeadFields; fieldSources: FieldSources; changed: string[] } {
  const fields: LeadFields = { ...existing, socials: { ...existing.socials } };
  const fieldSources: FieldSources = { ...sources };
  const changed: string[] = [];
  const gained = (name: string) => {
    changed.push(name);
    fieldSources[name] ??= source;
  };
  for (const name of SCALAR_FIELDS) {
    const value = incoming[name];
    if (value && !fields[name]) {
      fields[name] = value;
      gained(name);
    }
  }
  for (const name of LIST_FIELDS) {
    const added = (incoming[name] ?? []).filter((v) => !fields[name].includes(v));
    const room = LIST_CAPS[name] - fields[name].length;
    if (added.length > 0 && room > 0) {
      const kept = [...new Set(added)].slice(0, room);
      fields[name] = [...fields[name], ...kept];
      gained(name);
      // Each value remembers its own source too (the site's email beside the imported one): `emails:<value>`.
      for (const value of kept) fieldSources[`${name}:${value}`] ??= source;
    }
  }
  for (const [network, url] of Object.entries(incoming.socials ?? {})) {
    if (fields.socials[network] || Object.keys(fields.socials).length >= MAX_SOCIALS) continue;
    fields.socials[network] = url;
    gained(`socials.${network}`);
  }
  return { fields, fieldSources, changed };
}
