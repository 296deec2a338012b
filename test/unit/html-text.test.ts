import { HtmlTooDeepError, htmlToText, MAX_HTML_DEPTH } from '../../lib/text/html-text';
import type { TextBlock } from '../../lib/text/text-blocks';

const texts = (blocks: TextBlock[]) => blocks.map((b) => b.text);

describe('HTML to text, on hostile markup', () => {
  it('drops scripts and styles, even when their content looks like markup', () => {
    const out = htmlToText(
      `<p>Before<script>document.write('<p>injected</p>')</script> after</p><style>p::after { content: "<p>x</p>" }</style>` +
        `<script src="x.js"></script><noscript><p>Enable JavaScript</p></noscript><p>Kept</p>`,
    );
    expect(texts(out.blocks)).toEqual(['Before', 'after', 'Kept']);
  });

  it('decodes named, numeric and legacy entities once, and keeps escaped markup as text', () => {
    const out = htmlToText(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; &copy; &#169; &#x1F600; &le; AT&T &eacute;t&eacute; &#0; x&shy;y&#8203;z</p>',
    );
    expect(texts(out.blocks)).toEqual(['<script>alert(1)</script> &amp; © © 😀 ≤ AT&T été \ufffd xyz']);
  });

  it('gives every list item of nested lists its own paragraph, in document order', () => {
    const out = htmlToText('<ul><li>Beans<ul><li>Arabica</li><li>Robusta</ul></li><li>Grinders</ul>');
    expect(texts(out.blocks)).toEqual(['Beans', 'Arabica', 'Robusta', 'Grinders']);
  });

  it('keeps the cells of a table row on one line, with implied end tags', () => {
    const out = htmlToText(
      '<table><thead><tr><th>Plan</th><th>Price</th></tr></thead><tbody><tr><td>Basic<td>&euro;9<tr><td>Pro<td><b>&euro;29</b></tbody></table>',
    );
    expect(texts(out.blocks)).toEqual(['Plan | Price', 'Basic | €9', 'Pro | €29']);
  });

  it('survives malformed markup: unclosed elements, stray brackets, quoted ">", comments and CDATA', () => {
    const out = htmlToText(
      '<div><p>Unclosed <b>bold <i>italic</p><p>next</div><p>a < b > c</p><p title="x>y">quoted</p>' +
        '<p>Hello <!-- <p>commented</p> --> world</p><![CDATA[cdata text]]><?php echo 1 ?></span></p><h2>Last<p>tail',
    );
    expect(out.blocks).toEqual([
      { kind: 'paragraph', text: 'Unclosed bold italic' },
      { kind: 'paragraph', text: 'next' },
      { kind: 'paragraph', text: 'a < b > c' },
      { kind: 'paragraph', text: 'quoted' },
      { kind: 'paragraph', text: 'Hello world' },
      { kind: 'paragraph', text: 'cdata text' },
      { kind: 'heading', level: 2, text: 'Last' },
      { kind: 'paragraph', text: 'tail' },
    ]);
  });

  it('closes chrome left open by its parent, and a self-closed iframe swallows nothing', () => {
    const out = htmlToText('<div><nav><a href="/">Home</a></div><p>After nav</p><iframe src="x"/><p>After iframe</p>');
    expect(texts(out.blocks)).toEqual(['After nav', 'After iframe']);
  });

  it('drops hidden elements and landmark roles but keeps separators between words', () => {
    const out = htmlToText(
      '<div role="navigation">menu</div><div aria-hidden="TRUE">deco</div><span hidden>h</span>' +
        '<p style="color:red; display : none">tracking</p><p>One<br>Two</p><p>x<img src=a>y</p>',
    );
    expect(texts(out.blocks)).toEqual(['One', 'Two', 'x y']);
  });

  it('takes the first <title>, and never the text of an svg title', () => {
    const out = htmlToText('<svg><title>icon</title></svg><head><title> Lumen &amp; Co </title></head><p>Body</p>');
    expect(out.title).toBe('Lumen & Co');
    expect(texts(out.blocks)).toEqual(['Body']);
  });

  it('collects links from the whole page, footer and navigation included', () => {
    const out = htmlToText(
      '<nav><a href="/">Home</a></nav><p>See <a href=" /shop ">our <b>shop</b></a>.</p><a name="anchor">no href</a>' +
        '<footer><a href="mailto:hi@lumen.coffee">Mail us</a> <a href="https://instagram.com/lumen?a=1&amp;b=2"><svg><text>ig</text></svg>IG</a></footer>',
    );
    expect(texts(out.blocks)).toEqual(['See our shop.', 'no href']);
    expect(out.links).toEqual([
      { href: '/', text: 'Home' },
      { href: '/shop', text: 'our shop' },
      { href: 'mailto:hi@lumen.coffee', text: 'Mail us' },
      { href: 'https://instagram.com/lumen?a=1&b=2', text: 'IG' },
    ]);
  });

  it('refuses markup nested deeper than browsers nest, before the parser slows down', () => {
    const started = Date.now();
    expect(() => htmlToText(`${'<b><i><u>'.repeat(100_000)}text`)).toThrow(HtmlTooDeepError);
    expect(Date.now() - started).toBeLessThan(1_000);
    const deep = htmlToText(`${'<div>'.repeat(MAX_HTML_DEPTH - 1)}<p>deep</p>${'</span>'.repeat(10_000)}`);
    expect(texts(deep.blocks)).toEqual(['deep']);
  });
});
