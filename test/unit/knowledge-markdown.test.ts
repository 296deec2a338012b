import { ApplicationFailure } from '@temporalio/common';
import { extractMarkdown, extractText } from '../../activities/knowledge/extract';

describe('markdown', () => {
  it('keeps the text of code fences and indented code, never reading them as markup', () => {
    const out = extractMarkdown(
      "```\n# not a heading\n<b>x</b> **y**\n```\n\n~~~python\nprint('hi')\n~~~\n\n    indented code\n    second line",
    );
    expect(out.blocks).toEqual([
      { kind: 'paragraph', text: '# not a heading\n<b>x</b> **y**' },
      { kind: 'paragraph', text: "print('hi')" },
      { kind: 'paragraph', text: 'indented code\nsecond line' },
    ]);
    expect(out.title).toBeNull();
  });

  it('keeps the text of links, autolinks, reference links and images, and placeholders inside code spans', () => {
    const out = extractMarkdown(
      'Visit [our shop](https://shop.example "Shop") or <https://lumen.coffee>, [the menu][menu], ![logo](l.png).\n' +
        'Files live at `brands/<brandId>/original.md`.\n\n[menu]: https://lumen.coffee/menu',
    );
    expect(out.blocks).toEqual([
      {
        kind: 'paragraph',
        text: 'Visit our shop or https://lumen.coffee, the menu, logo. Files live at brands/<brandId>/original.md.',
      },
    ]);
  });

  it('reads ATX and setext headings of every level, with inline markup stripped, and skips empty ones', () => {
    const out = extractMarkdown(
      'Setext one\n===\n\nSetext two\n---\n\n#### With `code` and **bold** ####\n\n#\n\n###### Six',
    );
    expect(out.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Setext one' },
      { kind: 'heading', level: 2, text: 'Setext two' },
      { kind: 'heading', level: 4, text: 'With code and bold' },
      { kind: 'heading', level: 6, text: 'Six' },
    ]);
    expect(out.title).toBe('Setext one');
  });

  it('keeps a tight list, nested items included, with the sentence that introduces it; a loose list splits', () => {
    const out = extractMarkdown(
      'Our products:\n- Beans\n  - Arabica\n  - [ ] Robusta\n- Grinders\n\nLoose list:\n\n1. one\n\n2. two',
    );
    expect(out.blocks.map((b) => b.text)).toEqual([
      'Our products:\nBeans\nArabica\nRobusta\nGrinders',
      'Loose list:',
      'one',
      'two',
    ]);
  });

  it('mends wrapped and hyphenated lines, and reads raw HTML through the HTML extractor', () => {
    const out = extractMarkdown(
      'A hard  \nbreak and a soft\nbreak, hy-\nphenated. Inline <span class="x">html</span> &amp; more.\n\n' +
        '<div>\n<h2>Block html</h2>\n<p>para &amp; more</p><script>alert(1)</script>\n</div>',
    );
    expect(out.blocks).toEqual([
      { kind: 'paragraph', text: 'A hard break and a soft break, hyphenated. Inline html & more.' },
      { kind: 'heading', level: 2, text: 'Block html' },
      { kind: 'paragraph', text: 'para & more' },
    ]);
  });

  it('refuses HTML nested absurdly deep, in a Markdown file or an HTML one, as InvalidInput', async () => {
    for (const [data, type] of [
      [`# Title\n\n${'<div>'.repeat(5_000)}`, 'markdown'],
      ['<span>'.repeat(5_000), 'html'],
    ]) {
      const err = await extractText(Buffer.from(data), type).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect(err).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    }
  });
});
