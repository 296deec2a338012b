import { z } from 'zod';
import type { ExperimentRepository } from '../../db/repositories/experiment.repository';
import { ConflictError, NotFoundError } from '../../lib/errors';
import type { AbTestInput } from '../../workflows/ab-test.workflow';
import { abTestManifest } from '../../workflows/ab-test.manifest';
import type { AutomationDefinition } from './automation';
import { approvalPolicySchema } from './schemas';

export const abTestInputSchema = z
  .object({
    experimentId: z.uuid().describe('A draft experiment (POST /experiments)'),
    approval: approvalPolicySchema.describe(
      'The decision once there is a verdict: promote, keep the control or extend',
    ),
  })
  .strict();

/** One run per experiment: its workflow id is the experiment's, so a second start finds the first run. */
export const abTestWorkflowId = (brandId: string, experimentId: string) =>
  `${abTestManifest.automation}/${brandId}/${experimentId}`;

export function abTestAutomation(experiments: ExperimentRepository): AutomationDefinition<typeof abTestInputSchema> {
  return {
    name: abTestManifest.automation,
    title: 'A/B test',
    description:
      'Runs an experiment: counts exposures and conversions per variant, evaluates on a timer with a test that stays valid however often it looks, pauses on a sample ratio mismatch, and asks you to promote the winner.',
    inputSchema: abTestInputSchema,
    manifest: abTestManifest,
    async prepare(principal, input) {
      const experiment = await experiments.get(principal.workspaceId, input.experimentId);
      if (!experiment)
        throw new NotFoundError(`Experiment ${input.experimentId} not found`, {
          errors: [{ field: 'input.experimentId', message: 'no such experiment in this workspace' }],
        });
      const workflowId = abTestWorkflowId(experiment.brandId, experiment.id);
      if (experiment.status !== 'draft' && experiment.workflowId !== workflowId)
        throw new ConflictError(`Experiment ${experiment.name} is ${experiment.status}, not a draft`, {
          errors: [{ field: 'input.experimentId', message: `the experiment is ${experiment.status}` }],
        });
      const args: AbTestInput = {
        workspaceId: principal.workspaceId,
        brandId: experiment.brandId,
        experimentId: experiment.id,
        approval: input.approval,
      };
      return { workflowType: 'abTestWorkflow', workflowId, args: [args], brandId: experiment.brandId };
    },
  };
}
