/**
 * What an experiment is, as the API accepts it: a brand's hypothesis, one primary metric, optional guardrails, 2–5
 * variants with weights (one of them the control), the unit of assignment, and the evaluation's settings with
 * defaults that keep a marketer from calling a winner on noise. Pure: the API validates with it and the workflow reads
 * the stored config through it.
 */
import { z } from 'zod';
import { PLATFORMS, POST_TYPE_NAMES } from '../social';

export const EXPERIMENT_KINDS = ['post', 'free'] as const;
export const EXPERIMENT_UNITS = ['visitor', 'recipient'] as const;
export const EXPERIMENT_STATUSES = ['draft', 'running', 'paused', 'stopped', 'completed'] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];
export const EXPOSURE = 'exposure';

const metricName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, "_" or "-", starting with a letter')
  .refine((m) => m !== EXPOSURE, `"${EXPOSURE}" is the count of units, not a metric`);

/** A post variant's copy; a free-form variant carries whatever the calling site needs (small JSON). */
const postContent = z
  .object({
    caption: z.string().trim().min(1).max(2200),
    callToAction: z.string().trim().min(1).max(120),
    hashtags: z.array(z.string().trim().min(1).max(60)).max(30).default([]),
  })
  .strict();
const freeContent = z
  .record(z.string().max(60), z.unknown())
  .refine((c) => JSON.stringify(c).length <= 4000, 'at most 4,000 characters of JSON');

/** The evaluation's settings; the defaults are the decision's (lib/abtest/decision.ts): a weekly cycle, 1,000 each. */
export const experimentConfigSchema = z
  .object({
    alpha: z.number().min(0.001).max(0.2).default(0.05).describe('False-positive rate the verdict keeps to'),
    minSamplePerVariant: z
      .number()
      .int()
      .min(10)
      .max(10_000_000)
      .default(1000)
      .describe('Exposures each variant needs before any decision'),
    minDurationHours: z
      .number()
      .min(0)
      .max(24 * 90)
      .default(168)
      .describe('No decision before this, whatever the numbers (a weekly cycle by default)'),
    maxDurationDays: z.number().min(1).max(180).default(28).describe('The experiment stops here without a decision'),
    evaluateEveryMinutes: z
      .number()
      .min(0.05)
      .max(24 * 60)
      .default(60)
      .describe('How often the workflow evaluates (from 3 s; the sequential test stays valid however often it looks)'),
    expectedBaselineRate: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.05)
      .describe("The control's rate you expect: tunes the sequential test (set before the start, never from its data)"),
  })
  .strict()
  .default({
    alpha: 0.05,
    minSamplePerVariant: 1000,
    minDurationHours: 168,
    maxDurationDays: 28,
    evaluateEveryMinutes: 60,
    expectedBaselineRate: 0.05,
  });
export type ExperimentConfig = z.output<typeof experimentConfigSchema>;

const variantSchema = z
  .object({
    key: z.string().regex(/^[A-Z]$/, 'one capital letter, e.g. "A"'),
    name: z.string().trim().min(1).max(120),
    weight: z.number().int().min(1).max(100),
    control: z.boolean().default(false),
    content: z.unknown(),
  })
  .strict();

export const experimentInputSchema = z
  .object({
    brandId: z.uuid(),
    name: z.string().trim().min(1).max(200),
    hypothesis: z.string().trim().min(1).max(2000),
    kind: z
      .enum(EXPERIMENT_KINDS)
      .describe('`post`: variants are post copy served on the brand channel; `free`: another site asks'),
    unit: z.enum(EXPERIMENT_UNITS).default('visitor'),
    metric: metricName.default('click').describe('The primary metric: conversions of this name over exposures'),
    guardrails: z
      .array(
        z
          .object({
            metric: metricName,
            worseWhen: z.enum(['higher', 'lower']).default('higher').describe('e.g. unsubscribes: higher is worse'),
            maxChange: z.number().min(0).max(1).default(0.1).describe('Relative change against the control allowed'),
          })
          .strict(),
      )
      .max(5)
      .default([])
      .describe('Metrics a winner may not make worse than the control by more than maxChange (relative)'),
    post: z
      .object({
        platform: z.enum(PLATFORMS).default('instagram'),
        postType: z.enum(POST_TYPE_NAMES).default('promotional'),
      })
      .strict()
      .default({ platform: 'instagram', postType: 'promotional' })
      .describe('For a post experiment: how the promoted variant is published on the brand channel'),
    variants: z.array(variantSchema).min(2).max(5),
    config: experimentConfigSchema,
  })
  .strict()
  .superRefine((input, ctx) => {
    const keys = input.variants.map((v) => v.key);
    keys.forEach((key, i) => {
      if (keys.indexOf(key) !== i)
        ctx.addIssue({ code: 'custom', path: ['variants', i, 'key'], message: `key "${key}" is used twice` });
    });
    const controls = input.variants.filter((v) => v.control).length;
    if (controls > 1)
      ctx.addIssue({ code: 'custom', path: ['variants'], message: 'at most one variant is the control' });
    const content = input.kind === 'post' ? postContent : freeContent;
    input.variants.forEach((v, i) => {
      const parsed = content.safeParse(v.content ?? {});
      if (!parsed.success)
        for (const issue of parsed.error.issues)
          ctx.addIssue({ code: 'custom', path: ['variants', i, 'content', ...issue.path], message: issue.message });
    });
    if (input.guardrails.some((g) => g.metric === input.metric))
      ctx.addIssue({ code: 'custom', path: ['guardrails'], message: 'the primary metric cannot be its own guardrail' });
  })
  .transform((input) => ({
    ...input,
    // The first variant is the control unless one says it is.
    variants: input.variants.map((v, i) => ({
      ...v,
      control: input.variants.some((x) => x.control) ? v.control : i === 0,
      content: (input.kind === 'post' ? postContent : freeContent).parse(v.content ?? {}) as Record<string, unknown>,
    })),
  }));
export type ExperimentInput = z.output<typeof experimentInputSchema>;

/** A stored config read back through the schema, so rows written by an older shape still load with defaults. */
export function readExperimentConfig(stored: unknown): ExperimentConfig {
  const { post: _post, ...config } = (stored ?? {}) as Record<string, unknown>;
  const parsed = experimentConfigSchema.safeParse(config);
  return parsed.success ? parsed.data : experimentConfigSchema.parse(undefined);
}

/** One event as the API takes it: idempotent by `eventId` within the experiment. */
export const experimentEventSchema = z
  .object({
    eventId: z.string().trim().min(1).max(200),
    unit: z.string().trim().min(1).max(200),
    type: z.enum(['exposure', 'conversion']),
    metric: metricName
      .optional()
      .describe("For a conversion: the metric (the experiment's primary metric when absent)"),
  })
  .strict();
export type ExperimentEvent = z.output<typeof experimentEventSchema>;
export const MAX_EVENT_BATCH = 500;
