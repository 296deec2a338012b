import { z } from 'zod';
import type { BrandRepository } from '../../db/repositories/brand.repository';
import { PLATFORMS, POST_FORMATS, POST_TYPE_NAMES } from '../../lib/social';
import type { SocialPostInput } from '../../workflows/social-post.workflow';
import type { AutomationDefinition } from './automation';
import { brandRun, requireBrand } from './brand-ref';
import { socialPostManifest } from '../../workflows/social-post.manifest';
import { approvalPolicySchema, languageSchema } from './schemas';

export const socialPostInputSchema = z
  .object({
    brandId: z.uuid().describe('The brand the post is for'),
    platform: z.enum(PLATFORMS),
    postType: z.enum(POST_TYPE_NAMES as [string, ...string[]]).describe('One of the nine post types'),
    format: z
      .enum(POST_FORMATS)
      .optional()
      .describe(
        'square (1080×1080), story (1080×1920) or carousel (3–5 square slides: cover, points, call to action); defaults by platform',
      ),
    topic: z.string().trim().min(1).max(300).optional(),
    language: languageSchema,
    approval: approvalPolicySchema,
  })
  .strict();

export function socialPostAutomation(brands: BrandRepository): AutomationDefinition<typeof socialPostInputSchema> {
  return {
    name: socialPostManifest.automation,
    title: 'Social post',
    description:
      'Writes a post for a platform, renders its image in the brand colours, waits for approval and publishes it on the brand channel.',
    inputSchema: socialPostInputSchema,
    manifest: socialPostManifest,
    async prepare(principal, input, requestId) {
      const brand = await requireBrand(brands, principal, input.brandId);
      const args: SocialPostInput = {
        workspaceId: principal.workspaceId,
        brandId: brand.id,
        platform: input.platform,
        postType: input.postType as SocialPostInput['postType'],
        format: input.format,
        topic: input.topic,
        language: input.language,
        approval: input.approval,
      };
      return brandRun(socialPostManifest.automation, 'socialPostWorkflow', brand.id, requestId, args);
    },
  };
}
