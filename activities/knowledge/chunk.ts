/**
 * Deterministic chunking: extracted blocks become passages of about `targetTokens` tokens, cut at paragraph
 * boundaries where possible, else at sentence boundaries, else (a run-on "sentence") at word boundaries. A heading
 * always starts a new passage, and every passage carries the nearest heading above it. Consecutive passages of one
 * section overlap by up to `overlapTokens` tokens of whole sentences, so a fact cut in two still lands whole in one
 * passage. A short tail of a section is folded into the passage before it.
 *
 * Tokens are counted by the `tokenizer` option: indexing passes cl100k_base (tokens.ts); without one, the estimate
 * (about 4/3 tokens per word) is used. Same input and options, same chunks, always.
 */
import type { TextBlock } from '../../lib/text/text-blocks';
import { estimatedTokens, type TokenCounter } from './tokens';

export { estimateTokens } from './tokens';

export interface ChunkOptions {
  /** Passage size to aim for; default 300 tokens. */
  targetTokens?: number;
  /** Hard cap for one passage; default 1.5 x target. */
  maxTokens?: number;
  /** Sentences repeated from the previous passage of the same section; default 40 tokens, 0 for none. */
  overlapTokens?: number;
  /** A section tail shorter than this joins the previous passage when it fits; default 50 tokens. */
  minTokens?: number;
  /** How tokens are counted; default the estimate. */
  tokenizer?: TokenCounter;
}

export interface TextChunk {
  ordinal: number;
  /** The nearest heading above the passage, or null before the first heading. */
  heading: string | null;
  text: string;
  tokenCount: number;
}

/** A piece of a paragraph; `join` is how it attaches to the piece before it in a passage. */
interface Unit {
  text: string;
  tokens: number;
  join: '\n\n' | ' ';
}

const ABBREVIATION =
  /(?:^|\s)(?:mr|mrs|ms|dr|prof|st|vs|inc|ltd|co|jr|sr|no|nr|fig|approx|dept|sig|sig\.ra|dott|ing|avv|ca|e\.g|i\.e|etc|[A-Z])\.\s*$/i;

/** Terminal punctuation (with closing quotes or brackets) before whitespace, CJK full stops, or a line break. */
const BOUNDARY = /([.!?…]["'”’)\]]*)\s+|([。！？])|\s*\n\s*/g;

/**
 * Sentences, trimmed. A boundary is terminal punctuation followed by whitespace (or a CJK full stop, or a line
 * break); a split after a common abbreviation ("Dr. Rossi") or before a lower-case word ("e.g. this", "9 a.m. today")
 * is undone. A linear scan on purpose: `Intl.Segmenter` measured quadratic on long paragraphs (7 s for 10,000
 * sentences) and varies with the ICU version, where chunking must not.
 */
export function splitSentences(text: string): string[] {
  const pieces: { text: string; afterLineBreak: boolean }[] = [];
  let start = 0;
  let afterLineBreak = false;
  for (const m of text.matchAll(BOUNDARY)) {
    const end = m.index + (m[1]?.length ?? m[2]?.length ?? 0);
    pieces.push({ text: text.slice(start, end).trim(), afterLineBreak });
    afterLineBreak = m[1] === undefined && m[2] === undefined;
    start = m.index + m[0].length;
  }
  pieces.push({ text: text.slice(start).trim(), afterLineBreak });

  const out: string[] = [];
  for (const piece of pieces) {
    if (!piece.text) continue;
    const previous = out[out.length - 1];
    if (
      previous !== undefined &&
      !piece.afterLineBreak &&
      (ABBREVIATION.test(previous) || /^\p{Ll}/u.test(piece.text))
    ) {
      out[out.length - 1] = `${previous} ${piece.text}`;
    } else {
      out.push(piece.text);
    }
  }
  return out;
}

/** A unit counted with its join, which stands before it wherever it is not a passage's first. */
function toUnit(text: string, join: Unit['join'], counter: TokenCounter): Unit {
  return { text, join, tokens: counter.count(join + text) };
}

/** Cuts a "word" longer than the cap (a URL, a base64 blob) by characters, about `max` tokens a piece. */
function cutWord(word: string, max: number, counter: TokenCounter): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < word.length;) {
    let length = max * 4;
    for (let n = counter.count(word.slice(at, at + length)); n > max && length > 1;) {
      length = Math.max(1, Math.min(length - 1, Math.floor((length * max) / n)));
      n = counter.count(word.slice(at, at + length));
    }
    pieces.push(word.slice(at, at + length));
    at += length;
  }
  return pieces;
}

/** Splits text too long for one passage into pieces of at most `max` tokens, at word boundaries. */
function splitWords(text: string, max: number, counter: TokenCounter): string[] {
  const pieces: string[] = [];
  let current: string[] = [];
  let running = counter.running();
  const flush = () => {
    if (current.length > 0) pieces.push(current.join(' '));
    current = [];
    running = counter.running();
  };
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (counter.count(word) > max) {
      flush();
      pieces.push(...cutWord(word, max, counter));
      continue;
    }
    if (current.length > 0 && running.peek(word) > max) flush();
    current.push(word);
    running.add(word);
  }
  flush();
  return pieces;
}

/** A paragraph as units: whole when it fits the target, else its sentences (long ones cut at words). */
function paragraphUnits(text: string, target: number, max: number, counter: TokenCounter): Unit[] {
  const whole = toUnit(text, '\n\n', counter);
  if (whole.tokens <= target) return [whole];
  const units: Unit[] = [];
  for (const sentence of splitSentences(text)) {
    const pieces = counter.count(sentence) > max ? splitWords(sentence, target, counter) : [sentence];
    for (const piece of pieces) units.push(toUnit(piece, units.length === 0 ? '\n\n' : ' ', counter));
  }
  return units;
}

function render(units: readonly Unit[]): string {
  return units.map((u, i) => (i === 0 ? u.text : u.join + u.text)).join('');
}

function resolveOptions(options: ChunkOptions) {
  const target = options.targetTokens ?? 300;
  const max = options.maxTokens ?? Math.round(target * 1.5);
  const overlap = options.overlapTokens ?? Math.min(40, Math.floor(target / 4));
  const min = options.minTokens ?? Math.min(50, Math.floor(target / 4));
  if (!Number.isInteger(target) || target < 16) throw new Error(`targetTokens must be an integer >= 16, got ${target}`);
  if (max < target) throw new Error(`maxTokens (${max}) must be at least targetTokens (${target})`);
  if (overlap < 0 || overlap > target / 2) throw new Error(`overlapTokens must be between 0 and targetTokens / 2`);
  return { target, max, overlap, min };
}

export function chunkBlocks(blocks: readonly TextBlock[], options: ChunkOptions = {}): TextChunk[] {
  const { target, max, overlap, min } = resolveOptions(options);
  const counter = options.tokenizer ?? estimatedTokens;
  const chunks: Omit<TextChunk, 'ordinal'>[] = [];
  let heading: string | null = null;
  /** Units of the passage being built; the first `carried` of them repeat the previous passage. */
  let units: Unit[] = [];
  let carried = 0;
  /** Whether the last emitted passage belongs to the current section (so a short tail may join it). */
  let sectionHasChunk = false;

  // The sum of the units' estimates bounds the estimate of their concatenation from above, so caps hold; it is
  // also linear, where re-estimating the rendered text on every step made long paragraphs quadratic.
  const tokensOf = (list: readonly Unit[]) => list.reduce((n, u) => n + u.tokens, 0);

  const emit = () => {
    const fresh = units.slice(carried);
    if (fresh.length === 0) return;
    const previous = chunks[chunks.length - 1];
    const freshTokens = tokensOf(fresh);
    if (sectionHasChunk && previous && freshTokens < min) {
      const merged = `${previous.text}${fresh[0].join}${render(fresh)}`;
      const mergedTokens = counter.count(merged);
      if (mergedTokens <= max) {
        previous.text = merged;
        previous.tokenCount = mergedTokens;
        units = [];
        carried = 0;
        return;
      }
    }
    const text = render(units);
    chunks.push({ heading, text, tokenCount: counter.count(text) });
    sectionHasChunk = true;
    // Carry whole trailing sentences into the next passage, up to the overlap budget.
    const tail: Unit[] = [];
    for (let i = units.length - 1; i >= carried && overlap > 0; i--) {
      const sentences = splitSentences(units[i].text);
      let fits = true;
      for (let s = sentences.length - 1; s >= 0; s--) {
        const candidate = toUnit(sentences[s], ' ', counter);
        if (candidate.tokens + tokensOf(tail) > overlap) {
          fits = false;
          break;
        }
        tail.unshift(candidate);
      }
      if (!fits) break;
      if (tail.length > 0) tail[0] = toUnit(tail[0].text, units[i].join, counter);
    }
    units = tail;
    carried = tail.length;
  };

  const endSection = () => {
    emit();
    units = [];
    carried = 0;
    sectionHasChunk = false;
  };

  for (const block of blocks) {
    if (block.kind === 'heading') {
      endSection();
      heading = block.text;
      continue;
    }
    for (const unit of paragraphUnits(block.text, target, max, counter)) {
      if (units.length > carried && tokensOf(units) + unit.tokens > target) emit();
      // The overlap gives way to a unit that would not fit beside it.
      if (carried > 0 && tokensOf(units) + unit.tokens > max) {
        units = [];
        carried = 0;
      }
      units.push(unit);
    }
  }
  endSection();
  return chunks.map((c, ordinal) => ({ ordinal, ...c }));
}

/** What gets embedded for a passage: its heading gives short passages their topic. */
export function embeddingInput(chunk: Pick<TextChunk, 'heading' | 'text'>, documentTitle?: string | null): string {
  return [documentTitle, chunk.heading, chunk.text].filter((part) => part && part.trim()).join('\n\n');
}
