import { z } from 'zod';
import type { BrandRepository } from '../../db/repositories/brand.repository';
import { DEFAULT_BATCH_CONCURRENCY, MAX_BATCH_CONCURRENCY, MAX_SELECTED_IDS } from '../../lib/leads/batch';
import { LEAD_SOURCE_KINDS, LEAD_STATUSES } from '../../lib/leads/lead-fields';
import type { LeadEnrichmentBatchInput } from '../../workflows/lead-enrichment-batch.workflow';
import { leadEnrichmentBatchManifest, leadEnrichmentManifest } from '../../workflows/lead-enrichment.manifest';
import type { AutomationDefinition } from './automation';
import type { Principal } from '../services/account.service';
import { leadInputSchema } from '../routes/leads.routes';
import { requireBrand } from './brand-ref';

const score = z.number().int().min(0).max(100);

export const leadFilterSchema = z
  .object({
    status: z.enum(LEAD_STATUSES).optional(),
    search: z.string().trim().min(1).max(200).optional().describe('Text in the company name, domain, city or emails'),
    city: z.string().trim().min(1).max(120).optional().describe('Exact city, any case'),
    source: z.enum(LEAD_SOURCE_KINDS).optional().describe('Leads that arrived at least once this way'),
    minScore: score.optional(),
    maxScore: score.optional(),
  })
  .strict();

export const leadEnrichmentInputSchema = z
  .object({
    leadIds: z
      .array(z.uuid())
      .min(1)
      .max(MAX_SELECTED_IDS)
      .optional()
      .describe(`The leads to enrich (at most ${MAX_SELECTED_IDS}; select larger batches with a filter)`),
    filter: leadFilterSchema.optional().describe('Enrich every lead this matches (an empty filter: all leads)'),
    leads: z
      .array(leadInputSchema)
      .min(1)
      .max(MAX_SELECTED_IDS)
      .optional()
      .describe(
        'Leads to add (merged into existing ones by domain, then email) and enrich: what a CRM sends through a signed webhook',
      ),
    brandId: z
      .uuid()
      .optional()
      .describe("Only this brand's leads; scored against the brand's profile when it has one"),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(MAX_BATCH_CONCURRENCY)
      .default(DEFAULT_BATCH_CONCURRENCY)
      .describe('Leads enriched at once'),
  })
  .strict()
  .superRefine((input, ctx) => {
    const given = [input.leadIds, input.filter, input.leads].filter((v) => v !== undefined).length;
    if (given !== 1)
      ctx.addIssue({ code: 'custom', path: ['leadIds'], message: 'give exactly one of leadIds, filter or leads' });
  });

/** Saves arriving leads (all or nothing; errors name `input.leads.<i>.<field>`) and says which leads they became. */
export type SaveArrivingLeads = (
  principal: Principal,
  leads: z.output<typeof leadInputSchema>[],
  brandId: string | null,
  reference: string,
) => Promise<string[]>;

export function leadEnrichmentAutomation(
  brands: BrandRepository,
  options: { places: boolean; saveLeads: SaveArrivingLeads },
): AutomationDefinition<typeof leadEnrichmentInputSchema> {
  return {
    name: leadEnrichmentBatchManifest.automation,
    title: 'Lead enrichment',
    description:
      "Reads each lead's website safely, finds emails, phones, social profiles, address and technologies, scores the lead against the ideal customer profile with reasons, and tells the workspace's CRM.",
    inputSchema: leadEnrichmentInputSchema,
    manifest: leadEnrichmentBatchManifest,
    childManifests: [leadEnrichmentManifest],
    async prepare(principal, input, requestId) {
      const brand = input.brandId ? await requireBrand(brands, principal, input.brandId) : null;
      // Arriving leads are saved before the run starts: a delivery sent again merges into them, creating nothing twice.
      const leadIds = input.leads
        ? await options.saveLeads(principal, input.leads, brand?.id ?? null, requestId)
        : input.leadIds;
      const args: LeadEnrichmentBatchInput = {
        workspaceId: principal.workspaceId,
        brandId: brand?.id ?? null,
        selection: leadIds ? { leadIds: [...new Set(leadIds)] } : { filter: input.filter ?? {} },
        concurrency: input.concurrency,
        places: options.places,
      };
      return {
        workflowType: 'leadEnrichmentBatchWorkflow',
        workflowId: `${leadEnrichmentBatchManifest.automation}/${principal.workspaceId}/${requestId}`,
        args: [args],
        ...(brand ? { brandId: brand.id } : {}),
      };
    },
  };
}
