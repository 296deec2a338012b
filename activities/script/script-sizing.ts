/**
 * Sizing a script to its target length: scenes start in their richest words and are lengthened, shortened, added or
 * removed until the narration is within a few percent of the words the target leaves at the voice's rate.
 */
import { countWords, lengthRange, SCRIPT_LIMITS, wordsPerSecond } from '../../lib/video/script-rules';
import { spokenWords } from '../../lib/video/speech-text';
import { pauseSeconds } from '../../lib/video/timing';
import { ctaScene, type Facts, hookScene, type Point, problemScene, proofScene } from './offline-scenes';

/** The sizing aims within ±7 % of the target words (the closest it can get), well inside the ±15 % the rules allow. */
const AIM = 0.07;
/** A scene may grow to this multiple of its share before another scene or point is preferred. */
const SCENE_STRETCH = 1.6;

type Role = 'hook' | 'problem' | 'point' | 'proof' | 'cta';

/** One scene while the script is sized. */
export interface Draft extends Point {
  role: Role;
  /** The chosen core variant. */
  core: number;
  /** How many extras are used. */
  used: number;
}

/**
 * A scene ready for sizing. Its core variants become a ladder of ever shorter sentences: a variant no shorter than the
 * one before it is dropped (a short topic makes the topic-free hooks pointless).
 */
function draft(role: Role, p: Point): Draft {
  const cores = p.cores.filter((c, i, all) => i === 0 || countWords(c) < Math.min(...all.slice(0, i).map(countWords)));
  return { role, ...p, cores, core: 0, used: 0 };
}

export function narrationOf(d: Draft): string {
  return [d.cores[d.core], ...d.extras.slice(0, d.used)].join(' ');
}

/** The hook and the call to action are the shortest scenes; the others share the rest. */
const WEIGHTS: Record<Role, number> = { hook: 0.8, problem: 1, point: 1, proof: 0.9, cta: 0.8 };

function shares(drafts: Draft[], words: number): number[] {
  const total = drafts.reduce((s, d) => s + WEIGHTS[d.role], 0);
  return drafts.map((d) => (words * WEIGHTS[d.role]) / total);
}

/** The opening scenes for a count: 3 → hook, point, CTA; 4 adds the problem; 5 and up add the proof. */
export function initialDrafts(f: Facts, scenes: number, pool: Point[]): Draft[] {
  const fixed: Role[] =
    scenes <= 3 ? ['hook', 'cta'] : scenes === 4 ? ['hook', 'problem', 'cta'] : ['hook', 'problem', 'proof', 'cta'];
  const points = pool.splice(0, Math.max(1, scenes - fixed.length)).map((p) => draft('point', p));
  const drafts = [draft('hook', hookScene(f))];
  if (fixed.includes('problem')) drafts.push(draft('problem', problemScene(f)));
  drafts.push(...points);
  if (fixed.includes('proof')) drafts.push(draft('proof', proofScene(f)));
  drafts.push(draft('cta', ctaScene(f)));
  return drafts;
}

/** A point as a scene in its plainest words that still last long enough to read. */
function plainest(p: Point, minWords: number): Draft {
  const d = draft('point', p);
  let core = d.cores.length - 1;
  while (core > 0 && countWords(d.cores[core]) < minWords) core--;
  return { ...d, core };
}

/** Inserts a point after the last point, before the proof and the call to action. */
function insertPoint(drafts: Draft[], point: Draft): void {
  const at = drafts.map((d) => d.role).lastIndexOf('point') + 1;
  drafts.splice(at, 0, point);
}

/**
 * Lengthens the scenes furthest below their share (a longer variant, then an extra) while that brings the words
 * closer to the target, adding a point when the words are short of the aim and no scene can grow; then, when over the
 * aim, shortens the scenes furthest above their share or removes points; then lengthens again what a deep cut left
 * short. No scene gets shorter than the voice needs to let its text be read (`SCRIPT_LIMITS.minSceneSeconds`).
 */
export function size(
  drafts: Draft[],
  pool: Point[],
  words: number,
  wordsPerMinute: number,
  targetSeconds: number,
  language = 'en',
): void {
  // Words as the voice says them: a number in the topic is several, a long compound counts by its letters.
  const wordsOf = (d: Draft): number => spokenWords(narrationOf(d), language);
  // A shorter sentence must not make its scene flash by at a fast voice.
  const sceneWordsMin = Math.ceil(SCRIPT_LIMITS.minSceneSeconds * wordsPerSecond(wordsPerMinute));
  const low = words * (1 - AIM);
  /** How far one cut may undershoot: the grow pass after it makes up the difference. */
  const floor = words * (1 - 2 * AIM);
  const total = () => drafts.reduce((s, d) => s + wordsOf(d), 0);

  // A scene too short to read (a one-word call to action at a fast voice) takes its extras first, whatever the target.
  drafts.forEach((d, i) => {
    while (wordsOf(drafts[i]) < sceneWordsMin && drafts[i].used < d.extras.length) {
      drafts[i] = { ...drafts[i], used: drafts[i].used + 1 };
    }
  });

  const grow = () => {
    for (let guard = 0; guard < 1000; guard++) {
      const now = total();
      if (now >= words) break;
      const share = shares(drafts, words);
      const growable = drafts
        .map((d, i) => ({ i, d, next: d.core > 0 ? { ...d, core: d.core - 1 } : { ...d, used: d.used + 1 } }))
        .filter(({ i, d, next }) => {
          if (d.core === 0 && d.used >= d.extras.length) return false;
          const after = now - wordsOf(d) + wordsOf(next);
          return (
            [...narrationOf(next)].length <= SCRIPT_LIMITS.narrationMax &&
            wordsOf(next) <= share[i] * SCENE_STRETCH &&
            Math.abs(after - words) < Math.abs(now - words)
          );
        })
        .sort((a, b) => share[b.i] - wordsOf(b.d) - (share[a.i] - wordsOf(a.d)) || a.i - b.i);
      if (growable.length) {
        drafts[growable[0].i] = growable[0].next;
        continue;
      }
      // Out of sentences: another point, in its plainest words (the next rounds may lengthen it).
      const next =
        pool.length && drafts.length < SCRIPT_LIMITS.maxScenes ? plainest(pool[0], sceneWordsMin) : undefined;
      if (!next || now >= low || Math.abs(now + wordsOf(next) - words) >= Math.abs(now - words)) break;
      pool.shift();
      insertPoint(drafts, next);
    }
  };

  /** Each scene's next shorter version, the scene furthest over its share first. */
  const cuts = (now: number) => {
    const share = shares(drafts, words);
    return drafts
      .map((d, i) => ({ i, d, over: wordsOf(d) - share[i] }))
      .filter(({ d }) => d.used > 0 || d.core < d.cores.length - 1)
      .sort((a, b) => b.over - a.over || b.i - a.i)
      .map(({ i, d }) => ({ i, d, next: d.used > 0 ? { ...d, used: d.used - 1 } : { ...d, core: d.core + 1 } }))
      .filter(({ next }) => wordsOf(next) >= sceneWordsMin)
      .map(({ i, d, next }) => ({ i, after: now - wordsOf(d) + wordsOf(next), apply: () => void (drafts[i] = next) }));
  };

  const shrink = () => {
    for (let guard = 0; guard < 1000 && total() > words; guard++) {
      const now = total();
      const shorter = cuts(now);
      const lastPoint = drafts.map((d) => d.role).lastIndexOf('point');
      const fewer =
        drafts.filter((d) => d.role === 'point').length > 1
          ? [{ after: now - wordsOf(drafts[lastPoint]), apply: () => void drafts.splice(lastPoint, 1) }]
          : [];
      const ops = [...shorter, ...fewer];
      if (!ops.length) break;
      // The scene furthest over its share first, unless that cuts too deep; else whatever lands closest to the
      // target; always closer than now.
      const gain = (o: { after: number }) => Math.abs(now - words) - Math.abs(o.after - words);
      const closest = ops.reduce((best, o) => (gain(o) > gain(best) ? o : best));
      const op = ops.find((o) => o.after >= floor && gain(o) > 0) ?? closest;
      if (gain(op) <= 0) break;
      op.apply();
    }
  };

  grow();
  shrink();
  grow();
  // Still too long for the rules, which hold the video (narration and the pauses between its scenes) to the target
  // + 15 %: a long topic in the hook of a short video, or a slow voice. Cut the longest scene even below the target
  // (its plainest hook leaves the topic to the title and the frame), then fill up again with shorter sentences; when
  // nothing is left to cut, drop the problem, then the proof (a scene fewer is a pause fewer). A word of margin covers
  // the rounding of the planned seconds.
  const max = () => (lengthRange(targetSeconds).max - pauseSeconds(drafts.length)) * wordsPerSecond(wordsPerMinute) - 1;
  for (let round = 0; round < 20 && total() > max(); round++) {
    const [deepest] = cuts(total());
    const optional = (['problem', 'proof'] as const)
      .map((role) => drafts.findIndex((d) => d.role === role))
      .find((i) => i >= 0);
    if (deepest) {
      // For good: the grow pass must not put back what was cut.
      const d = drafts[deepest.i];
      drafts[deepest.i] =
        d.used > 0
          ? { ...d, extras: d.extras.slice(0, d.used - 1), used: d.used - 1 }
          : { ...d, cores: d.cores.slice(d.core + 1), core: 0 };
    } else if (optional !== undefined && drafts.length > 3) drafts.splice(optional, 1);
    else break;
    grow();
    shrink();
  }
}
