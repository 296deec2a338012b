/**
 * HTML to headings and paragraphs, on htmlparser2's tolerant, browser-like tokenizer (entities decoded by the
 * `entities` package it uses, implied end tags closed as browsers close them). Script, style, navigation, footers,
 * forms and hidden elements are dropped from the text; h1-h6 become headings; block elements separate paragraphs;
 * the cells of a table row stay on one line. Links are collected from the whole page, chrome included, because a
 * site's contact and social links usually live in its footer.
 */
import { Parser } from 'htmlparser2';
import { collapse, firstHeading, normalizeText, type ExtractedText, type TextBlock } from './text-blocks';

export interface HtmlLink {
  /** As written in the page (entities decoded), not resolved against the page's URL. */
  href: string;
  text: string;
}

export interface HtmlText extends ExtractedText {
  links: HtmlLink[];
}

/** Elements whose content never is text: code, embedded documents, graphics. */
const CODE = new Set('script style noscript template svg math canvas iframe object'.split(' '));
/** Chrome around the content: dropped from the text, unless dropping it would leave nothing. */
const CHROME = new Set('nav aside footer form button select dialog'.split(' '));
const VOID = new Set('area base br col embed hr img input link meta param source track wbr'.split(' '));
const BLOCK = new Set(
  'address article blockquote br caption dd details div dl dt fieldset figcaption figure header hr li main ol p pre section summary table tbody tfoot thead tr ul body html'.split(
    ' ',
  ),
);
/** Blocks that end an unclosed heading when they open after its text (other markup inside a heading is part of it). */
const HEADING_ENDERS = new Set(['p', 'ul', 'ol', 'dl', 'table', 'section', 'article', 'blockquote', 'pre', 'main']);
const HIDDEN_ROLES = /^(?:navigation|contentinfo|search|dialog|alert|complementary)$/i;
/**
 * htmlparser2 pays the nesting depth on every tag (its open-element stack grows at the front), so a hostile page of
 * nothing but unclosed tags takes time quadratic in its size: refused past this depth. Real pages nest a few dozen
 * deep; browsers stop nesting at 512.
 */
export const MAX_HTML_DEPTH = 1024;

/** Thrown for markup nested deeper than `MAX_HTML_DEPTH`. */
export class HtmlTooDeepError extends Error {
  constructor() {
    super(`The HTML nests elements more than ${MAX_HTML_DEPTH} deep`);
    this.name = 'HtmlTooDeepError';
  }
}

/**
 * Sees every tag and text run of the parse, so an extractor that needs more than the text (meta tags, JSON-LD,
 * attributes) reads the page in the same pass. Tags arrive balanced: the parser closes what the markup left open.
 */
export interface HtmlTap {
  onopentag(name: string, attributes: Record<string, string>): void;
  ontext(data: string): void;
  onclosetag(name: string): void;
}

export function htmlToText(html: string, tap?: HtmlTap): HtmlText {
  const first = parseHtml(html, true, tap);
  // An unclosed <nav> or <footer> would swallow the rest of the page: if nothing is left, keep the chrome.
  if (first.blocks.length === 0 && first.unclosedSkip) {
    const relaxed = parseHtml(html, false);
    return { title: first.title ?? relaxed.title, blocks: relaxed.blocks, links: first.links };
  }
  return { title: first.title, blocks: first.blocks, links: first.links };
}

function isHidden(attributes: Record<string, string>): boolean {
  if ('hidden' in attributes) return true;
  if (/^\s*true/i.test(attributes['aria-hidden'] ?? '')) return true;
  if (/display\s*:\s*none/i.test(attributes.style ?? '')) return true;
  return HIDDEN_ROLES.test(attributes.role?.trim() ?? '');
}

function parseHtml(input: string, dropChrome: boolean, tap?: HtmlTap): HtmlText & { unclosedSkip: boolean } {
  const blocks: TextBlock[] = [];
  const links: HtmlLink[] = [];
  /** Links being read, with the stack depth of their `<a>`. */
  const openLinks: (HtmlLink & { depth: number })[] = [];
  const stack: string[] = [];
  let title: string | null = null;
  let titleText: string | null = null;
  let text = '';
  let heading = 0;
  /** The stack depth of the element being dropped, or -1. */
  let skipAt = -1;
  /** The stack depth of the code element (script, svg, ...) being dropped, or -1: its text is not a link's either. */
  let codeAt = -1;

  const flush = () => {
    const t = collapse(normalizeText(text).replace(/^[\s|]+|[\s|]+$/g, ''));
    text = '';
    if (t) blocks.push(heading ? { kind: 'heading', level: heading, text: t } : { kind: 'paragraph', text: t });
  };

  const onOpen = (name: string, attributes: Record<string, string>) => {
    const depth = stack.length;
    if (depth >= MAX_HTML_DEPTH) throw new HtmlTooDeepError();
    stack.push(name);
    if (CODE.has(name) && codeAt === -1) codeAt = depth;
    if (name === 'a' && attributes.href?.trim()) openLinks.push({ href: attributes.href.trim(), text: '', depth });
    if (name === 'title' && title === null && skipAt === -1) titleText = '';
    if (skipAt !== -1) return;
    if (!VOID.has(name) && (CODE.has(name) || (dropChrome && CHROME.has(name)) || isHidden(attributes))) {
      flush();
      skipAt = depth;
      return;
    }
    const level = /^h([1-6])$/.exec(name);
    if (level) {
      flush();
      heading = Number(level[1]);
    } else if (name === 'td' || name === 'th') {
      // Cells of a row stay on one line, so a value keeps its label.
      text += ' | ';
    } else if (BLOCK.has(name)) {
      onBlock(name, false);
    } else if (name === 'img' || name === 'input') {
      // Keep words apart where the markup alone separated them.
      text += ' ';
    }
  };

  const onBlock = (name: string, closing: boolean) => {
    if (heading) {
      // Markup inside a heading (<h2><div>…</div></h2>) is part of it, but a paragraph after an unclosed heading
      // starts the body.
      if (closing || !HEADING_ENDERS.has(name) || !text.trim()) {
        text += ' ';
        return;
      }
      flush();
      heading = 0;
      return;
    }
    flush();
  };

  const onClose = (name: string) => {
    stack.pop();
    const depth = stack.length;
    if (codeAt === depth) codeAt = -1;
    if (openLinks.at(-1)?.depth === depth) {
      const link = openLinks.pop()!;
      links.push({ href: link.href, text: collapse(normalizeText(link.text)) });
    }
    if (name === 'title' && titleText !== null) {
      title = collapse(normalizeText(titleText)) || null;
      titleText = null;
    }
    if (skipAt !== -1) {
      if (skipAt === depth) skipAt = -1;
      return;
    }
    if (/^h[1-6]$/.test(name)) {
      flush();
      heading = 0;
    } else if (BLOCK.has(name) && !VOID.has(name)) {
      onBlock(name, true);
    }
  };

  const parser = new Parser(
    {
      onopentag: (name, attributes) => {
        onOpen(name, attributes);
        tap?.onopentag(name, attributes);
      },
      onclosetag: (name) => {
        onClose(name);
        tap?.onclosetag(name);
      },
      ontext: (data) => {
        tap?.ontext(data);
        if (stack[stack.length - 1] === 'title') {
          if (titleText !== null) titleText += data;
          return;
        }
        if (codeAt === -1) for (const link of openLinks) link.text += data;
        if (skipAt === -1) text += data;
      },
    },
    // CDATA keeps its text, and `<iframe … />` closes itself, as the hand-written tokenizer before this one did.
    { decodeEntities: true, recognizeCDATA: true, recognizeSelfClosing: true },
  );
  parser.write(normalizeText(input));
  // Still inside a dropped element once all the markup is read: it was never closed.
  const unclosedSkip = skipAt !== -1;
  parser.end();
  flush();
  return { title: title ?? firstHeading(blocks), blocks, links, unclosedSkip };
}
