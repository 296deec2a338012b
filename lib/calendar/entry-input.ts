/** The calendar API's input shapes (zod), shared by the routes and the OpenAPI document. */
import { z } from 'zod';
import { POST_TYPE_NAMES, type PostType } from '../social';
import { VIDEO_FORMATS, MAX_VIDEO_SECONDS, MIN_VIDEO_SECONDS } from '../video/types';
import { ENTRY_STATUSES, ENTRY_TARGETS } from './entry';
import { isTimeZone, parseLocal } from './wall-clock';

export const localAtSchema = z
  .string()
  .refine((s) => parseLocal(s) !== null, 'must be a local date-time YYYY-MM-DDTHH:mm (or :ss)')
  .describe("Wall-clock date and time in the workspace's time zone, YYYY-MM-DDTHH:mm");

export const timeZoneSchema = z
  .string()
  .max(64)
  .refine(isTimeZone, 'must be an IANA time zone such as Europe/Rome')
  .describe('IANA time zone');

const copySchema = z
  .object({
    caption: z.string().trim().min(1).max(70_000),
    hashtags: z.array(z.string().trim().min(1).max(100)).max(60).default([]),
    callToAction: z.string().trim().max(500).default(''),
    altText: z.string().trim().max(1500).default(''),
  })
  .strict();

const mediaSchema = z
  .object({
    kind: z.enum(['image', 'video']),
    url: z.url().max(2000),
    width: z.number().int().min(1).max(20_000),
    height: z.number().int().min(1).max(20_000),
    bytes: z
      .number()
      .int()
      .min(1)
      .max(300 * 1024 ** 3),
    durationSeconds: z.number().min(0).max(86_400).optional(),
  })
  .strict();

const videoSchema = z
  .object({
    targetSeconds: z.number().int().min(MIN_VIDEO_SECONDS).max(MAX_VIDEO_SECONDS).default(30),
    format: z.enum(Object.keys(VIDEO_FORMATS) as [keyof typeof VIDEO_FORMATS]).default('vertical'),
  })
  .strict();

const platformsSchema = z
  .array(z.enum(ENTRY_TARGETS))
  .min(1)
  .max(ENTRY_TARGETS.length)
  .refine((p) => new Set(p).size === p.length, 'must not repeat a platform');

const fields = {
  localAt: localAtSchema,
  kind: z.enum(['post', 'video']),
  platforms: platformsSchema,
  postType: z.enum(POST_TYPE_NAMES as [PostType, ...PostType[]]),
  topic: z.string().trim().min(1).max(300).nullable(),
  copy: copySchema.nullable(),
  media: mediaSchema.nullable(),
  video: videoSchema.nullable(),
  ownerId: z.uuid().nullable(),
};

export const entryCreateSchema = z
  .object({
    brandId: z.uuid(),
    ...fields,
    kind: fields.kind.default('post'),
    platforms: platformsSchema.default(['local']),
    postType: fields.postType.default('educational'),
    topic: fields.topic.optional(),
    copy: fields.copy.optional(),
    media: fields.media.optional(),
    video: fields.video.optional(),
    ownerId: fields.ownerId.optional(),
    status: z.enum(['idea', 'draft', 'scheduled']).default('draft'),
  })
  .strict();
export type EntryCreate = z.output<typeof entryCreateSchema>;

export const entryPatchSchema = z
  .object({
    version: z.number().int().min(1).describe('The version you read: a change made meanwhile answers 409'),
    localAt: fields.localAt.optional(),
    kind: fields.kind.optional(),
    platforms: fields.platforms.optional(),
    postType: fields.postType.optional(),
    topic: fields.topic.optional(),
    copy: fields.copy.optional(),
    media: fields.media.optional(),
    video: fields.video.optional(),
    ownerId: fields.ownerId.optional(),
  })
  .strict();
export type EntryPatch = z.output<typeof entryPatchSchema>;

export const entryVersionSchema = z.object({ version: z.number().int().min(1) }).strict();

export const entryListQuerySchema = z
  .object({
    from: z.iso.datetime({ offset: true }).describe('Entries due at or after this instant'),
    to: z.iso.datetime({ offset: true }).describe('Entries due before this instant (at most 62 days after from)'),
    brandId: z.uuid().optional(),
    status: z.enum(ENTRY_STATUSES).optional(),
  })
  .strict()
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), { path: ['to'], message: 'must be after from' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 62 * 86_400_000, {
    path: ['to'],
    message: 'at most 62 days after from',
  });

const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm')
  .describe('Local time HH:mm');

export const calendarSettingsSchema = z
  .object({
    timeZone: timeZoneSchema,
    generationTime: hhmm.default('06:00'),
    generationDays: z.number().int().min(1).max(14).default(3),
    postTime: hhmm.default('10:00'),
  })
  .strict();

export const SCHEDULE_KINDS = ['generation', 'analytics'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];
export const scheduleActionBodySchema = z
  .object({
    schedule: z.enum(SCHEDULE_KINDS).describe('generation (daily drafts) or analytics (hourly KPIs)'),
    action: z.enum(['pause', 'resume', 'trigger']).describe('trigger: run it now'),
  })
  .strict();
