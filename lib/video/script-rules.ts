/**
 * The rules a video script (step 1 of the video pipeline) must satisfy (its platform metadata: metadata-rules.ts), shared by
 * the writers (which size and check what they write), the workflow (which applies the approver's edits) and the
 * publishers (which post exactly the text that was checked). Pure: no I/O, clock or randomness, so workflows may
 * import it.
 *
 * Length is planned from the words as they are spoken (`spokenWords`: numbers, dates and units written out, long
 * compounds counted by their letters) at the voice's speaking rate: a 30 s video at 160 words per minute is about 75
 * words of narration. The narration is then measured (lib/video/length-fit.ts) and the measure decides.
 */
import { refuser, refuseViolations, type EditMode, type EditRules, type Refuse } from '../edits';
import { spokenWords } from './speech-text';
import { pauseSeconds } from './timing';
import { MAX_VIDEO_SECONDS, MIN_VIDEO_SECONDS, type Scene, type VideoScript } from './types';

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

/** How long the narration takes at the rate, in seconds to a tenth: its words as spoken in its language. */
export function plannedSeconds(
  narration: string,
  wordsPerMinute: number = DEFAULT_WORDS_PER_MINUTE,
  language: string = 'en',
): number {
  return tenths(spokenWords(narration, language) / wordsPerSecond(wordsPerMinute));
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
  language?: string,
): VideoScript {
  const scenes: Scene[] = draft.scenes.map((s, index) => {
    const narration = oneLine(s.narration);
    return {
      index,
      narration,
      onScreenText: oneLine(s.onScreenText),
      visual: oneLine(s.visual),
      plannedSeconds: plannedSeconds(narration, wordsPerMinute, language),
    };
  });
  const narration = tenths(scenes.reduce((sum, s) => sum + s.plannedSeconds, 0));
  return {
    title: oneLine(draft.title),
    scenes,
    plannedSeconds: narration,
    videoSeconds: tenths(narration + pauseSeconds(scenes.length)),
    wordsPerMinute,
    // Absent for English, so scripts planned before languages counted keep their shape.
    ...(language && language !== 'en' ? { language } : {}),
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
  /** The narration's language (numbers are counted as said in it); defaults to the script's, else English. */
  language?: string;
}

const chars = (s: string): number => [...s].length;

/**
 * Every rule a script must satisfy before it is recorded: an empty list means it can be voiced and rendered. The
 * planned lengths are recomputed from the narration, so a script cannot pass on numbers that do not match its words.
 */
export function checkScript(script: VideoScript, opts: ScriptCheckOptions = {}): ScriptViolation[] {
  const wpm = opts.wordsPerMinute ?? script.wordsPerMinute ?? DEFAULT_WORDS_PER_MINUTE;
  const language = opts.language ?? script.language;
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
    const seconds = plannedSeconds(narration, wpm, language);
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
      const words = Math.round(scenes.reduce((n, s) => n + spokenWords(s.narration ?? '', language), 0));
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

  return planScript({ title, scenes }, wpm, opts.language ?? script.language);
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

export * from './metadata-rules';
