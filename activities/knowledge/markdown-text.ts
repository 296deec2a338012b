/**
 * Markdown to headings and paragraphs through markdown-it (CommonMark, with GFM tables and strikethrough): links keep
 * their text, images their alt text, code keeps its text, tables their cells; raw HTML goes through the HTML
 * extractor. YAML front matter, which CommonMark does not know, is read here for its `title`.
 *
 * Blocks written on consecutive lines (a sentence that introduces a list, the items of a tight list, a table) stay
 * one paragraph, one line each, so a list keeps the sentence that says what it lists.
 */
import MarkdownIt from 'markdown-it';
import { htmlToText } from '../../lib/text/html-text';
import {
  collapse,
  firstHeading,
  joinLines,
  normalizeText,
  type ExtractedText,
  type TextBlock,
} from '../../lib/text/text-blocks';

type Token = MarkdownIt.Token;

const markdown = new MarkdownIt('default', { html: true, linkify: false, typographer: false });

/** A piece of text with the source lines it spans; `joinsAsLine` when it keeps its own line beside a neighbour. */
interface Piece {
  text: string;
  lines: [number, number] | null;
  kind: 'heading' | 'paragraph' | 'code';
  level: number;
  joinsAsLine: boolean;
}

function readFrontMatter(text: string): { title: string | null; body: string } {
  const frontMatter = /^---[ ]*\n([\s\S]*?)\n(?:---|\.\.\.)[ ]*(?:\n|$)/.exec(text);
  if (!frontMatter) return { title: null, body: text };
  const declared = /^title:\s*(.+)$/m.exec(frontMatter[1])?.[1].trim();
  const title = declared ? declared.replace(/^(["'])(.*)\1$/, '$2').trim() || null : null;
  // Blank lines in place of the front matter keep line numbers, and so which blocks touch, as written.
  return { title, body: '\n'.repeat(frontMatter[0].split('\n').length - 1) + text.slice(frontMatter[0].length) };
}

/** Inline tokens to plain text; soft and hard line breaks become \n, for `joinLines` to mend. */
function inlineText(tokens: readonly Token[] | null): string {
  let out = '';
  for (const token of tokens ?? []) {
    if (token.type === 'text' || token.type === 'code_inline') out += token.content;
    else if (token.type === 'image') out += token.content;
    else if (token.type === 'softbreak' || token.type === 'hardbreak') out += '\n';
  }
  return out;
}

function tableRows(tokens: readonly Token[], start: number): { rows: string[]; end: number } {
  const rows: string[] = [];
  let cells: string[] = [];
  let i = start;
  for (; i < tokens.length && tokens[i].type !== 'table_close'; i++) {
    const token = tokens[i];
    if (token.type === 'tr_open') cells = [];
    else if (token.type === 'inline') cells.push(collapse(inlineText(token.children)));
    else if (token.type === 'tr_close') {
      const row = cells.filter(Boolean).join(' | ');
      if (row) rows.push(row);
    }
  }
  return { rows, end: i };
}

function pieces(tokens: readonly Token[]): Piece[] {
  const out: Piece[] = [];
  /** Whether the next paragraph is the first of a list item, which keeps its own line. */
  let itemStart = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const lines = token.map;
    switch (token.type) {
      case 'list_item_open':
        itemStart = true;
        break;
      case 'heading_open': {
        const text = collapse(inlineText(tokens[i + 1].children));
        out.push({ text, lines, kind: 'heading', level: Number(token.tag.slice(1)), joinsAsLine: false });
        i += 2;
        break;
      }
      case 'paragraph_open': {
        let text = joinLines(inlineText(tokens[i + 1].children).split('\n'));
        // GitHub task list markers ("- [x] Done") carry no meaning for search.
        if (itemStart) text = text.replace(/^\[[ xX]\]\s+/, '');
        out.push({ text, lines, kind: 'paragraph', level: 0, joinsAsLine: itemStart });
        itemStart = false;
        i += 2;
        break;
      }
      case 'table_open': {
        const table = tableRows(tokens, i);
        out.push({ text: table.rows.join('\n'), lines, kind: 'paragraph', level: 0, joinsAsLine: true });
        i = table.end;
        break;
      }
      case 'fence':
      case 'code_block':
        // Code keeps its text: in marketing documents it is mostly snippets worth finding.
        out.push({ text: token.content.trim(), lines, kind: 'code', level: 0, joinsAsLine: false });
        break;
      case 'html_block':
        for (const block of htmlToText(token.content).blocks) {
          const level = block.kind === 'heading' ? block.level : 0;
          out.push({ text: block.text, lines: null, kind: block.kind, level, joinsAsLine: false });
        }
        break;
    }
  }
  return out;
}

export function extractMarkdown(input: string): ExtractedText {
  const { title, body } = readFrontMatter(normalizeText(input));
  const blocks: TextBlock[] = [];
  let previous: Piece | null = null;
  for (const piece of pieces(markdown.parse(body, {}))) {
    const last = blocks[blocks.length - 1];
    const touches =
      previous?.lines && piece.lines && previous.lines[1] === piece.lines[0] && previous.kind === 'paragraph';
    if (piece.kind === 'heading') {
      if (piece.text) blocks.push({ kind: 'heading', level: piece.level, text: piece.text });
    } else if (touches && piece.kind === 'paragraph' && last?.kind === 'paragraph' && piece.text) {
      last.text += (piece.joinsAsLine ? '\n' : ' ') + piece.text;
    } else if (piece.text) {
      blocks.push({ kind: 'paragraph', text: piece.text });
    }
    previous = piece.text ? piece : null;
  }
  return { title: title ?? firstHeading(blocks), blocks };
}
