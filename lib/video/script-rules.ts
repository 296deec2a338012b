/**
 * The rules a video script (step 1 of the video pipeline) and its platform metadata (step 6) must satisfy, shared by
 * the writers (which size and check what they write), the workflow (which applies the approver's edits) and the
 * publishers (which post exactly the text that was checked). Pure: no I/O, clock or randomness, so workflows may
 * import it.
 *
 * Length is planned from the words at the voice's speaking rate: a 30 s video at 160 words per minute is about 80
 * words of narration. The narration's measured audio replaces the plan at render time.
 */
import { refuser, refuseViolations, type EditMode, type EditRules, type Refuse } from '../edits';
import { PLATFORM_LIMITS } from '../social';
import { pauseSeconds } from './timing';
import {
  MAX_VIDEO_SECONDS,
  MIN_VIDEO_SECONDS,
  type PlatformMetadata,
  type Scene,
  type VideoPlatform,
  type VideoScript,
} from './types';

// ---------------------------------------------------------------------------------------------------------------
// Speaking rate and planned length

export const DEFAULT_WORDS_PER_MINUTE = 160;
/** The speaking rates the API accepts: slower is hard to follow, faster is hard to understand. */
export const MIN_WORDS_PER_MINUTE = 80;
export const MAX_WORDS_PER_MINUTE = 260;

export const SCRIPT_LIMITS = {
  minScenes: 2,
  maxScenes: 30,
  titleMax: 100,
  narrationMax: 600,
  /** Set large on the frame; a vertical frame fits about 40 characters on two lines. */
  onScreenTextMax: 60,
  visualMax: 400,
  /** A shorter scene flashes by before its text can be read. */
  minSceneSeconds: 1.5,
  /** How far the planned total may stray from the target: ±15 %. */
  lengthTolerance: 0.15,
} as const;

/**
 * Han and kana are written without spaces; about one and a half of them are spoken in the time of an English word,
 * so a Chinese or Japanese narration is not counted as one enormous word.
 */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const CJK_CHARS_PER_WORD = 1.5;
const WORD = /[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu;

export function wordsPerSecond(wordsPerMinute: number = DEFAULT_WORDS_PER_MINUTE): number {
  return wordsPerMinute / 60;
}

/** Spoken words: runs of letters and digits ("don't", "e-mail" and "3.5" are one each); punctuation is silent. */
export function countWords(text: string): number {
  const cjk = text.match(CJK)?.length ?? 0;
  const rest = text.replace(CJK, ' ').match(WORD)?.length ?? 0;
  return rest + cjk / CJK_CHARS_PER_WORD;
}

const tenths = (n: number): number => Math.round(n * 10) / 10;

/** How long the narration takes at the rate, in seconds to a tenth. */
export function plannedSeconds(narration: string, wordsPerMinute: number = DEFAULT_WORDS_PER_MINUTE): number {
  return tenths(countWords(narration) / wordsPerSecond(wordsPerMinute));
}

/** The words of narration that fill `targetSeconds` at the rate. */
export function targetWords(targetSeconds: number, wordsPerMinute: number = DEFAULT_WORDS_PER_MINUTE): number {
  return Math.round(targetSeconds * wordsPerSecond(wordsPerMinute));
}

/**
 * The narration a video of this length needs: the target less the pauses the render puts around its scenes
 * (lib/video/timing.ts), so the finished video, not its narration alone, lasts the target. 30 s with 5 scenes: 28.1 s.
 */
export function narrationSecondsFor(targetSeconds: number): number {
  return tenths(targetSeconds - pauseSeconds(sceneCountFor(targetSeconds)));
}

/** Words of narration a video of this length needs at the rate: 30 s at 160 words per minute → 75. */
export function narrationWords(targetSeconds: number, wordsPerMinute: number = DEFAULT_WORDS_PER_MINUTE): number {
  return targetWords(narrationSecondsFor(targetSeconds), wordsPerMinute);
}

/**
 * How many scenes a video of this length gets: a new picture every 5 s in a short, every 10 s in a long video
 * (15 s → 3, 30 s → 5, 60 s → 7, 180 s → 18), within the script's bounds.
 */
export function sceneCountFor(targetSeconds: number): number {
  const n = 2 + Math.round(targetSeconds / 11);
  return Math.min(SCRIPT_LIMITS.maxScenes, Math.max(3, n));
}

/**
 * The planned total a script may have: the target ±15 %, or without a target any length a video may have
 * (15–180 s) with the same tolerance.
 */
export function lengthRange(targetSeconds?: number): { min: number; max: number } {
  // In whole percent, so 45 s × 115 % is 51.75 exactly and rounds to 51.8, not 51.7.
  const percent = Math.round(SCRIPT_LIMITS.lengthTolerance * 100);
  const within = (seconds: number, sign: 1 | -1) => tenths((seconds * (100 + sign * percent)) / 100);
  const [lo, hi] =
    targetSeconds === undefined ? [MIN_VIDEO_SECONDS, MAX_VIDEO_SECONDS] : [targetSeconds, targetSeconds];
  return { min: within(lo, -1), max: within(hi, 1) };
}

/** The text of a scene, without what is derived from it. */
export type SceneText = Pick<Scene, 'narration' | 'onScreenText' | 'visual'>;

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

/**
 * A script from its title and scenes: whitespace tidied, scenes numbered in order, each scene's planned length and
 * the total computed at the rate. Writers and edits both go through it, so the numbers always follow the words.
 */
export function planScript(
  draft: { title: string; scenes: readonly SceneText[] },
  wordsPerMinute: number = DEFAULT_WORDS_PER_MINUTE,
): VideoScript {
  const scenes: Scene[] = draft.scenes.map((s, index) => {
    const narration = oneLine(s.narration);
    return {
      index,
      narration,
      onScreenText: oneLine(s.onScreenText),
      visual: oneLine(s.visual),
      plannedSeconds: plannedSeconds(narration, wordsPerMinute),
    };
  });
  const narration = tenths(scenes.reduce((sum, s) => sum + s.plannedSeconds, 0));
  return {
    title: oneLine(draft.title),
    scenes,
    plannedSeconds: narration,
    videoSeconds: tenths(narration + pauseSeconds(scenes.length)),
    wordsPerMinute,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Checking a script

export interface ScriptViolation {
  /** Path of the offending value, e.g. `scenes.2.narration`, `scenes` (count or total length) or `title`. */
  field: string;
  message: string;
}

export interface ScriptCheckOptions {
  /** The length the brief asked for; without it any video length (15–180 s) passes. */
  targetSeconds?: number;
  /** The voice's rate; defaults to the one the script was planned at, else 160. */
  wordsPerMinute?: number;
}

const chars = (s: string): number => [...s].length;

/**
 * Every rule a script must satisfy before it is recorded: an empty list means it can be voiced and rendered. The
 * planned lengths are recomputed from the narration, so a script cannot pass on numbers that do not match its words.
 */
export function checkScript(script: VideoScript, opts: ScriptCheckOptions = {}): ScriptViolation[] {
  const wpm = opts.wordsPerMinute ?? script.wordsPerMinute ?? DEFAULT_WORDS_PER_MINUTE;
  const L = SCRIPT_LIMITS;
  const violations: ScriptViolation[] = [];
  const add = (field: string, message: string) => violations.push({ field, message });

  const title = script.title?.trim() ?? '';
  if (!title) add('title', 'must not be empty');
  else if (chars(title) > L.titleMax) add('title', `is ${chars(title)} characters; at most ${L.titleMax}`);

  const scenes = Array.isArray(script.scenes) ? script.scenes : [];
  if (scenes.length < L.minScenes || scenes.length > L.maxScenes) {
    add('scenes', `has ${scenes.length} scenes; a script needs ${L.minScenes} to ${L.maxScenes}`);
  }

  let total = 0;
  scenes.forEach((scene, i) => {
    const at = `scenes.${i}`;
    if (scene.index !== i) add(`${at}.index`, `is ${scene.index}; scenes are numbered 0, 1, 2… in play order`);
    const narration = typeof scene.narration === 'string' ? scene.narration.trim() : '';
    const seconds = plannedSeconds(narration, wpm);
    total += seconds;
    if (!narration) add(`${at}.narration`, 'must not be empty');
    else if (chars(narration) > L.narrationMax) {
      add(`${at}.narration`, `is ${chars(narration)} characters; at most ${L.narrationMax}`);
    } else if (seconds < L.minSceneSeconds) {
      add(
        `${at}.narration`,
        `lasts ${seconds} s at ${wpm} words per minute; a scene needs at least ${L.minSceneSeconds} s`,
      );
    }
    const text = typeof scene.onScreenText === 'string' ? scene.onScreenText.trim() : '';
    if (!text) add(`${at}.onScreenText`, 'must not be empty');
    else if (chars(text) > L.onScreenTextMax) {
      add(`${at}.onScreenText`, `is ${chars(text)} characters; at most ${L.onScreenTextMax}`);
    }
    const visual = typeof scene.visual === 'string' ? scene.visual.trim() : '';
    if (!visual) add(`${at}.visual`, 'must not be empty');
    else if (chars(visual) > L.visualMax) add(`${at}.visual`, `is ${chars(visual)} characters; at most ${L.visualMax}`);
  });

  if (scenes.length) {
    // The target is the video's length: the narration plus the pauses around its scenes.
    total = tenths(total);
    const video = tenths(total + pauseSeconds(scenes.length));
    const { min, max } = lengthRange(opts.targetSeconds);
    if (video < min || video > max) {
      const words = Math.round(scenes.reduce((n, s) => n + countWords(s.narration ?? ''), 0));
      const goal =
        opts.targetSeconds === undefined
          ? `a video lasts ${MIN_VIDEO_SECONDS}–${MAX_VIDEO_SECONDS} s`
          : `the target is ${opts.targetSeconds} s ± ${L.lengthTolerance * 100} % (${min}–${max} s): about ${narrationWords(opts.targetSeconds, wpm)} words in all`;
      add(
        'scenes',
        `the narration plans ${total} s (${words} words at ${wpm} words per minute), a ${video} s video with the pauses between scenes; ${goal}`,
      );
    }
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------------------------
// The approver's edits

const SCENE_FIELDS = ['narration', 'onScreenText', 'visual'] as const;
type SceneField = (typeof SCENE_FIELDS)[number];
const isSceneField = (f: string): f is SceneField => (SCENE_FIELDS as readonly string[]).includes(f);

/**
 * An approver's changes to a script, as the approval update carries them. Any mix of:
 *
 * - `title`: the new title;
 * - `scenes`: the whole list of scenes, each `{ narration, onScreenText, visual }` (to add, remove or reorder
 *   scenes; `index` and `plannedSeconds` are recomputed and may be left out), or an object by scene index with the
 *   fields to replace, `{ "2": { narration } }`;
 * - `scenes.<i>` with such an object, or `scenes.<i>.<field>` with the text, e.g. `{ "scenes.2.narration": "…" }`.
 *
 * Per-scene edits apply after a whole list, to its scenes.
 */
export type SceneEdits = Record<string, unknown>;

/** The text of an edited field, or undefined (refused) when it is not text. */
function editText(value: unknown, field: string, refuse: Refuse): string | undefined {
  if (typeof value === 'string') return value;
  refuse(field, 'must be text');
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sceneFromEdit(value: unknown, field: string, refuse: Refuse): SceneText | undefined {
  if (!isPlainObject(value)) {
    refuse(field, 'must be a scene: { narration, onScreenText, visual }');
    return undefined;
  }
  const scene = {} as SceneText;
  for (const f of SCENE_FIELDS) {
    if (value[f] === undefined) {
      refuse(`${field}.${f}`, 'is missing');
      return undefined;
    }
    const text = editText(value[f], `${field}.${f}`, refuse);
    if (text === undefined) return undefined;
    scene[f] = text;
  }
  return scene;
}

function editScene(
  scenes: SceneText[],
  index: string,
  changes: Record<string, unknown>,
  field: string,
  refuse: Refuse,
): void {
  const i = Number(index);
  if (!/^\d+$/.test(index) || i >= scenes.length) {
    refuse(field, `is not a scene; the script has ${scenes.length} (scenes.0 to scenes.${scenes.length - 1})`);
    return;
  }
  const scene = { ...scenes[i] };
  for (const [f, value] of Object.entries(changes)) {
    // The numbers are derived from the text; an edit may carry them back unchanged.
    if (f === 'index' || f === 'plannedSeconds') continue;
    if (!isSceneField(f)) {
      refuse(`${field}.${f}`, 'is not an editable field');
      continue;
    }
    const text = editText(value, `${field}.${f}`, refuse);
    if (text !== undefined) scene[f] = text;
  }
  scenes[i] = scene;
}

/**
 * Applies an approver's edits (see `SceneEdits`) and returns the re-planned script. In strict mode a malformed edit
 * is refused with a non-retryable `InvalidEdit` naming the field; in lenient mode it is skipped (lib/edits.ts). The
 * script's rules are not checked here: `applySceneEdits` does.
 */
export function mergeSceneEdits(
  script: VideoScript,
  edits: SceneEdits,
  opts: ScriptCheckOptions = {},
  mode: EditMode = 'lenient',
): VideoScript {
  const refuse = refuser(mode);
  const wpm = opts.wordsPerMinute ?? script.wordsPerMinute ?? DEFAULT_WORDS_PER_MINUTE;
  let title = script.title;
  let scenes: SceneText[] = script.scenes.map(({ narration, onScreenText, visual }) => ({
    narration,
    onScreenText,
    visual,
  }));

  const whole = edits.scenes;
  if (Array.isArray(whole)) {
    const replaced = whole.map((s, i) => sceneFromEdit(s, `scenes.${i}`, refuse));
    if (replaced.every((s): s is SceneText => s !== undefined)) scenes = replaced;
  } else if (isPlainObject(whole)) {
    for (const [index, changes] of Object.entries(whole)) {
      if (isPlainObject(changes)) editScene(scenes, index, changes, `scenes.${index}`, refuse);
      else refuse(`scenes.${index}`, 'must be an object of fields to replace');
    }
  } else if (whole !== undefined) {
    refuse('scenes', 'must be a list of scenes or an object of scene edits by index');
  }

  for (const [field, value] of Object.entries(edits)) {
    if (field === 'scenes') continue;
    if (field === 'title') {
      title = editText(value, field, refuse) ?? title;
      continue;
    }
    const path = /^scenes\.([^.]+)(?:\.([^.]+))?$/.exec(field);
    if (!path) {
      refuse(field, 'is not an editable field');
      continue;
    }
    const [, index, sceneField] = path;
    if (sceneField === undefined) {
      if (isPlainObject(value)) editScene(scenes, index, value, field, refuse);
      else refuse(field, 'must be an object of fields to replace');
    } else if (isSceneField(sceneField)) {
      editScene(scenes, index, { [sceneField]: value }, `scenes.${index}`, refuse);
    } else {
      refuse(field, 'is not an editable field');
    }
  }

  return planScript({ title, scenes }, wpm);
}

/**
 * Applies an approver's edits (see `SceneEdits`) and returns the re-planned script, or throws a non-retryable
 * `InvalidEdit` naming the field: a malformed edit at once, a script that then breaks a rule (`checkScript`) with
 * every violation as details. Pass `targetSeconds` to hold the edited script to the brief's length too.
 */
export function applySceneEdits(script: VideoScript, edits: SceneEdits, opts: ScriptCheckOptions = {}): VideoScript {
  const next = mergeSceneEdits(script, edits, opts, 'strict');
  const wpm = opts.wordsPerMinute ?? script.wordsPerMinute ?? DEFAULT_WORDS_PER_MINUTE;
  refuseViolations(checkScript(next, { ...opts, wordsPerMinute: wpm }));
  return next;
}

/** The approval gate's rules for a script (workflows/approval.ts). */
export function sceneEditRules(opts: ScriptCheckOptions): EditRules<VideoScript> {
  return {
    check: (script, edits) => applySceneEdits(script, edits, opts),
    merge: (script, edits) => mergeSceneEdits(script, edits, opts),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Platform metadata

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
