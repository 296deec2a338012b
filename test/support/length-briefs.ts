/**
 * "Length is a promise" (issue 14): fifty varied briefs — numbers, dates, money and units, long compound words, short
 * topics, every offered language — and a runner that takes one through the script and voice activities the way the
 * video workflow does (write, record with the real voice, measure, correct: lib/video/length-fit.ts). Shared by the
 * CI property test (test/integration/video-length.test.ts, short targets) and the bench (all targets).
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createScriptActivities, createOfflineScriptWriter } from '../../activities/script';
import type { VoiceActivities } from '../../activities/media/voice/narration.activities';
import { fitNarrationLength, type LengthFit } from '../../lib/video/length-fit';
import { SPEECH_LANGUAGES } from '../../lib/video/speech-text';
import type { VideoBrand, VideoBrief } from '../../lib/video/types';

export interface LengthBrief {
  name: string;
  brand: VideoBrand;
  brief: VideoBrief;
}

/** Every language the product phrases in full, and Chinese for a script without spaces. */
export const LENGTH_LANGUAGES = [...SPEECH_LANGUAGES, 'zh'];

const TOPICS: Record<string, string[]> = {
  en: [
    'fixing a flat tyre in five minutes',
    'Save 25% on 3 x 250 ml bottles until 12/03/2026',
    'Tea',
    'Our 2nd shop opens at 9:00 on 2026-04-01, 1.5 km from the station',
    'Why the Donaudampfschifffahrtsgesellschaft inspired our internationalisation strategy',
    'Only $1,299.99 for 12 months of unlimited coaching, e.g. 3–5 sessions a week',
    'Bread',
    'How 1,000,000 litres of rainwater a year keep our 40 greenhouses at 21 °C',
  ],
  fr: [
    'Réparer un pneu crevé en 5 minutes',
    'Le 2e magasin ouvre le 01/04/2026 à 9:00',
    'Pain',
    '25 % de remise sur 3 x 250 ml',
  ],
  de: [
    'Reifenpanne in 5 Minuten beheben',
    'Kraftfahrzeughaftpflichtversicherung einfach erklärt',
    'Brot',
    'Nur 1.299,99 € für 12 Monate, z.B. 3–5 Termine pro Woche',
  ],
  es: ['Reparar un pinchazo en 5 minutos', 'Pan', 'Ahorra un 25 % en 3 x 250 ml hasta el 12/03/2026'],
  it: ['Riparare una gomma in 5 minuti', 'Pane', 'Il 2º negozio apre il 01/04/2026 alle 9:00'],
  pt: ['Consertar um pneu furado em 5 minutos', 'Pão', 'Poupe 25 % em 3 x 250 ml até 12/03/2026'],
  nl: ['Een lekke band plakken in 5 minuten', 'Brood', 'Arbeidsongeschiktheidsverzekering voor zzp’ers in 2026'],
  zh: ['五分钟修好漏气的轮胎', '茶', '2026年3月12日前购买3瓶250毫升可省25%'],
};

const BRANDS: Omit<VideoBrand, 'id' | 'slug'>[] = [
  {
    name: 'TyreTown',
    slogan: 'Back on the road',
    mission: null,
    category: 'bicycle repair',
    keywords: ['puncture repair kits', 'tyre levers'],
    colors: { primary: '#1d3557', secondary: '#f1faee' },
    fontFamily: null,
  },
  {
    name: 'Velocipedes Unlimited International',
    slogan: null,
    mission: 'Keep every commuter rolling, whatever the weather.',
    category: null,
    keywords: ['inner tubes', 'Schwalbe Marathon Plus 700x35c'],
    colors: { primary: '#6a994e', secondary: '#ffffff' },
    fontFamily: null,
  },
  {
    name: 'Acme',
    slogan: null,
    mission: null,
    category: 'home goods',
    keywords: [],
    colors: { primary: '#bc4749', secondary: '#ffffff' },
    fontFamily: null,
  },
];

const AUDIENCES = ['cyclists', 'busy parents', 'small business owners'];
const TONES = ['friendly', 'professional, expert', 'playful'];

/** Fifty briefs: the topics of every language in turn, each with a brand, an audience and a tone of its own. */
export function lengthBriefs(count = 50): LengthBrief[] {
  const pairs = Object.entries(TOPICS).flatMap(([language, topics]) => topics.map((topic) => ({ language, topic })));
  return Array.from({ length: count }, (_, i) => {
    const { language, topic } = pairs[i % pairs.length];
    const b = BRANDS[i % BRANDS.length];
    return {
      name: `${language}: ${topic}`,
      brand: { ...b, id: `brand-${i}`, slug: `brand-${i}` },
      brief: {
        topic,
        audience: AUDIENCES[i % AUDIENCES.length],
        tone: TONES[(i + 1) % TONES.length],
        language,
        callToAction: i % 4 === 0 ? 'Visit our shop at 12 Main Street before 6 pm' : 'Follow us for more',
      },
    };
  });
}

export interface LengthRun extends LengthFit {
  /** Recordings and re-sizings made. */
  recordings: number;
  resizes: number;
}

/**
 * One brief through the offline writer and the narration activity (real voice, real ffprobe, real storage), fitted
 * as the workflow fits it before approval.
 */
export async function fitBrief(
  brief: LengthBrief,
  targetSeconds: number,
  voice: VoiceActivities,
  keyPrefix: string,
  requestedRate = 160,
): Promise<LengthRun> {
  const script = createScriptActivities({ writer: createOfflineScriptWriter() });
  const inActivity = <T>(fn: () => Promise<T>): Promise<T> => new MockActivityEnvironment().run(fn) as Promise<T>;
  const write = (wordsPerMinute: number) =>
    inActivity(() =>
      script.writeVideoScript({
        brand: brief.brand,
        brief: brief.brief,
        format: 'vertical',
        targetSeconds,
        wordsPerMinute,
        language: brief.brief.language,
      }),
    );
  let recordings = 0;
  let resizes = 0;
  const first = await write(requestedRate);
  const fit = await fitNarrationLength(
    first.script,
    {
      record: async (s, wordsPerMinute) => {
        recordings++;
        const clips = await inActivity(() =>
          voice.synthesizeNarration({
            keyPrefix,
            scenes: s.scenes.map(({ index, narration }) => ({ index, narration })),
            voice: { wordsPerMinute },
            language: brief.brief.language,
          }),
        );
        return clips.reduce((n, c) => n + c.durationSeconds, 0);
      },
      resize: async (pace) => {
        resizes++;
        return (await write(pace)).script;
      },
    },
    { targetSeconds, requestedRate, resize: true, language: brief.brief.language },
  );
  return { ...fit, recordings, resizes };
}
