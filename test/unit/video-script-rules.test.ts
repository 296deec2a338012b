/**
 * The video script and metadata rules (lib/video/script-rules.ts): planned length at the speaking rate, the checks
 * a script must pass, the approver's edits, and each platform's limits for titles, descriptions and hashtags.
 */
import { ApplicationFailure } from '@temporalio/common';
import { PLATFORM_LIMITS } from '../../lib/social';
import {
  applySceneEdits,
  checkMetadata,
  checkScript,
  composeVideoText,
  countWords,
  lengthRange,
  measureVideoText,
  normalizeHashtag,
  planScript,
  plannedSeconds,
  sceneCountFor,
  narrationSecondsFor,
  narrationWords,
  targetWords,
  VIDEO_PLATFORM_LIMITS,
  wordsPerSecond,
  xWeightedLength,
  type SceneText,
} from '../../lib/video/script-rules';
import { pauseSeconds } from '../../lib/video/timing';
import { VIDEO_PLATFORMS, type PlatformMetadata, type VideoScript } from '../../lib/video/types';

const words = (n: number, word = 'coffee') => Array.from({ length: n }, () => word).join(' ');

/** Five scenes of 16 words: 80 words, 30 s at 160 words per minute. */
function script(overrides: Partial<SceneText>[] = []): VideoScript {
  const scenes = Array.from({ length: 5 }, (_, i) => ({
    narration: `${words(15)} ${i}.`,
    onScreenText: `Headline ${i}`,
    visual: `Close-up number ${i}`,
    ...overrides[i],
  }));
  return planScript({ title: 'Better coffee at home', scenes }, 160);
}

function failureOf(fn: () => unknown): ApplicationFailure {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  }
  throw new Error('expected a failure');
}

describe('planned length', () => {
  it('counts spoken words, not punctuation, and Chinese or Japanese characters at 1.5 to the word', () => {
    expect(countWords('Don’t stop — it’s 3.5 times the e-mail!')).toBe(7);
    expect(countWords('  ')).toBe(0);
    expect(countWords('如何冲泡')).toBeCloseTo(4 / 1.5);
  });

  it('plans seconds from the words at the rate, 160 words per minute by default', () => {
    expect(wordsPerSecond()).toBeCloseTo(160 / 60);
    expect(plannedSeconds(words(80))).toBe(30);
    expect(plannedSeconds(words(80), 120)).toBe(40);
    expect(plannedSeconds(words(7), 160)).toBe(2.6);
    expect(targetWords(30, 160)).toBe(80);
    expect(targetWords(180, 260)).toBe(780);
  });

  it('leaves room in the narration for the pauses the render puts around the scenes', () => {
    // 0.2 s lead-in, 0.25 s tail, 0.3 s after each scene.
    expect(pauseSeconds(5)).toBe(1.95);
    expect(pauseSeconds(13)).toBe(4.35);
    expect(pauseSeconds(0)).toBe(0);
    // 30 s has 5 scenes: 28.05 s of narration (to a tenth), 75 words at 160 per minute; 120 s has 13.
    expect(narrationSecondsFor(30)).toBe(28.1);
    expect(narrationWords(30, 160)).toBe(75);
    expect(narrationSecondsFor(120)).toBe(115.7);
    expect(narrationWords(120, 160)).toBe(309);
    expect(narrationWords(15, 80)).toBe(18);
  });

  it('gives a scene every 5 s in a short video and every 10 s in a long one', () => {
    expect([15, 30, 60, 90, 120, 180].map(sceneCountFor)).toEqual([3, 5, 7, 10, 13, 18]);
    expect(sceneCountFor(1)).toBe(3);
    expect(sceneCountFor(1000)).toBe(30);
  });

  it('allows the target ±15 %, or any video length without a target', () => {
    expect(lengthRange(30)).toEqual({ min: 25.5, max: 34.5 });
    expect(lengthRange()).toEqual({ min: 12.8, max: 207 });
  });

  it('plans a script: tidied text, scenes numbered in order, lengths from the words', () => {
    const planned = planScript(
      {
        title: '  Better\ncoffee ',
        scenes: [
          { narration: ` ${words(8)}\n `, onScreenText: ' One ', visual: 'A cup' },
          { narration: words(16), onScreenText: 'Two', visual: 'A pot' },
        ],
      },
      160,
    );
    expect(planned).toEqual({
      title: 'Better coffee',
      scenes: [
        { index: 0, narration: words(8), onScreenText: 'One', visual: 'A cup', plannedSeconds: 3 },
        { index: 1, narration: words(16), onScreenText: 'Two', visual: 'A pot', plannedSeconds: 6 },
      ],
      plannedSeconds: 9,
      // The narration, then 0.2 s before it, 0.3 s after each scene and 0.25 s at the end.
      videoSeconds: 10.1,
      wordsPerMinute: 160,
    });
  });
});

describe('checkScript', () => {
  it('passes a script within the rules and the target', () => {
    const s = script();
    expect(s.plannedSeconds).toBe(30);
    expect(checkScript(s, { targetSeconds: 30, wordsPerMinute: 160 })).toEqual([]);
    expect(checkScript(s, { targetSeconds: 34 })).toEqual([]);
  });

  it('holds the planned video (narration and pauses) to the target ±15 %, saying how many words fit', () => {
    const [violation] = checkScript(script(), { targetSeconds: 45 });
    expect(violation).toEqual({
      field: 'scenes',
      message:
        'the narration plans 30 s (80 words at 160 words per minute), a 32 s video with the pauses between scenes; the target is 45 s ± 15 % (38.3–51.8 s): about 114 words in all',
    });
    // 34.5 s is the most a 30 s target allows with 1.95 s of pauses: 32.4 s of narration passes, 32.8 s does not
    // (17 words plan 6.4 s, 18 words 6.8 s).
    const withWords = (counts: number[]) => ({
      ...script(),
      scenes: script().scenes.map((x, i) => ({ ...x, narration: words(counts[i]) })),
    });
    expect(checkScript(withWords([17, 17, 17, 17, 18]), { targetSeconds: 30 })).toEqual([]);
    expect(checkScript(withWords([17, 17, 17, 18, 18]), { targetSeconds: 30 })).toEqual([
      expect.objectContaining({ field: 'scenes', message: expect.stringContaining('a 34.8 s video') }),
    ]);
    // The same words at a slower voice take longer.
    expect(checkScript(script(), { targetSeconds: 45, wordsPerMinute: 110 })).toEqual([]);
  });

  it('recomputes the lengths from the narration instead of trusting the numbers', () => {
    const s = script();
    const lying: VideoScript = {
      ...s,
      plannedSeconds: 60,
      scenes: s.scenes.map((x) => ({ ...x, plannedSeconds: 12 })),
    };
    expect(checkScript(lying, { targetSeconds: 60 })[0]).toMatchObject({ field: 'scenes' });
    expect(checkScript(lying, { targetSeconds: 30 })).toEqual([]);
  });

  it('names each scene field that breaks a rule', () => {
    const s = script([
      { narration: '' },
      { onScreenText: 'x'.repeat(61) },
      { visual: ' ' },
      { narration: `${words(130, 'long')}.` },
      { narration: 'Too short.' },
    ]);
    expect(checkScript(s).map((v) => v.field)).toEqual([
      'scenes.0.narration',
      'scenes.1.onScreenText',
      'scenes.2.visual',
      'scenes.3.narration',
      'scenes.4.narration',
    ]);
    expect(checkScript(s)[1].message).toBe('is 61 characters; at most 60');
    expect(checkScript(s)[3].message).toBe('is 650 characters; at most 600');
    expect(checkScript(s)[4].message).toMatch(/lasts 0.8 s at 160 words per minute; a scene needs at least 1.5 s/);
  });

  it('needs 2 to 30 scenes, numbered in play order, and a title', () => {
    const one = planScript({ title: '', scenes: [{ narration: words(80), onScreenText: 'A', visual: 'B' }] });
    expect(checkScript(one).map((v) => `${v.field}: ${v.message}`)).toEqual([
      'title: must not be empty',
      'scenes: has 1 scenes; a script needs 2 to 30',
    ]);
    const s = script();
    const shuffled = { ...s, scenes: [s.scenes[1], s.scenes[0], ...s.scenes.slice(2)] };
    expect(checkScript(shuffled).map((v) => v.field)).toEqual(['scenes.0.index', 'scenes.1.index']);
    expect(checkScript({ ...s, title: 't'.repeat(101) })[0]).toEqual({
      field: 'title',
      message: 'is 101 characters; at most 100',
    });
  });
});

describe('applySceneEdits', () => {
  const base = script();

  it('replaces one field of a scene by its path and re-plans the script', () => {
    const edited = applySceneEdits(base, { 'scenes.2.narration': `${words(23)} now.` }, { wordsPerMinute: 160 });
    expect(edited.scenes[2]).toMatchObject({ index: 2, narration: `${words(23)} now.`, plannedSeconds: 9 });
    expect(edited.plannedSeconds).toBe(33);
    expect(edited.scenes[1]).toEqual(base.scenes[1]);
    // The original is untouched: the gate keeps it until the edit is accepted.
    expect(base.scenes[2].plannedSeconds).toBe(6);
  });

  it('takes edits by scene index as objects, and a new title', () => {
    const edited = applySceneEdits(base, {
      title: 'Brew like a pro',
      scenes: { 0: { onScreenText: 'Brew like a pro', index: 0, plannedSeconds: 6 } },
      'scenes.4': { visual: 'End card with the logo' },
    });
    expect(edited.title).toBe('Brew like a pro');
    expect(edited.scenes[0].onScreenText).toBe('Brew like a pro');
    expect(edited.scenes[4].visual).toBe('End card with the logo');
  });

  it('takes a whole list of scenes to add, remove or reorder them', () => {
    const scenes = [...base.scenes].reverse().map(({ narration, onScreenText, visual }) => ({
      narration,
      onScreenText,
      visual,
    }));
    scenes.push({ narration: `${words(7)} more.`, onScreenText: 'One more', visual: 'The shop front' });
    // Six scenes of 33 s with their pauses make a 35.3 s video: within a 35 s target.
    const edited = applySceneEdits(base, { scenes }, { targetSeconds: 35 });
    expect(edited.scenes.map((s) => [s.index, s.onScreenText])).toEqual([
      [0, 'Headline 4'],
      [1, 'Headline 3'],
      [2, 'Headline 2'],
      [3, 'Headline 1'],
      [4, 'Headline 0'],
      [5, 'One more'],
    ]);
    expect(edited.plannedSeconds).toBe(33);
  });

  it('refuses malformed edits as InvalidEdit naming the field', () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ 'scenes.2.narration': 42 }, 'scenes.2.narration', 'must be text'],
      [{ 'scenes.9.visual': 'A cup' }, 'scenes.9', 'is not a scene; the script has 5 (scenes.0 to scenes.4)'],
      [{ 'scenes.1.plannedSeconds': 3 }, 'scenes.1.plannedSeconds', 'is not an editable field'],
      [{ scenes: { 1: { music: 'jazz' } } }, 'scenes.1.music', 'is not an editable field'],
      [{ scenes: [{ narration: 'x', onScreenText: 'y' }] }, 'scenes.0.visual', 'is missing'],
      [{ scenes: 'all new' }, 'scenes', 'must be a list of scenes or an object of scene edits by index'],
      [{ music: 'jazz' }, 'music', 'is not an editable field'],
      [{ title: null }, 'title', 'must be text'],
    ];
    for (const [edits, field, message] of cases) {
      const failure = failureOf(() => applySceneEdits(base, edits));
      expect([failure.type, failure.nonRetryable, failure.details]).toEqual([
        'InvalidEdit',
        true,
        [{ field, message }],
      ]);
    }
  });

  it('refuses an edit that leaves the script outside the rules, with every violation', () => {
    const failure = failureOf(() =>
      applySceneEdits(base, { 'scenes.1.onScreenText': 'x'.repeat(61), 'scenes.3.narration': '' }),
    );
    expect(failure.type).toBe('InvalidEdit');
    expect(failure.message).toBe(
      'scenes.1.onScreenText: is 61 characters; at most 60; scenes.3.narration: must not be empty',
    );
    expect(failure.details).toEqual([
      { field: 'scenes.1.onScreenText', message: 'is 61 characters; at most 60' },
      { field: 'scenes.3.narration', message: 'must not be empty' },
    ]);
  });

  it('holds the length to the target only when given one', () => {
    const longer = { 'scenes.0.narration': `${words(40)}.` };
    expect(applySceneEdits(base, longer).plannedSeconds).toBe(39);
    const failure = failureOf(() => applySceneEdits(base, longer, { targetSeconds: 30 }));
    expect(failure.details).toEqual([
      { field: 'scenes', message: expect.stringMatching(/plans 39 s .*target is 30 s/) },
    ]);
  });
});

describe('platform metadata', () => {
  const meta = (over: Partial<PlatformMetadata> = {}): PlatformMetadata => ({
    platform: 'x',
    title: 'Better coffee at home',
    description: 'Three habits for better coffee at home. Visit our shop.',
    hashtags: ['Coffee', 'HomeBarista'],
    ...over,
  });

  it('has each platform’s limits, the social ones shared with posts', () => {
    expect(VIDEO_PLATFORM_LIMITS.youtube).toMatchObject({
      titleMax: 100,
      textMax: 5000,
      textUnit: 'bytes',
      tagsTotalMax: 500,
    });
    expect(VIDEO_PLATFORM_LIMITS.instagram).toMatchObject({ textMax: 2200, hashtagsMax: 30 });
    expect(VIDEO_PLATFORM_LIMITS.linkedin.textMax).toBe(3000);
    expect(VIDEO_PLATFORM_LIMITS.x).toMatchObject({ textMax: 280, textUnit: 'x-weighted', hashtagsInText: true });
    expect(VIDEO_PLATFORM_LIMITS.tiktok.textMax).toBe(2200);
    for (const p of ['facebook', 'instagram', 'linkedin', 'x', 'tiktok'] as const) {
      expect(VIDEO_PLATFORM_LIMITS[p].textMax).toBe(PLATFORM_LIMITS[p].captionMax);
      expect(VIDEO_PLATFORM_LIMITS[p].hashtagsMax).toBe(PLATFORM_LIMITS[p].hashtagsMax);
    }
    expect(Object.keys(VIDEO_PLATFORM_LIMITS).sort()).toEqual([...VIDEO_PLATFORMS].sort());
  });

  it('composes the posted text: description, then the hashtags', () => {
    expect(composeVideoText(meta({ hashtags: ['#Coffee', ' Home Barista '] }))).toBe(
      'Three habits for better coffee at home. Visit our shop.\n\n#Coffee #HomeBarista',
    );
    expect(normalizeHashtag('## Cold Brew')).toBe('ColdBrew');
  });

  it('counts X posts the way X does: links 23, emoji and CJK 2', () => {
    expect(xWeightedLength('abc')).toBe(3);
    expect(xWeightedLength(`See https://example.com/${'a'.repeat(100)} now`)).toBe(4 + 23 + 4);
    expect(xWeightedLength('☕👍🏽')).toBe(4);
    expect(xWeightedLength('咖啡')).toBe(4);
    expect(measureVideoText('youtube', 'é☕')).toBe(5);
    expect(measureVideoText('instagram', 'é☕')).toBe(2);
  });

  it('passes metadata within the limits on every platform', () => {
    for (const platform of VIDEO_PLATFORMS) expect(checkMetadata(meta({ platform }))).toEqual([]);
  });

  it('holds X to 280 with the hashtags, and links at 23', () => {
    const description = `${'a'.repeat(262)}`;
    // 262 + 2 (blank line) + "#Coffee #HomeBarista" (20) = 284
    expect(checkMetadata(meta({ description }))).toEqual([
      {
        platform: 'x',
        field: 'description',
        message: 'is 284 characters as X counts them with the hashtags; x allows 280',
      },
    ]);
    expect(checkMetadata(meta({ description: 'a'.repeat(258) }))).toEqual([]);
    const linked = `${'a'.repeat(200)} https://example.com/${'b'.repeat(200)}`;
    expect(checkMetadata(meta({ description: linked }))).toEqual([]);
    expect(checkMetadata(meta({ hashtags: ['A', 'B', 'C', 'D', 'E', 'F'] }))[0].message).toBe(
      'are 6; x allows at most 5',
    );
  });

  it('holds YouTube to its title, bytes, tags, hashtag count and characters', () => {
    const yt = (over: Partial<PlatformMetadata>) => checkMetadata(meta({ platform: 'youtube', ...over }));
    expect(yt({ title: 't'.repeat(101) })).toEqual([
      { platform: 'youtube', field: 'title', message: 'is 101 characters; at most 100' },
    ]);
    expect(yt({ description: 'é'.repeat(2495) })[0].message).toMatch(
      /^is 5012 bytes with the hashtags; youtube allows 5000/,
    );
    expect(yt({ hashtags: Array.from({ length: 16 }, (_, i) => `Tag${'x'.repeat(i)}`) })[0].message).toBe(
      'are 16; youtube allows at most 15',
    );
    const tags = Array.from({ length: 10 }, (_, i) => `${String.fromCharCode(65 + i)}${'x'.repeat(49)}`);
    expect(yt({ hashtags: tags })).toEqual([
      { platform: 'youtube', field: 'hashtags', message: 'total 509 characters as youtube tags; at most 500' },
    ]);
    expect(yt({ title: 'Coffee <3' }).map((v) => v.message)).toEqual(['must not contain "<" on youtube']);
  });

  it('refuses empty titles and descriptions, bad and repeated hashtags', () => {
    expect(
      checkMetadata(
        meta({ platform: 'instagram', title: ' ', description: '', hashtags: ['Coffee', 'co-ffee', '2024', 'coffee'] }),
      ).map((v) => `${v.field}: ${v.message}`),
    ).toEqual([
      'title: must not be empty',
      'description: must not be empty',
      'hashtags: "co-ffee" is not a hashtag: letters, digits and "_" with at least one letter',
      'hashtags: "coffee" is listed twice',
    ]);
    expect(checkMetadata(meta({ title: 'Two\nlines' }))[0].message).toBe('must be a single line');
  });
});
