/**
 * Small, pure helpers the embedded writers (posts, scripts, report analysis) share to turn facts into prose.
 * Lengths count code points, not UTF-16 units, so an emoji such as 🔥 counts once.
 */

const ELLIPSIS = '…';
/** Longer hashtags read as noise and some platforms cut them. */
const MAX_TAG_CHARS = 30;

/** Length in code points. */
export const charCount = (s: string): number => [...s].length;

/** Whitespace collapsed and trimmed; undefined when nothing is left. */
export function clean(s: string | null | undefined): string | undefined {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t ? t : undefined;
}

export function capFirst(s: string): string {
  const [first = '', ...rest] = [...s];
  return first.toUpperCase() + rest.join('');
}

/** Lower-cases a leading capital so a sentence can follow a colon, but leaves acronyms ("SEO") alone. */
export function lowerFirst(s: string): string {
  const [first = '', second = '', ...rest] = [...s];
  return second && second === second.toUpperCase() ? s : first.toLowerCase() + second + rest.join('');
}

/** A fact used as a full sentence: capitalised and ending in punctuation. */
export function sentence(s: string): string {
  const t = capFirst(s.trim());
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}

/** Text used as a whole sentence as typed: a closing mark (also before a quote or bracket) kept, else a full stop. */
export function endSentence(s: string): string {
  const t = s.trim();
  return /[.!?…]["'”’)]?$/u.test(t) ? t : `${t.replace(/[\s,;:]+$/u, '')}.`;
}

/** A fact used inside a sentence: no trailing punctuation. */
export function phrase(s: string): string {
  return s.replace(/[\s.!?;:,…]+$/u, '');
}

/** "a, b and c" with the given conjunction. */
export function listWith(conjunction: string) {
  return (items: string[]): string =>
    items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** "a, b and c". */
export const list = listWith('and');

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

/** "Blue Bottle coffee" -> "BlueBottleCoffee"; undefined when nothing readable is left. */
export function toHashtag(text: string): string | undefined {
  const words = text
    .normalize('NFC')
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{N}_]+/u)
    .filter(Boolean);
  const tag = words.map(capFirst).join('');
  if (!/\p{L}/u.test(tag) || charCount(tag) > MAX_TAG_CHARS) return undefined;
  return tag;
}

/** FNV-1a: a stable, dependency-free hash to pick template variants without randomness. */
export function stableHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
