/**
 * Text extraction for the knowledge base: plain text, Markdown, HTML and PDF become an ordered list of blocks,
 * headings and paragraphs, so the chunker can cut at paragraph boundaries and tell each passage which section it
 * comes from.
 *
 * - Text: paragraphs are separated by blank lines; a short, unpunctuated line standing alone (or underlined with
 *   `===`/`---`) is taken as a heading.
 * - Markdown: markup is stripped to plain text (links keep their text, images their alt text, tables their cells);
 *   ATX and setext headings become headings.
 * - HTML: a small tolerant tokenizer (no dependency): script, style, nav, aside, footer, forms and hidden elements
 *   are dropped; h1-h6 become headings; block elements separate paragraphs; entities are decoded.
 * - PDF: poppler's `pdftotext -bbox-layout`, run with a timeout and the activity's cancellation signal. It lists
 *   text flows in reading order (two columns stay two columns, where `-layout` interleaves their lines) with the
 *   size of every line, so a block set in a larger type than the body is a heading. Page numbers and running
 *   headers repeated on most pages are dropped.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runPopplerTool } from '../shared/poppler';
import { failure } from '../../lib/failures';
import { isSourceType, SOURCE_TYPES } from '../../lib/knowledge/source-type';

export { detectSourceType, isSourceType, SOURCE_TYPES, type SourceType } from '../../lib/knowledge/source-type';

export type TextBlock = { kind: 'heading'; level: number; text: string } | { kind: 'paragraph'; text: string };

export interface ExtractedText {
  /** The document's own title when it states one (HTML `<title>`, Markdown front matter, the first heading). */
  title: string | null;
  blocks: TextBlock[];
}

export interface ExtractOptions {
  signal?: AbortSignal;
  /** PDF only: the longest pdftotext may run; default 60 s. */
  pdfTimeoutMs?: number;
  /** PDF only: the pdftotext binary; default `pdftotext` on the PATH. */
  pdftotextPath?: string;
}

const MAX_PDF_OUTPUT_BYTES = 256 * 1024 * 1024;

export async function extractText(
  data: Buffer,
  sourceType: string,
  options: ExtractOptions = {},
): Promise<ExtractedText> {
  if (!isSourceType(sourceType)) {
    throw failure(
      'InvalidInput',
      `Unsupported document type ${JSON.stringify(sourceType)}; supported: ${SOURCE_TYPES.join(', ')}`,
    );
  }
  switch (sourceType) {
    case 'text':
      return extractPlainText(decodeText(data));
    case 'markdown':
      return extractMarkdown(decodeText(data));
    case 'html':
      return extractHtml(decodeText(data, { html: true }));
    case 'pdf':
      return extractPdf(data, options);
  }
}

/** The blocks as plain text, headings on their own lines: for previews, logs and keyword statistics. */
export function blocksToText(blocks: readonly TextBlock[]): string {
  return blocks.map((b) => b.text).join('\n\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding

/**
 * Bytes to a string: UTF-8 (with or without BOM), UTF-16 with a BOM, the charset an HTML page declares, else
 * Windows-1252, which every byte sequence decodes under (what browsers do for legacy pages).
 */
export function decodeText(data: Buffer, options: { html?: boolean } = {}): string {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return decodeAs('utf-8', data.subarray(3));
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  try {
    return decodeAs('utf-8', data, true);
  } catch {
    // Not UTF-8: look for a declared charset, then fall back.
  }
  if (options.html) {
    const head = data.subarray(0, 2048).toString('latin1');
    const declared = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1];
    if (declared) {
      try {
        return decodeAs(declared, data);
      } catch {
        // An unknown label: fall through.
      }
    }
  }
  return decodeAs('windows-1252', data);
}

/** Windows-1252's characters for bytes 0x80-0x9F (the rest of the code page is Latin-1). */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function decodeAs(label: string, data: Buffer, fatal = false): string {
  const decoder = new TextDecoder(label, { fatal });
  // Node decodes "windows-1252" (and the labels WHATWG maps to it: latin1, iso-8859-1, ascii) as plain Latin-1,
  // which turns curly quotes, dashes and the euro sign into control characters.
  if (decoder.encoding === 'windows-1252') {
    return data.toString('latin1').replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
  }
  return decoder.decode(data);
}

/** Line endings to \n, tabs and odd spaces to spaces, control characters and the BOM removed. */
function normalizeText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      .replace(/\f/g, '\n\n')
      .replace(/[\t\v\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000e-\u001f\u007f\ufeff\u200b]/g, '')
  );
}

const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();

// ---------------------------------------------------------------------------------------------------------------
// Plain text

const LIST_ITEM = /^\s*(?:[-*+•‣◦▪–]|\d{1,3}[.)]|[a-z][.)])\s+/i;

/** Joins the lines of a paragraph: list items stay on their own lines, hyphenated line breaks are mended. */
function joinLines(lines: string[]): string {
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

/** A line that reads like a title: short, has letters, starts with a capital or digit, does not end like a sentence. */
function looksLikeHeading(line: string): boolean {
  const text = line.trim();
  if (text.length < 2 || text.length > 90 || !/\p{L}/u.test(text)) return false;
  if (/[.,;!?…]$/.test(text) || LIST_ITEM.test(text) || !/^[\p{Lu}\p{N}"'“‘(]/u.test(text)) return false;
  return text.split(/\s+/).length <= 12;
}

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

function firstHeading(blocks: TextBlock[]): string | null {
  const heading = blocks.find((b) => b.kind === 'heading');
  return heading?.text ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown

/** Inline Markdown to plain text. */
function stripInlineMarkdown(text: string): string {
  // Escaped characters ("\\*") are parked in the private-use area so the emphasis rules cannot see them.
  const parked = text.replace(/\\([\\`*_{}[\]()#+\-.!|>~<])/g, (_m, c: string) =>
    String.fromCharCode(0xe000 + c.charCodeAt(0)),
  );
  const plain = decodeEntities(
    parked
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/!\[([^\]]*)\]\[[^\]]*\]/g, '$1')
      .replace(/\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)/g, '$1')
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
      .replace(/<((?:https?|mailto):[^>\s]+)>/gi, '$1')
      .replace(/<\/?[a-zA-Z][^>]*>/g, '')
      .replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_m, _t, code: string) => code.trim())
      .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
      .replace(/(^|[^\p{L}\p{N}_*])\*(?=\S)([^*]*?\S)\*(?![\p{L}\p{N}])/gu, '$1$2')
      .replace(/(^|[^\p{L}\p{N}_])_(?=\S)([^_]*?\S)_(?![\p{L}\p{N}])/gu, '$1$2')
      .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1'),
  );
  return plain.replace(/[\ue000-\ue07f]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xe000));
}

export function extractMarkdown(input: string): ExtractedText {
  let text = normalizeText(input);
  let title: string | null = null;
  const frontMatter = /^---[ ]*\n([\s\S]*?)\n(?:---|\.\.\.)[ ]*(?:\n|$)/.exec(text);
  if (frontMatter) {
    const declared = /^title:\s*(.+)$/m.exec(frontMatter[1])?.[1].trim();
    if (declared) title = declared.replace(/^(["'])(.*)\1$/, '$2').trim() || null;
    text = text.slice(frontMatter[0].length);
  }

  const blocks: TextBlock[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    const joined = stripInlineMarkdown(joinLines(paragraph));
    if (joined.trim()) blocks.push({ kind: 'paragraph', text: joined.trim() });
    paragraph = [];
  };

  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      // Code blocks keep their text: in marketing documents they are mostly snippets worth finding.
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i].trimStart().startsWith(fence[1]); i++) code.push(lines[i]);
      if (code.some((l) => l.trim())) blocks.push({ kind: 'paragraph', text: code.join('\n').trim() });
      continue;
    }
    const atx = /^\s{0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$/.exec(line);
    if (atx) {
      flush();
      const heading = collapse(stripInlineMarkdown(atx[2] ?? ''));
      if (heading) blocks.push({ kind: 'heading', level: atx[1].length, text: heading });
      continue;
    }
    const setext = /^\s{0,3}(=+|-+)\s*$/.exec(line);
    if (setext && paragraph.length > 0 && !LIST_ITEM.test(paragraph[paragraph.length - 1])) {
      // The paragraph's last line was a heading.
      const heading = collapse(stripInlineMarkdown(paragraph.pop()!));
      flush();
      if (heading) blocks.push({ kind: 'heading', level: setext[1][0] === '=' ? 1 : 2, text: heading });
      continue;
    }
    if (/^\s{0,3}([-*_])(?:\s*\1){2,}\s*$/.test(line) || !line.trim()) {
      flush();
      continue;
    }
    if (/^\s{0,3}\[[^\]]+\]:\s*\S+/.test(line)) continue; // link reference definition
    if (/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line) && line.includes('-')) continue; // table rule
    let content = line.replace(/^\s{0,3}(?:>\s?)+/, '');
    if (/^\s*\|.*\|\s*$/.test(content)) {
      content = content
        .trim()
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim())
        .filter(Boolean)
        .join(' | ');
      // Each table row is a line of its own.
      paragraph.push(`- ${content}`);
      continue;
    }
    content = content.replace(/^(\s*(?:[-*+]|\d{1,9}[.)])\s+)\[[ xX]\]\s+/, '$1');
    if (LIST_ITEM.test(content)) content = `- ${content.replace(LIST_ITEM, '')}`;
    paragraph.push(content);
  }
  flush();
  return { title: title ?? firstHeading(blocks), blocks: blocks.map(unbulletTables) };
}

/** Table rows and list items were marked "- " to keep them on separate lines; the marker carries no meaning. */
function unbulletTables(block: TextBlock): TextBlock {
  return block.kind === 'paragraph' ? { ...block, text: block.text.replace(/(^|\n)- /g, '$1') } : block;
}

// ---------------------------------------------------------------------------------------------------------------
// HTML

/** Elements whose whole content is dropped: code, chrome around the content, hidden things. */
const SKIPPED = new Set(
  'script style noscript template svg math canvas iframe object nav aside footer form button select dialog'.split(' '),
);
/** Elements whose content is raw text: a `<` inside is not a tag. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'noscript', 'template', 'iframe']);
const VOID = new Set('area base br col embed hr img input link meta param source track wbr'.split(' '));
const BLOCK = new Set(
  'address article blockquote br caption dd details div dl dt fieldset figcaption figure header hr li main ol p pre section summary table tbody tfoot thead tr ul body html'.split(
    ' ',
  ),
);
const HEADING_ENDERS = new Set(['p', 'ul', 'ol', 'dl', 'table', 'section', 'article', 'blockquote', 'pre', 'main']);
const HIDDEN_ROLES = /^(?:navigation|contentinfo|search|dialog|alert|complementary)$/i;

export function extractHtml(html: string): ExtractedText {
  const first = tokenizeHtml(html, SKIPPED);
  // An unclosed <nav> or <footer> would swallow the rest of the page: if nothing is left, keep those elements.
  if (first.blocks.length === 0 && first.unclosedSkip) {
    const relaxed = tokenizeHtml(html, new Set([...SKIPPED].filter((t) => RAW_TEXT.has(t))));
    return { title: first.title ?? relaxed.title, blocks: relaxed.blocks };
  }
  return { title: first.title, blocks: first.blocks };
}

function tokenizeHtml(
  input: string,
  skipped: ReadonlySet<string>,
): { title: string | null; blocks: TextBlock[]; unclosedSkip: boolean } {
  const html = normalizeText(input);
  const blocks: TextBlock[] = [];
  let title: string | null = null;
  let text = '';
  let heading = 0;
  const skipStack: string[] = [];

  const flush = () => {
    const t = collapse(decodeEntities(text).replace(/^[\s|]+|[\s|]+$/g, ''));
    text = '';
    if (t) blocks.push(heading ? { kind: 'heading', level: heading, text: t } : { kind: 'paragraph', text: t });
  };

  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const end = lt === -1 ? html.length : lt;
    if (end > i && skipStack.length === 0) text += html.slice(i, end);
    if (lt === -1) break;
    i = lt;

    if (html.startsWith('<!--', i)) {
      const close = html.indexOf('-->', i + 4);
      i = close === -1 ? html.length : close + 3;
      continue;
    }
    if (html.startsWith('<![CDATA[', i)) {
      const close = html.indexOf(']]>', i);
      if (skipStack.length === 0) text += html.slice(i + 9, close === -1 ? html.length : close);
      i = close === -1 ? html.length : close + 3;
      continue;
    }
    if (html[i + 1] === '!' || html[i + 1] === '?') {
      const close = html.indexOf('>', i);
      i = close === -1 ? html.length : close + 1;
      continue;
    }
    const tag = /^<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)/.exec(html.slice(i, i + 64));
    if (!tag) {
      // A lone "<" as in "a < b" is text.
      if (skipStack.length === 0) text += '<';
      i += 1;
      continue;
    }
    const tagEnd = findTagEnd(html, i + tag[0].length);
    const attributes = html.slice(i + tag[0].length, tagEnd);
    i = tagEnd + 1;
    const name = tag[2].toLowerCase();
    const closing = tag[1] === '/';
    const selfClosing = attributes.trimEnd().endsWith('/');

    if (!closing && RAW_TEXT.has(name) && !selfClosing) {
      const close = html.slice(i).search(new RegExp(`</${name}\\s*>`, 'i'));
      const rawEnd = close === -1 ? html.length : i + close;
      if (name === 'title' && title === null) title = collapse(decodeEntities(html.slice(i, rawEnd))) || null;
      else if (!skipped.has(name) && skipStack.length === 0) text += html.slice(i, rawEnd);
      i = close === -1 ? html.length : html.indexOf('>', rawEnd) + 1;
      continue;
    }

    if (skipStack.length > 0) {
      if (closing) {
        const at = skipStack.lastIndexOf(name);
        if (at !== -1) skipStack.length = at;
      } else if (!VOID.has(name) && !selfClosing && (skipped.has(name) || name === skipStack[skipStack.length - 1])) {
        skipStack.push(name);
      }
      continue;
    }

    if (!closing && !VOID.has(name) && !selfClosing && (skipped.has(name) || isHidden(attributes))) {
      flush();
      skipStack.push(name);
      continue;
    }

    const level = /^h([1-6])$/.exec(name);
    if (level) {
      flush();
      heading = closing ? 0 : Number(level[1]);
      continue;
    }
    if (name === 'td' || name === 'th') {
      // Cells of a row stay on one line, so a value keeps its label.
      if (!closing) text += ' | ';
      continue;
    }
    if (BLOCK.has(name)) {
      if (heading) {
        // Markup inside a heading (<h2><div>…</div></h2>) is part of it, but a paragraph after an unclosed heading
        // starts the body.
        if (closing || !HEADING_ENDERS.has(name) || !text.trim()) {
          text += ' ';
          continue;
        }
        flush();
        heading = 0;
        continue;
      }
      flush();
      continue;
    }
    // Inline elements: keep words apart where the markup alone separated them (`<td>` excepted above).
    if (name === 'img' || name === 'input') text += ' ';
  }
  flush();
  return { title: title ?? firstHeading(blocks), blocks, unclosedSkip: skipStack.length > 0 };
}

/** The index of the `>` that ends a tag, skipping `>` inside quoted attribute values. */
function findTagEnd(html: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < html.length; i++) {
    const c = html[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return i;
    }
  }
  return html.length;
}

function isHidden(attributes: string): boolean {
  if (/(?:^|\s)hidden(?:\s|=|\/|$)/i.test(attributes)) return true;
  if (/aria-hidden\s*=\s*["']?true/i.test(attributes)) return true;
  if (/style\s*=\s*["'][^"']*display\s*:\s*none/i.test(attributes)) return true;
  const role = /(?:^|\s)role\s*=\s*["']?([\w-]+)/i.exec(attributes)?.[1];
  return role !== undefined && HIDDEN_ROLES.test(role);
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  shy: '',
  zwj: '',
  zwnj: '',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  laquo: '«',
  raquo: '»',
  lsaquo: '‹',
  rsaquo: '›',
  bull: '•',
  middot: '·',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  sect: '§',
  para: '¶',
  deg: '°',
  plusmn: '±',
  times: '×',
  divide: '÷',
  frac12: '½',
  frac14: '¼',
  frac34: '¾',
  iexcl: '¡',
  iquest: '¿',
  ordf: 'ª',
  ordm: 'º',
  aelig: 'æ',
  AElig: 'Æ',
  oslash: 'ø',
  Oslash: 'Ø',
  szlig: 'ß',
  eth: 'ð',
  thorn: 'þ',
  oelig: 'œ',
  OElig: 'Œ',
  rarr: '→',
  larr: '←',
  check: '✓',
};
const COMBINING: Record<string, string> = {
  grave: '\u0300',
  acute: '\u0301',
  circ: '\u0302',
  tilde: '\u0303',
  uml: '\u0308',
  ring: '\u030a',
  cedil: '\u0327',
  caron: '\u030c',
};

/** Numeric references, the common named ones, and accented letters (`&eacute;`). Unknown names stay as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,31}));?/g,
    (whole, dec, hex, name) => {
      if (dec !== undefined || hex !== undefined) {
        const code = dec !== undefined ? Number(dec) : parseInt(hex as string, 16);
        if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
        return String.fromCodePoint(code);
      }
      if (!whole.endsWith(';') && !/^(?:amp|lt|gt|quot|nbsp|copy|reg)$/.test(name as string)) return whole;
      const known = NAMED_ENTITIES[name as string];
      if (known !== undefined) return known;
      const accented = /^([a-zA-Z])(grave|acute|circ|tilde|uml|ring|cedil|caron)$/.exec(name as string);
      if (accented) return (accented[1] + COMBINING[accented[2]]).normalize('NFC');
      return whole;
    },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// PDF

interface PdfLine {
  text: string;
  height: number;
}

interface PdfBlock {
  page: number;
  lines: PdfLine[];
}

export async function extractPdf(data: Buffer, options: ExtractOptions = {}): Promise<ExtractedText> {
  if (!data.subarray(0, 1024).includes('%PDF-')) {
    throw failure('InvalidInput', 'The file is not a PDF (no %PDF- header)');
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'studioflow-pdf-'));
  try {
    const input = path.join(dir, 'input.pdf');
    const output = path.join(dir, 'output.html');
    await fs.writeFile(input, data);
    await runPdftotext(options, ['-bbox-layout', '-enc', 'UTF-8', input, output]);
    const stat = await fs.stat(output);
    if (stat.size > MAX_PDF_OUTPUT_BYTES) {
      throw failure('InvalidInput', 'The PDF holds too much text to index');
    }
    const result = parseBboxLayout(await fs.readFile(output, 'utf8'));
    if (result.blocks.length === 0) {
      throw failure('InvalidInput', 'The PDF has no extractable text (a scanned document needs OCR first)');
    }
    return result;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function runPdftotext(options: ExtractOptions, args: string[]): Promise<void> {
  await runPopplerTool(options.pdftotextPath ?? 'pdftotext', args, {
    timeoutMs: options.pdfTimeoutMs ?? 60_000,
    signal: options.signal,
    maxBuffer: 1024 * 1024,
    name: 'pdftotext',
    onFailure: (detail, err) =>
      // pdftotext exits 1 for a file it cannot open or parse and 3 for a PDF whose permissions forbid copying.
      err.code === 1 || err.code === 3
        ? failure('InvalidInput', `The PDF cannot be read: ${detail}`)
        : failure('ExtractionFailed', `pdftotext failed: ${detail}`),
  });
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g, (_m, dec, hex, name) =>
    name ? XML_ENTITIES[name as string] : String.fromCodePoint(dec ? Number(dec) : parseInt(hex as string, 16)),
  );
}

const num = (attrs: string, name: string): number => Number(new RegExp(`${name}="([-\\d.]+)"`).exec(attrs)?.[1] ?? 0);

/** pdftotext's `-bbox-layout` XHTML: pages of flows (reading order) of blocks of lines of words, with coordinates. */
export function parseBboxLayout(xhtml: string): ExtractedText {
  const blocks: PdfBlock[] = [];
  let page = 0;
  let block: PdfBlock | null = null;
  let line: { words: string[]; height: number } | null = null;
  for (const m of xhtml.matchAll(/<(\/?)(page|block|line|word)\b([^>]*)>(?:([^<]*)<\/word>)?/g)) {
    const [, closing, tag, attrs, word] = m;
    if (tag === 'page' && !closing) page += 1;
    else if (tag === 'block') {
      if (!closing) block = { page, lines: [] };
      else if (block) {
        if (block.lines.length) blocks.push(block);
        block = null;
      }
    } else if (tag === 'line') {
      if (!closing) line = { words: [], height: num(attrs, 'yMax') - num(attrs, 'yMin') };
      else if (line && block) {
        const text = collapse(line.words.join(' '));
        if (text) block.lines.push({ text, height: line.height });
        line = null;
      }
    } else if (tag === 'word' && line && word !== undefined) {
      line.words.push(decodeXml(word));
    }
  }
  return pdfBlocksToText(blocks);
}

const PAGE_NUMBER = /^(?:page\s+)?\d{1,4}(?:\s*(?:\/|of)\s*\d{1,4})?$|^[-–]\s*\d{1,4}\s*[-–]$/i;

function pdfBlocksToText(all: PdfBlock[]): ExtractedText {
  const pages = new Set(all.map((b) => b.page)).size;
  // Running headers and footers: the same short text on most pages.
  const seenOn = new Map<string, Set<number>>();
  for (const b of all) {
    const key = b.lines.map((l) => l.text).join(' ');
    if (key.length <= 100) seenOn.set(key, (seenOn.get(key) ?? new Set()).add(b.page));
  }
  const running = (key: string) => pages >= 3 && (seenOn.get(key)?.size ?? 0) >= Math.max(3, pages * 0.5);
  const kept = all.filter((b) => {
    const key = b.lines.map((l) => l.text).join(' ');
    return !PAGE_NUMBER.test(key) && !running(key);
  });

  // The body size is the line height carrying the most words; clearly larger short blocks are headings.
  const weight = new Map<number, number>();
  for (const b of kept) {
    for (const l of b.lines) {
      const h = Math.round(l.height * 2) / 2;
      weight.set(h, (weight.get(h) ?? 0) + l.text.split(' ').length);
    }
  }
  const body = [...weight.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
  const isHeading = (b: PdfBlock) => {
    const words = b.lines.reduce((n, l) => n + l.text.split(' ').length, 0);
    const height = b.lines.reduce((s, l) => s + l.height, 0) / b.lines.length;
    return body > 0 && b.lines.length <= 3 && words <= 20 && height >= body * 1.15 && /\p{L}/u.test(b.lines[0].text);
  };
  const headingSizes = [...new Set(kept.filter(isHeading).map((b) => Math.round(b.lines[0].height * 2) / 2))].sort(
    (a, b) => b - a,
  );

  const blocks: TextBlock[] = kept.map((b) => {
    if (isHeading(b)) {
      const level = Math.min(headingSizes.indexOf(Math.round(b.lines[0].height * 2) / 2) + 1, 6) || 1;
      return { kind: 'heading', level, text: collapse(b.lines.map((l) => l.text).join(' ')) };
    }
    return { kind: 'paragraph', text: joinLines(b.lines.map((l) => l.text)) };
  });
  return { title: firstHeading(blocks), blocks };
}
