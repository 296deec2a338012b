/**
 * The public-text kit and the feeds built with it, against hostile text: `]]>` (the CDATA break-out of issue 8),
 * markup, NUL and other controls, lone surrogates and bidi overrides, in fixed cases and in generated strings.
 */
import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { atomFeed, rssFeed, type FeedDocument } from '../../api/routes/channel-feed';
import { cleanPublicLine, cleanPublicText, escapeHtml, escapeHtmlLines } from '../../lib/html';

const HOSTILE = [
  ']]>',
  ']]><script>alert(1)</script>',
  'a]]>b]]>c]]><script>alert(2)</script>',
  '<![CDATA[<script>x</script>]]>',
  '<img src=x onerror=alert(3)>',
  '"\'><svg onload=alert(4)>',
  '&lt;script&gt; &amp; &#x3c;',
  'nul\u0000 bell\u0007 esc\u001b del\u007f c1\u0085\u009b',
  'lone \ud800 high, lone \udfff low, pair 😀 ok',
  'bidi \u202eevil\u202c \u2066iso\u2069 marks \u200e\u200f\u061c stay',
  '\ufffe\uffff',
];

/** Characters XML 1.0 refuses, plus the bidi controls the kit removes. */
// eslint-disable-next-line no-control-regex -- the test looks for exactly these
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF\u202A-\u202E\u2066-\u2069]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const hostileText = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc
    .array(fc.constantFrom(']]>', '<', '>', '&', '"', "'", '\u0000', '\ud800', '\u202e', 'script', ' ', 'é', '😀'), {
      maxLength: 30,
    })
    .map((parts) => parts.join('')),
);

function feedWith(text: string): FeedDocument {
  return {
    id: 'http://localhost:3000/c/brand',
    title: text,
    description: text,
    link: 'http://localhost:3000/c/brand',
    atomUrl: 'http://localhost:3000/c/brand/feed.atom',
    rssUrl: 'http://localhost:3000/c/brand/feed.rss',
    rights: `© ${text}`,
    updated: new Date('2026-01-02T03:04:05Z'),
    entries: [
      {
        id: 'http://localhost:3000/c/brand/posts/1',
        title: text,
        link: 'http://localhost:3000/c/brand/posts/1?a=1&b=2',
        summary: text,
        contentHtml: `<p>${escapeHtml(text)}</p>`,
        date: new Date('2026-01-02T03:04:05Z'),
        video: { url: 'http://localhost:3000/files/posts/1/video.mp4', type: 'video/mp4', length: 12 },
        categories: ['instagram', text],
      },
    ],
  };
}

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: XmlElement[];
}

/** Parses with saxes, a strict XML parser that throws on anything not well-formed, into a small tree. */
function parse(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [{ name: '#document', attributes: {}, text: '', children: [] }];
  parser.on('opentag', (tag) => {
    const attributes = Object.fromEntries(Object.values(tag.attributes).map((a) => [a.name, a.value]));
    const element = { name: tag.local, attributes, text: '', children: [] };
    stack.at(-1)!.children.push(element);
    stack.push(element);
  });
  parser.on('text', (text) => (stack.at(-1)!.text += text));
  parser.on('closetag', () => stack.pop());
  parser.on('error', (err) => {
    throw err;
  });
  parser.write(xml).close();
  return stack[0].children[0];
}

const all = (el: XmlElement): XmlElement[] => [el, ...el.children.flatMap(all)];
const elementNames = (root: XmlElement) => new Set(all(root).map((el) => el.name.toLowerCase()));
/** Text of the first element named `name` inside the first element named `inside`. */
const textOf = (root: XmlElement, inside: string, name: string) =>
  all(root)
    .find((el) => el.name === inside)
    ?.children.find((el) => el.name === name)?.text;

describe('public text kit', () => {
  it('removes what XML forbids, lone surrogates and bidi controls, and keeps the rest', () => {
    expect(cleanPublicText(HOSTILE[7])).toBe('nul bell esc del c1');
    expect(cleanPublicText(HOSTILE[8])).toBe('lone  high, lone  low, pair 😀 ok');
    expect(cleanPublicText(HOSTILE[9])).toBe('bidi evil iso marks \u200e\u200f\u061c stay');
    expect(cleanPublicText('tab\tline\nreturn\r')).toBe('tab\tline\nreturn\r');
    expect(cleanPublicText(null)).toBe('');
    expect(cleanPublicLine(' a\r\nb\tc\u2028d ')).toBe('a b c d');
  });

  it('escapes markup into entities, never leaving a tag or an attribute break', () => {
    expect(escapeHtml(`"'<>&`)).toBe('&quot;&#39;&lt;&gt;&amp;');
    expect(escapeHtmlLines('a <b>\nc')).toBe('a &lt;b&gt;<br>c');
    fc.assert(
      fc.property(hostileText, (text) => {
        const out = escapeHtml(text);
        expect(out).not.toMatch(/[<>"']/);
        expect(out).not.toMatch(FORBIDDEN);
        expect(out).not.toMatch(LONE_SURROGATE);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['Atom', atomFeed],
    ['RSS', rssFeed],
  ])('%s feeds stay well-formed and carry hostile text as text, never as markup', (_name, build) => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const xml = build(feedWith(text));
        expect(xml).not.toContain('<![CDATA[');
        expect(xml).not.toMatch(FORBIDDEN);
        expect(xml).not.toMatch(LONE_SURROGATE);
        const names = elementNames(parse(xml));
        expect(names.has('script')).toBe(false);
        expect(names.has('img')).toBe(false);
        expect(names.has('svg')).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips the cleaned text through the feed', () => {
    const text = HOSTILE[2] + HOSTILE[7] + HOSTILE[9];
    const atom = parse(atomFeed(feedWith(text)));
    expect(textOf(atom, 'entry', 'title')).toBe(cleanPublicText(text));
    expect(textOf(atom, 'entry', 'content')).toBe(`<p>${escapeHtml(text)}</p>`);
    const rss = parse(rssFeed(feedWith(text)));
    expect(textOf(rss, 'item', 'title')).toBe(cleanPublicText(text));
    expect(all(rss).find((el) => el.name === 'enclosure')?.attributes.url).toBe(
      'http://localhost:3000/files/posts/1/video.mp4',
    );
  });
});
