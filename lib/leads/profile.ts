/**
 * The ideal customer profile a workspace (or one of its brands) scores leads against. Stored as JSONB; this schema is
 * the one shape the API accepts, the repository reads back, and scoring will consume, with defaults for every field.
 */
import { z } from 'zod';

const term = (max: number) => z.string().trim().min(1).max(max);
const terms = (max: number, count: number) =>
  z
    .array(term(max))
    .max(count)
    .default([])
    .transform((list) => [...new Set(list.map((v) => v.toLowerCase()))]);
const weight = (fallback: number) => z.number().int().min(0).max(100).default(fallback);

export const leadProfileSchema = z
  .object({
    categories: terms(80, 50).describe('Categories that fit, e.g. "restaurant", "hotel"'),
    keywords: terms(60, 100).describe('Words that should appear on the site or in the description'),
    countries: terms(80, 50).describe('Country names or ISO codes; empty means anywhere'),
    cities: terms(120, 100).describe('Cities; empty means anywhere'),
    mustHave: z
      .object({
        email: z.boolean().default(false).describe('Disqualify a lead with no email found'),
        phone: z.boolean().default(false).describe('Disqualify a lead with no phone found'),
        reachable: z.boolean().default(false).describe('Disqualify a lead whose site could not be fetched'),
      })
      .strict()
      .default({ email: false, phone: false, reachable: false }),
    weights: z
      .object({
        category: weight(30),
        keywords: weight(20),
        location: weight(20),
        contacts: weight(20),
        web: weight(10),
      })
      .strict()
      .default({ category: 30, keywords: 20, location: 20, contacts: 20, web: 10 })
      .describe('Relative weight of each criterion in the 0–100 score'),
    qualifyAt: z.number().int().min(0).max(100).default(60).describe('Score from which a lead is qualified'),
  })
  .strict();

export type LeadProfile = z.output<typeof leadProfileSchema>;

/** The profile of a workspace that has not written one. */
export const defaultLeadProfile = (): LeadProfile => leadProfileSchema.parse({});

/** A stored profile read back through the schema, so rows written by an older shape still load with defaults. */
export function readLeadProfile(stored: unknown): LeadProfile {
  const parsed = leadProfileSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : defaultLeadProfile();
}
