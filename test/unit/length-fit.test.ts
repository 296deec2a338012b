import {
  FIT_TOLERANCE,
  fitNarrationLength,
  lengthError,
  naturalRates,
  nextLengthMove,
  type FitAttempt,
} from '../../lib/video/length-fit';
import { planScript } from '../../lib/video/script-rules';
import { pauseSeconds } from '../../lib/video/timing';
import type { VideoScript } from '../../lib/video/types';

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i % 10}`).join(' ');
const scriptOf = (wordsPerScene: number, scenes = 5): VideoScript =>
  planScript({
    title: 'T',
    scenes: Array.from({ length: scenes }, () => ({ narration: words(wordsPerScene), onScreenText: 'A', visual: 'B' })),
  });

/** A voice that says `wpm × slowness`... fewer words per minute than asked, plus a fixed silence per clip. */
function voice(slowness: number, perClip = 0.5) {
  return (script: VideoScript, wpm: number) =>
    Promise.resolve(
      script.scenes.reduce((n, s) => n + s.narration.split(' ').length / ((wpm * slowness) / 60) + perClip, 0),
    );
}

describe('nextLengthMove', () => {
  const attempt = (narrationSeconds: number, wordsPerMinute = 160, script = scriptOf(15)): FitAttempt => ({
    script,
    wordsPerMinute,
    narrationSeconds,
    videoSeconds: narrationSeconds + pauseSeconds(script.scenes.length),
  });

  it('keeps a video within the tolerance', () => {
    expect(nextLengthMove(attempt(28.1 * (1 + FIT_TOLERANCE / 2)), 30, 160, { resize: true })).toEqual({
      kind: 'keep',
    });
  });

  it('moves the rate within its natural range, and re-sizes beyond it', () => {
    // 28.1 s of narration needed; 31 s measured: the voice speaks 10 % faster.
    expect(nextLengthMove(attempt(31), 30, 160, { resize: true })).toEqual({ kind: 'rate', wordsPerMinute: 177 });
    const far = nextLengthMove(attempt(40), 30, 160, { resize: true });
    expect(far.kind).toBe('resize');
    // 75 words in 40 s is 112.5 words a minute.
    expect(far).toEqual({ kind: 'resize', pace: 113 });
  });

  it('only moves the rate of an approved script, to the edge of the natural range at most', () => {
    expect(nextLengthMove(attempt(40), 30, 160, { resize: false })).toEqual({
      kind: 'rate',
      wordsPerMinute: naturalRates(160).max,
    });
    expect(nextLengthMove(attempt(40, naturalRates(160).max), 30, 160, { resize: false })).toEqual({ kind: 'keep' });
  });
});

describe('fitNarrationLength', () => {
  it('re-sizes a script the voice says far too slowly, then fine-tunes the rate', async () => {
    const resized: number[] = [];
    const fit = await fitNarrationLength(
      scriptOf(15),
      {
        record: voice(0.7),
        resize: (pace) => {
          resized.push(pace);
          // The writer sizes 28.1 s of narration at the pace.
          return Promise.resolve(scriptOf(Math.round((28.1 * pace) / 60 / 5)));
        },
      },
      { targetSeconds: 30, requestedRate: 160, resize: true },
    );
    expect(resized.length).toBeGreaterThanOrEqual(1);
    expect(Math.abs(lengthError(fit.best.videoSeconds, 30))).toBeLessThanOrEqual(FIT_TOLERANCE);
    expect(fit.moves[0]).toMatch(/^resized at \d+ wpm$/);
  });

  it('records once when the first recording fits', async () => {
    const fit = await fitNarrationLength(
      scriptOf(15),
      { record: voice(1, 0), resize: () => Promise.reject(new Error('not needed')) },
      { targetSeconds: 30, requestedRate: 160, resize: true },
    );
    expect(fit.attempts).toHaveLength(1);
    expect(fit.moves).toEqual([]);
  });

  it('never re-sizes an approved script, and takes the best attempt', async () => {
    const fit = await fitNarrationLength(
      scriptOf(25),
      { record: voice(1), resize: () => Promise.reject(new Error('an approved script is not re-sized')) },
      { targetSeconds: 30, requestedRate: 160, resize: false, maxRecordings: 3 },
    );
    expect(fit.best.wordsPerMinute).toBe(naturalRates(160).max);
    expect(fit.attempts.length).toBeLessThanOrEqual(3);
  });
});
