/** Layout text: what a template sets in a box of fixed size. Cleaned here first, escaped (escape.ts) last. */

export interface CleanTextOptions {
  /** Folds runs of spaces into one and blank lines into a single line break. */
  foldSpace?: boolean;
  /** Cuts at the last whole word (when that keeps most of the text) rather than mid-word. */
  atWord?: boolean;
}

/**
 * Text as a string, control characters dropped (newlines kept, tabs too), trimmed; past `max` characters, cut with
 * "…" so no input can break the layout. Escaping is separate: pass the result through `escapeHtml`.
 */
export function cleanText(
  value: unknown,
  max = Infinity,
  { foldSpace = false, atWord = false }: CleanTextOptions = {},
) {
  let text = (value == null ? '' : String(value))
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '')
    .trim();
  if (foldSpace) text = text.replace(/[ \t]+/g, ' ').replace(/\n\s*\n+/g, '\n');
  const chars = [...text];
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join('');
  const word = cut.replace(/\s+\S*$/, '');
  return `${(atWord && word.length > max * 0.6 ? word : cut).trimEnd()}…`;
}

/** Monogram for brands without a logo: first letters of the first two words, punctuation skipped. */
export function initials(name: string): string {
  const words = name.match(/[\p{L}\p{N}]+/gu) ?? [];
  const letters = words.length > 1 ? words.slice(0, 2).map((w) => [...w][0]) : [...(words[0] ?? '')].slice(0, 2);
  return letters.join('').toUpperCase() || '•';
}
