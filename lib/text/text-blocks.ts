/**
 * The shape every text extractor produces (knowledge documents, crawled pages): an ordered list of headings and
 * paragraphs, so a consumer can cut at paragraph boundaries and tell each passage which section it comes from.
 * Pure helpers only: no I/O.
 */
export type TextBlock = { kind: 'heading'; level: number; text: string } | { kind: 'paragraph'; text: string };

export interface ExtractedText {
  /** The document's own title when it states one (HTML `<title>`, Markdown front matter, the first heading). */
  title: string | null;
  blocks: TextBlock[];
}

/** Line endings to \n, tabs and odd spaces to spaces, control characters, soft hyphens and the BOM removed. */
export function normalizeText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      .replace(/\f/g, '\n\n')
      .replace(/[\t\v\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' ')
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u0008\u000e-\u001f\u007f\ufeff\u200b\u00ad]/g, '')
  );
}

export const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();

export const LIST_ITEM = /^\s*(?:[-*+•‣◦▪–]|\d{1,3}[.)]|[a-z][.)])\s+/i;

/** Joins the lines of a paragraph: list items stay on their own lines, hyphenated line breaks are mended. */
export function joinLines(lines: readonly string[]): string {
  let out = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (!out) out = line;
    else if (LIST_ITEM.test(line)) out += `\n${line}`;
    else if (/\p{Ll}-$/u.test(out) && /^\p{Ll}/u.test(line)) out = out.slice(0, -1) + line;
    else out += ` ${line}`;
  }
  return out.replace(/[ ]{2,}/g, ' ');
}

export function firstHeading(blocks: readonly TextBlock[]): string | null {
  const heading = blocks.find((b) => b.kind === 'heading');
  return heading?.text ?? null;
}

/** The blocks as plain text, headings on their own lines: for previews, logs and keyword statistics. */
export function blocksToText(blocks: readonly TextBlock[]): string {
  return blocks.map((b) => b.text).join('\n\n');
}
