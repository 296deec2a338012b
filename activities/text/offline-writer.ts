/**
 * The embedded text writer: no account, no key, no network. It writes a post from templates grounded in the brand's
 * own facts (name, slogan, mission, category, voice, keywords, website) and the optional topic.
 *
 * Deterministic by design: the same request always yields the same copy (variants are picked by a hash of the
 * request, never by randomness or the clock), so retries and replays agree and tests can pin the output.
 *
 * Languages: English, and Italian for `language: 'it'` (or `it-*`). Any other language gets the English copy;
 * machine translation is the cloud writers' job. The templates are data: one phrasebook per language
 * (phrasebooks/*.data.ts) and each platform's shape (post-styles.data.ts).
 */
import { PLATFORM_LIMITS, POST_TYPES, composePostText, type Platform, type PostCopy } from '../../lib/social';
import { charCount, clean, clipAtWord, phrase, sentence, stableHash, toHashtag } from '../../lib/prose';
import { PHRASEBOOKS, type Draft, type Facts, type Lang, type Phrasebook } from './phrasebooks';
import { EMOJI, STYLES, type PlatformStyle } from './post-styles.data';
import { type PostCopyRequest, type TextWriter, type WriterResult } from './text-writer.port';
import { failure } from '../../lib/failures';

/** The voice sets punctuation and emoji: none for a professional voice, an extra one for a playful voice. */
type Tone = 'professional' | 'playful' | 'warm';

// ---------------------------------------------------------------------------------------------------------------
// Reading the request

function displaySite(url: string | undefined): string | undefined {
  return (
    url
      ?.replace(/^https?:\/\//i, '')
      .replace(/^www\./i, '')
      .replace(/\/+$/, '') || undefined
  );
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

/** The caption's first line without emoji: the headline the branded image carries and the alt text describes. */
export function headlineFromCaption(caption: string): string {
  const first = caption.trim().split('\n')[0] ?? '';
  return first
    .replace(/[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
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
    variant: stableHash(seed),
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
  while (out.hashtags.length && charCount(composePostText(out)) > limits.captionMax)
    out.hashtags = out.hashtags.slice(0, -1);
  if (charCount(composePostText(out)) <= limits.captionMax) return out;
  // A runaway CTA (e.g. a very long brand name) may take at most a third of the post.
  out.callToAction = clipAtWord(out.callToAction, Math.floor(limits.captionMax / 3));
  const rest = charCount(composePostText({ ...out, caption: '' }));
  out.caption = clipAtWord(out.caption, limits.captionMax - rest - (rest ? 2 : 0));
  return out;
}

function altTextOf(name: string, caption: string, book: Phrasebook, max: number): string {
  const headline = headlineFromCaption(caption);
  for (const shape of book.altTexts) {
    const text = shape(name, headline);
    if (charCount(text) <= max) return text;
  }
  const plainest = book.altTexts[book.altTexts.length - 1];
  const room = max - charCount(plainest(name, ''));
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
    charCount(composePostText({ caption, callToAction: draft.cta, hashtags, altText: '' })) <= limits.captionMax;
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
