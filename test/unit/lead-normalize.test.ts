import { mergeLeadFields, emptyLeadFields } from '../../lib/leads/lead-fields';
import { normalizeLead, NEEDS_KEY } from '../../lib/leads/lead-input';
import {
  normalizeDomain,
  normalizeEmail,
  normalizePhone,
  normalizeWebsite,
  splitList,
} from '../../lib/leads/normalize';

describe('lead domain normalisation', () => {
  it.each([
    ['https://www.Example.COM/contatti?x=1', 'example.com'],
    ['www.bar-roma.it', 'bar-roma.it'],
    ['  Shop.Example.co.uk.  ', 'shop.example.co.uk'],
    ['http://café.it', 'xn--caf-dma.it'],
    ['HTTPS://WWW.XN--CAF-DMA.IT', 'xn--caf-dma.it'],
    ['example.com:8080/path', 'example.com'],
  ])('%s → %s', (input, domain) => {
    expect(normalizeDomain(input)).toBe(domain);
  });

  it.each([
    ['127.0.0.1', 'an IP address'],
    ['http://10.0.0.1/admin', 'an IP address'],
    ['http://[::1]/', 'an IP address'],
    ['http://169.254.169.254/latest', 'an IP address'],
    ['localhost', 'local host'],
    ['http://localhost:3000', 'local host'],
    ['intranet.local', 'local host'],
    ['ftp://example.com', 'not an http(s) address'],
    ['nodots', 'not a valid domain'],
    ['exa mple.com', 'not a website'],
    ['', 'empty'],
  ])('refuses %s', (input, reason) => {
    const result = normalizeDomain(input);
    expect(typeof result).toBe('object');
    expect((result as { refused: string }).refused).toContain(reason);
  });

  it('keeps the website to visit, https when no scheme is given', () => {
    expect(normalizeWebsite('www.example.com/about')).toBe('https://www.example.com/about');
    expect(normalizeWebsite('http://Example.com#top')).toBe('http://example.com/');
  });
});

describe('lead email and phone normalisation', () => {
  it('lowercases and trims emails, refuses what is not one', () => {
    expect(normalizeEmail('  Info@Example.IT ')).toBe('info@example.it');
    expect(normalizeEmail('mailto:Sales@café.it')).toBe('sales@xn--caf-dma.it');
    expect(normalizeEmail('no-at-sign.example.com')).toEqual({ refused: 'not an email address' });
    expect(normalizeEmail('a@b')).toEqual({ refused: 'not an email address' });
  });

  it('keeps the digits of a phone, and its + prefix', () => {
    expect(normalizePhone(' +39 (06) 1234-5678 ')).toBe('+390612345678');
    expect(normalizePhone('tel:02.123.4567')).toBe('021234567');
    expect(normalizePhone('call us')).toEqual({ refused: 'not a phone number' });
    expect(normalizePhone('12')).toEqual({ refused: 'not a phone number' });
  });

  it('splits cells holding several values', () => {
    expect(splitList('a@x.it; b@x.it,c@x.it | d@x.it')).toEqual(['a@x.it', 'b@x.it', 'c@x.it', 'd@x.it']);
    expect(splitList('  ')).toEqual([]);
  });
});

describe('lead input', () => {
  it('normalises a lead and names each value it refuses', () => {
    const { fields, errors } = normalizeLead({
      companyName: ' Bar Roma ',
      website: 'WWW.barroma.it',
      emails: ['Info@BarRoma.it', 'info@barroma.it', 'nope'],
      phones: ['+39 06 123 4567'],
    });
    expect(fields).toEqual({
      companyName: 'Bar Roma',
      website: 'https://www.barroma.it/',
      domain: 'barroma.it',
      emails: ['info@barroma.it'],
      phones: ['+39061234567'],
    });
    expect(errors).toEqual([{ field: 'emails', message: '"nope": not an email address' }]);
  });

  it('needs a website or an email', () => {
    expect(normalizeLead({ companyName: 'Nameless' }).errors).toEqual([{ field: 'emails', message: NEEDS_KEY }]);
    expect(normalizeLead({ website: 'http://127.0.0.1' }).errors).toEqual([
      { field: 'website', message: '"http://127.0.0.1": an IP address, not a domain' },
    ]);
    expect(normalizeLead({ emails: ['a@b.it'] }).errors).toEqual([]);
  });
});

describe('lead merge', () => {
  const source = { source: 'import' as const, reference: 'a.csv#2', at: '2026-01-01T00:00:00.000Z' };
  const later = { source: 'api' as const, reference: null, at: '2026-02-01T00:00:00.000Z' };

  it('fills gaps, keeps existing values, unions lists and remembers the first source of each field and value', () => {
    const first = mergeLeadFields(emptyLeadFields(), {}, { companyName: 'Bar Roma', emails: ['a@x.it'] }, source);
    const second = mergeLeadFields(
      first.fields,
      first.fieldSources,
      {
        companyName: 'BAR ROMA SRL',
        city: 'Roma',
        emails: ['a@x.it', 'b@x.it'],
        socials: { instagram: 'https://i/x' },
      },
      later,
    );
    expect(second.fields.companyName).toBe('Bar Roma');
    expect(second.fields.city).toBe('Roma');
    expect(second.fields.emails).toEqual(['a@x.it', 'b@x.it']);
    expect(second.fields.socials).toEqual({ instagram: 'https://i/x' });
    expect(second.changed).toEqual(['city', 'emails', 'socials.instagram']);
    expect(second.fieldSources).toEqual({
      companyName: source,
      emails: source,
      'emails:a@x.it': source,
      'emails:b@x.it': later,
      city: later,
      'socials.instagram': later,
    });
  });

  it('caps lists however often a lead is merged', () => {
    let fields = emptyLeadFields();
    for (let i = 0; i < 30; i += 1) fields = mergeLeadFields(fields, {}, { emails: [`e${i}@x.it`] }, source).fields;
    expect(fields.emails).toHaveLength(20);
  });
});
