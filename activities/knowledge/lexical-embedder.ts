/**
 * The embedded embedder: no model, no account, no network. A text becomes a fixed-size vector by the hashing trick
 * over three groups of features:
 *
 * - word unigrams (lower-cased, accents folded, stop words dropped, plurals folded), weight 0.6;
 * - word bigrams over the remaining words, for phrases ("brand awareness"), weight 0.2;
 * - character 3- and 4-grams of each word with boundary marks (`<cof`, `fee>`), so "brewing" still meets "brew"
 *   and a typo still matches most of its word, weight 0.2.
 *
 * Counts are damped (1 + ln tf), each group is normalised on its own so long words cannot drown the word features,
 * then the weighted sum is L2-normalised. Each feature is hashed (FNV-1a, then a murmur3 finaliser) to a bucket and
 * a sign; signed hashing makes collisions cancel on average instead of piling up.
 *
 * It is lexical: it matches shared words and word pieces, not synonyms ("cheap" does not meet "affordable"). That is
 * the quality gap to the cloud embedders, and why `id` names the scheme: vectors of another scheme are never compared.
 * Deterministic: the same text always gives the same vector, on any machine.
 */
import { l2Normalize, type Embedder } from './embeddings.port';

export const LEXICAL_EMBEDDER_VERSION = 'hashed-ngrams-v1';
export const LEXICAL_DEFAULT_DIMENSIONS = 512;

export interface LexicalEmbedderOptions {
  /** Vector size; 512 matches the pgvector column the migration creates. */
  dimensions?: number;
}

const GROUP_WEIGHTS = { words: 0.6, bigrams: 0.2, chars: 0.2 } as const;

/** English and Italian function words (the offline writer's two languages); they carry no topic. */
const STOP_WORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between ' +
    'both but by can could did do does doing down during each few for from further had has have having he her here ' +
    'hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of ' +
    'off on once only or other our ours ourselves out over own same she should so some such than that the their ' +
    'theirs them themselves then there these they this those through to too under until up very was we were what ' +
    'when where which while who whom why will with would you your yours yourself yourselves us may might must shall ' +
    'get got via per etc ' +
    'il lo la i gli le un uno una di da in con su per tra fra e ed o ma se che chi cui non come dove quando anche ' +
    'del dello della dei degli delle al allo alla ai agli alle dal dallo dalla dai dagli dalle nel nello nella nei ' +
    'negli nelle sul sullo sulla sui sugli sulle è sono era essere ha hanno ho questo questa questi queste quello ' +
    'quella quelli quelle suo sua suoi sue loro mio mia nostro nostra più molto ci si ne dell all dall nell sull ' +
    'quell quest'
  ).split(' '),
);

/** Lower-cased words with accents folded; apostrophes split elisions ("dell'azienda") and drop possessives. */
export function lexicalWords(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  const words: string[] = [];
  for (const match of folded.matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu)) {
    for (const part of match[0].split(/['’]/)) {
      if (part === 's' || part === 't' || part === 'll' || part === 're' || part === 've' || part === 'd') continue;
      if (part) words.push(part);
    }
  }
  return words;
}

/** Folds English plurals so "brands" meets "brand"; leaves short words and "-ss"/"-us"/"-is" endings alone. */
function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** The content words of a text, in order: stop words and single letters dropped, plurals folded. */
export function contentTerms(text: string): string[] {
  return lexicalWords(text)
    .filter((w) => !STOP_WORDS.has(w) && (w.length > 1 || /\d/.test(w)))
    .map(stem);
}

// Module-level bindings: a global lookup per call (`Math.imul`) is ~20x slower inside a vm context such as jest's.
const { imul, log } = Math;

const FNV_OFFSET = 0x811c9dc5;

/** FNV-1a over UTF-16 code units of `s[start, end)`, continuing from `h`. */
function fnv(h: number, s: string, start = 0, end = s.length): number {
  for (let i = start; i < end; i++) {
    h ^= s.charCodeAt(i);
    h = imul(h, 0x01000193);
  }
  return h;
}

/** murmur3's finaliser, so every output bit (bucket and sign) depends on every input bit. */
function finalize(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// Features are hashed as the strings `w:<term>`, `b:<term> <term>` and `c:<n-gram>`, without building the strings.
const WORD = fnv(FNV_OFFSET, 'w:');
const BIGRAM = fnv(FNV_OFFSET, 'b:');
const CHARS = fnv(FNV_OFFSET, 'c:');

function addCount(counts: Map<number, number>, feature: number): void {
  counts.set(feature, (counts.get(feature) ?? 0) + 1);
}

/** Adds a feature group, damped and normalised, into `out` with the group's weight. */
function addGroup(out: Float64Array, group: Float64Array, counts: Map<number, number>, weight: number): void {
  if (counts.size === 0) return;
  group.fill(0);
  // Map order is insertion order, which depends only on the text: the float sums are reproducible.
  for (const [h, count] of counts) {
    group[(h & 0x7fffffff) % group.length] += (h & 0x80000000 ? -1 : 1) * (1 + log(count));
  }
  let norm = 0;
  for (let i = 0; i < group.length; i++) norm += group[i] * group[i];
  if (norm === 0) return;
  const scale = weight / Math.sqrt(norm);
  for (let i = 0; i < group.length; i++) out[i] += group[i] * scale;
}

/** The normalised vector of one text. Exported for tests and benchmarks. */
export function lexicalVector(text: string, dimensions = LEXICAL_DEFAULT_DIMENSIONS): number[] {
  const terms = contentTerms(text);
  const words = new Map<number, number>();
  const bigrams = new Map<number, number>();
  const chars = new Map<number, number>();
  for (let i = 0; i < terms.length; i++) {
    const term = terms[i];
    addCount(words, finalize(fnv(WORD, term)));
    if (i > 0) addCount(bigrams, finalize(fnv(fnv(fnv(BIGRAM, terms[i - 1]), ' '), term)));
    const padded = `<${term}>`;
    if (/[\uD800-\uDFFF]/.test(padded)) {
      // Code points, not UTF-16 units, so an n-gram never splits a supplementary character.
      const points = [...padded];
      for (let n = 3; n <= 4; n++) {
        for (let j = 0; j + n <= points.length; j++)
          addCount(chars, finalize(fnv(CHARS, points.slice(j, j + n).join(''))));
      }
    } else {
      for (let n = 3; n <= 4; n++) {
        for (let j = 0; j + n <= padded.length; j++) addCount(chars, finalize(fnv(CHARS, padded, j, j + n)));
      }
    }
  }
  const out = new Float64Array(dimensions);
  const scratch = new Float64Array(dimensions);
  addGroup(out, scratch, words, GROUP_WEIGHTS.words);
  addGroup(out, scratch, bigrams, GROUP_WEIGHTS.bigrams);
  addGroup(out, scratch, chars, GROUP_WEIGHTS.chars);
  return l2Normalize(out);
}

export function createLexicalEmbedder(options: LexicalEmbedderOptions = {}): Embedder {
  const dimensions = options.dimensions ?? LEXICAL_DEFAULT_DIMENSIONS;
  if (!Number.isInteger(dimensions) || dimensions < 16 || dimensions > 16_384) {
    throw new Error(`Lexical embedder dimensions must be an integer between 16 and 16384, got ${dimensions}`);
  }
  return {
    name: 'lexical',
    id: `lexical:${LEXICAL_EMBEDDER_VERSION}:${dimensions}`,
    dimensions,
    batchSize: 64,
    // Hash collisions give unrelated texts scores of about ±1/sqrt(dimensions) (rms 0.04 at 512); 2.5x that is noise.
    relevanceFloor: Math.round(250 / Math.sqrt(dimensions)) / 100,
    async embedDocuments(texts, opts) {
      const vectors: number[][] = [];
      for (const text of texts) {
        opts?.signal?.throwIfAborted();
        vectors.push(lexicalVector(text, dimensions));
      }
      return vectors;
    },
    async embedQuery(text, opts) {
      opts?.signal?.throwIfAborted();
      return lexicalVector(text, dimensions);
    },
    async check() {
      // Nothing to reach.
    },
  };
}
