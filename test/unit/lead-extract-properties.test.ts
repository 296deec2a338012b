import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { extractLeadFacts } from '../../lib/leads/extract';
import { cleanEmail } from '../../lib/leads/extract/emails';

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/leads', `${name}.html`), 'utf8');

/** Strings made of the characters that matter to the extractors, so runs reach their branches often. */
const htmlish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '<a href="mailto:',
        '<a href="tel:',
        '">',
        '</a>',
        '<p>',
        '<div style="direction:rtl;unicode-bidi:bidi-override">',
        '<script type="application/ld+json">',
        '</script>',
        '<span data-cfemail="',
        '<meta name="generator" content="',
        '<address>',
        '@',
        ' [at] ',
        '(dot)',
        '.com',
        '+39 ',
        'Tel. ',
        'Fax ',
        '055 123 4567',
        'https://www.instagram.com/',
        '&#64;',
        '<title>',
        '{"@type":"Organization","telephone":"',
      ),
      fc.string({ maxLength: 12 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('lead extraction on arbitrary input', () => {
  it('never throws, and every email and phone it returns is valid', () => {
    fc.assert(
      fc.property(
        fc.oneof(htmlish, fc.string({ maxLength: 300 })),
        fc.constantFrom(undefined, 'IT', 'de', 'zz', ''),
        (html, country) => {
          const facts = extractLeadFacts([{ url: 'https://www.acme.it/', html }], { country });
          for (const { value } of facts.emails) expect(cleanEmail(value)).toBe(value);
          for (const { value } of facts.phones) {
            expect(value).toMatch(/^\+[1-9]\d{6,14}$/);
            expect(parsePhoneNumberFromString(value)?.isValid()).toBe(true);
          }
          for (const { source } of [...facts.emails, ...facts.phones, ...facts.socials])
            expect(source).toBe('https://www.acme.it/');
        },
      ),
      { numRuns: 400, seed: 11 },
    );
  });

  it('survives page URLs that are not URLs', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), htmlish, (url, html) => {
        expect(() => extractLeadFacts([{ url, html: `<a href="/contact">Contact</a>${html}` }])).not.toThrow();
      }),
      { numRuns: 100, seed: 12 },
    );
  });
});

describe('lead extraction on large pages (timings are logged, not asserted)', () => {
  const measure = (label: string, html: string) => {
    const started = performance.now();
    const facts = extractLeadFacts([{ url: 'https://www.brightside-digital.co.uk/', html }]);
    const elapsed = performance.now() - started;
    const mb = Buffer.byteLength(html) / 2 ** 20;
    console.log(
      `lead extract bench: ${label}, ${mb.toFixed(1)} MB in ${elapsed.toFixed(0)} ms (${(mb / (elapsed / 1000)).toFixed(1)} MB/s)`,
    );
    return facts;
  };

  it('reads a 2 MB page', () => {
    const page = fixture('agency-wordpress');
    const filler = '<p>Our work for clients across the North West, 2019–2024: 120 launches, 4.8/5 rating.</p>\n';
    const html = page.replace('<main>', `<main>${filler.repeat(Math.ceil((2 * 2 ** 20) / filler.length))}`);
    const facts = measure('agency page padded with paragraphs', html);
    expect(facts.emails.length).toBe(4);
    expect(facts.phones.map((p) => p.value)).toEqual(['+441614960018']);
  });

  it.each([
    ['one 2 MB word', 'a'.repeat(2 * 2 ** 20)],
    ['2 MB of at signs and dots', '@.'.repeat(2 ** 20)],
    ['2 MB of labelled digits', 'Tel. 055 123 4567 '.repeat(2 ** 17)],
    ['2 MB of bracketed ats', 'x [at] '.repeat(2 ** 18)],
    ['2 MB of unclosed anchors', '<a href="https://x.com/a">'.repeat(2 ** 16)],
  ])('reads %s', (label, html) => {
    expect(() => measure(label, html)).not.toThrow();
  });
});
