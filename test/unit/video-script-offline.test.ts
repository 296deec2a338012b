/**
 * The embedded script writer (activities/script/offline-script-writer.ts): scripts sized to the target length at the
 * voice's rate, structured by the brief and the brand's facts, deterministic; metadata within every platform's limits.
 */
import {
  createOfflineScriptWriter,
  writeOfflineMetadata,
  writeOfflineScript,
} from '../../activities/script/offline-script-writer';
import { type ScriptRequest } from '../../activities/script/script-writer.port';
import {
  checkMetadata,
  checkScript,
  composeVideoText,
  countWords,
  sceneCountFor,
  xWeightedLength,
} from '../../lib/video/script-rules';
import { VIDEO_PLATFORMS, type VideoBrand, type VideoBrief } from '../../lib/video/types';

const BRAND: VideoBrand = {
  id: '6f1c2a1e-0b7e-4a35-9d5f-2f3f1f6d8c11',
  name: 'Bluebird Roasters',
  slug: 'bluebird-roasters',
  slogan: 'Roasted with care, shared with joy',
  mission: 'We help people brew better coffee at home.',
  category: 'Coffee roaster',
  keywords: ['specialty coffee', 'fresh roasting', 'brewing guides'],
  colors: { primary: '#1d3557', secondary: '#f1faee', accent: '#e63946' },
  fontFamily: 'Inter',
  logoDataUrl: null,
};

/** A brand with nothing but a name: the writer must still fill three minutes. */
const BARE: VideoBrand = { ...BRAND, id: 'bare', slogan: null, mission: null, category: null, keywords: [] };

const BRIEF: VideoBrief = {
  topic: 'How to brew better coffee at home',
  audience: 'home baristas',
  tone: 'friendly',
  language: 'en',
  callToAction: 'Visit our shop and pick your next bag',
};

const request = (over: Partial<ScriptRequest> = {}): ScriptRequest => ({
  brand: BRAND,
  brief: BRIEF,
  format: 'vertical',
  targetSeconds: 30,
  wordsPerMinute: 160,
  language: 'en',
  ...over,
});

const within = (planned: number, target: number, tolerance: number) =>
  expect(Math.abs(planned - target) / target).toBeLessThanOrEqual(tolerance);

describe('offline script', () => {
  it('writes a 30 s vertical script of about 75 words: hook, problem, point, proof, call to action', () => {
    const script = writeOfflineScript(request());

    // The video, narration and the pauses around its 5 scenes, lasts the target; the narration 1.95 s less.
    within(script.videoSeconds, 30, 0.07);
    within(script.plannedSeconds, 28.05, 0.07);
    expect(script.videoSeconds).toBe(Math.round((script.plannedSeconds + 1.95) * 10) / 10);
    expect(checkScript(script, { targetSeconds: 30, wordsPerMinute: 160 })).toEqual([]);
    expect(script.wordsPerMinute).toBe(160);
    expect(script.scenes).toHaveLength(sceneCountFor(30));
    expect(script.scenes.map((s) => s.index)).toEqual([0, 1, 2, 3, 4]);
    expect(script.plannedSeconds).toBeCloseTo(
      script.scenes.reduce((n, s) => n + s.plannedSeconds, 0),
      5,
    );

    const [hook, problem, point, proof, cta] = script.scenes;
    expect(script.title).toBe(BRIEF.topic);
    expect(hook.narration).toContain(BRIEF.topic);
    expect(hook.onScreenText).toBe(BRIEF.topic);
    expect(problem.narration).toContain('home baristas');
    expect(point.narration).toContain('specialty coffee');
    expect(point.onScreenText).toBe('Specialty coffee');
    expect(proof.narration).toContain('Roasted with care, shared with joy.');
    expect(cta.narration).toMatch(/^Visit our shop and pick your next bag\./);
    expect(cta.onScreenText).toBe(BRIEF.callToAction);
    for (const s of script.scenes) {
      expect(s.onScreenText.length).toBeLessThanOrEqual(40);
      expect(s.visual).toMatch(/vertical/);
      expect(s.plannedSeconds).toBeGreaterThanOrEqual(1.5);
    }
  });

  it('is deterministic: the same request always gives the same script', () => {
    expect(writeOfflineScript(request())).toEqual(writeOfflineScript(request()));
    expect(writeOfflineScript(request({ targetSeconds: 180 }))).toEqual(
      writeOfflineScript(request({ targetSeconds: 180 })),
    );
  });

  it('fits the shortest video: 15 s in three scenes', () => {
    const script = writeOfflineScript(request({ targetSeconds: 15 }));
    expect(script.scenes).toHaveLength(3);
    within(script.plannedSeconds, 15, 0.15);
    expect(checkScript(script, { targetSeconds: 15 })).toEqual([]);
    expect(script.scenes[2].narration).toContain(BRIEF.callToAction);
  });

  it('fills the longest video: 180 s in about 18 scenes, each under 600 characters', () => {
    const script = writeOfflineScript(request({ targetSeconds: 180, format: 'horizontal' }));
    expect(script.scenes.length).toBeGreaterThanOrEqual(15);
    expect(script.scenes.length).toBeLessThanOrEqual(22);
    within(script.plannedSeconds, 180, 0.07);
    expect(checkScript(script, { targetSeconds: 180 })).toEqual([]);
    expect(script.scenes.every((s) => s.visual.includes('horizontal'))).toBe(true);
    // Points come from the brand before general advice; no scene says the same thing twice.
    const narration = script.scenes.map((s) => s.narration).join(' ');
    for (const k of BRAND.keywords) expect(narration).toContain(k);
    expect(narration).toContain(BRAND.mission!.replace(/^We/, 'we'));
    expect(new Set(script.scenes.map((s) => s.narration)).size).toBe(script.scenes.length);
  });

  it.each([80, 130, 160, 200, 260])('sizes every length at %i words per minute, with or without brand facts', (wpm) => {
    for (const brand of [BRAND, BARE]) {
      for (const targetSeconds of [15, 20, 30, 45, 60, 90, 120, 150, 180]) {
        for (const format of ['vertical', 'horizontal'] as const) {
          const script = writeOfflineScript(request({ brand, targetSeconds, wordsPerMinute: wpm, format }));
          expect({
            targetSeconds,
            wpm,
            violations: checkScript(script, { targetSeconds, wordsPerMinute: wpm }),
          }).toEqual({
            targetSeconds,
            wpm,
            violations: [],
          });
        }
      }
    }
  });

  it('adds scenes for a faster voice, whose words run out sooner', () => {
    const slow = writeOfflineScript(request({ targetSeconds: 90, wordsPerMinute: 130 }));
    const fast = writeOfflineScript(request({ targetSeconds: 90, wordsPerMinute: 260 }));
    const words = (s: typeof slow) => s.scenes.reduce((n, x) => n + countWords(x.narration), 0);
    expect(words(fast)).toBeGreaterThan(words(slow) * 1.6);
    expect(fast.scenes.length).toBeGreaterThan(slow.scenes.length);
  });

  it('keeps the brief’s words as typed in another language, and wide headlines on a horizontal frame', () => {
    const brief: VideoBrief = {
      topic: 'Come preparare un caffè migliore a casa, passo dopo passo',
      audience: 'appassionati di caffè',
      tone: 'professionale',
      language: 'it',
      callToAction: 'Visita il nostro negozio online',
    };
    const script = writeOfflineScript(request({ brief, language: 'it', format: 'horizontal' }));
    expect(script.title).toBe(brief.topic);
    expect(script.scenes[0].narration).toContain(brief.topic);
    expect(script.scenes[0].onScreenText).toBe(brief.topic);
    expect(script.scenes.at(-1)!.narration).toMatch(/^Visita il nostro negozio online\./);
    // A professional tone reads without exclamation marks.
    expect(script.scenes.map((s) => s.narration).join(' ')).not.toContain('!');
    expect(checkScript(script, { targetSeconds: 30 })).toEqual([]);
  });

  it('clips long headlines to the frame, shorter on a vertical one', () => {
    const brief = { ...BRIEF, topic: 'The complete beginner’s guide to pour-over coffee at home without fancy gear' };
    const vertical = writeOfflineScript(request({ brief }));
    const horizontal = writeOfflineScript(request({ brief, format: 'horizontal' }));
    expect(vertical.scenes[0].onScreenText).toBe('The complete beginner’s guide to…');
    expect(horizontal.scenes[0].onScreenText).toBe('The complete beginner’s guide to pour-over coffee at home…');
  });

  it('leaves a topic too long for a short video to the title and the frame, and stretches a one-word call to action', () => {
    const topic = 'Everything you always wanted to know about brewing coffee at home, '.repeat(4).trim();
    for (const wordsPerMinute of [80, 160, 260]) {
      const brief = { ...BRIEF, topic, callToAction: 'Subscribe' };
      const script = writeOfflineScript(request({ brief, targetSeconds: 15, wordsPerMinute }));
      expect(checkScript(script, { targetSeconds: 15, wordsPerMinute })).toEqual([]);
      // A fast voice has time for it; the others open with the brand instead.
      if (wordsPerMinute < 260) {
        expect(script.scenes[0].narration).not.toContain(topic);
        expect(script.scenes[0].narration).toContain('Bluebird Roasters');
      }
      expect(script.title.length).toBeLessThanOrEqual(100);
      expect(topic.startsWith(script.title.replace(/…$/, ''))).toBe(true);
      expect(script.scenes[0].onScreenText).toBe('Everything you always wanted to know…');
      expect(script.scenes.at(-1)!.narration).toMatch(/^Subscribe\. /);
    }
  });

  it('keeps a question as a question', () => {
    const brief = { ...BRIEF, topic: 'Why does fresh coffee taste better?' };
    const script = writeOfflineScript(request({ brief }));
    expect(script.title).toBe(brief.topic);
    expect(script.scenes[0].narration).toContain('Why does fresh coffee taste better? ');
    expect(script.scenes[0].onScreenText).toBe('Why does fresh coffee taste better?');
  });

  it('serves as a ScriptWriter at no cost', async () => {
    const writer = createOfflineScriptWriter();
    const written = await writer.writeScript(request());
    expect(written).toEqual({
      script: writeOfflineScript(request()),
      provider: 'offline',
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
    });
    await expect(writer.check()).resolves.toBeUndefined();
  });
});

describe('offline metadata', () => {
  const script = writeOfflineScript(request());
  const all = writeOfflineMetadata({ brand: BRAND, brief: BRIEF, script, platforms: [...VIDEO_PLATFORMS] });
  const of = (platform: string) => all.find((m) => m.platform === platform)!;

  it('writes one item per platform, in order, each within its limits', () => {
    expect(all.map((m) => m.platform)).toEqual([...VIDEO_PLATFORMS]);
    for (const meta of all) {
      expect(checkMetadata(meta)).toEqual([]);
      expect(meta.title).toBe('How to brew better coffee at home | Bluebird Roasters');
      expect(meta.hashtags[0]).toBe('BluebirdRoasters');
    }
    expect(of('instagram').hashtags).toEqual([
      'BluebirdRoasters',
      'SpecialtyCoffee',
      'FreshRoasting',
      'BrewingGuides',
      'CoffeeRoaster',
      'HowToBrewBetterCoffeeAtHome',
    ]);
    expect(of('youtube').hashtags).toHaveLength(3);
    expect(of('x').hashtags).toHaveLength(2);
  });

  it('suits each platform: the scene list on YouTube, a short post on X', () => {
    expect(of('youtube').description).toContain('In this video:\n• The challenge\n• Specialty coffee');
    expect(of('youtube').description).toContain('We help people brew better coffee at home.');
    expect(composeVideoText(of('x'))).toBe(
      'How to brew better coffee at home. Visit our shop and pick your next bag.\n\n#BluebirdRoasters #SpecialtyCoffee',
    );
    expect(of('tiktok').description).toBe(`${script.scenes[0].narration}\n\n${BRIEF.callToAction}.`);
  });

  it('stays within X’s 280 with the hashtags, and YouTube’s rules, for a long brief', () => {
    const brief: VideoBrief = {
      ...BRIEF,
      topic: `${'Everything you ever wanted to know about brewing coffee '.repeat(5)}<in one place>`,
      callToAction: 'Visit our shop, pick your next bag, and tell us how you brewed it in the comments below',
    };
    const brand = { ...BRAND, name: 'Bluebird <Roasters>', keywords: ['☕ coffee', '咖啡', 'specialty coffee'] };
    const long = writeOfflineScript(request({ brief, brand }));
    const items = writeOfflineMetadata({ brand, brief, script: long, platforms: [...VIDEO_PLATFORMS] });
    for (const meta of items) expect(checkMetadata(meta)).toEqual([]);
    const x = items.find((m) => m.platform === 'x')!;
    expect(xWeightedLength(composeVideoText(x))).toBeLessThanOrEqual(280);
    expect(x.description).toMatch(/…$/);
    const youtube = items.find((m) => m.platform === 'youtube')!;
    expect(`${youtube.title}${youtube.description}`).not.toMatch(/[<>]/);
    expect(youtube.title.length).toBeLessThanOrEqual(100);
  });

  it('is deterministic and writes only the requested platforms', async () => {
    const req = { brand: BRAND, brief: BRIEF, script, platforms: ['linkedin', 'local'] as const };
    const written = await createOfflineScriptWriter().writeMetadata({ ...req, platforms: [...req.platforms] });
    expect(written.items.map((m) => m.platform)).toEqual(['linkedin', 'local']);
    expect(written.items).toEqual(writeOfflineMetadata({ ...req, platforms: ['linkedin', 'local'] }));
    expect(written).toMatchObject({ provider: 'offline', inputTokens: 0, outputTokens: 0, costUsd: 0 });
  });
});
