import {
  collapse,
  firstHeading,
  joinLines,
  LIST_ITEM,
  normalizeText,
  type ExtractedText,
  type TextBlock,
} from '../../lib/text/text-blocks';

/** A line that reads like a title: short, has letters, starts with a capital or digit, does not end like a sentence. */
function looksLikeHeading(line: string): boolean {
  const text = line.trim();
  if (text.length < 2 || text.length > 90 || !/\p{L}/u.test(text)) return false;
  if (/[.,;!?…]$/.test(text) || LIST_ITEM.test(text) || !/^[\p{Lu}\p{N}"'“‘(]/u.test(text)) return false;
  return text.split(/\s+/).length <= 12;
}

/**
 * Paragraphs are separated by blank lines; a short, unpunctuated line standing alone (or underlined with
 * `===`/`---`) is taken as a heading.
 */
export function extractPlainText(input: string): ExtractedText {
  const groups = normalizeText(input)
    .split(/\n[ ]*\n+/)
    .map((g) => g.split('\n').filter((l) => l.trim()))
    .filter((g) => g.length > 0);
  const blocks: TextBlock[] = [];
  groups.forEach((lines, i) => {
    // A lone short line before more text is a heading; the last line of a file is not (it introduces nothing).
    if (lines.length === 1 && i < groups.length - 1 && looksLikeHeading(lines[0])) {
      const text = collapse(lines[0]);
      const shouting = text === text.toUpperCase() && /\p{Lu}/u.test(text);
      blocks.push({ kind: 'heading', level: shouting ? 1 : 2, text });
      return;
    }
    // Setext-style underlines ("Our story\n=========") may sit anywhere in a group.
    let paragraph: string[] = [];
    for (let k = 0; k < lines.length; k++) {
      const underline = /^\s*(=+|-+)\s*$/.exec(lines[k + 1] ?? '');
      if (underline && underline[1].length >= 3 && looksLikeHeading(lines[k])) {
        if (paragraph.length) blocks.push({ kind: 'paragraph', text: joinLines(paragraph) });
        paragraph = [];
        blocks.push({ kind: 'heading', level: underline[1][0] === '=' ? 1 : 2, text: collapse(lines[k]) });
        k += 1;
      } else {
        paragraph.push(lines[k]);
      }
    }
    if (paragraph.length) blocks.push({ kind: 'paragraph', text: joinLines(paragraph) });
  });
  return { title: firstHeading(blocks), blocks };
}
