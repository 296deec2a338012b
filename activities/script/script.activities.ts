/**
 * Steps 1 (script) and 6 (metadata) of the video pipeline. Built from an injected writer (usually the chain from
 * `createScriptWriterFromConfig`), so the worker decides the providers once and tests can pass any `ScriptWriter`.
 */
import { log } from '@temporalio/activity';
import { withHeartbeat } from '../shared/heartbeat';
import { z } from 'zod';
import { checkScript, MAX_WORDS_PER_MINUTE, MIN_WORDS_PER_MINUTE, SCRIPT_LIMITS } from '../../lib/video/script-rules';
import { MAX_VIDEO_SECONDS, MIN_VIDEO_SECONDS, VIDEO_FORMATS, VIDEO_PLATFORMS } from '../../lib/video/types';
import type {
  MetadataRequest,
  ScriptFallback,
  ScriptRequest,
  ScriptWriter,
  WrittenMetadata,
  WrittenScript,
} from './script-writer.port';
import { checkActivityInput } from '../shared/activity-input';

export interface ScriptActivityDeps {
  writer: ScriptWriter;
}

/** Lenient on purpose: only what the writers read is checked, and extra fields pass. */
const brandSchema = z.looseObject({
  id: z.string(),
  name: z.string().trim().min(1),
  slogan: z.string().nullish(),
  mission: z.string().nullish(),
  category: z.string().nullish(),
  keywords: z.array(z.string()),
});

const briefSchema = z.looseObject({
  topic: z.string().trim().min(1),
  audience: z.string(),
  tone: z.string(),
  language: z.string().trim().min(1),
  callToAction: z.string(),
});

const scriptInputSchema = z.object({
  brand: brandSchema,
  brief: briefSchema,
  format: z.enum(Object.keys(VIDEO_FORMATS) as [keyof typeof VIDEO_FORMATS, ...(keyof typeof VIDEO_FORMATS)[]]),
  targetSeconds: z.number().min(MIN_VIDEO_SECONDS).max(MAX_VIDEO_SECONDS),
  wordsPerMinute: z.number().min(MIN_WORDS_PER_MINUTE).max(MAX_WORDS_PER_MINUTE),
  language: z.string().trim().min(1),
});

const metadataInputSchema = z.object({
  brand: brandSchema,
  brief: briefSchema,
  script: z.looseObject({
    title: z.string(),
    plannedSeconds: z.number(),
    scenes: z
      .array(z.looseObject({ index: z.number(), narration: z.string(), onScreenText: z.string(), visual: z.string() }))
      .min(1)
      .max(SCRIPT_LIMITS.maxScenes),
  }),
  platforms: z
    .array(z.enum(VIDEO_PLATFORMS))
    .min(1)
    .refine((p) => new Set(p).size === p.length, 'must not repeat a platform'),
});

function logFallbacks(fallbacks: ScriptFallback[]): void {
  for (const fallback of fallbacks) log.warn('Script provider skipped', { ...fallback });
}

export function createScriptActivities({ writer }: ScriptActivityDeps) {
  return {
    async writeVideoScript(input: ScriptRequest): Promise<WrittenScript> {
      checkActivityInput(scriptInputSchema, input, 'script');
      // The kit beats while the model writes, so a cancel reaches the call in seconds and aborts it.
      const result = await withHeartbeat({ stage: 'writing' }, ({ signal }) => writer.writeScript(input, { signal }));
      const fallbacks = result.fallbacks ?? [];
      logFallbacks(fallbacks);
      const { script } = result;
      // Only the offline floor can return a script outside the rules (a brief too long for the video); the approver
      // sees it, so it is reported rather than failed.
      const violations = checkScript(script, {
        targetSeconds: input.targetSeconds,
        wordsPerMinute: input.wordsPerMinute,
        language: input.language,
      });
      if (violations.length) log.warn('Video script outside the rules', { provider: result.provider, violations });
      log.info('Video script written', {
        provider: result.provider,
        model: result.model,
        scenes: script.scenes.length,
        plannedSeconds: script.plannedSeconds,
        targetSeconds: input.targetSeconds,
        wordsPerMinute: input.wordsPerMinute,
        inputTokens: result.inputTokens,
        outputTokens: result.outputTokens,
        costUsd: result.costUsd,
        fallbacks: fallbacks.length,
      });
      return { ...result, fallbacks };
    },

    async writeVideoMetadata(input: MetadataRequest): Promise<WrittenMetadata> {
      checkActivityInput(metadataInputSchema, input, 'metadata');
      const result = await withHeartbeat({ stage: 'writing' }, ({ signal }) => writer.writeMetadata(input, { signal }));
      const fallbacks = result.fallbacks ?? [];
      logFallbacks(fallbacks);
      log.info('Video metadata written', {
        provider: result.provider,
        model: result.model,
        platforms: result.items.map((i) => i.platform),
        inputTokens: result.inputTokens,
        outputTokens: result.outputTokens,
        costUsd: result.costUsd,
        fallbacks: fallbacks.length,
      });
      return { ...result, fallbacks };
    },
  };
}

export type ScriptActivities = ReturnType<typeof createScriptActivities>;
