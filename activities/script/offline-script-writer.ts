/**
 * The embedded script writer: no account, no key, no network. It writes a video script from the brief and the brand's
 * own facts, in the shape short brand videos use:
 *
 *   hook → problem → 2–N points (brand keywords, mission, audience, care for detail, then general advice) → proof → call
 *   to action
 *
 * and sizes it to the target length at the voice's rate (`narrationWords`: the target less the pauses between scenes): it starts from one scene per 5–10 s
 * (`sceneCountFor`), then lengthens scenes with further sentences or adds points while the narration is short, and
 * shortens sentences or removes points while it is long, until the planned total is within a few percent of the
 * target. On-screen texts are short headlines (shorter on a vertical frame); visuals describe each frame.
 *
 * Deterministic by design: the same request always yields the same script (phrasing variants are picked by a hash of
 * the brand and topic, never by randomness or the clock), so retries and replays agree and tests can pin it.
 *
 * Language: English phrasing; the brief's topic, audience and call to action are used as typed, so a brief written in
 * another language keeps its words. Translating the whole script is the model's job.
 *
 * Templates only state what the brief and the brand facts support: no invented numbers, customers or quotes.
 */
import {
  checkMetadata,
  composeVideoText,
  countWords,
  lengthRange,
  measureVideoText,
  planScript,
  SCRIPT_LIMITS,
  sceneCountFor,
  narrationWords,
  VIDEO_PLATFORM_LIMITS,
  wordsPerSecond,
  type SceneText,
} from '../../lib/video/script-rules';
import { pauseSeconds } from '../../lib/video/timing';
import type { PlatformMetadata, VideoPlatform, VideoScript } from '../../lib/video/types';
import { clipAtWord, toHashtag } from '../text/offline-writer';
import type {
  MetadataRequest,
  ScriptRequest,
  ScriptWriter,
  WrittenMetadata,
  WrittenScript,
} from './script-writer.port';

/** The sizing aims within ±7 % of the target words (the closest it can get), well inside the ±15 % the rules allow. */
const AIM = 0.07;
/** Keyword points beyond this would repeat the templates' phrasing. */
const MAX_KEYWORD_POINTS = 4;
/** On a vertical frame a headline longer than this wraps onto a third line. */
const VERTICAL_HEADLINE = 40;
/** A scene may grow to this multiple of its share before another scene or point is preferred. */
const SCENE_STRETCH = 1.6;

type Role = 'hook' | 'problem' | 'point' | 'proof' | 'cta';

/** The brief and brand, tidied into what the templates need. */
interface Facts {
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

/** One scene while the script is sized. */
interface Draft {
  role: Role;
  /** Variants of the scene's first sentence(s), longest first. */
  cores: string[];
  /** Further sentences, added in order while the video is short. */
  extras: string[];
  headline: string;
  visual: string;
  /** The chosen core variant. */
  core: number;
  /** How many extras are used. */
  used: number;
}

/** A point scene before it has a place in the script. */
type Point = Pick<Draft, 'cores' | 'extras' | 'headline' | 'visual'>;

// ---------------------------------------------------------------------------------------------------------------
// Text helpers

function clean(s: string | null | undefined): string | undefined {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t ? t : undefined;
}

function capFirst(s: string): string {
  const [first = '', ...rest] = [...s];
  return first.toUpperCase() + rest.join('');
}

/** Lower-cases a leading capital so a fact can follow a colon, but leaves acronyms ("SEO") alone. */
function lowerFirst(s: string): string {
  const [first = '', second = '', ...rest] = [...s];
  return second && second === second.toUpperCase() ? s : first.toLowerCase() + second + rest.join('');
}

/** Text used as a whole sentence: ends with punctuation, otherwise as typed. */
function sentence(s: string): string {
  const t = s.trim();
  return /[.!?…]["'”’)]?$/u.test(t) ? t : `${t.replace(/[\s,;:]+$/u, '')}.`;
}

/** Text used inside a sentence: no trailing punctuation. */
function phrase(s: string): string {
  return s.replace(/[\s.!?;:,…]+$/u, '');
}

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** FNV-1a: a stable, dependency-free hash to pick phrasing variants. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function bangFor(tone: string): '!' | '.' {
  return /professional|formal|corporate|authoritative|expert|serious|technical|b2b|calm|sober/i.test(tone) ? '.' : '!';
}

/** A headline keeps a question or exclamation mark as typed, but not a closing full stop. */
const headline = (f: Facts, text: string): string => clipAtWord(text.replace(/[\s.;:,]+$/u, ''), f.headlineMax);

function factsOf(req: ScriptRequest): Facts {
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
    variant: hash(`${brand.id}|${brief.topic}`),
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

function hookScene(f: Facts): Point {
  const topic = sentence(f.topic);
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

function problemScene(f: Facts): Point {
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
  const m = lowerFirst(sentence(mission));
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

/**
 * General advice that fits any topic, for long videos whose brand facts run out: no facts, nothing invented. Ends
 * with a nudge to start, which leads into the call to action.
 */
const ADVICE: { title: string; cores: [string, string]; extras: [string, string] }[] = [
  {
    title: 'Keep it simple',
    cores: [
      'Keep it simple. One clear step beats ten half-finished ideas.',
      'Keep it simple: one clear step at a time.',
    ],
    extras: ['Simple is easier to repeat, and repetition is what builds results.', 'When in doubt, leave it out.'],
  },
  {
    title: 'Be consistent',
    cores: [
      'Be consistent. Small steps, repeated, add up faster than you think.',
      'Be consistent: small steps add up.',
    ],
    extras: ['Consistency beats intensity, every time.', 'A little every day goes further than a lot once in a while.'],
  },
  {
    title: 'Ask why',
    cores: [
      'Ask questions. The best results come from understanding why, not just how.',
      'Ask questions, and understand the why.',
    ],
    extras: [
      'Curiosity is the shortcut most people miss.',
      'Once you know why something works, you can make it work again.',
    ],
  },
  {
    title: 'Quality over quantity',
    cores: [
      'Focus on quality over quantity. Fewer, better choices go further.',
      'Choose quality over quantity, always.',
    ],
    extras: ['It is easier to be proud of fewer, better things.', 'Choose what lasts, not what is loudest.'],
  },
  {
    title: 'Learn as you go',
    cores: [
      'Learn as you go. Every attempt teaches you something for the next one.',
      'Learn as you go, one attempt at a time.',
    ],
    extras: ['Notice what works, and do more of it.', 'Mistakes are lessons you have already paid for.'],
  },
  {
    title: 'Basics first',
    cores: [
      'Get the basics right before anything else. They carry more weight than any trick.',
      'Get the basics right before anything else.',
    ],
    extras: ['The fancy extras can wait.', 'Strong foundations make every next step easier.'],
  },
  {
    title: 'Plan ahead',
    cores: [
      'Plan ahead. A few minutes of preparation saves a lot of rushing later.',
      'Plan ahead, even just a little.',
    ],
    extras: ['Know your next step before you need it.', 'Preparation turns pressure into routine.'],
  },
  {
    title: 'Make time for it',
    cores: [
      'Make time for it. Even a few minutes, set aside on purpose, changes the outcome.',
      'Make time for it, on purpose.',
    ],
    extras: ['Put it in your calendar, and protect it.', 'What gets scheduled gets done.'],
  },
  {
    title: 'One change at a time',
    cores: [
      'Change one thing at a time. That way you know what made the difference.',
      'Change just one thing at a time.',
    ],
    extras: ['Small experiments teach the most.', 'Then keep what works.'],
  },
  {
    title: 'Measure what matters',
    cores: [
      'Measure what matters. Pick one sign of progress and keep an eye on it.',
      'Measure what matters, and watch it.',
    ],
    extras: ['What gets noticed gets better.', 'One number, checked regularly, is enough.'],
  },
  {
    title: 'Listen to feedback',
    cores: ['Listen to feedback. The people around you often see what you miss.', 'Listen to honest feedback, always.'],
    extras: ['Take what helps, and let the rest go.', 'Every comment is a clue.'],
  },
  {
    title: 'Use tools that fit',
    cores: ['Use tools that fit you. The right tool makes good work feel easy.', 'Use tools that really fit you.'],
    extras: ['They do not have to be expensive, just right for the job.', 'Look after them, and they look after you.'],
  },
  {
    title: 'Write it down',
    cores: ['Write it down. Notes turn a good moment into one you can repeat.', 'Write down what works for you.'],
    extras: ['Your future self will thank you.', 'A short note is enough.'],
  },
  {
    title: 'Share what works',
    cores: [
      'Share what works. Passing on a good idea helps others, and helps you remember it.',
      'Share what works with others.',
    ],
    extras: ['Good ideas grow when they are passed on.', 'Teaching something is the best way to learn it.'],
  },
  {
    title: 'Ask for help',
    cores: ['Ask for help when you need it. Nobody gets there alone.', 'Ask for help when you need it.'],
    extras: ['There is always someone who has been there before.', 'A short conversation can save a long detour.'],
  },
  {
    title: 'Stay open',
    cores: [
      'Stay open to new ideas. Sometimes the best approach is one you have not tried yet.',
      'Stay open to new ideas.',
    ],
    extras: ['Habits are useful, until they are not.', 'A fresh look can change everything.'],
  },
  {
    title: 'Take a break',
    cores: ['Take a break when you need one. Fresh eyes do better work.', 'Take a break when you need one.'],
    extras: ['Rest is part of the work, not a pause from it.', 'Come back, and it often looks simpler.'],
  },
  {
    title: 'Stay patient',
    cores: ['Stay patient. Real improvement takes a little time to show.', 'Stay patient: improvement takes time.'],
    extras: ['Give it a few weeks before you judge.', 'Good things build up quietly, then show all at once.'],
  },
  {
    title: 'Keep learning',
    cores: ['Keep learning. There is always a next level, and that is the fun part.', 'Keep learning, step by step.'],
    extras: ['Read, watch, try, repeat.', 'Every expert started as a beginner.'],
  },
  {
    title: 'Celebrate progress',
    cores: ['Celebrate progress, not just results. Every step forward counts.', 'Celebrate every step forward.'],
    extras: ['Looking back shows how far you have come.', 'It keeps the motivation going.'],
  },
  {
    title: 'Enjoy the process',
    cores: ['Enjoy the process. What you enjoy, you keep doing.', 'Enjoy the process along the way.'],
    extras: ['And what you keep doing, you get good at.', 'Make it something you look forward to.'],
  },
  {
    title: 'Start today',
    cores: ['Start today. The best moment to begin is usually now.', 'Start today, not someday.'],
    extras: ['Waiting for perfect keeps you waiting.', 'The first step is the hardest, and the shortest.'],
  },
];

function advicePoint(f: Facts, advice: (typeof ADVICE)[number]): Point {
  return {
    cores: advice.cores,
    extras: advice.extras,
    headline: advice.title,
    visual: `Clean motion-graphics card: "${advice.title}" in the brand's accent colour over soft-focus footage from ${world(f)}, in the ${frame(f)}.`,
  };
}

function proofScene(f: Facts): Point {
  const about = f.keywords.length
    ? `${list(f.keywords.slice(0, 3))}, done properly`
    : 'doing the simple things properly';
  const cores = f.slogan
    ? [`That is what ${f.name} is about. ${sentence(f.slogan)}`, `${f.name}: ${sentence(f.slogan)}`]
    : [`That is what ${f.name} is about: ${about}.`, `That is what ${f.name} stands for.`];
  return {
    cores,
    extras: ['No shortcuts, just care in every detail.', `Because ${f.audience} deserve nothing less.`],
    headline: f.slogan ? headline(f, f.slogan) : headline(f, `Why ${f.name}`),
    visual: `Brand moment: the ${f.name} logo${f.slogan ? ' and slogan' : ''} on the brand's primary colour, with a slow push-in, in the ${frame(f)}.`,
  };
}

function ctaScene(f: Facts): Point {
  const cta = sentence(f.callToAction);
  const title = headline(f, f.callToAction);
  return {
    cores: [`${cta} Thanks for watching${f.bang}`, cta],
    extras: ['We would love to hear what you think.', `See you next time${f.bang}`],
    headline: title,
    visual: `End card: the ${f.name} logo centred on the brand's background colour, with "${title}" below it, in the ${frame(f)}.`,
  };
}

/** The points a script may use, best first: the brand's keywords, its mission, the audience, its care, advice. */
function pointPool(f: Facts): Point[] {
  return [
    ...f.keywords.map((k, j) => keywordPoint(f, k, j)),
    ...(f.mission ? [missionPoint(f, f.mission)] : []),
    audiencePoint(f),
    detailPoint(f),
    ...ADVICE.map((a) => advicePoint(f, a)),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Sizing

/**
 * A scene ready for sizing. Its core variants become a ladder of ever shorter sentences: a variant no shorter than the
 * one before it is dropped (a short topic makes the topic-free hooks pointless).
 */
function draft(role: Role, p: Point): Draft {
  const cores = p.cores.filter((c, i, all) => i === 0 || countWords(c) < Math.min(...all.slice(0, i).map(countWords)));
  return { role, ...p, cores, core: 0, used: 0 };
}

function narrationOf(d: Draft): string {
  return [d.cores[d.core], ...d.extras.slice(0, d.used)].join(' ');
}

const wordsOf = (d: Draft): number => countWords(narrationOf(d));

/** The hook and the call to action are the shortest scenes; the others share the rest. */
const WEIGHTS: Record<Role, number> = { hook: 0.8, problem: 1, point: 1, proof: 0.9, cta: 0.8 };

function shares(drafts: Draft[], words: number): number[] {
  const total = drafts.reduce((s, d) => s + WEIGHTS[d.role], 0);
  return drafts.map((d) => (words * WEIGHTS[d.role]) / total);
}

/** The opening scenes for a count: 3 → hook, point, CTA; 4 adds the problem; 5 and up add the proof. */
function initialDrafts(f: Facts, scenes: number, pool: Point[]): Draft[] {
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
function size(drafts: Draft[], pool: Point[], words: number, wordsPerMinute: number, targetSeconds: number): void {
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

// ---------------------------------------------------------------------------------------------------------------
// The script

export function writeOfflineScript(req: ScriptRequest): VideoScript {
  const f = factsOf(req);
  const pool = pointPool(f);
  const words = narrationWords(req.targetSeconds, req.wordsPerMinute);
  const drafts = initialDrafts(f, sceneCountFor(req.targetSeconds), pool);
  size(drafts, pool, words, req.wordsPerMinute, req.targetSeconds);
  const scenes: SceneText[] = drafts.map((d) => ({
    narration: narrationOf(d),
    onScreenText: d.headline,
    visual: d.visual,
  }));
  return planScript({ title: clipAtWord(f.topic, SCRIPT_LIMITS.titleMax), scenes }, req.wordsPerMinute);
}

// ---------------------------------------------------------------------------------------------------------------
// Metadata

/** How many hashtags read naturally on each platform (the hard caps are VIDEO_PLATFORM_LIMITS). */
const PREFERRED_HASHTAGS: Record<VideoPlatform, number> = {
  local: 5,
  // YouTube shows the first three above the title.
  youtube: 3,
  facebook: 3,
  instagram: 8,
  linkedin: 4,
  x: 2,
  tiktok: 5,
};

function hashtagsFor(req: MetadataRequest): string[] {
  const { brand, brief } = req;
  const candidates = [brand.name, ...brand.keywords, brand.category ?? '', brief.topic]
    .map((t) => toHashtag(t))
    .filter((t): t is string => Boolean(t));
  return candidates.filter((t, i) => candidates.findIndex((u) => u.toLowerCase() === t.toLowerCase()) === i);
}

function descriptionFor(platform: VideoPlatform, req: MetadataRequest): string {
  const { brand, brief, script } = req;
  const hook = script.scenes[0]?.narration ?? sentence(brief.topic);
  const points = script.scenes.slice(1, -1).map((s) => `• ${s.onScreenText}`);
  const cta = sentence(brief.callToAction);
  const about = [clean(brand.slogan) && `${brand.name}: ${sentence(clean(brand.slogan)!)}`, clean(brand.mission)]
    .filter(Boolean)
    .join(' ');
  const blocks: (string | undefined)[] =
    platform === 'youtube' || platform === 'local'
      ? [hook, points.length ? `In this video:\n${points.join('\n')}` : undefined, cta, about || undefined]
      : platform === 'linkedin'
        ? [hook, points.length ? points.join('\n') : undefined, cta, clean(brand.mission)]
        : platform === 'instagram'
          ? [hook, points.length ? points.join('\n') : undefined, cta]
          : platform === 'x'
            ? [`${sentence(brief.topic)} ${cta}`]
            : [hook, cta];
  return blocks.filter((b): b is string => Boolean(b)).join('\n\n');
}

/** Clips the description (and drops hashtags if they alone are too long) until the post is within the limits. */
function fit(meta: PlatformMetadata): PlatformMetadata {
  const limits = VIDEO_PLATFORM_LIMITS[meta.platform];
  const strip = (s: string) => [...(limits.forbiddenChars ?? '')].reduce((t, c) => t.split(c).join(''), s);
  let hashtags = meta.hashtags.slice(0, limits.hashtagsMax);
  if (limits.tagsTotalMax !== undefined) {
    while ([...hashtags.join(',')].length > limits.tagsTotalMax) hashtags = hashtags.slice(0, -1);
  }
  let description = strip(meta.description);
  const title = clipAtWord(strip(meta.title).replace(/\s+/g, ' '), limits.titleMax);
  for (let guard = 0; guard < 200; guard++) {
    const over = measureVideoText(meta.platform, composeVideoText({ ...meta, description, hashtags })) - limits.textMax;
    if (over <= 0) break;
    const length = [...description].length;
    // Keep a readable description: drop hashtags before shortening the description itself.
    if (length - over < 40 && hashtags.length) hashtags = hashtags.slice(0, -1);
    else description = clipAtWord(description, Math.max(1, length - Math.max(1, over)));
  }
  return { ...meta, title, description, hashtags };
}

export function writeOfflineMetadata(req: MetadataRequest): PlatformMetadata[] {
  const tags = hashtagsFor(req);
  const name = clean(req.brand.name) ?? '';
  const topic = clean(req.script.title) ?? clean(req.brief.topic) ?? name;
  const branded = `${topic} | ${name}`;
  const title = name && [...branded].length <= SCRIPT_LIMITS.titleMax ? branded : topic;
  return req.platforms.map((platform) => {
    const meta = fit({
      platform,
      title,
      description: descriptionFor(platform, req),
      hashtags: tags.slice(0, PREFERRED_HASHTAGS[platform]),
    });
    const violations = checkMetadata(meta);
    if (violations.length) {
      // Unreachable with the fitting above; a bug must not publish text a platform would refuse.
      throw new Error(`Offline metadata breaks ${platform}'s rules: ${violations.map((v) => v.message).join('; ')}`);
    }
    return meta;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The writer

const FREE = { inputTokens: 0, outputTokens: 0, costUsd: 0 };

export function createOfflineScriptWriter(): ScriptWriter {
  return {
    name: 'offline',
    // async so a bug surfaces as a rejected promise, the way every other provider fails.
    async writeScript(req: ScriptRequest): Promise<WrittenScript> {
      return { script: writeOfflineScript(req), provider: 'offline', ...FREE };
    },
    async writeMetadata(req: MetadataRequest): Promise<WrittenMetadata> {
      return { items: writeOfflineMetadata(req), provider: 'offline', ...FREE };
    },
    async check(): Promise<void> {},
  };
}
