/**
 * Length is a promise: a video lasts its target within ±10 %. The script is sized by an estimate (spoken words at the
 * voice's rate), but a voice is not an estimate, so the narration is recorded and measured, and when the narration
 * plus the render's pauses misses the target by more than `FIT_TOLERANCE`:
 *
 *   1. the speaking rate moves within its natural range (the requested rate ± `RATE_RANGE`) to close the gap;
 *   2. beyond that range the script is re-sized at the pace the voice was measured at (words it really says per
 *      minute) and recorded again, then the rate fine-tunes what is left.
 *
 * The best attempt wins when the recordings run out. Pure, with the recording and re-sizing passed in, so the
 * workflow drives it with activities and the tests and the bench with the same activities called directly.
 */
import { MAX_WORDS_PER_MINUTE, MIN_WORDS_PER_MINUTE } from './script-rules';
import { spokenWords } from './speech-text';
import { pauseSeconds } from './timing';
import type { VideoScript } from './types';

/** What the product promises: every video within ±10 % of its target. */
export const LENGTH_PROMISE = 0.1;
/** Corrected beyond ±4 %, well inside the promise, so a render a little longer than measured still keeps it. */
export const FIT_TOLERANCE = 0.04;
/** A voice sounds natural within ±12 % of the rate asked for; faster is rushed, slower drags. */
export const RATE_RANGE = 0.12;
/** Recordings before the best one is taken: the first, then up to three corrections. */
export const MAX_RECORDINGS = 4;

export interface FitAttempt {
  script: VideoScript;
  /** The rate the voice was asked for. */
  wordsPerMinute: number;
  narrationSeconds: number;
  /** Narration plus the render's pauses (lib/video/timing.ts). */
  videoSeconds: number;
}

export type FitMove =
  | { kind: 'keep' }
  /** Record the same script again at this rate. */
  | { kind: 'rate'; wordsPerMinute: number }
  /** Write the script again sized at `pace` (words the voice really says per minute), record it at the requested rate. */
  | { kind: 'resize'; pace: number };

const round2 = (n: number) => Math.round(n * 100) / 100;
const clampRate = (n: number) => Math.min(MAX_WORDS_PER_MINUTE, Math.max(MIN_WORDS_PER_MINUTE, Math.round(n)));

export function videoSecondsOf(narrationSeconds: number, sceneCount: number): number {
  return round2(narrationSeconds + pauseSeconds(sceneCount));
}

/** How far the video is from its target: +0.08 is 8 % long. */
export function lengthError(videoSeconds: number, targetSeconds: number): number {
  return videoSeconds / targetSeconds - 1;
}

/** The rates that still sound natural for the rate asked for. */
export function naturalRates(requested: number): { min: number; max: number } {
  return { min: clampRate(requested * (1 - RATE_RANGE)), max: clampRate(requested * (1 + RATE_RANGE)) };
}

/** The words the voice really says per minute at the rate it was asked for: what a re-sized script is planned at. */
export function measuredPace(attempt: FitAttempt, language?: string): number {
  const words = attempt.script.scenes.reduce((n, s) => n + spokenWords(s.narration, language), 0);
  return words / (attempt.narrationSeconds / 60);
}

/**
 * The next correction for a measured attempt. Speech lasts about inversely to its rate, so the rate that fits is the
 * current one scaled by measured / needed narration. `resize: false` (an approved script: its words are the
 * approver's) only ever moves the rate, to the edge of the natural range at most.
 */
export function nextLengthMove(
  attempt: FitAttempt,
  targetSeconds: number,
  requestedRate: number,
  opts: { resize: boolean; language?: string },
): FitMove {
  if (Math.abs(lengthError(attempt.videoSeconds, targetSeconds)) <= FIT_TOLERANCE) return { kind: 'keep' };
  const needed = targetSeconds - pauseSeconds(attempt.script.scenes.length);
  const { min, max } = naturalRates(requestedRate);
  const wanted = needed > 0 ? (attempt.wordsPerMinute * attempt.narrationSeconds) / needed : max;
  if (wanted >= min && wanted <= max) return { kind: 'rate', wordsPerMinute: Math.round(wanted) };
  if (!opts.resize) {
    const edge = Math.round(Math.min(max, Math.max(min, wanted)));
    return edge === attempt.wordsPerMinute ? { kind: 'keep' } : { kind: 'rate', wordsPerMinute: edge };
  }
  // The pace at the requested rate, where the re-sized script will be recorded.
  const pace = (measuredPace(attempt, opts.language) * requestedRate) / attempt.wordsPerMinute;
  return { kind: 'resize', pace: clampRate(pace) };
}

export interface LengthFitSteps {
  /** Records the script at the rate; resolves to the narration's measured seconds. */
  record(script: VideoScript, wordsPerMinute: number): Promise<number>;
  /** Writes the script again, sized at this pace (words per minute). */
  resize(pace: number): Promise<VideoScript>;
}

export interface LengthFitOptions {
  targetSeconds: number;
  /** The rate the brief asked for (default 160). */
  requestedRate: number;
  /** The rate to record the first attempt at; default the requested one. */
  startRate?: number;
  /** False for a script a person approved: only the rate moves. */
  resize: boolean;
  language?: string;
  maxRecordings?: number;
}

export interface LengthFit {
  /** The attempt closest to the target (the last one when it is within the tolerance). */
  best: FitAttempt;
  attempts: FitAttempt[];
  /** How the attempts were made, for the run's progress: `rate 172`, `resize at 141 wpm`. */
  moves: string[];
}

/** Records, measures and corrects until the video is within the tolerance or the recordings run out. */
export async function fitNarrationLength(
  first: VideoScript,
  steps: LengthFitSteps,
  opts: LengthFitOptions,
): Promise<LengthFit> {
  const attempts: FitAttempt[] = [];
  const moves: string[] = [];
  let script = first;
  let rate = opts.startRate ?? opts.requestedRate;
  const limit = opts.maxRecordings ?? MAX_RECORDINGS;
  const distance = (a: FitAttempt) => Math.abs(lengthError(a.videoSeconds, opts.targetSeconds));
  // A re-sized script that has been tried: writing it again at the same pace would bring the same words.
  const triedPaces = new Set<number>();

  for (;;) {
    const narrationSeconds = round2(await steps.record(script, rate));
    const attempt: FitAttempt = {
      script,
      wordsPerMinute: rate,
      narrationSeconds,
      videoSeconds: videoSecondsOf(narrationSeconds, script.scenes.length),
    };
    attempts.push(attempt);
    if (attempts.length >= limit) break;
    const move = nextLengthMove(attempt, opts.targetSeconds, opts.requestedRate, opts);
    if (move.kind === 'keep') break;
    if (move.kind === 'rate') {
      if (move.wordsPerMinute === rate) break;
      rate = move.wordsPerMinute;
      moves.push(`rate ${rate}`);
      continue;
    }
    if (triedPaces.has(move.pace)) break;
    triedPaces.add(move.pace);
    script = await steps.resize(move.pace);
    rate = opts.requestedRate;
    moves.push(`resized at ${move.pace} wpm`);
  }
  const best = attempts.reduce((a, b) => (distance(b) < distance(a) ? b : a));
  return { best, attempts, moves };
}
