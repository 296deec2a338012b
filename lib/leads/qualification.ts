/**
 * The research agent's answer (issue 11, step 4 with a model): the shape it must take, checked with zod after the
 * agent's own JSON-schema check, and the rules the answer cannot override. Pure: no I/O.
 *
 * - Must-haves are enforced here, in code: a lead missing one is disqualified whatever the model says.
 * - A reason may name the page its claim comes from; a page the research never read is not a source, so such a
 *   `source` is dropped (the reason stays, unsourced) rather than shown as evidence.
 */
import { z } from 'zod';
import type { LeadProfile } from './profile';
import type { LeadScore, ScoreReason } from './score';

export const SUMMARY_MAX = 600;
export const REASONS_MAX = 10;

const reasonSchema = z.object({
  rule: z.string().trim().min(1).max(60).describe('Short id of what was judged: category, location, fit, size…'),
  points: z.number().int().min(-100).max(100).describe('Points this reason adds (or removes) on the 0–100 scale'),
  detail: z.string().trim().min(1).max(400).describe('What was found, in one sentence'),
  source: z
    .string()
    .trim()
    .regex(/^https?:\/\/\S+$/, 'an http(s) URL')
    .max(2000)
    .optional()
    .describe('URL of the page the claim comes from, when it comes from a page'),
});

/** What the agent must answer with; its JSON schema is also the structured-output tool's parameters. */
export const qualificationSchema = z
  .object({
    score: z.number().int().min(0).max(100).describe('The lead’s fit with the profile, 0–100'),
    status: z.enum(['qualified', 'disqualified']),
    reasons: z.array(reasonSchema).min(1).max(REASONS_MAX),
    summary: z.string().trim().min(1).max(SUMMARY_MAX).describe('Why, in a short paragraph'),
  })
  .meta({ title: 'qualification', description: 'The final qualification of the lead, with its evidence.' });

export type Qualification = z.output<typeof qualificationSchema>;

/** The answer checked, or what is wrong with it (one line per problem). */
export function readQualification(raw: unknown): { value: Qualification } | { problems: string[] } {
  const parsed = qualificationSchema.safeParse(raw);
  if (parsed.success) return { value: parsed.data };
  return { problems: parsed.error.issues.map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`) };
}

/** A URL compared as pages are: no fragment, no trailing slash on the path. */
export function pageKey(url: string): string | null {
  try {
    const u = new URL(url);
    u.hash = '';
    return u.href.replace(/\/$/, '');
  } catch {
    return null;
  }
}

/** The must-haves the lead lacks: those the rules found (they saw the crawl) and those its own fields show. */
export function missingMustHaves(
  profile: LeadProfile,
  lead: { emails: readonly string[]; phones: readonly string[] },
  rules: Pick<LeadScore, 'reasons'>,
): ScoreReason[] {
  const missing = rules.reasons.filter((r) => r.rule === 'must-have').map((r) => ({ ...r, points: 0 }));
  const add = (what: string) => {
    const detail = `Must have ${what}: none found`;
    if (!missing.some((r) => r.detail === detail)) missing.push({ rule: 'must-have', points: 0, detail });
  };
  if (profile.mustHave.email && lead.emails.length === 0) add('an email');
  if (profile.mustHave.phone && lead.phones.length === 0) add('a phone');
  return missing;
}

export interface EnforcedQualification extends Qualification {
  /** Sources dropped because the research never read that page. */
  droppedSources: string[];
  /** True when a missing must-have turned the model's `qualified` into `disqualified`. */
  overruled: boolean;
}

/**
 * The answer as it may be written: unread sources dropped, and any missing must-have disqualifying the lead, its
 * reason added, whatever status the model chose.
 *
 * @param pagesRead the URLs the research read (the crawl's pages and the agent's fetches)
 */
export function enforceRules(
  answer: Qualification,
  missing: readonly ScoreReason[],
  pagesRead: readonly string[],
): EnforcedQualification {
  const read = new Set(pagesRead.map(pageKey).filter((k): k is string => k !== null));
  const droppedSources: string[] = [];
  const reasons: ScoreReason[] = answer.reasons.map((r) => {
    if (r.source === undefined) return { rule: r.rule, points: r.points, detail: r.detail };
    const key = pageKey(r.source);
    if (key !== null && read.has(key)) return { ...r };
    droppedSources.push(r.source);
    return { rule: r.rule, points: r.points, detail: r.detail };
  });
  for (const m of missing) {
    if (!reasons.some((r) => r.rule === 'must-have' && r.detail === m.detail)) reasons.push({ ...m });
  }
  const overruled = missing.length > 0 && answer.status === 'qualified';
  return {
    score: answer.score,
    status: missing.length > 0 ? 'disqualified' : answer.status,
    reasons,
    summary: answer.summary,
    droppedSources,
    overruled,
  };
}
