/**
 * What the embedded script writer says: the brief and brand tidied into facts, and each scene's sentences built from
 * them. Templates only state what the brief and the brand facts support: no invented numbers, customers or quotes.
 */
import { SCRIPT_LIMITS } from '../../lib/video/script-rules';
import { capFirst, clean, clipAtWord, endSentence, list, lowerFirst, phrase, stableHash } from '../../lib/prose';
import { ADVICE, type Advice } from './phrasebooks/advice.data';
import type { ScriptRequest } from './script-writer.port';

/** Keyword points beyond this would repeat the templates' phrasing. */
const MAX_KEYWORD_POINTS = 4;
/** On a vertical frame a headline longer than this wraps onto a third line. */
const VERTICAL_HEADLINE = 40;

/** The brief and brand, tidied into what the templates need. */
export interface Facts {
  name: string;
  /** As typed in the brief. */
  topic: string;
  audience: string;
  callToAction: string;
  keywords: string[];
  mission?: string;
  slogan?: string;
  category?: string;
  /** '.' for a professional or expert tone, which reads better without exclamation marks. */
  bang: '!' | '.';
  variant: number;
  targetSeconds: number;
  headlineMax: number;
  vertical: boolean;
}

/** A scene's text before it has a place in the script. */
export interface Point {
  /** Variants of the scene's first sentence(s), longest first. */
  cores: string[];
  /** Further sentences, added in order while the video is short. */
  extras: string[];
  headline: string;
  visual: string;
}

function bangFor(tone: string): '!' | '.' {
  return /professional|formal|corporate|authoritative|expert|serious|technical|b2b|calm|sober/i.test(tone) ? '.' : '!';
}

/** A headline keeps a question or exclamation mark as typed, but not a closing full stop. */
const headline = (f: Facts, text: string): string => clipAtWord(text.replace(/[\s.;:,]+$/u, ''), f.headlineMax);

export function factsOf(req: ScriptRequest): Facts {
  const { brand, brief } = req;
  const named = brand.keywords.map((k) => clean(k)).filter((k): k is string => Boolean(k));
  const keywords = named.filter((k, i) => named.findIndex((n) => n.toLowerCase() === k.toLowerCase()) === i);
  const vertical = req.format === 'vertical';
  return {
    name: clean(brand.name) ?? 'our team',
    topic: clean(brief.topic) ?? brand.name,
    audience: phrase(clean(brief.audience) ?? 'our customers'),
    callToAction: clean(brief.callToAction) ?? `Follow ${brand.name} for more`,
    keywords: keywords.slice(0, MAX_KEYWORD_POINTS),
    mission: clean(brand.mission),
    slogan: clean(brand.slogan),
    category: clean(brand.category),
    bang: bangFor(brief.tone ?? ''),
    variant: stableHash(`${brand.id}|${brief.topic}`),
    targetSeconds: req.targetSeconds,
    headlineMax: vertical ? VERTICAL_HEADLINE : SCRIPT_LIMITS.onScreenTextMax,
    vertical,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Scenes. Each has core variants from richest to plainest (the plainest at least four words) and extras that lengthen
// it.

function frame(f: Facts): string {
  return f.vertical ? 'vertical 9:16 frame' : 'horizontal 16:9 frame';
}

/** Where footage comes from: the brand's field as a label, since categories are not all nouns that read in a sentence. */
function world(f: Facts): string {
  return f.category ? `the brand's world (${f.category})` : "the brand's world";
}

export function hookScene(f: Facts): Point {
  const topic = endSentence(f.topic);
  const when = f.targetSeconds <= 60 ? `in the next ${f.targetSeconds} seconds` : 'in the next few minutes';
  const cores =
    f.variant % 2 === 0
      ? [
          `Today: ${topic} ${capFirst(when)}, ${f.name} shows you what really matters${f.bang}`,
          `Today: ${topic} Here is what really matters.`,
          `Today: ${topic}`,
          `Here is a quick word from ${f.name}, made for ${f.audience}${f.bang}`,
          `A quick word from ${f.name} today${f.bang}`,
        ]
      : [
          `${f.name} here, with something for ${f.audience}: ${topic} Let's get into it${f.bang}`,
          `${f.name} here, with something for you: ${topic}`,
          `Here is ${f.name} on this: ${topic}`,
          `Here is a quick word from ${f.name}, made for ${f.audience}${f.bang}`,
          `A quick word from ${f.name} today${f.bang}`,
        ];
  const title = headline(f, f.topic);
  return {
    cores,
    extras: ['It is simpler than you think.', `Stay with us until the end${f.bang}`],
    headline: title,
    visual:
      `Opening title card in the brand's colours: "${title}" set large ` +
      `${f.vertical ? 'in the upper third of the vertical 9:16 frame' : 'on the left of the horizontal 16:9 frame'}, ` +
      `over a striking close-up from ${world(f)}.`,
  };
}

export function problemScene(f: Facts): Point {
  return {
    cores: [
      `Here is the problem: there is a lot of noise out there, and ${f.audience} deserve clear, practical answers.`,
      `There is a lot of noise out there, and ${f.audience} deserve clear answers.`,
      `There is a lot of noise out there.`,
    ],
    extras: [
      'Most advice is vague, and it is hard to know where to start.',
      `So let's keep it simple and focus on what makes a real difference.`,
      'Sound familiar?',
    ],
    headline: f.variant % 2 === 0 ? 'Why it matters' : 'The challenge',
    visual: f.vertical
      ? 'Stacked contrast in the vertical frame: a cluttered jumble of mixed messages on top, a calm, focused shot below.'
      : 'Split-screen contrast in the horizontal frame: a cluttered jumble of mixed messages left, a calm, focused shot right.',
  };
}

function keywordPoint(f: Facts, keyword: string, j: number): Point {
  const k = keyword;
  const templates: [string[], string[]][] = [
    [
      [
        `Start with ${k}. It is where good results begin, and it is at the heart of what we do at ${f.name}.`,
        `Start with ${k}: it is where good results begin.`,
        `First things first: ${k}.`,
      ],
      [
        `For ${f.audience}, that means less guesswork and more confidence.`,
        'Everything else builds on it.',
        'Get this right, and you will feel the difference straight away.',
      ],
    ],
    [
      [
        `Next, ${k}. Small, consistent choices here make the biggest difference over time.`,
        `Next, ${k}: small choices, big difference.`,
        `Next, think about ${k}.`,
      ],
      [
        'You do not need a big overhaul to see the change.',
        'Pick one thing and make it a habit.',
        'Little by little, it adds up.',
      ],
    ],
    [
      [
        `Then there is ${k}. Get it right, and everything else gets easier.`,
        `Then, ${k}: get it right and the rest gets easier.`,
        `Then, take care of ${k}.`,
      ],
      [
        'It is the step most people skip, and the one that shows.',
        'Take a moment for it, every time.',
        'It is worth the extra care.',
      ],
    ],
    [
      [
        `Don't overlook ${k}. It is often the detail that sets the result apart.`,
        `Don't overlook ${k}: it sets the result apart.`,
        `Don't overlook ${k}.`,
      ],
      [
        'People notice it, even when they cannot name it.',
        'Give it the attention it deserves.',
        'That is where good becomes great.',
      ],
    ],
  ];
  // "Start with" opens the points; the others take turns after it.
  const [cores, extras] = templates[j === 0 ? 0 : 1 + ((j - 1) % (templates.length - 1))];
  const title = headline(f, capFirst(k));
  return {
    cores,
    extras,
    headline: title,
    visual: `Close-up that shows ${k} in real use, natural light, "${title}" as a bold caption in the ${frame(f)}.`,
  };
}

function missionPoint(f: Facts, mission: string): Point {
  const m = lowerFirst(endSentence(mission));
  return {
    cores: [`At ${f.name}, it all goes back to our mission: ${m}`, `It all goes back to our mission: ${m}`],
    extras: ['It guides every choice we make.', 'And it is why we made this video.'],
    headline: 'Our mission',
    visual: `The ${f.name} team at work in warm natural light, with the mission as a quiet caption in the ${frame(f)}.`,
  };
}

function audiencePoint(f: Facts): Point {
  return {
    cores: [
      `Everything here is made for ${f.audience}: practical, clear and easy to act on.`,
      `It is made for ${f.audience}: practical and easy to act on.`,
      `It is made for ${f.audience}.`,
    ],
    extras: ['Use what fits you, and skip what does not.', 'No jargon, no fuss.'],
    headline: headline(f, `Made for ${f.audience}`),
    visual: `People from the audience (${clipAtWord(f.audience, 80)}) putting the idea into practice, filmed handheld for the ${frame(f)}.`,
  };
}

function detailPoint(f: Facts): Point {
  return {
    cores: [
      `The details decide everything, and that is where ${f.name} puts its care.`,
      'In the end, the details decide everything.',
    ],
    extras: ['The small things are the ones people remember.', 'That care shows in the result.'],
    headline: 'Details decide',
    visual: `Macro shots of small details from ${world(f)}, one after another, in the ${frame(f)}.`,
  };
}

function advicePoint(f: Facts, advice: Advice): Point {
  return {
    cores: advice.cores,
    extras: advice.extras,
    headline: advice.title,
    visual: `Clean motion-graphics card: "${advice.title}" in the brand's accent colour over soft-focus footage from ${world(f)}, in the ${frame(f)}.`,
  };
}

export function proofScene(f: Facts): Point {
  const about = f.keywords.length
    ? `${list(f.keywords.slice(0, 3))}, done properly`
    : 'doing the simple things properly';
  const cores = f.slogan
    ? [`That is what ${f.name} is about. ${endSentence(f.slogan)}`, `${f.name}: ${endSentence(f.slogan)}`]
    : [`That is what ${f.name} is about: ${about}.`, `That is what ${f.name} stands for.`];
  return {
    cores,
    extras: ['No shortcuts, just care in every detail.', `Because ${f.audience} deserve nothing less.`],
    headline: f.slogan ? headline(f, f.slogan) : headline(f, `Why ${f.name}`),
    visual: `Brand moment: the ${f.name} logo${f.slogan ? ' and slogan' : ''} on the brand's primary colour, with a slow push-in, in the ${frame(f)}.`,
  };
}

export function ctaScene(f: Facts): Point {
  const cta = endSentence(f.callToAction);
  const title = headline(f, f.callToAction);
  return {
    cores: [`${cta} Thanks for watching${f.bang}`, cta],
    extras: ['We would love to hear what you think.', `See you next time${f.bang}`],
    headline: title,
    visual: `End card: the ${f.name} logo centred on the brand's background colour, with "${title}" below it, in the ${frame(f)}.`,
  };
}

/** The points a script may use, best first: the brand's keywords, its mission, the audience, its care, advice. */
export function pointPool(f: Facts): Point[] {
  return [
    ...f.keywords.map((k, j) => keywordPoint(f, k, j)),
    ...(f.mission ? [missionPoint(f, f.mission)] : []),
    audiencePoint(f),
    detailPoint(f),
    ...ADVICE.map((a) => advicePoint(f, a)),
  ];
}
