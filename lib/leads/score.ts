/**
 * Deterministic lead scoring against the ideal customer profile (issue 11, step 4 without a model): each criterion
 * earns a share of its weight, the score is the total over the weights on 0–100, and every criterion leaves a reason
 * saying what it found. A missing must-have disqualifies whatever the score.
 */
import { countryCodeOf } from './extract/identity';
import type { LeadFields, LeadStatus } from './lead-fields';
import type { LeadProfile } from './profile';

/** Why a lead has its score: one line per criterion, shown on the lead. */
export interface ScoreReason {
  rule: string;
  points: number;
  detail: string;
  /** The page the claim was read from, when a research agent wrote the reason (activities/leads/research-agent.ts). */
  source?: string;
}

/** What scoring reads of a lead: its merged fields and whether its site could be fetched. */
export interface ScoredLead extends Pick<
  LeadFields,
  'companyName' | 'category' | 'description' | 'city' | 'country' | 'emails' | 'phones' | 'technologies' | 'socials'
> {
  siteReachable: boolean;
}

export interface LeadScore {
  /** 0–100, whole points. */
  score: number;
  status: Extract<LeadStatus, 'qualified' | 'disqualified'>;
  /** One per criterion (points on the 0–100 scale), then one per missing must-have (0 points). */
  reasons: ScoreReason[];
}

/** Lower case without accents, so "Caffè" matches "caffe". */
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whole-word (or whole-phrase) occurrence, on folded text. */
function mentions(text: string, term: string): boolean {
  const t = fold(term).trim();
  if (!t) return false;
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escape(t)}($|[^\\p{L}\\p{N}])`, 'u').test(text);
}

const quoted = (list: string[]) => list.map((v) => `"${v}"`).join(', ');

interface Criterion {
  rule: keyof LeadProfile['weights'];
  /** 0–1 of the criterion's weight. */
  share: number;
  detail: string;
}

function category(lead: ScoredLead, profile: LeadProfile): Criterion {
  if (profile.categories.length === 0) return { rule: 'category', share: 1, detail: 'Any category fits' };
  const declared = lead.category ? fold(lead.category) : '';
  const direct = profile.categories.find((c) => declared && mentions(declared, c));
  if (direct) return { rule: 'category', share: 1, detail: `Category "${lead.category}" matches "${direct}"` };
  const text = fold([lead.companyName, lead.description].filter(Boolean).join(' '));
  const described = profile.categories.find((c) => mentions(text, c));
  if (described) return { rule: 'category', share: 1, detail: `Described as "${described}"` };
  return { rule: 'category', share: 0, detail: `Not one of ${quoted(profile.categories)}` };
}

function keywords(lead: ScoredLead, profile: LeadProfile): Criterion {
  if (profile.keywords.length === 0) return { rule: 'keywords', share: 1, detail: 'No keywords asked for' };
  const text = fold(
    [lead.companyName, lead.category, lead.description, ...lead.technologies].filter(Boolean).join(' '),
  );
  const found = profile.keywords.filter((k) => mentions(text, k));
  // Three matches (or all of a shorter list) earn the whole weight.
  const needed = Math.min(3, profile.keywords.length);
  const share = Math.min(1, found.length / needed);
  return {
    rule: 'keywords',
    share,
    detail: found.length ? `Mentions ${quoted(found)}` : `None of ${quoted(profile.keywords)} mentioned`,
  };
}

function location(lead: ScoredLead, profile: LeadProfile): Criterion {
  const { countries, cities } = profile;
  if (countries.length === 0 && cities.length === 0) return { rule: 'location', share: 1, detail: 'Anywhere fits' };
  const city = lead.city ? fold(lead.city) : null;
  const cityHit = city ? cities.find((c) => fold(c) === city) : undefined;
  if (cityHit) return { rule: 'location', share: 1, detail: `In ${lead.city}` };
  const code = countryCodeOf(lead.country);
  const countryHit = code ? countries.find((c) => countryCodeOf(c) === code) : undefined;
  if (countryHit) {
    // A named country fits fully when no city is asked for; with cities it is half the way there.
    return cities.length === 0
      ? { rule: 'location', share: 1, detail: `In ${code}` }
      : { rule: 'location', share: 0.5, detail: `In ${code}, not in ${quoted(cities)}` };
  }
  if (!city && !code) return { rule: 'location', share: 0, detail: 'Location unknown' };
  const where = [lead.city, code].filter(Boolean).join(', ');
  return { rule: 'location', share: 0, detail: `In ${where}, outside the profile` };
}

function contacts(lead: ScoredLead): Criterion {
  const email = lead.emails.length > 0;
  const phone = lead.phones.length > 0;
  const found = [email && `${lead.emails.length} email${lead.emails.length === 1 ? '' : 's'}`, phone && 'a phone'];
  const detail = found.filter(Boolean).join(' and ');
  return {
    rule: 'contacts',
    share: (email ? 0.6 : 0) + (phone ? 0.4 : 0),
    detail: detail || 'No email or phone found',
  };
}

function web(lead: ScoredLead): Criterion {
  const socials = Object.keys(lead.socials);
  const share = (lead.siteReachable ? 0.6 : 0) + (socials.length > 0 ? 0.4 : 0);
  const parts = [
    lead.siteReachable ? 'site reachable' : 'site not reachable',
    socials.length ? `on ${socials.sort().join(', ')}` : 'no social profiles',
  ];
  return { rule: 'web', share, detail: parts.join('; ') };
}

export function scoreLead(lead: ScoredLead, profile: LeadProfile): LeadScore {
  const criteria = [
    category(lead, profile),
    keywords(lead, profile),
    location(lead, profile),
    contacts(lead),
    web(lead),
  ];
  const total = criteria.reduce((n, c) => n + profile.weights[c.rule], 0);
  const reasons: ScoreReason[] = criteria.map((c) => ({
    rule: c.rule,
    points: total === 0 ? 0 : Math.round((100 * profile.weights[c.rule] * c.share) / total),
    detail: c.detail,
  }));
  const exact = total === 0 ? 0 : criteria.reduce((n, c) => n + profile.weights[c.rule] * c.share, 0) / total;
  const score = Math.round(100 * exact);

  const missing = [
    profile.mustHave.email && lead.emails.length === 0 && 'an email',
    profile.mustHave.phone && lead.phones.length === 0 && 'a phone',
    profile.mustHave.reachable && !lead.siteReachable && 'a reachable site',
  ].filter((m): m is string => Boolean(m));
  for (const m of missing) reasons.push({ rule: 'must-have', points: 0, detail: `Must have ${m}: none found` });

  const status = missing.length === 0 && score >= profile.qualifyAt ? 'qualified' : 'disqualified';
  return { score, status, reasons };
}
