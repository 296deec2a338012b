/**
 * The editorial calendar's entries (issue 12): what is planned for a brand at a wall-clock time in the workspace's
 * time zone. The row in `calendar_entries` is the source of truth; the brand's `editorialCalendarWorkflow` holds only
 * ids, versions and due instants. Pure: workflows import its types.
 */
import { VIDEO_PLATFORMS, type VideoFormat, type VideoPlatform } from '../video/types';
import type { Platform, PostCopy, PostType } from '../social';

export const ENTRY_STATUSES = ['idea', 'draft', 'scheduled', 'publishing', 'published', 'failed', 'cancelled'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

/** Statuses an editor may still change: the rest are done or in the workflow's hands. */
export const EDITABLE_STATUSES: readonly EntryStatus[] = ['idea', 'draft', 'scheduled', 'failed'];

/** Where an entry goes: the brand's own channel (`local`) or a platform. */
export const ENTRY_TARGETS = VIDEO_PLATFORMS;
export type EntryTarget = VideoPlatform;

/**
 * The post rules a target's copy follows: its own, and for the brand's channel LinkedIn's (long-form, 3,000
 * characters), the closest to a blog-like page.
 */
export function copyPlatformOf(target: EntryTarget): Platform | null {
  if (target === 'local') return 'linkedin';
  if (target === 'youtube') return null;
  return target;
}

export type EntryKind = 'post' | 'video';

export interface EntryMedia {
  kind: 'image' | 'video';
  /** Where it is (a stored file's URL); shown in the entry drawer. */
  url: string;
  width: number;
  height: number;
  bytes: number;
  /** For a video. */
  durationSeconds?: number;
}

export interface CalendarEntry {
  id: string;
  workspaceId: string;
  brandId: string;
  /** `YYYY-MM-DDTHH:mm`, wall-clock in `timeZone`. */
  localAt: string;
  timeZone: string;
  /** The instant `localAt` names in `timeZone` (gap: moved forward; ambiguous: the first occurrence). */
  dueAt: string;
  kind: EntryKind;
  platforms: EntryTarget[];
  postType: PostType;
  topic: string | null;
  copy: PostCopy | null;
  media: EntryMedia | null;
  video: { targetSeconds: number; format: VideoFormat } | null;
  status: EntryStatus;
  ownerId: string | null;
  /** Bumped on every change; a run of the entry is for one version only. */
  version: number;
  validation: EntryValidation | null;
  /** The child runs started for it (workflow ids) and where it was published. */
  runs: string[];
  results: { platform: EntryTarget; url?: string; error?: string }[];
  failure: string | null;
  source: 'user' | 'generated';
  createdAt: string;
  updatedAt: string;
}

export interface EntryProblem {
  /** The target it concerns; absent: the entry as a whole. */
  platform?: EntryTarget;
  field: 'copy' | 'media' | 'account' | 'credits' | 'topic' | 'time';
  message: string;
}

export interface EntryValidation {
  ok: boolean;
  checkedAt: string;
  /** `scheduled` (when approved or moved), `precheck` (ahead of its time), `run` (just before it starts). */
  stage: 'scheduled' | 'precheck' | 'run';
  problems: EntryProblem[];
}

/** What the workflow keeps of a scheduled entry: enough to wake at its time and to know which version it runs. */
export interface ScheduledRef {
  entryId: string;
  version: number;
  dueAtMs: number;
}

/** The message the API sends after it wrote a row: the workflow re-arms (or drops) the entry's timer. */
export interface EntryChange {
  entryId: string;
  version: number;
  status: EntryStatus;
  dueAtMs: number;
}
