/**
 * The rules a video's platform metadata (step 6 of the video pipeline) must satisfy: titles, post text measured as
 * each platform measures it, hashtags. Pure, so workflows may import it.
 */
import { charCount as chars } from '../prose';
import { PLATFORM_LIMITS } from '../social';
import type { PlatformMetadata, VideoPlatform } from './types';

export interface VideoPlatformLimits {
  /** The title's length. YouTube's 100 applies everywhere: it is the strictest, and the others show no title. */
  titleMax: number;
  /** The post text (description, plus the hashtags when `hashtagsInText`) as the platform measures it. */
  textMax: number;
  /** How `textMax` is counted: characters, UTF-8 bytes (YouTube) or X's weighted characters. */
  textUnit: 'chars' | 'bytes' | 'x-weighted';
  hashtagsMax: number;
  /** The hashtags are appended to the description (`composeVideoText`) and count towards `textMax`. */
  hashtagsInText: boolean;
  /** YouTube also sends the hashtags as tags: at most 500 characters in all, the commas between them included. */
  tagsTotalMax?: number;
  /** Characters the platform refuses in the title and description (YouTube: angle brackets). */
  forbiddenChars?: string;
}

const TITLE_MAX = 100;

/** Video limits; the social platforms' caption and hashtag limits are the ones posts use (lib/social.ts). */
export const VIDEO_PLATFORM_LIMITS: Record<VideoPlatform, VideoPlatformLimits> = {
  local: { titleMax: TITLE_MAX, textMax: 5000, textUnit: 'chars', hashtagsMax: 30, hashtagsInText: true },
  youtube: {
    titleMax: TITLE_MAX,
    textMax: 5000,
    textUnit: 'bytes',
    // YouTube ignores every hashtag of a video that has more than 15.
    hashtagsMax: 15,
    hashtagsInText: true,
    tagsTotalMax: 500,
    forbiddenChars: '<>',
  },
  facebook: {
    titleMax: TITLE_MAX,
    textMax: PLATFORM_LIMITS.facebook.captionMax,
    textUnit: 'chars',
    hashtagsMax: PLATFORM_LIMITS.facebook.hashtagsMax,
    hashtagsInText: true,
  },
  instagram: {
    titleMax: TITLE_MAX,
    textMax: PLATFORM_LIMITS.instagram.captionMax,
    textUnit: 'chars',
    hashtagsMax: PLATFORM_LIMITS.instagram.hashtagsMax,
    hashtagsInText: true,
  },
  linkedin: {
    titleMax: TITLE_MAX,
    textMax: PLATFORM_LIMITS.linkedin.captionMax,
    textUnit: 'chars',
    hashtagsMax: PLATFORM_LIMITS.linkedin.hashtagsMax,
    hashtagsInText: true,
  },
  x: {
    titleMax: TITLE_MAX,
    textMax: PLATFORM_LIMITS.x.captionMax,
    textUnit: 'x-weighted',
    hashtagsMax: PLATFORM_LIMITS.x.hashtagsMax,
    hashtagsInText: true,
  },
  tiktok: {
    titleMax: TITLE_MAX,
    textMax: PLATFORM_LIMITS.tiktok.captionMax,
    textUnit: 'chars',
    hashtagsMax: PLATFORM_LIMITS.tiktok.hashtagsMax,
    hashtagsInText: true,
  },
};

/** "#Coffee Time" → "CoffeeTime": the form hashtags are stored in (no "#", no spaces). */
export function normalizeHashtag(tag: string): string {
  return tag.trim().replace(/^#+/, '').replace(/\s+/g, '');
}

const HASHTAG = /^[\p{L}\p{N}_]{1,100}$/u;

/** The text as posted: the description, then the hashtags on their own line when the platform counts them in. */
export function composeVideoText(meta: Pick<PlatformMetadata, 'platform' | 'description' | 'hashtags'>): string {
  const description = meta.description.trim();
  if (!VIDEO_PLATFORM_LIMITS[meta.platform].hashtagsInText) return description;
  const tags = meta.hashtags.map((t) => `#${normalizeHashtag(t)}`).join(' ');
  return [description, tags].filter(Boolean).join('\n\n');
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+|\bwww\.[^\s<>"]+/giu;
const EMOJI_SEQUENCE =
  /\p{Extended_Pictographic}(?:\u{FE0F}|\p{Emoji_Modifier})*(?:\u{200D}\p{Extended_Pictographic}(?:\u{FE0F}|\p{Emoji_Modifier})*)*/gu;
/** Code points X counts once (Latin, Greek, Cyrillic, Hebrew, Arabic… and common punctuation); others count twice. */
const X_LIGHT: readonly [number, number][] = [
  [0, 4351],
  [8192, 8205],
  [8208, 8223],
  [8242, 8247],
];
/** X shortens every link to t.co: 23 characters whatever its length. */
export const X_URL_LENGTH = 23;

/** A post's length as X counts it (twitter-text v3): links 23, emoji 2, CJK and other heavy scripts 2 per character. */
export function xWeightedLength(text: string): number {
  let weight = 0;
  const rest = text
    .normalize('NFC')
    .replace(URL_PATTERN, () => {
      weight += X_URL_LENGTH;
      return '';
    })
    .replace(EMOJI_SEQUENCE, () => {
      weight += 2;
      return '';
    });
  for (const ch of rest) {
    const cp = ch.codePointAt(0)!;
    weight += X_LIGHT.some(([lo, hi]) => cp >= lo && cp <= hi) ? 1 : 2;
  }
  return weight;
}

function utf8Bytes(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** The length of a post text in the platform's unit. */
export function measureVideoText(platform: VideoPlatform, text: string): number {
  const unit = VIDEO_PLATFORM_LIMITS[platform].textUnit;
  if (unit === 'x-weighted') return xWeightedLength(text);
  if (unit === 'bytes') return utf8Bytes(text);
  return chars(text);
}

const UNIT_NAMES: Record<VideoPlatformLimits['textUnit'], string> = {
  chars: 'characters',
  bytes: 'bytes',
  'x-weighted': 'characters as X counts them',
};

export interface MetadataViolation {
  platform: VideoPlatform;
  field: 'title' | 'description' | 'hashtags';
  message: string;
}

/** Every rule one platform's metadata must satisfy; an empty list means it can be published as it is. */
export function checkMetadata(meta: PlatformMetadata): MetadataViolation[] {
  const limits = VIDEO_PLATFORM_LIMITS[meta.platform];
  const violations: MetadataViolation[] = [];
  const add = (field: MetadataViolation['field'], message: string) =>
    violations.push({ platform: meta.platform, field, message });

  const title = meta.title.trim();
  if (!title) add('title', 'must not be empty');
  if (chars(title) > limits.titleMax) add('title', `is ${chars(title)} characters; at most ${limits.titleMax}`);
  if (/[\r\n]/.test(title)) add('title', 'must be a single line');
  if (!meta.description.trim()) add('description', 'must not be empty');

  const text = composeVideoText(meta);
  const length = measureVideoText(meta.platform, text);
  if (length > limits.textMax) {
    const what = limits.hashtagsInText ? 'with the hashtags' : 'alone';
    add(
      'description',
      `is ${length} ${UNIT_NAMES[limits.textUnit]} ${what}; ${meta.platform} allows ${limits.textMax}`,
    );
  }
  for (const c of limits.forbiddenChars ?? '') {
    if (title.includes(c)) add('title', `must not contain "${c}" on ${meta.platform}`);
    if (meta.description.includes(c)) add('description', `must not contain "${c}" on ${meta.platform}`);
  }

  if (meta.hashtags.length > limits.hashtagsMax) {
    add('hashtags', `are ${meta.hashtags.length}; ${meta.platform} allows at most ${limits.hashtagsMax}`);
  }
  const tags = meta.hashtags.map(normalizeHashtag);
  const bad = tags.find((t) => !HASHTAG.test(t) || !/\p{L}/u.test(t));
  if (bad !== undefined) add('hashtags', `"${bad}" is not a hashtag: letters, digits and "_" with at least one letter`);
  const repeated = tags.find((t, i) => tags.findIndex((u) => u.toLowerCase() === t.toLowerCase()) !== i);
  if (repeated !== undefined) add('hashtags', `"${repeated}" is listed twice`);
  if (limits.tagsTotalMax !== undefined) {
    const total = tags.reduce((n, t) => n + chars(t), 0) + Math.max(0, tags.length - 1);
    if (total > limits.tagsTotalMax) {
      add('hashtags', `total ${total} characters as ${meta.platform} tags; at most ${limits.tagsTotalMax}`);
    }
  }
  return violations;
}
