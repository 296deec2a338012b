import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractLeadFacts, type LeadFacts } from '../../lib/leads/extract';

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/leads', `${name}.html`), 'utf8');
const values = (facts: { value: unknown }[]) => facts.map((f) => f.value);
const sources = (facts: { source: string }[]) => facts.map((f) => f.source);

describe('lead facts from realistic pages', () => {
  it('reads a restaurant from its JSON-LD, meta tags and footer', () => {
    const home = 'https://www.trattoria-lucia.de/';
    const facts = extractLeadFacts([{ url: home, html: fixture('restaurant') }]);
    const at = <T>(value: T) => ({ value, source: home });
    expect(facts).toEqual<LeadFacts>({
      name: at('Trattoria Lucia'),
      description: at('Hausgemachte Pasta, Holzofenpizza und Weine aus dem Piemont – mitten in Prenzlauer Berg.'),
      language: at('de'),
      emails: [at('reservierung@trattoria-lucia.de')],
      phones: [at('+493044012345')],
      socials: [
        { ...at('https://www.instagram.com/trattorialucia.berlin'), network: 'instagram' },
        { ...at('https://www.facebook.com/trattorialuciaberlin'), network: 'facebook' },
      ],
      address: at({
        street: 'Kastanienallee 12',
        postalCode: '10435',
        city: 'Berlin',
        region: null,
        country: 'DE',
        text: 'Kastanienallee 12, 10435 Berlin, DE',
      }),
      city: at('Berlin'),
      country: at('DE'),
      technologies: [{ ...at('Google Tag Manager'), category: 'tag manager' }],
      followLinks: [
        { url: `${home}kontakt`, kind: 'contact', source: home },
        { url: `${home}impressum`, kind: 'impressum', source: home },
        { url: `${home}ueber-uns`, kind: 'about', source: home },
      ],
      truncatedPages: [],
    });
  });

  it('de-obfuscates a WordPress agency’s emails: spelled out, bracketed, Cloudflare, reversed by CSS, entities', () => {
    const home = 'https://www.brightside-digital.co.uk/';
    const facts = extractLeadFacts([{ url: home, html: fixture('agency-wordpress') }]);
    expect(values(facts.emails)).toEqual([
      'hello@brightside-digital.co.uk',
      'press@brightside-digital.co.uk',
      'jobs@brightside-digital.co.uk',
      'accounts@brightside-digital.co.uk',
    ]);
    expect(facts.name).toEqual({ value: 'Brightside Digital', source: home });
    expect(facts.description?.value).toMatch(/^Brightside Digital is an independent creative agency/);
    expect(facts.language?.value).toBe('en');
    // The national number is read as British from the .uk domain.
    expect(values(facts.phones)).toEqual(['+441614960018']);
    expect(facts.socials).toEqual([
      { value: 'https://www.linkedin.com/company/brightside-digital', network: 'linkedin', source: home },
      { value: 'https://x.com/brightsidedig', network: 'x', source: home },
    ]);
    expect(facts.address?.value.text).toBe('42 Deansgate, Manchester M3 2BA, United Kingdom');
    // No postal code a European pattern reads, but the last part names the country.
    expect(facts.city).toBeNull();
    expect(facts.country).toEqual({ value: 'GB', source: home });
    expect(values(facts.technologies)).toEqual(['WordPress', 'Hotjar', 'HubSpot', 'Cloudflare']);
    expect(facts.followLinks.map((l) => [l.kind, l.url])).toEqual([
      ['contact', `${home}contact/`],
      ['about', `${home}about-us/`],
      ['team', `${home}team/`],
    ]);
  });

  it('normalises Italian numbers written in local form, skipping fax, VAT and order numbers, across two pages', () => {
    const home = 'https://ceramichebianchi.it/';
    const contatti = 'https://ceramichebianchi.it/pages/contatti';
    const facts = extractLeadFacts(
      [
        { url: home, html: fixture('italian-shop') },
        { url: contatti, html: fixture('italian-shop-contatti') },
      ],
      { country: 'IT' },
    );
    expect(facts.phones).toEqual([
      { value: '+390551234567', source: home },
      { value: '+393471234567', source: home },
      { value: '+393331234567', source: contatti },
    ]);
    expect(facts.emails).toEqual([
      { value: 'info@ceramichebianchi.it', source: home },
      { value: 'ordini@ceramichebianchi.it', source: contatti },
    ]);
    expect(facts.name).toEqual({ value: 'Ceramiche Bianchi', source: home });
    expect(facts.language).toEqual({ value: 'it', source: home });
    expect(facts.city).toEqual({ value: 'Firenze', source: home });
    expect(facts.country).toEqual({ value: 'IT', source: home });
    expect(facts.address?.value).toMatchObject({
      postalCode: '50122',
      country: 'Italia',
      text: 'Via dei Calzaiuoli 12, 50122 Firenze (FI), Italia',
    });
    expect(facts.socials.map((s) => [s.network, s.value])).toEqual([
      ['instagram', 'https://www.instagram.com/ceramichebianchi'],
      ['pinterest', 'https://www.pinterest.com/ceramichebianchi'],
      ['facebook', 'https://www.facebook.com/ceramichebianchi.firenze'],
    ]);
    expect(values(facts.technologies)).toEqual(['Shopify', 'Stripe']);
    // The contact page was fetched already: only the about page is left to visit.
    expect(facts.followLinks).toEqual([{ url: `${home}pages/chi-siamo`, kind: 'about', source: home }]);
  });

  it('finds no profile in share, intent and post links, and no address in an empty mailto', () => {
    const url = 'https://notebook.example.org/tips';
    const facts = extractLeadFacts([{ url, html: fixture('share-links') }]);
    expect(facts.socials).toEqual([]);
    expect(facts.emails).toEqual([]);
    expect(facts.name).toEqual({ value: 'The Marketing Notebook', source: url });
    // No lang attribute, and too little prose to tell: no guess.
    expect(facts.language).toBeNull();
  });

  it('reads what it can from malformed markup', () => {
    const url = 'https://boulangerie-martin.fr/';
    const facts = extractLeadFacts([{ url, html: fixture('malformed') }]);
    expect(facts.name?.value).toBe('Boulangerie Martin');
    expect(facts.description?.value).toBe('Pain au levain et viennoiseries, cuits chaque matin à Lyon.');
    expect(facts.language?.value).toBe('fr');
    expect(values(facts.emails)).toEqual(['contact@boulangerie-martin.fr']);
    // French from the .fr domain; the broken JSON-LD block is skipped, the labelled text still counts.
    expect(values(facts.phones)).toEqual(['+33478123456']);
    expect(values(facts.socials)).toEqual(['https://www.instagram.com/boulangeriemartin.lyon']);
    expect(sources(facts.emails)).toEqual([url]);
  });

  it('drops tracker, image-file and placeholder addresses', () => {
    const url = 'https://www.lunayoga.co.uk/';
    const facts = extractLeadFacts([{ url, html: fixture('tracking-emails') }]);
    expect(values(facts.emails)).toEqual(['namaste@lunayoga.co.uk']);
    expect(facts.name?.value).toBe('Luna Yoga Studio');
    expect(values(facts.technologies)).toEqual(['Wix', 'Google Analytics', 'Meta Pixel']);
    expect(facts.socials).toEqual([
      { value: 'https://www.youtube.com/@lunayogabrighton', network: 'youtube', source: url },
      { value: 'https://www.tiktok.com/@lunayoga.brighton', network: 'tiktok', source: url },
    ]);
  });

  it('keeps the first page that states a fact, and the hint picks the name out of a title', () => {
    const home = 'https://acme-plumbing.com/';
    const about = 'https://acme-plumbing.com/about';
    const facts = extractLeadFacts(
      [
        { url: home, html: '<title>Emergency plumbers in Leeds - Acme</title><p>Call: 0113 496 0000</p>' },
        { url: about, html: '<p>Call: 0113 496 0000 or mail us: office@acme-plumbing.com</p>' },
      ],
      { country: 'GB', name: 'ACME Ltd' },
    );
    expect(facts.name).toEqual({ value: 'Acme', source: home });
    expect(facts.phones).toEqual([{ value: '+441134960000', source: home }]);
    expect(facts.emails).toEqual([{ value: 'office@acme-plumbing.com', source: about }]);
    // No meta description anywhere: the first paragraph long enough to describe something.
    expect(facts.description).toEqual({
      value: 'Call: 0113 496 0000 or mail us: office@acme-plumbing.com',
      source: about,
    });
  });

  it('gives empty facts for no pages', () => {
    const facts = extractLeadFacts([]);
    expect(facts.name).toBeNull();
    expect(facts.emails).toEqual([]);
    expect(facts.followLinks).toEqual([]);
  });
});
