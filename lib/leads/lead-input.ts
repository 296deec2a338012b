/**
 * A lead as a person or a system hands it in (CSV cells, an API body) turned into the normal form leads are stored
 * and deduplicated in, with one error per value that cannot be used. Shared by the CSV import and `POST /leads`.
 */
import type { LeadFields } from './lead-fields';
import { checkUrl, type AllowEntry } from '../net/url-policy';
import {
  isRefusal,
  normalizeDomain,
  normalizeEmail,
  normalizePhone,
  normalizeWebsite,
  type Refusal,
} from './normalize';

export interface RawLead {
  companyName?: string | null;
  website?: string | null;
  emails?: string[];
  phones?: string[];
  address?: string | null;
  city?: string | null;
  country?: string | null;
  category?: string | null;
  description?: string | null;
  language?: string | null;
  socials?: Record<string, string>;
}

export interface LeadInputError {
  /** The RawLead field at fault (`website`, `emails`). */
  field: keyof RawLead;
  message: string;
}

/** Longest accepted text per field; the columns of `leads` are sized to match. */
export const TEXT_LIMITS = {
  companyName: 300,
  address: 500,
  city: 120,
  country: 80,
  category: 120,
  description: 5000,
  language: 16,
} as const;

export const NEEDS_KEY = 'a lead needs a website or an email address (the keys it is deduplicated on)';

export interface NormalizeOptions {
  /**
   * The crawler's allow-list (`CRAWLER_ALLOWED_HOSTS`): a website there is taken even on an IP address or a local name
   * (an intranet, a test's site farm); it has no domain, so the lead is deduplicated on its email.
   */
  allowedHosts?: readonly AllowEntry[];
}

/** The site as given, when the allow-list names its host and port; null otherwise. */
function allowListedWebsite(text: string, allowedHosts: readonly AllowEntry[]): string | null {
  if (allowedHosts.length === 0 || !/^https?:\/\//i.test(text)) return null;
  const verdict = checkUrl(text, allowedHosts);
  if (!verdict.ok || !verdict.target.allowListed) return null;
  const url = new URL(verdict.target.url);
  url.hash = '';
  return url.toString();
}

export function normalizeLead(
  raw: RawLead,
  options: NormalizeOptions = {},
): { fields: Partial<LeadFields>; errors: LeadInputError[] } {
  const fields: Partial<LeadFields> = {};
  const errors: LeadInputError[] = [];
  const refuse = (field: keyof RawLead, r: Refusal, value: string) =>
    errors.push({ field, message: `${JSON.stringify(value.slice(0, 80))}: ${r.refused}` });

  for (const [name, max] of Object.entries(TEXT_LIMITS) as [keyof typeof TEXT_LIMITS, number][]) {
    const value = raw[name]?.trim();
    if (!value) continue;
    if (value.length > max) errors.push({ field: name, message: `longer than ${max} characters` });
    else fields[name] = value;
  }
  const website = raw.website?.trim();
  if (website) {
    const url = normalizeWebsite(website);
    const domain = normalizeDomain(website);
    const allowListed = isRefusal(url) ? allowListedWebsite(website, options.allowedHosts ?? []) : null;
    if (allowListed) fields.website = allowListed;
    else if (isRefusal(url)) refuse('website', url, website);
    else if (!isRefusal(domain)) Object.assign(fields, { website: url, domain });
  }
  const list = (field: 'emails' | 'phones', values: string[] | undefined, norm: (v: string) => string | Refusal) => {
    const out: string[] = [];
    for (const value of values ?? []) {
      if (!value.trim()) continue;
      const n = norm(value);
      if (isRefusal(n)) refuse(field, n, value);
      else if (!out.includes(n)) out.push(n);
    }
    if (out.length) fields[field] = out;
  };
  list('emails', raw.emails, normalizeEmail);
  list('phones', raw.phones, normalizePhone);
  if (raw.socials && Object.keys(raw.socials).length) fields.socials = { ...raw.socials };
  const refusedKey = errors.some((e) => e.field === 'website' || e.field === 'emails');
  if (!fields.domain && !fields.emails?.length && !refusedKey)
    errors.push({ field: website ? 'website' : 'emails', message: NEEDS_KEY });
  return { fields, errors };
}
