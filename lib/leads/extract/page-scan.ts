import { HtmlTooDeepError, htmlToText, type HtmlLink, type HtmlTap } from '../../text/html-text';
import { collapse, normalizeText, type TextBlock } from '../../text/text-blocks';
import { safeDecode } from './decode';

/** What one fetched page tells, read in one pass of the knowledge base's HTML parser. */
export interface PageScan {
  title: string | null;
  /** Content headings and paragraphs (chrome such as nav and footer left out). */
  blocks: TextBlock[];
  links: HtmlLink[];
  /** Every text run outside code elements, chrome included (contact details live in footers), one line per block. */
  text: string;
  lang: string | null;
  /** `<meta>` tags keyed by their lower-cased name, property or http-equiv; the first of each kind wins. */
  meta: Map<string, string>;
  /** The text of each `<script type="application/ld+json">`. */
  jsonLd: string[];
  /** Addresses of scripts, stylesheets, iframes and images, as written. */
  resources: string[];
  /** Inline script text, capped, for the snippets trackers paste into pages. */
  inlineScripts: string;
  /** Cloudflare's obfuscated addresses (`data-cfemail`, `/cdn-cgi/l/email-protection#…`), still encoded. */
  cfEmails: string[];
  /** Microdata values of the properties leads use (`itemprop` → content or text), in page order. */
  microdata: { prop: string; value: string }[];
  /** The text of each `<address>` element. */
  addresses: string[];
  /** Set when the markup was refused (nested too deep): the scan holds what was read before. */
  truncated: boolean;
}

const CODE = new Set('script style noscript template svg math canvas iframe object'.split(' '));
const BREAKS = new Set(
  'address article blockquote br dd div dl dt footer h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table td th tr ul'.split(
    ' ',
  ),
);
/** Elements that stand apart from the text around them (`<a>info@acme.com</a><a>Tel</a>` is two words). */
const SEPARATE = new Set('a button label option img input select textarea'.split(' '));
const MICRODATA = new Set(
  'streetAddress postalCode addressLocality addressRegion addressCountry telephone email'.split(' '),
);
const RESOURCE_ATTRIBUTE: Record<string, string> = { script: 'src', link: 'href', iframe: 'src', img: 'src' };
const MAX_INLINE_SCRIPT = 256 * 1024;
const MAX_JSON_LD = 256 * 1024;
const CF_EMAIL_HREF = /\/cdn-cgi\/l\/email-protection#([0-9a-f]+)/i;
/** Text shown reversed by CSS so harvesters read it backwards (`direction: rtl; unicode-bidi: bidi-override`). */
const isBidiOverride = (style: string) => /direction\s*:\s*rtl/i.test(style) && /bidi-override/i.test(style);

interface Capture {
  depth: number;
  kind: 'jsonld' | 'inline' | 'address' | 'reversed' | 'microdata';
  text: string;
  prop?: string;
}

export function scanPage(html: string): PageScan {
  const scan: PageScan = {
    title: null,
    blocks: [],
    links: [],
    text: '',
    lang: null,
    meta: new Map(),
    jsonLd: [],
    resources: [],
    inlineScripts: '',
    cfEmails: [],
    microdata: [],
    addresses: [],
    truncated: false,
  };
  const lines: string[] = [];
  let line = '';
  let depth = 0;
  let codeAt = -1;
  let jsonLdSize = 0;
  const captures: Capture[] = [];
  const endLine = () => {
    const t = collapse(line);
    if (t) lines.push(t);
    line = '';
  };

  const tap: HtmlTap = {
    onopentag(name, attributes) {
      const at = depth++;
      if (BREAKS.has(name)) endLine();
      else if (SEPARATE.has(name)) line += ' ';
      if (name === 'html' && scan.lang === null && attributes.lang?.trim()) scan.lang = attributes.lang.trim();
      if (name === 'meta') readMeta(scan.meta, attributes);
      const resource = attributes[RESOURCE_ATTRIBUTE[name] ?? '']?.trim();
      if (resource && !resource.startsWith('data:')) scan.resources.push(resource);
      if (attributes['data-cfemail']) scan.cfEmails.push(attributes['data-cfemail']);
      const cf = CF_EMAIL_HREF.exec(attributes.href ?? '');
      if (cf) scan.cfEmails.push(cf[1]);
      if (name === 'script') {
        const type = attributes.type?.trim().toLowerCase() ?? '';
        if (type === 'application/ld+json') captures.push({ depth: at, kind: 'jsonld', text: '' });
        else if (!attributes.src && (!type || type.includes('javascript') || type === 'module'))
          captures.push({ depth: at, kind: 'inline', text: '' });
      }
      if (CODE.has(name) && codeAt === -1) codeAt = at;
      if (name === 'address') captures.push({ depth: at, kind: 'address', text: '' });
      if (attributes.style && isBidiOverride(attributes.style))
        captures.push({ depth: at, kind: 'reversed', text: '' });
      const prop = attributes.itemprop?.trim();
      if (prop && MICRODATA.has(prop)) {
        // <a itemprop="telephone" href="tel:…"> states the value in its link.
        const href = name === 'a' ? attributes.href?.replace(/^\s*(?:mailto|tel):/i, '').split('?')[0] : undefined;
        const content = attributes.content ?? (href ? safeDecode(href) : undefined);
        if (content !== undefined) scan.microdata.push({ prop, value: collapse(content) });
        else captures.push({ depth: at, kind: 'microdata', text: '', prop });
      }
    },
    ontext(data) {
      for (const capture of captures)
        if (codeAt === -1 || capture.kind === 'jsonld' || capture.kind === 'inline') capture.text += data;
      if (codeAt !== -1 || captures.some((c) => c.kind === 'reversed')) return;
      line += data;
    },
    onclosetag(name) {
      const at = --depth;
      if (codeAt === at) codeAt = -1;
      while (captures.length && captures[captures.length - 1].depth >= at) closeCapture(captures.pop()!);
      if (BREAKS.has(name)) endLine();
      else if (SEPARATE.has(name)) line += ' ';
    },
  };

  const closeCapture = (capture: Capture) => {
    const text = capture.text;
    if (capture.kind === 'jsonld') {
      if (jsonLdSize + text.length <= MAX_JSON_LD) scan.jsonLd.push(text);
      jsonLdSize += text.length;
    } else if (capture.kind === 'inline') {
      if (scan.inlineScripts.length < MAX_INLINE_SCRIPT) scan.inlineScripts += `${text.slice(0, MAX_INLINE_SCRIPT)}\n`;
    } else if (capture.kind === 'address') {
      const t = collapse(normalizeText(text));
      if (t) scan.addresses.push(t);
    } else if (capture.kind === 'reversed') {
      // The reader sees the text turned back; so should the extractor.
      line += ` ${[...text].reverse().join('')} `;
    } else if (capture.prop) {
      const t = collapse(normalizeText(text));
      if (t) scan.microdata.push({ prop: capture.prop, value: t });
    }
  };

  try {
    const out = htmlToText(html, tap);
    scan.title = out.title;
    scan.blocks = out.blocks;
    scan.links = out.links;
  } catch (err) {
    if (!(err instanceof HtmlTooDeepError)) throw err;
    scan.truncated = true;
  }
  endLine();
  scan.text = normalizeText(lines.join('\n'));
  return scan;
}

function readMeta(meta: Map<string, string>, attributes: Record<string, string>) {
  const key = (attributes.property ?? attributes.name ?? attributes['http-equiv'] ?? attributes.itemprop)
    ?.trim()
    .toLowerCase();
  const content = attributes.content?.trim();
  if (key && content && !meta.has(key)) meta.set(key, collapse(normalizeText(content)));
}
