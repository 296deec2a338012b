/**
 * The embedded text writer: no account, no key, no network. It writes a post from templates grounded in the brand's
 * own facts (name, slogan, mission, category, voice, keywords, website) and the optional topic.
 *
 * Deterministic by design: the same request always yields the same copy (variants are picked by a hash of the
 * request, never by randomness or the clock), so retries and replays agree and tests can pin the output.
 *
 * Languages: English, and Italian for `language: 'it'` (or `it-*`). Any other language gets the English copy;
 * machine translation is the cloud writers' job.
 */
import {
  PLATFORM_LIMITS,
  POST_TYPES,
  composePostText,
  type Platform,
  type PostCopy,
  type PostType,
} from '../../lib/social';
import { type PostCopyRequest, type TextWriter, type WriterResult } from './text-writer.port';
import { failure } from '../../lib/failures';

type Lang = 'en' | 'it';
/** The voice sets punctuation and emoji: none for a professional voice, an extra one for a playful voice. */
type Tone = 'professional' | 'playful' | 'warm';

/** The request, cleaned up and resolved into what the templates need. */
interface Facts {
  name: string;
  /** What the post is about: the topic, else the first keyword, else the category; templates cope without one. */
  subject?: string;
  topic?: string;
  /** Up to three brand keywords. */
  keywords: string[];
  /** The keywords minus the subject, for sentences that already name the subject. */
  otherKeywords: string[];
  category?: string;
  slogan?: string;
  mission?: string;
  site?: string;
  /** Whether the platform renders links in the caption (Instagram and TikTok do not). */
  linkable: boolean;
  /** '.' for a professional voice, which reads better without exclamation marks. */
  bang: '!' | '.';
  variant: number;
}

/** What a post type says, before it is shaped for a platform. */
interface Draft {
  hook: string;
  body: string[];
  /** Render `body` as a bullet list (tips) instead of prose. */
  bullets?: boolean;
  closer?: string;
  cta: string;
  /** The template already told the mission, so the LinkedIn mission line would repeat it. */
  usesMission?: boolean;
}

interface Phrasebook {
  list(items: string[]): string;
  listOr(items: string[]): string;
  drafts: Record<PostType, (f: Facts) => Draft>;
  missionLine(mission: string): string;
  /** Alt-text shapes from richest to plainest; `h` is the (possibly clipped) headline. */
  altTexts: ((name: string, h: string) => string)[];
  /** Hashtag that labels the post type. */
  typeTags: Record<PostType, string>;
}

interface PlatformStyle {
  /** How many hashtags read naturally on the platform (the hard cap is PLATFORM_LIMITS). */
  tags: number;
  maxBody: number;
  /** Each body sentence its own paragraph, or all in one. */
  bodyAsParagraphs: boolean;
  separator: string;
  closer: boolean;
  slogan: boolean;
  mission: boolean;
}

const STYLES: Record<Platform, PlatformStyle> = {
  x: { tags: 2, maxBody: 1, bodyAsParagraphs: false, separator: '\n', closer: false, slogan: false, mission: false },
  tiktok: {
    tags: 5,
    maxBody: 1,
    bodyAsParagraphs: false,
    separator: '\n\n',
    closer: false,
    slogan: false,
    mission: false,
  },
  instagram: {
    tags: 8,
    maxBody: Infinity,
    bodyAsParagraphs: true,
    separator: '\n\n',
    closer: true,
    slogan: true,
    mission: false,
  },
  facebook: {
    tags: 3,
    maxBody: Infinity,
    bodyAsParagraphs: false,
    separator: '\n\n',
    closer: true,
    slogan: true,
    mission: false,
  },
  linkedin: {
    tags: 4,
    maxBody: Infinity,
    bodyAsParagraphs: true,
    separator: '\n\n',
    closer: true,
    slogan: true,
    mission: true,
  },
};

const EMOJI: Record<PostType, string> = {
  educational: '💡',
  promotional: '✨',
  engagement: '💬',
  storytelling: '📖',
  announcement: '📣',
  tips: '📌',
  testimonial: '💛',
  seasonal: '🎉',
  trending: '🔥',
};

const ELLIPSIS = '…';
const MAX_TAG_CHARS = 30;

// ---------------------------------------------------------------------------------------------------------------
// Small text helpers

const len = (s: string): number => [...s].length;

function clean(s: string | null | undefined): string | undefined {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t ? t : undefined;
}

function capFirst(s: string): string {
  const [first = '', ...rest] = [...s];
  return first.toUpperCase() + rest.join('');
}

/** Lower-cases a leading capital so a sentence can follow a colon, but leaves acronyms ("SEO") alone. */
function lowerFirst(s: string): string {
  const [first = '', second = '', ...rest] = [...s];
  return second && second === second.toUpperCase() ? s : first.toLowerCase() + second + rest.join('');
}

/** A brand fact used as a full sentence: capitalised and ending in punctuation. */
function sentence(s: string): string {
  const t = capFirst(s.trim());
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}

/** A brand fact used inside a sentence: no trailing punctuation. */
function phrase(s: string): string {
  return s.replace(/[\s.!?;:,…]+$/u, '');
}

/** Shortens text to `max` characters at a word boundary, ending with an ellipsis. */
export function clipAtWord(text: string, max: number): string {
  const chars = [...text.trim()];
  if (chars.length <= max) return chars.join('');
  if (max <= 1) return chars.slice(0, Math.max(max, 0)).join('');
  const head = chars.slice(0, max - 1).join('');
  const lastSpace = head.search(/\s\S*$/u);
  // Cut inside a word only when the last space is so early that most of the text would go.
  const base = lastSpace > head.length / 2 ? head.slice(0, lastSpace) : head;
  return base.replace(/[\s.,;:!?'"“‘([{–—-]+$/u, '') + ELLIPSIS;
}

function displaySite(url: string | undefined): string | undefined {
  return (
    url
      ?.replace(/^https?:\/\//i, '')
      .replace(/^www\./i, '')
      .replace(/\/+$/, '') || undefined
  );
}

/** FNV-1a: a stable, dependency-free hash to pick template variants. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function toneOf(voice: string | undefined): Tone {
  const v = voice?.toLowerCase() ?? '';
  if (
    /professional|formal|corporate|authoritative|expert|serious|technical|b2b|professionale|formale|autorevole/.test(v)
  )
    return 'professional';
  if (/playful|\bfun|witty|casual|cheeky|quirky|humou?r|giocos|divertente|ironic|scherzos/.test(v)) return 'playful';
  return 'warm';
}

function langOf(language: string | undefined): Lang {
  return language?.toLowerCase().split(/[-_]/)[0] === 'it' ? 'it' : 'en';
}

/** "Blue Bottle coffee" -> "BlueBottleCoffee"; undefined when nothing readable is left. */
export function toHashtag(text: string): string | undefined {
  const words = text
    .normalize('NFC')
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{N}_]+/u)
    .filter(Boolean);
  const tag = words.map(capFirst).join('');
  if (!/\p{L}/u.test(tag) || len(tag) > MAX_TAG_CHARS) return undefined;
  return tag;
}

/** The caption's first line without emoji: the headline the branded image carries and the alt text describes. */
export function headlineFromCaption(caption: string): string {
  const first = caption.trim().split('\n')[0] ?? '';
  return first
    .replace(/[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------------------------
// Phrasebooks. Templates only state what the brand facts support: no invented numbers, customers or quotes.

/** A template variant chosen by the request's hash: stable for a request, varied across brands and posts. */
function pick<T>(f: Facts, variants: T[]): T {
  return variants[f.variant % variants.length];
}

function listWith(conjunction: string) {
  return (items: string[]): string =>
    items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

const EN: Phrasebook = {
  list: listWith('and'),
  listOr: listWith('or'),
  missionLine: (m) => `Our mission: ${lowerFirst(sentence(m))}`,
  altTexts: [
    (n, h) => `${n} branded graphic in the brand's colours with the headline "${h}"`,
    (n, h) => `${n} graphic with the headline "${h}"`,
  ],
  typeTags: {
    educational: 'DidYouKnow',
    promotional: 'MadeForYou',
    engagement: 'LetsTalk',
    storytelling: 'BehindTheScenes',
    announcement: 'BigNews',
    tips: 'QuickTips',
    testimonial: 'CustomerLove',
    seasonal: 'ThisSeason',
    trending: 'Trending',
  },
  drafts: {
    educational: (f) => ({
      hook: pick(f, [
        `Did you know? Getting ${f.subject ?? 'our craft'} right comes down to a few things most people overlook.`,
        `${capFirst(f.subject ?? 'our craft')} can feel complicated. It doesn't have to be.`,
      ]),
      body: [
        f.otherKeywords.length
          ? `At ${f.name}, we work with ${EN.list(f.otherKeywords)} every day, and one lesson keeps coming back: small, consistent choices make the biggest difference.`
          : `At ${f.name}, we see it every day: small, consistent choices make the biggest difference.`,
        'Start with the basics, stay curious, and never be afraid to ask questions.',
      ],
      closer: `We'll keep sharing what we learn along the way.`,
      cta: f.linkable && f.site ? `Learn more at ${f.site}` : `Save this post and follow ${f.name} for more insights.`,
    }),
    promotional: (f) => ({
      hook: f.subject
        ? pick(f, [
            f.topic
              ? `Say hello to ${f.topic}${f.bang}`
              : `Looking for ${f.subject}? You're in the right place${f.bang}`,
            `${capFirst(f.subject)}, the ${f.name} way${f.bang}`,
          ])
        : `Say hello to ${f.name}${f.bang}`,
      body: [
        f.otherKeywords.length
          ? `Everything we do at ${f.name} is built around ${EN.list(f.otherKeywords)}.`
          : `Everything we do at ${f.name} is built around one thing: you.`,
        'Made with care, and designed to make your day a little better.',
      ],
      cta: promoCta(
        f,
        'Discover more at',
        'Tap the link in our bio to find out more.',
        'Send us a message to find out more.',
      ),
    }),
    engagement: (f) => ({
      hook: pick(f, [
        `Quick question: what do you love most about ${f.subject ?? f.name}?`,
        `We want to hear from you${f.bang} When it comes to ${f.subject ?? f.name}, what matters most to you?`,
      ]),
      body: [
        f.otherKeywords.length >= 2
          ? `Is it ${EN.listOr(f.otherKeywords)}? Or something else entirely?`
          : 'There are no wrong answers, and we read every single one.',
      ],
      closer: `Your answers help ${f.name} create more of what you love.`,
      cta: `Tell us in the comments${f.bang}`,
    }),
    storytelling: (f) => ({
      hook: f.topic
        ? `Here's the story behind ${f.topic}.`
        : pick(f, [
            `Ever wondered what happens behind the scenes at ${f.name}?`,
            `Every brand has a story. Here's a little of ours.`,
          ]),
      body: [
        f.mission
          ? `It started with a simple idea: ${lowerFirst(sentence(f.mission))}`
          : `It started with a simple idea: ${f.subject ?? 'every detail'} deserves real care.`,
        f.keywords.length >= 2
          ? `Today, that idea shapes everything we do, from ${f.keywords[0]} to ${f.keywords[1]}.`
          : 'Today, that idea still shapes everything we do.',
        'Behind everything we share is a team that genuinely cares.',
      ],
      cta: 'Follow along for more behind-the-scenes moments.',
      usesMission: Boolean(f.mission),
    }),
    announcement: (f) => ({
      hook: f.topic
        ? pick(f, [`Big news: ${f.topic}${f.bang}`, `We're excited to share some news: ${f.topic}.`])
        : pick(f, [`Big news from ${f.name}${f.bang}`, `We have something exciting to share${f.bang}`]),
      body: [
        'This is a big step for us, and for everyone who has been with us along the way.',
        ...(f.keywords.length ? [`As always, it's all about ${EN.list(f.keywords)}.`] : []),
      ],
      closer: 'Thank you for being part of the journey.',
      cta:
        f.linkable && f.site ? `Find all the details at ${f.site}` : `Follow ${f.name} so you don't miss what's next.`,
    }),
    tips: (f) => ({
      hook: f.subject
        ? pick(f, [
            `Want better results with ${f.subject}? Start here:`,
            `A few quick tips on ${f.subject}, from the ${f.name} team:`,
          ])
        : `A few quick tips from the ${f.name} team:`,
      bullets: true,
      body: [
        'Get the basics right before anything else.',
        f.otherKeywords[0]
          ? `Make ${f.otherKeywords[0]} a priority, not an afterthought.`
          : 'Keep it simple: small steps beat big overhauls.',
        f.otherKeywords[1]
          ? `Don't underestimate ${f.otherKeywords[1]}. It makes a real difference.`
          : 'Be consistent. Results build up over time.',
      ],
      closer: 'Which one will you try first?',
      cta: 'Save this for later and share it with someone who needs it.',
    }),
    // No invented quotes or reviews: the post celebrates customers without putting words in their mouths.
    testimonial: (f) => ({
      hook: pick(f, [
        'Nothing means more to us than hearing from the people we work for.',
        'Your stories are the reason we do what we do.',
      ]),
      body: [
        `Every kind word about ${f.topic ?? (f.keywords.length ? EN.list(f.keywords) : 'our work')} reminds us why ${f.name} exists.`,
        'Thank you for trusting us, recommending us and growing with us.',
      ],
      cta: `Have a ${f.name} story? Share it in the comments. We'd love to feature it${f.bang}`,
    }),
    // No clock: the season comes from the topic ("Christmas", "summer sale") or stays generic.
    seasonal: (f) => ({
      hook: f.topic
        ? pick(f, [`${capFirst(f.topic)} is here${f.bang}`, `Celebrating ${f.topic} with all of you${f.bang}`])
        : pick(f, [
            `A new season is here, and so are new reasons to celebrate${f.bang}`,
            'This season is all about the little things.',
          ]),
      body: [
        f.keywords.length
          ? `At ${f.name}, we're marking the moment the way we know best: with ${EN.list(f.keywords)}.`
          : `At ${f.name}, we're marking the moment with the people who make it special: you.`,
        'Whatever your plans are, we hope the season brings you something to smile about.',
      ],
      closer: `Warm wishes from all of us at ${f.name}.`,
      cta:
        f.linkable && f.site
          ? `See what's new this season at ${f.site}`
          : `Tell us your favourite seasonal tradition in the comments${f.bang}`,
    }),
    trending: (f) => ({
      hook: f.subject
        ? pick(f, [
            `Everyone's talking about ${f.subject}, so here's our take.`,
            `${capFirst(f.subject)} is everywhere right now. Here's how we see it.`,
          ])
        : `Trends come and go. Here's what stays the same at ${f.name}.`,
      body: [
        f.otherKeywords.length
          ? `At ${f.name}, we care less about hype and more about what lasts: ${EN.list(f.otherKeywords)}.`
          : `At ${f.name}, we care less about hype and more about what lasts.`,
        "We'll keep watching what's new and sharing what's actually worth your time.",
      ],
      cta: `What's your take? Join the conversation below.`,
    }),
  },
};

// Italian templates avoid articles and adjectives that would have to agree with an inserted noun of unknown gender.
const IT: Phrasebook = {
  list: listWith('e'),
  listOr: listWith('o'),
  missionLine: (m) => `La nostra missione: ${lowerFirst(sentence(m))}`,
  altTexts: [
    (n, h) => `Grafica di ${n} nei colori del marchio con il titolo "${h}"`,
    (n, h) => `Grafica di ${n} con il titolo "${h}"`,
  ],
  typeTags: {
    educational: 'LoSapeviChe',
    promotional: 'PensatoPerTe',
    engagement: 'DiciLaTua',
    storytelling: 'DietroLeQuinte',
    announcement: 'Novità',
    tips: 'Consigli',
    testimonial: 'ClientiFelici',
    seasonal: 'DiStagione',
    trending: 'Tendenze',
  },
  drafts: {
    educational: (f) => ({
      hook: f.subject
        ? pick(f, [
            `Lo sapevi? Quando si parla di ${f.subject}, sono i piccoli dettagli a fare la differenza.`,
            `Parliamo di ${f.subject}: bastano pochi accorgimenti per fare la differenza.`,
          ])
        : 'Lo sapevi? Nel nostro lavoro sono i piccoli dettagli a fare la differenza.',
      body: [
        f.otherKeywords.length
          ? `Da ${f.name} lavoriamo ogni giorno con ${IT.list(f.otherKeywords)} e abbiamo imparato una cosa: le scelte piccole e costanti contano più di tutto.`
          : `Da ${f.name} lo vediamo ogni giorno: le scelte piccole e costanti contano più di tutto.`,
        'Parti dalle basi, coltiva la curiosità e non avere paura di fare domande.',
      ],
      closer: 'Continueremo a condividere quello che impariamo strada facendo.',
      cta:
        f.linkable && f.site ? `Scopri di più su ${f.site}` : `Salva questo post e segui ${f.name} per altri consigli.`,
    }),
    promotional: (f) => ({
      hook: f.subject
        ? pick(f, [
            f.topic ? `Ti presentiamo ${f.topic}${f.bang}` : `Cerchi ${f.subject}? Sei nel posto giusto${f.bang}`,
            `${capFirst(f.subject)}, in stile ${f.name}${f.bang}`,
          ])
        : `Ti presentiamo ${f.name}${f.bang}`,
      body: [
        f.otherKeywords.length
          ? `Tutto quello che facciamo da ${f.name} ruota attorno a ${IT.list(f.otherKeywords)}.`
          : `Tutto quello che facciamo da ${f.name} ruota attorno a una cosa sola: te.`,
        'Fatto con cura, pensato per rendere le tue giornate un po’ più belle.',
      ],
      cta: promoCta(
        f,
        'Scopri di più su',
        `Trovi il link in bio${f.bang}`,
        'Scrivici un messaggio per saperne di più.',
      ),
    }),
    engagement: (f) => ({
      hook: pick(f, [
        `Domanda veloce: cosa ami di più di ${f.subject ?? f.name}?`,
        `Vogliamo sentire la tua voce${f.bang} Quando si parla di ${f.subject ?? f.name}, cosa conta di più per te?`,
      ]),
      body: [
        f.otherKeywords.length >= 2
          ? `Scegli tu: ${IT.listOr(f.otherKeywords)}? O qualcos’altro?`
          : 'Non ci sono risposte sbagliate, e le leggiamo tutte.',
      ],
      closer: `Le tue risposte aiutano ${f.name} a creare sempre più cose che ami.`,
      cta: `Diccelo nei commenti${f.bang}`,
    }),
    storytelling: (f) => ({
      hook: f.topic
        ? `Ecco la storia dietro ${f.topic}.`
        : pick(f, [
            `Cosa succede dietro le quinte di ${f.name}? Te lo raccontiamo.`,
            'Ogni marchio ha una storia. Ecco un pezzo della nostra.',
          ]),
      body: [
        f.mission
          ? `Tutto è nato da un’idea semplice: ${lowerFirst(sentence(f.mission))}`
          : 'Tutto è nato da un’idea semplice: fare le cose con cura, ogni giorno.',
        f.keywords.length >= 2
          ? `Oggi quell’idea guida tutto quello che facciamo, da ${f.keywords[0]} a ${f.keywords[1]}.`
          : 'Oggi quell’idea guida ancora tutto quello che facciamo.',
        'Dietro ogni contenuto che condividiamo c’è una squadra che ci tiene davvero.',
      ],
      cta: 'Seguici per scoprire altri retroscena.',
      usesMission: Boolean(f.mission),
    }),
    announcement: (f) => ({
      hook: f.topic
        ? pick(f, [`Grande novità: ${f.topic}${f.bang}`, `Abbiamo una notizia da darti: ${f.topic}.`])
        : pick(f, [`Grandi novità da ${f.name}${f.bang}`, `Abbiamo qualcosa di speciale da raccontarti${f.bang}`]),
      body: [
        'È un passo importante per noi e per chi ci accompagna da sempre.',
        ...(f.keywords.length ? [`Come sempre, al centro di tutto: ${IT.list(f.keywords)}.`] : []),
      ],
      closer: 'Grazie di far parte di questo viaggio.',
      cta:
        f.linkable && f.site ? `Tutti i dettagli su ${f.site}` : `Segui ${f.name} per non perderti le prossime novità.`,
    }),
    tips: (f) => ({
      hook: f.subject
        ? pick(f, [
            `Vuoi risultati migliori con ${f.subject}? Inizia da qui:`,
            `Qualche consiglio veloce su ${f.subject}, dal team di ${f.name}:`,
          ])
        : `Qualche consiglio veloce dal team di ${f.name}:`,
      bullets: true,
      body: [
        'Cura le basi prima di tutto il resto.',
        f.otherKeywords[0]
          ? `Metti ${f.otherKeywords[0]} al primo posto, non in fondo alla lista.`
          : 'Semplifica: piccoli passi valgono più di grandi rivoluzioni.',
        f.otherKeywords[1]
          ? `Non sottovalutare ${f.otherKeywords[1]}: fa davvero la differenza.`
          : 'Sii costante: i risultati arrivano con il tempo.',
      ],
      closer: 'Quale proverai per primo?',
      cta: 'Salvalo per dopo e condividilo con chi ne ha bisogno.',
    }),
    testimonial: (f) => ({
      hook: pick(f, [
        `Niente ci rende più felici che sentire la voce di chi sceglie ${f.name}.`,
        'Le vostre storie sono il motivo per cui facciamo quello che facciamo.',
      ]),
      body: [
        `Ogni parola gentile su ${f.topic ?? (f.keywords.length ? IT.list(f.keywords) : 'il nostro lavoro')} ci ricorda perché esiste ${f.name}.`,
        'Grazie per la fiducia, per il passaparola e per crescere insieme a noi.',
      ],
      cta: `Hai una storia con ${f.name}? Raccontacela nei commenti: ci piacerebbe condividerla${f.bang}`,
    }),
    seasonal: (f) => ({
      hook: f.topic
        ? pick(f, [`È tempo di ${f.topic}${f.bang}`, `Festeggiamo ${f.topic} insieme a voi${f.bang}`])
        : pick(f, [
            `Una nuova stagione è arrivata, e con lei nuovi motivi per festeggiare${f.bang}`,
            'Questa stagione è fatta di piccole cose.',
          ]),
      body: [
        f.keywords.length
          ? `Da ${f.name} celebriamo questo momento nel modo che conosciamo meglio: con ${IT.list(f.keywords)}.`
          : `Da ${f.name} celebriamo questo momento con le persone che lo rendono speciale: voi.`,
        'Qualunque siano i tuoi programmi, ti auguriamo di trovare qualcosa che ti faccia sorridere.',
      ],
      closer: `Un caro saluto da tutto il team di ${f.name}.`,
      cta:
        f.linkable && f.site
          ? `Scopri le novità di stagione su ${f.site}`
          : `Raccontaci nei commenti la tua tradizione preferita${f.bang}`,
    }),
    trending: (f) => ({
      hook: f.subject
        ? pick(f, [
            `Tutti parlano di ${f.subject}: ecco il nostro punto di vista.`,
            `Di ${f.subject} si parla ovunque in questo periodo. Ecco come la vediamo noi.`,
          ])
        : `Le mode passano. Ecco cosa resta uguale da ${f.name}.`,
      body: [
        f.otherKeywords.length
          ? `Da ${f.name} badiamo meno alle mode e più a quello che resta: ${IT.list(f.otherKeywords)}.`
          : `Da ${f.name} badiamo meno alle mode e più a quello che resta.`,
        'Continueremo a seguire le novità e a condividere solo quello che vale davvero il tuo tempo.',
      ],
      cta: 'E tu cosa ne pensi? Diccelo nei commenti.',
    }),
  },
};

const PHRASEBOOKS: Record<Lang, Phrasebook> = { en: EN, it: IT };

/** Promotional CTA: the website where links work, the bio link where they do not, else a direct message. */
function promoCta(f: Facts, sitePrefix: string, bioLink: string, message: string): string {
  if (f.site && f.linkable) return `${sitePrefix} ${f.site}`;
  return f.site ? bioLink : message;
}

// ---------------------------------------------------------------------------------------------------------------
// Building and fitting the copy

function validate(req: PostCopyRequest): void {
  if (!clean(req.brand?.name)) throw failure('InvalidInput', 'Brand name is required');
  if (!(req.platform in PLATFORM_LIMITS)) {
    throw failure('InvalidInput', `Unknown platform "${String(req.platform)}"`);
  }
  if (!(req.postType in POST_TYPES)) {
    throw failure('InvalidInput', `Unknown post type "${String(req.postType)}"`);
  }
}

function factPhrase(s: string | null | undefined): string | undefined {
  const t = clean(s);
  return t ? phrase(t) || undefined : undefined;
}

/** "Coffee" or "Specialty Coffee" (a category label) reads as "coffee" mid-sentence; "SaaS" stays as it is. */
function commonNoun(s: string): string {
  return /^\p{Lu}\p{Ll}*(\s+\p{Lu}\p{Ll}*)*$/u.test(s) ? s.toLowerCase() : s;
}

function uniqueKeywords(raw: string[]): string[] {
  const byKey = new Map<string, string>();
  for (const k of raw.map(factPhrase)) {
    // A keyword without a letter or digit (an emoji, "#") cannot be written about or tagged.
    if (k && /[\p{L}\p{N}]/u.test(k) && !byKey.has(k.toLowerCase())) byKey.set(k.toLowerCase(), k);
  }
  return [...byKey.values()];
}

function factsOf(req: PostCopyRequest, lang: Lang, tone: Tone): Facts {
  const { brand, platform } = req;
  const name = clean(brand.name) ?? '';
  const keywords = uniqueKeywords(brand.keywords ?? []);
  const topic = factPhrase(req.topic);
  const category = factPhrase(brand.category);
  const seed = [name, req.postType, platform, topic ?? '', keywords.join(','), lang].join('|');
  const subject = topic ?? keywords[0] ?? (category && commonNoun(category));
  return {
    name,
    subject,
    topic,
    keywords: keywords.slice(0, 3),
    // The subject is already in the sentence; listing it again reads like a keyword dump.
    otherKeywords: keywords.filter((k) => k.toLowerCase() !== subject?.toLowerCase()).slice(0, 3),
    category,
    slogan: clean(brand.slogan),
    mission: clean(brand.mission),
    site: displaySite(clean(brand.website)),
    linkable: platform !== 'instagram' && platform !== 'tiktok',
    bang: tone === 'professional' ? '.' : '!',
    variant: hash(seed),
  };
}

const LEADING_FILLER =
  /^(?:(?:our|the|a|an|my|your|il|lo|la|i|gli|le|un|uno|una|nostro|nostra|nostri|nostre)\s+|l['’]\s*)+/iu;

function hashtagsOf(req: PostCopyRequest, f: Facts, book: Phrasebook, want: number): string[] {
  const keywords = uniqueKeywords(req.brand.keywords ?? []);
  const candidates = [
    f.name,
    f.topic?.replace(LEADING_FILLER, ''),
    keywords[0],
    book.typeTags[req.postType],
    ...keywords.slice(1),
    f.category,
  ];
  const tags: string[] = [];
  for (const candidate of candidates) {
    const tag = candidate ? toHashtag(candidate) : undefined;
    if (tag && !tags.some((t) => t.toLowerCase() === tag.toLowerCase())) tags.push(tag);
  }
  return tags.slice(0, want);
}

/** Caption paragraphs in priority order; the hook is required, the rest is included while it fits. */
function paragraphsOf(draft: Draft, f: Facts, book: Phrasebook, style: PlatformStyle, emoji: string): string[][] {
  const hook = emoji ? `${emoji} ${draft.hook}` : draft.hook;
  const body = draft.body.slice(0, style.maxBody);
  const bodyParts = draft.bullets
    ? [body.map((b) => `${emoji ? '✅' : '•'} ${b}`)]
    : style.bodyAsParagraphs
      ? body.map((b) => [b])
      : [body];
  const extras: string[] = [];
  if (style.closer && draft.closer) extras.push(draft.closer);
  if (style.mission && f.mission && !draft.usesMission) extras.push(book.missionLine(f.mission));
  if (style.slogan && f.slogan) extras.push(sentence(f.slogan));
  return [[hook], ...bodyParts, ...extras.map((e) => [e])];
}

function assemble(paragraphs: string[][], style: PlatformStyle, bullets: boolean, fits: (caption: string) => boolean) {
  const [hook, ...optional] = paragraphs.map((lines) => lines.join(bullets ? '\n' : ' '));
  let caption = hook;
  for (const next of optional) {
    const candidate = `${caption}${style.separator}${next}`;
    if (!fits(candidate)) break;
    caption = candidate;
  }
  return caption;
}

/** Enforces the platform's hard limits: hashtags go first, then the caption is cut at a word boundary. */
function fitToPlatform(copy: PostCopy, platform: Platform): PostCopy {
  const limits = PLATFORM_LIMITS[platform];
  const out: PostCopy = { ...copy, hashtags: copy.hashtags.slice(0, limits.hashtagsMax) };
  while (out.hashtags.length && len(composePostText(out)) > limits.captionMax) out.hashtags = out.hashtags.slice(0, -1);
  if (len(composePostText(out)) <= limits.captionMax) return out;
  // A runaway CTA (e.g. a very long brand name) may take at most a third of the post.
  out.callToAction = clipAtWord(out.callToAction, Math.floor(limits.captionMax / 3));
  const rest = len(composePostText({ ...out, caption: '' }));
  out.caption = clipAtWord(out.caption, limits.captionMax - rest - (rest ? 2 : 0));
  return out;
}

function altTextOf(name: string, caption: string, book: Phrasebook, max: number): string {
  const headline = headlineFromCaption(caption);
  for (const shape of book.altTexts) {
    const text = shape(name, headline);
    if (len(text) <= max) return text;
  }
  const plainest = book.altTexts[book.altTexts.length - 1];
  const room = max - len(plainest(name, ''));
  if (room >= 12) return plainest(name, clipAtWord(headline, room));
  return clipAtWord(plainest(name, '').replace(/\s*"+$/, ''), max);
}

/** Writes the post copy for a request; pure and deterministic. */
export function writeOfflinePostCopy(req: PostCopyRequest): PostCopy {
  validate(req);
  const lang = langOf(req.language);
  const tone = toneOf(clean(req.brand.voice));
  const book = PHRASEBOOKS[lang];
  const style = STYLES[req.platform];
  const limits = PLATFORM_LIMITS[req.platform];
  const f = factsOf(req, lang, tone);
  const draft = book.drafts[req.postType](f);
  const emoji = tone !== 'professional' && req.platform !== 'linkedin' ? EMOJI[req.postType] : '';
  if (emoji && tone === 'playful') draft.cta = `${draft.cta} ${/comment/i.test(draft.cta) ? '👇' : '🙌'}`;
  const hashtags = hashtagsOf(req, f, book, Math.min(style.tags, limits.hashtagsMax));
  const fits = (caption: string) =>
    len(composePostText({ caption, callToAction: draft.cta, hashtags, altText: '' })) <= limits.captionMax;
  const caption = assemble(paragraphsOf(draft, f, book, style, emoji), style, Boolean(draft.bullets), fits);
  const copy = fitToPlatform({ caption, callToAction: draft.cta, hashtags, altText: '' }, req.platform);
  return { ...copy, altText: altTextOf(f.name, copy.caption, book, limits.altTextMax) };
}

export function createOfflineWriter(): TextWriter {
  return {
    name: 'offline',
    async writePostCopy(req: PostCopyRequest): Promise<WriterResult<PostCopy>> {
      return { value: writeOfflinePostCopy(req), provider: 'offline', usage: { costUsd: 0 } };
    },
    async check(): Promise<void> {
      // Nothing to reach: the templates ship with the code.
    },
  };
}
