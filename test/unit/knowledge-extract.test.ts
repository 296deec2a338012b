import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import {
  decodeText,
  detectSourceType,
  extractHtml,
  extractMarkdown,
  extractPdf,
  extractPlainText,
  extractText,
  parseBboxLayout,
  type TextBlock,
} from '../../activities/knowledge/extract';

const PDFTOTEXT = '/usr/bin/pdftotext';

beforeAll(() => {
  if (!fs.existsSync(PDFTOTEXT))
    throw new Error(`${PDFTOTEXT} is missing; install it with: apt-get install -y poppler-utils`);
});

/** A text run on a page: PDF user-space coordinates, origin bottom-left. */
interface Run {
  x: number;
  y: number;
  size: number;
  lines: string[];
}

/** A real, minimal PDF 1.4: Helvetica text runs per page, with a correct xref table. */
function makePdf(pages: Run[][]): Buffer {
  const escape = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
  const objects: string[] = [];
  const fontId = 3 + pages.length * 2;
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  objects.push(
    `<< /Type /Pages /Kids [${pages.map((_, i) => `${3 + i * 2} 0 R`).join(' ')}] /Count ${pages.length} >>`,
  );
  pages.forEach((runs, i) => {
    const content = runs
      .map(
        (r) =>
          `BT /F1 ${r.size} Tf ${r.size + 3} TL ${r.x} ${r.y} Td ${r.lines.map((l) => `(${escape(l)}) Tj T*`).join(' ')} ET`,
      )
      .join('\n');
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${fontId} 0 R >> >> /Contents ${4 + i * 2} 0 R >>`,
    );
    objects.push(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
  });
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const paragraphs = (blocks: TextBlock[]) => blocks.filter((b) => b.kind === 'paragraph').map((b) => b.text);
const headings = (blocks: TextBlock[]) => blocks.filter((b) => b.kind === 'heading').map((b) => b.text);

async function failure(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

describe('plain text', () => {
  it('keeps paragraphs, mends wrapped lines and takes lone short lines as headings', () => {
    const out = extractPlainText(
      'OUR STORY\r\n\r\nLumen was founded in 2012 by two baristas who wanted to make\r\nspecialty coffee part of every morn-\r\ning. It grew fast.\n\nTarget audience\n\nYoung professionals in cities.\n- home brewers\n- office managers\n\nMission\n=======\nMake coffee better.\n\nThanks',
    );
    expect(out.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'OUR STORY' },
      {
        kind: 'paragraph',
        text: 'Lumen was founded in 2012 by two baristas who wanted to make specialty coffee part of every morning. It grew fast.',
      },
      { kind: 'heading', level: 2, text: 'Target audience' },
      { kind: 'paragraph', text: 'Young professionals in cities.\n- home brewers\n- office managers' },
      { kind: 'heading', level: 1, text: 'Mission' },
      { kind: 'paragraph', text: 'Make coffee better.' },
      { kind: 'paragraph', text: 'Thanks' },
    ]);
    expect(out.title).toBe('OUR STORY');
  });

  it('does not take sentences, lower-case lines or a closing line for headings', () => {
    const out = extractPlainText('We roast coffee.\n\nIt is good, really.\n\nand then some more\n\nSee you soon');
    expect(headings(out.blocks)).toEqual([]);
  });
});

describe('markdown', () => {
  it('strips markup to plain text and keeps headings as section hints', () => {
    const md = [
      '---',
      'title: "Lumen brand book"',
      'tags: [coffee]',
      '---',
      '# Lumen Coffee',
      '',
      'We roast **single-origin** coffee with [our partners](https://example.com/p "Partners") in _Milan_,',
      'see ![the roastery](roastery.png) and `snake_case` or snake_case_words stay.',
      '',
      'Target audience',
      '---------------',
      '- [x] Young professionals',
      '* Home baristas',
      '1. Cafés',
      '',
      '| Channel | Followers |',
      '|---|---:|',
      '| Instagram | 12,400 |',
      '',
      '> A quote &amp; more',
      '',
      '```js',
      'const roast = "dark";',
      '```',
      '[partners]: https://example.com',
      '***',
      '### Closing ###',
      'Thanks \\*really\\*.',
    ].join('\n');
    const out = extractMarkdown(md);
    expect(out.title).toBe('Lumen brand book');
    expect(out.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Lumen Coffee' },
      {
        kind: 'paragraph',
        text: 'We roast single-origin coffee with our partners in Milan, see the roastery and snake_case or snake_case_words stay.',
      },
      { kind: 'heading', level: 2, text: 'Target audience' },
      { kind: 'paragraph', text: 'Young professionals\nHome baristas\nCafés' },
      { kind: 'paragraph', text: 'Channel | Followers\nInstagram | 12,400' },
      { kind: 'paragraph', text: 'A quote & more' },
      { kind: 'paragraph', text: 'const roast = "dark";' },
      { kind: 'heading', level: 3, text: 'Closing' },
      { kind: 'paragraph', text: 'Thanks *really*.' },
    ]);
  });

  it('uses the first heading as the title without front matter', () => {
    expect(extractMarkdown('Intro text.\n\n## Pricing\n\nCheap.').title).toBe('Pricing');
  });
});

describe('html', () => {
  const page = `<!doctype html><html><head><title>Lumen &amp; Co — About</title>
    <style>p { color: red }</style>
    <script>if (a < b && c > d) { document.write("<p>never</p>") }</script></head>
    <body><nav><ul><li><a href="/">Home</a></li><li>Shop</li></ul></nav>
    <header><h1>Our <em>story</em></h1></header>
    <main>
      <p>Lumen roasts <b>single origin</b> coffee&nbsp;in Milan &mdash; since 2012.<br>Caf&eacute; culture &#x2615; matters.</p>
      <h2><span>Prices</span></h2>
      <table><tr><th>Blend</th><th>Price</th></tr><tr><td>Morning</td><td>&euro;12</td></tr></table>
      <div hidden>secret</div><p aria-hidden="true">decoration</p><div style="display:none">tracking</div>
      <aside>Related posts</aside><form><label>Email</label><button>Subscribe</button></form>
      <h3>Unclosed heading<p>Body after the heading.</p>
      <p>5 < 6 and 7 > 3</p><!-- <p>commented out</p> -->
      <svg><text>logo</text></svg><img src="x.png" alt="ignored">
    </main>
    <footer>© 2024 Lumen · <a href="/privacy">Privacy</a></footer></body></html>`;

  it('keeps headings and paragraphs, drops code, navigation, chrome and hidden elements', () => {
    const out = extractHtml(page);
    expect(out.title).toBe('Lumen & Co — About');
    expect(out.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Our story' },
      { kind: 'paragraph', text: 'Lumen roasts single origin coffee in Milan — since 2012.' },
      { kind: 'paragraph', text: 'Café culture ☕ matters.' },
      { kind: 'heading', level: 2, text: 'Prices' },
      { kind: 'paragraph', text: 'Blend | Price' },
      { kind: 'paragraph', text: 'Morning | €12' },
      { kind: 'heading', level: 3, text: 'Unclosed heading' },
      { kind: 'paragraph', text: 'Body after the heading.' },
      { kind: 'paragraph', text: '5 < 6 and 7 > 3' },
    ]);
  });

  it('keeps the content when a navigation element is never closed', () => {
    const out = extractHtml('<nav>Menu<p>Everything else lives here');
    expect(paragraphs(out.blocks)).toContain('Everything else lives here');
  });

  it('decodes a page in its declared legacy charset', async () => {
    const bytes = Buffer.concat([
      Buffer.from('<html><head><meta charset="windows-1252"></head><body><p>Caf'),
      Buffer.from([0xe9, 0x20, 0x93, 0x62, 0x75, 0x6f, 0x6e, 0x6f, 0x94]),
      Buffer.from('</p></body></html>'),
    ]);
    const out = await extractText(bytes, 'html');
    expect(paragraphs(out.blocks)).toEqual(['Café “buono”']);
  });
});

describe('decoding', () => {
  it('reads UTF-8 with and without a BOM, UTF-16 with a BOM, and falls back to Windows-1252', () => {
    expect(decodeText(Buffer.from('\ufeffcaffè', 'utf8'))).toBe('caffè');
    expect(decodeText(Buffer.from('caffè', 'utf8'))).toBe('caffè');
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('caffè', 'utf16le')]))).toBe('caffè');
    expect(decodeText(Buffer.from([0x63, 0x61, 0x66, 0x66, 0xe8]))).toBe('caffè');
  });
});

describe('source types', () => {
  it('detects the type from the content type and the file name', () => {
    expect(detectSourceType('brand.md', 'text/plain')).toBe('markdown');
    expect(detectSourceType('notes.txt', null)).toBe('text');
    expect(detectSourceType(null, 'text/html; charset=utf-8')).toBe('html');
    expect(detectSourceType('report.PDF', 'application/octet-stream')).toBe('pdf');
    expect(detectSourceType('deck.pptx', 'application/vnd.ms-powerpoint')).toBeNull();
  });

  it('refuses unsupported types as non-retryable InvalidInput', async () => {
    const err = await failure(extractText(Buffer.from('x'), 'docx'));
    expect(err.type).toBe('InvalidInput');
    expect(err.nonRetryable).toBe(true);
  });
});

describe('pdf', () => {
  it('extracts text in reading order, finds headings by type size, and drops page numbers and running headers', async () => {
    const header = (n: number): Run[] => [
      { x: 72, y: 760, size: 9, lines: ['Lumen Coffee - Brand Book 2024'] },
      { x: 300, y: 40, size: 9, lines: [String(n)] },
    ];
    const pdf = makePdf([
      [
        ...header(1),
        { x: 72, y: 700, size: 20, lines: ['Brand Story'] },
        {
          x: 72,
          y: 660,
          size: 11,
          lines: [
            'The left column talks about coffee',
            'roasting and the origin of our',
            'single estate beans from Huila.',
          ],
        },
        {
          x: 320,
          y: 660,
          size: 11,
          lines: [
            'The right column talks about our',
            'Instagram audience and weekly',
            'engagement with latte art posts.',
          ],
        },
      ],
      [
        ...header(2),
        { x: 72, y: 700, size: 16, lines: ['Competitors'] },
        {
          x: 72,
          y: 660,
          size: 11,
          lines: ['Bluebird Roasters sells cheaper blends (by 15%)', 'in supermarkets across Lombardy.'],
        },
      ],
      [
        ...header(3),
        { x: 72, y: 700, size: 16, lines: ['Channels'] },
        { x: 72, y: 660, size: 11, lines: ['Newsletter subscribers open 48% of our emails.'] },
      ],
    ]);
    const out = await extractText(pdf, 'pdf');
    expect(out.title).toBe('Brand Story');
    expect(out.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Brand Story' },
      {
        kind: 'paragraph',
        text: 'The left column talks about coffee roasting and the origin of our single estate beans from Huila.',
      },
      {
        kind: 'paragraph',
        text: 'The right column talks about our Instagram audience and weekly engagement with latte art posts.',
      },
      { kind: 'heading', level: 2, text: 'Competitors' },
      { kind: 'paragraph', text: 'Bluebird Roasters sells cheaper blends (by 15%) in supermarkets across Lombardy.' },
      { kind: 'heading', level: 2, text: 'Channels' },
      { kind: 'paragraph', text: 'Newsletter subscribers open 48% of our emails.' },
    ]);
  });

  it('parses the bbox XHTML it gets from pdftotext, entities included', () => {
    const xhtml = `<doc><page width="612" height="792"><flow><block xMin="0" yMin="0" xMax="1" yMax="1">
      <line xMin="72" yMin="100" xMax="200" yMax="110"><word xMin="72" yMin="100" xMax="90" yMax="110">Fish&amp;Chips</word>
      <word xMin="92" yMin="100" xMax="99" yMax="110">&lt;3</word></line></block></flow></page></doc>`;
    expect(parseBboxLayout(xhtml).blocks).toEqual([{ kind: 'paragraph', text: 'Fish&Chips <3' }]);
  });

  it('refuses files that are not PDFs, broken PDFs and PDFs without text as InvalidInput', async () => {
    expect((await failure(extractPdf(Buffer.from('hello')))).type).toBe('InvalidInput');
    const broken = await failure(extractPdf(Buffer.from('%PDF-1.4\nthis is not a real pdf\n')));
    expect(broken.type).toBe('InvalidInput');
    expect(broken.nonRetryable).toBe(true);
    const empty = await failure(extractPdf(makePdf([[]])));
    expect(empty.message).toMatch(/no extractable text/);
  });

  it('reports a missing pdftotext as a misconfiguration with the install command', async () => {
    const err = await failure(extractPdf(makePdf([[]]), { pdftotextPath: '/nonexistent/pdftotext' }));
    expect(err.type).toBe('ProviderMisconfigured');
    expect(err.message).toContain('apt-get install -y poppler-utils');
  });

  describe('with a pdftotext that hangs', () => {
    let slow: string;
    beforeAll(() => {
      slow = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kb-slow-')), 'pdftotext');
      fs.writeFileSync(slow, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    });

    it('gives up after the timeout with a retryable failure', async () => {
      const started = Date.now();
      const err = await failure(extractPdf(makePdf([[]]), { pdftotextPath: slow, pdfTimeoutMs: 300 }));
      expect(err.type).toBe('Timeout');
      expect(err.nonRetryable).toBe(false);
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    it('stops the process when the activity is cancelled and surfaces the cancellation', async () => {
      const controller = new AbortController();
      const reason = new Error('activity cancelled');
      setTimeout(() => controller.abort(reason), 200);
      const err = await extractPdf(makePdf([[]]), { pdftotextPath: slow, signal: controller.signal }).catch(
        (e: unknown) => e,
      );
      expect(err).toBe(reason);
    });
  });
});
