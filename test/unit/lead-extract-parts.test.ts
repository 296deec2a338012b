import { domainOrNull } from '../../lib/leads/normalize';
import { extractLeadFacts } from '../../lib/leads/extract';
import { cleanEmail, decodeCfEmail, deobfuscate, emailsInMailto, emailsInText } from '../../lib/leads/extract/emails';
import { rankFollowLinks } from '../../lib/leads/extract/follow-links';
import { countryCodeOf, languageCode, nameFromTitle } from '../../lib/leads/extract/identity';
import { scanPage } from '../../lib/leads/extract/page-scan';
import { countryCode, e164, phoneFromTel, phonesInText } from '../../lib/leads/extract/phones';
import { socialProfile } from '../../lib/leads/extract/social';
import { addressFromText, businessFromJsonLd } from '../../lib/leads/extract/structured-data';
import { MAX_HTML_DEPTH } from '../../lib/text/html-text';

describe('domainOrNull', () => {
  it.each([
    ['https://WWW.Example-Shop.IT/contatti?x=1', 'example-shop.it'],
    ['example-shop.it', 'example-shop.it'],
    ['//www2.acme.co.uk:8443/', 'acme.co.uk'],
    ['Bücher.de', 'xn--bcher-kva.de'],
    ['https://bücher.de./', 'xn--bcher-kva.de'],
    ['shop.acme.com', 'shop.acme.com'],
    ['acme.com:8080', 'acme.com'],
  ])('%s → %s', (input, expected) => expect(domainOrNull(input)).toBe(expected));

  it.each([
    '',
    'http://127.0.0.1:8080/',
    '10.0.0.1',
    '0x7f.1',
    '2130706433',
    'http://[::1]/',
    'localhost',
    'http://localhost:3000',
    'api.localhost',
    'printer.local',
    'intranet',
    'ftp://files.acme.com',
    'mailto:info@acme.com',
    'info@acme.com',
    'not a host',
    'acme..com',
  ])('refuses %j', (input) => expect(domainOrNull(input)).toBeNull());
});

describe('emails', () => {
  it('undoes bracketed and spelled-out forms but leaves prose alone', () => {
    expect(deobfuscate('info [at] acme [dot] com')).toBe('info@acme.com');
    expect(deobfuscate('info(at)acme(dot)com · sales {at} acme.com')).toBe('info@acme.com · sales@acme.com');
    expect(deobfuscate('write to info at acme dot co dot uk')).toBe('write to info@acme.co.uk');
    expect(emailsInText('We meet at noon. Look at this.com later')).toEqual([]);
    expect(emailsInText('info＠acme.com')).toEqual(['info@acme.com']);
    expect(emailsInText('Mail:..info@acme.com. --sales@acme.com')).toEqual(['info@acme.com', 'sales@acme.com']);
  });

  it('validates, lower-cases and filters', () => {
    expect(cleanEmail('<Info@ACME.com>.')).toBe('info@acme.com');
    for (const bad of [
      'logo@2x.png',
      'icon@3x.webp',
      'user@example.com',
      'a@b',
      'x@sentry.io',
      '605a7baede844d278b89dc95ae0a9123@o1.ingest.sentry.io',
      'name@acme.com',
      'a..b@acme.com',
      '.a@acme.com',
    ])
      expect(cleanEmail(bad)).toBeNull();
  });

  it('reads several addresses from a mailto link and decodes Cloudflare’s protection', () => {
    expect(emailsInMailto('mailto:Info@acme.com,%20sales@acme.com?subject=Hi')).toEqual([
      'info@acme.com',
      'sales@acme.com',
    ]);
    expect(emailsInMailto('mailto:%E0%A4%A')).toEqual([]);
    expect(decodeCfEmail('5a2a283f29291a3828333d322e29333e3f773e333d332e3b36743935742f31')).toBe(
      'press@brightside-digital.co.uk',
    );
    expect(decodeCfEmail('zz')).toBeNull();
    expect(decodeCfEmail('5a5a')).toBeNull();
  });
});

describe('phones', () => {
  it('normalises tel: links and international prefixes', () => {
    expect(phoneFromTel('tel:055%20123%204567', 'IT')).toBe('+390551234567');
    expect(phoneFromTel('tel:+49-30-44012345')).toBe('+493044012345');
    expect(phoneFromTel('tel:')).toBeNull();
    expect(phoneFromTel('https://acme.com')).toBeNull();
    expect(e164('0049 30 44012345', 'IT')).toBe('+493044012345');
    expect(e164('055 123 4567')).toBeNull();
    expect(countryCode('uk')).toBe('GB');
    expect(countryCode('zz')).toBeUndefined();
  });

  it.each([
    ['Tel.: +49 (0) 30 44012345', 'DE', '+493044012345'],
    ['T +44 (0)161 496 0018', undefined, '+441614960018'],
    ['Tel: 0039 055 1234567', 'IT', '+390551234567'],
    ['Telefono: 055.123.4567', 'IT', '+390551234567'],
    ['Phone: (212) 555-0100', 'US', '+12125550100'],
    ['Tél. 01 23 45 67 89', 'FR', '+33123456789'],
    ['Tel 030/44012345', 'DE', '+493044012345'],
    ['Mobile: 0412 345 678', 'AU', '+61412345678'],
  ] as const)('reads %j', (text, country, number) => expect(phonesInText(text, country)).toEqual([number]));

  it('counts a number in text only after a phone label or in international form, never after a fax label', () => {
    const text = [
      'Tel. 055 123 4567 – P.IVA 01234567890',
      'Fax: +39 055 765 4321',
      'Ordine 0551234999 del 12/03/2024',
      'Chiamaci al +39 333 1234567',
      'Telefono / Phone: 02 8736 1920',
    ].join('\n');
    expect(phonesInText(text, 'IT')).toEqual(['+390551234567', '+393331234567', '+390287361920']);
  });
});

describe('social profiles', () => {
  it.each([
    ['https://www.linkedin.com/company/Acme-GmbH/about/', 'https://www.linkedin.com/company/acme-gmbh'],
    ['https://it.linkedin.com/in/mario-rossi-123', 'https://www.linkedin.com/in/mario-rossi-123'],
    ['http://instagram.com/Acme.Shop?hl=it', 'https://www.instagram.com/acme.shop'],
    ['https://m.facebook.com/AcmeShop/posts/123', 'https://www.facebook.com/acmeshop'],
    ['https://www.facebook.com/profile.php?id=100064', 'https://www.facebook.com/profile.php?id=100064'],
    ['https://www.facebook.com/pages/Acme-Shop/123456789', 'https://www.facebook.com/123456789'],
    ['https://fb.com/acme', 'https://www.facebook.com/acme'],
    ['https://twitter.com/Acme/status/1', 'https://x.com/acme'],
    ['https://www.tiktok.com/@Acme.Shop/video/1', 'https://www.tiktok.com/@acme.shop'],
    [
      'https://youtube.com/channel/UCabcdefghijklmnopqrstuv',
      'https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv',
    ],
    ['https://www.youtube.com/c/AcmeTV', 'https://www.youtube.com/c/acmetv'],
    ['https://pinterest.co.uk/AcmeShop/', 'https://www.pinterest.com/acmeshop'],
  ])('%s → %s', (href, url) => expect(socialProfile(href)?.url).toBe(url));

  it.each([
    'https://www.facebook.com/sharer.php?u=x',
    'https://www.facebook.com/dialog/share?app_id=1',
    'https://www.facebook.com/tr?id=1&ev=PageView',
    'https://x.com/intent/post?text=x',
    'https://twitter.com/i/web/status/1',
    'https://www.linkedin.com/shareArticle?url=x',
    'https://www.instagram.com/p/abc/',
    'https://www.instagram.com/',
    'https://www.youtube.com/watch?v=x',
    'https://youtu.be/x',
    'https://www.pinterest.com/pin/123/',
    'https://www.tiktok.com/share?x',
    'javascript:alert(1)',
    'https://facebook.com.evil.example/acme',
    'not a url',
  ])('no profile in %s', (href) => expect(socialProfile(href)).toBeNull());
});

describe('names, languages, countries and addresses', () => {
  it('takes the business out of a page title', () => {
    expect(nameFromTitle('Acme Plumbing | Home', 'acme.com')).toBe('Acme Plumbing');
    expect(nameFromTitle('Contact us – Acme', null)).toBe('Acme');
    expect(nameFromTitle('Pizzeria Da Mario - La vera pizza napoletana a Roma', 'damario.it')).toBe(
      'Pizzeria Da Mario',
    );
    expect(nameFromTitle('Home', null)).toBeNull();
  });

  it('reads language tags and country names', () => {
    expect(languageCode('it-IT')).toBe('it');
    expect(languageCode('en_GB')).toBe('en');
    expect(languageCode('x')).toBeNull();
    expect(countryCodeOf('Italia')).toBe('IT');
    expect(countryCodeOf('Germany')).toBe('DE');
    expect(countryCodeOf('de')).toBe('DE');
    expect(countryCodeOf('Atlantis')).toBeNull();
  });

  it('detects the language of prose when the page declares none, and guesses nothing from menus', () => {
    const language = (html: string) => extractLeadFacts([{ url: 'https://acme.com/', html }]).language;
    expect(
      language(
        '<p>Nuestro equipo de fontaneros atiende urgencias las veinticuatro horas del día en toda la ciudad de Valencia.</p>',
      ),
    ).toEqual({ value: 'es', source: 'https://acme.com/' });
    expect(
      language(
        '<p>Wij zijn een klein bureau in Utrecht dat websites en campagnes maakt voor ondernemers die willen groeien.</p>',
      ),
    ).toEqual({ value: 'nl', source: 'https://acme.com/' });
    expect(
      language('<p>Facebook Twitter X LinkedIn Pinterest Instagram TikTok YouTube Email Print Share</p>'),
    ).toBeNull();
    expect(language('<p>Home · Contact · Shop</p>')).toBeNull();
  });

  it('reads a city after a postal code in a written address', () => {
    expect(addressFromText('Hauptstraße 5, D-10115 Berlin')).toMatchObject({ postalCode: '10115', city: 'Berlin' });
    expect(addressFromText('Via Roma 1, 00184 Roma RM')).toMatchObject({ postalCode: '00184', city: 'Roma RM' });
  });

  it('finds a business inside a JSON-LD graph and skips broken blocks', () => {
    const graph = JSON.stringify({
      '@graph': [
        { '@type': 'WebSite', name: 'Site' },
        { '@type': ['Florist'], name: 'Fiori', telephone: '+39 02 8736 1920', address: 'Via Po 3, 10123 Torino' },
      ],
    });
    const points = JSON.stringify({
      '@type': 'Corporation',
      name: 'Acme',
      email: 'info@acme.com',
      contactPoint: [{ '@type': 'ContactPoint', telephone: '+1-212-555-0100', email: 'sales@acme.com' }, null],
    });
    expect(businessFromJsonLd([points])).toMatchObject({
      emails: ['info@acme.com', 'sales@acme.com'],
      phones: ['+1-212-555-0100'],
    });
    expect(businessFromJsonLd(['{broken', graph])).toMatchObject({
      name: 'Fiori',
      phones: ['+39 02 8736 1920'],
      address: { city: 'Torino' },
    });
  });
});

describe('page scan', () => {
  it('reads meta tags, microdata and resources in the same parse as the text', () => {
    const scan = scanPage(
      '<html lang="nl"><meta name="Generator" content="Webflow"><meta property="og:site_name" content="Acme">' +
        '<div itemscope itemtype="https://schema.org/PostalAddress"><span itemprop="streetAddress">Damrak 1</span>' +
        '<meta itemprop="addressLocality" content="Amsterdam"></div><script src="https://js.stripe.com/v3/"></script>' +
        '<nav>info@acme.nl</nav><p>Body</p>',
    );
    expect(scan.lang).toBe('nl');
    expect(scan.meta.get('generator')).toBe('Webflow');
    expect(scan.meta.get('og:site_name')).toBe('Acme');
    expect(scan.microdata).toEqual([
      { prop: 'streetAddress', value: 'Damrak 1' },
      { prop: 'addressLocality', value: 'Amsterdam' },
    ]);
    expect(scan.resources).toEqual(['https://js.stripe.com/v3/']);
    expect(
      scanPage('<a itemprop="telephone" href="tel:+31%2020%20123%204567">Bel ons</a><a itemprop="email">x</a>')
        .microdata,
    ).toEqual([
      { prop: 'telephone', value: '+31 20 123 4567' },
      { prop: 'email', value: 'x' },
    ]);
    // Chrome stays out of the content blocks but not out of the text searched for contact details.
    expect(scan.blocks.map((b) => b.text)).toEqual(['Damrak 1', 'Body']);
    expect(scan.text).toContain('info@acme.nl');
  });

  it('keeps links apart in the text, so an address does not run into the next link', () => {
    const facts = extractLeadFacts([
      { url: 'https://acme.de/', html: '<p><a href="#">info@acme.de</a><a href="#">Telefon</a>: 030 44012345</p>' },
    ]);
    expect(facts.emails.map((e) => e.value)).toEqual(['info@acme.de']);
    expect(facts.phones.map((e) => e.value)).toEqual(['+493044012345']);
  });

  it('keeps what it read before markup nested too deep', () => {
    const scan = scanPage(`<html lang="de"><p>Tel. 030 44012345</p>${'<div>'.repeat(MAX_HTML_DEPTH + 5)}`);
    expect(scan.truncated).toBe(true);
    expect(scan.lang).toBe('de');
    expect(scan.text).toContain('030 44012345');
  });
});

describe('follow-up links', () => {
  it('ranks same-site contact, legal, about and team pages, skipping other sites, files and visited pages', () => {
    const source = 'https://www.acme.de/';
    const links = [
      { href: '/team', text: 'Team' },
      { href: 'ueber-uns', text: 'Über uns' },
      { href: 'https://acme.de/impressum', text: 'Impressum' },
      { href: '/blog/2021/kontakt-aufnehmen', text: 'Blog' },
      { href: '/kontakt#form', text: 'Kontakt' },
      { href: 'https://other.de/kontakt', text: 'Kontakt' },
      { href: '/kontakt.pdf', text: 'Kontakt' },
      { href: '/', text: 'Start' },
      { href: 'mailto:kontakt@acme.de', text: 'Kontakt' },
    ].map((l) => ({ ...l, source }));
    expect(rankFollowLinks(links, [source, 'https://www.acme.de/team']).map((l) => [l.kind, l.url])).toEqual([
      ['contact', 'https://www.acme.de/kontakt'],
      ['contact', 'https://www.acme.de/blog/2021/kontakt-aufnehmen'],
      ['impressum', 'https://acme.de/impressum'],
      ['about', 'https://www.acme.de/ueber-uns'],
    ]);
  });
});
