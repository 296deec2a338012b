import { z } from 'zod';
import type { BrandRepository } from '../../db/repositories/brand.repository';
import { MAX_VIDEO_SECONDS, MIN_VIDEO_SECONDS, VIDEO_FORMATS, VIDEO_PLATFORMS } from '../../lib/video/types';
import type { VideoPipelineInput } from '../../workflows/video-pipeline.workflow';
import type { AutomationDefinition } from './automation';
import { brandRun, requireBrand } from './brand-ref';
import { videoPipelineManifest } from '../../workflows/video-pipeline.manifest';
import { approvalPolicySchema, languageSchema } from './schemas';

const text = (max: number) => z.string().trim().min(1).max(max);

export const videoInputSchema = z
  .object({
    brandId: z.uuid().describe('The brand the video is for'),
    brief: z
      .object({
        topic: text(300),
        audience: text(300).default('our customers'),
        tone: text(120).default('friendly, expert'),
        language: languageSchema,
        callToAction: text(200).default('Follow us for more'),
      })
      .strict(),
    format: z
      .enum(Object.keys(VIDEO_FORMATS) as [keyof typeof VIDEO_FORMATS, ...(keyof typeof VIDEO_FORMATS)[]])
      .default('vertical')
      .describe('vertical 1080×1920 (shorts, reels) or horizontal 1920×1080'),
    targetSeconds: z.number().int().min(MIN_VIDEO_SECONDS).max(MAX_VIDEO_SECONDS).default(30),
    platforms: z
      .array(z.enum(VIDEO_PLATFORMS))
      .min(1)
      .max(VIDEO_PLATFORMS.length)
      .refine((p) => new Set(p).size === p.length, 'must not repeat a platform')
      .default(['local']),
    voice: z
      .object({
        provider: z.enum(['espeak', 'elevenlabs']).optional(),
        voice: z.string().trim().min(1).max(100).optional(),
        wordsPerMinute: z.number().int().min(80).max(260).optional(),
      })
      .strict()
      .default({}),
    approval: approvalPolicySchema,
    analytics: z
      .object({
        intervalSeconds: z
          .number()
          .int()
          .min(10)
          .max(7 * 24 * 3600)
          .default(3600),
        windowSeconds: z
          .number()
          .int()
          .min(60)
          .max(90 * 24 * 3600)
          .default(7 * 24 * 3600),
      })
      .strict()
      .optional()
      .describe('Collect views, likes and comments after publishing, every interval for the window'),
  })
  .strict();

export function videoAutomation(brands: BrandRepository): AutomationDefinition<typeof videoInputSchema> {
  return {
    name: videoPipelineManifest.automation,
    title: 'Video: brief to published video',
    description:
      'Writes a script, waits for its approval, records the narration, renders frames and an H.264 video with subtitles, and publishes it on each platform. Costs credits.',
    inputSchema: videoInputSchema,
    manifest: videoPipelineManifest,
    async prepare(principal, input, requestId) {
      const brand = await requireBrand(brands, principal, input.brandId);
      const args: VideoPipelineInput = {
        workspaceId: principal.workspaceId,
        brandId: brand.id,
        brief: input.brief,
        format: input.format,
        targetSeconds: input.targetSeconds,
        platforms: input.platforms,
        voice: input.voice,
        approval: input.approval,
        analytics: input.analytics,
      };
      return brandRun(videoPipelineManifest.automation, 'videoPipelineWorkflow', brand.id, requestId, args);
    },
  };
}
