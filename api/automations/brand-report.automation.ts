import { z } from 'zod';
import type { BrandRepository } from '../../db/repositories/brand.repository';
import type { DiagnosisRepository } from '../../db/repositories/diagnosis.repository';
import { NotFoundError, ValidationError } from '../../lib/errors';
import { MAX_RECIPIENTS } from '../../lib/report/delivery-edit';
import type { BrandReportInput } from '../../workflows/brand-report.workflow';
import type { AutomationDefinition } from './automation';
import { brandRun, requireBrand } from './brand-ref';
import { brandReportManifest } from '../../workflows/brand-report.manifest';
import { approvalPolicySchema, languageSchema } from './schemas';

export const brandReportInputSchema = z
  .object({
    brandId: z.uuid().describe('The brand to report on'),
    diagnosisId: z.uuid().optional().describe('A completed diagnosis of the brand; the latest one when absent'),
    recipients: z
      .array(z.email())
      .max(MAX_RECIPIENTS)
      .default([])
      .describe('Who receives the PDF by email; none: the report is only stored'),
    language: languageSchema,
    approval: approvalPolicySchema,
  })
  .strict();

export function brandReportAutomation(
  brands: BrandRepository,
  diagnoses: DiagnosisRepository,
): AutomationDefinition<typeof brandReportInputSchema> {
  return {
    name: brandReportManifest.automation,
    title: 'Brand diagnosis report',
    description:
      'Scores the brand from its diagnosis and KPIs, draws on its documents, writes the analysis and recommendations, renders a PDF and emails it.',
    inputSchema: brandReportInputSchema,
    manifest: brandReportManifest,
    async prepare(principal, input, requestId) {
      const brand = await requireBrand(brands, principal, input.brandId);
      const diagnosis = input.diagnosisId
        ? await diagnoses.get(principal.workspaceId, brand.id, input.diagnosisId)
        : await diagnoses.latestComplete(principal.workspaceId, brand.id);
      if (!diagnosis) {
        if (input.diagnosisId)
          throw new NotFoundError(`Diagnosis ${input.diagnosisId} not found`, {
            errors: [{ field: 'input.diagnosisId', message: 'no such diagnosis for this brand' }],
          });
        throw new ValidationError('The brand has no completed diagnosis', {
          errors: [{ field: 'input.diagnosisId', message: 'complete a diagnosis of the brand first' }],
        });
      }
      if (diagnosis.status !== 'complete')
        throw new ValidationError('The diagnosis is not complete', {
          errors: [{ field: 'input.diagnosisId', message: 'finish the five steps and complete the diagnosis first' }],
        });
      const args: BrandReportInput = {
        workspaceId: principal.workspaceId,
        brandId: brand.id,
        diagnosisId: diagnosis.id,
        recipients: [...new Set(input.recipients.map((r) => r.trim()))],
        language: input.language,
        approval: input.approval,
      };
      return brandRun(brandReportManifest.automation, 'brandReportWorkflow', brand.id, requestId, args);
    },
  };
}
