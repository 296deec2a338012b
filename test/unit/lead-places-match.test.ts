/** lib/leads/places.ts: the query for a lead, which candidate is its business (or none), and the fields it gives. */
import {
  choosePlace,
  judgePlace,
  nameSimilarity,
  placesQuery,
  placeToLeadFields,
  type GooglePlace,
  type PlaceLead,
} from '../../lib/leads/places';
import { LUMIERE_LYON, LUMIERE_PARIS, ROSSI_ELETTRICISTA, ROSSI_MILANO } from '../fixtures/leads/places';

const lead = (over: Partial<PlaceLead> = {}): PlaceLead => ({
  companyName: null,
  website: null,
  domain: null,
  city: null,
  country: null,
  ...over,
});

describe('nameSimilarity', () => {
  it('ignores case, accents, punctuation and legal forms', () => {
    expect(nameSimilarity('ROSSI IMPIANTI S.r.l.', 'Rossi Impianti')).toBe(1);
    expect(nameSimilarity('Atelier Lumiere SARL', 'Atelier Lumière')).toBe(1);
  });

  it('counts a name Google extends with the trade as close', () => {
    expect(nameSimilarity('Rossi Impianti', 'Idraulica Rossi Impianti')).toBeGreaterThanOrEqual(0.8);
    expect(nameSimilarity('Da Mario', "DaMario's")).toBeGreaterThanOrEqual(0.6);
  });

  it('keeps different businesses apart', () => {
    expect(nameSimilarity('Rossi Impianti', 'Bianchi Costruzioni')).toBeLessThan(0.3);
    expect(nameSimilarity('Atelier Lumière', 'Atelier Soleil')).toBeLessThan(0.6);
    expect(nameSimilarity('S.r.l.', 'Rossi')).toBe(0);
  });
});

describe('placesQuery', () => {
  it('asks for the name in the city, else the domain, else nothing', () => {
    expect(placesQuery(lead({ companyName: 'Rossi Impianti', city: 'Milano' }))).toBe('Rossi Impianti, Milano');
    expect(placesQuery(lead({ companyName: 'Pasticceria Milano', city: 'Milano' }))).toBe('Pasticceria Milano');
    expect(placesQuery(lead({ website: 'https://www.rossi-impianti.it/contatti' }))).toBe('rossi-impianti.it');
    expect(placesQuery(lead({ city: 'Milano' }))).toBeNull();
  });
});

describe('judgePlace', () => {
  it('rejects a place whose website is another site, however alike the name', () => {
    const v = judgePlace(lead({ companyName: 'Idraulica Rossi Impianti', domain: 'rossi-idraulica.it' }), ROSSI_MILANO);
    expect(v.rejected).toBe('its website is rossi-impianti.it, not rossi-idraulica.it');
  });

  it('accepts the lead own site (or a subdomain of it) whatever the name', () => {
    expect(judgePlace(lead({ companyName: 'RI srl', domain: 'rossi-impianti.it' }), ROSSI_MILANO)).toMatchObject({
      sameSite: true,
    });
    expect(judgePlace(lead({ website: 'https://shop.rossi-impianti.it' }), ROSSI_MILANO).rejected).toBeUndefined();
  });

  it('lets a page on a shared host (a Facebook page) neither confirm nor refute a candidate', () => {
    const onFacebook = { ...ROSSI_MILANO, websiteUri: 'https://www.facebook.com/rossiimpianti' };
    // The lead's own page is on Facebook too, but another business's page is not its page.
    const other = lead({ companyName: 'Bianchi Costruzioni', website: 'https://facebook.com/bianchi', city: 'Milano' });
    expect(judgePlace(other, onFacebook)).toMatchObject({ sameSite: false, rejected: expect.stringMatching(/unlike/) });
    // A business on its own site whose Maps profile links its Facebook page is judged by name and city.
    const rossi = lead({ companyName: 'Rossi Impianti', domain: 'rossi-impianti.it', city: 'Milano' });
    expect(judgePlace(rossi, onFacebook)).toMatchObject({ sameSite: false });
    expect(judgePlace(rossi, onFacebook).rejected).toBeUndefined();
    // And the Facebook page is not given to the lead as its website.
    expect(placeToLeadFields(onFacebook).fields).not.toHaveProperty('website');
    expect(placeToLeadFields(onFacebook).fields).not.toHaveProperty('domain');
  });

  it('rejects another country or another city', () => {
    const rossi = { companyName: 'Rossi Impianti', domain: 'rossi-impianti.it' };
    expect(judgePlace(lead({ ...rossi, country: 'Switzerland' }), ROSSI_MILANO).rejected).toBe('it is in IT, not CH');
    expect(judgePlace(lead({ ...rossi, city: 'Torino' }), ROSSI_MILANO).rejected).toBe('it is not in Torino');
    // Any part of the address names the city: the metropolitan area, a differently accented spelling.
    expect(judgePlace(lead({ ...rossi, city: 'milano', country: 'IT' }), ROSSI_MILANO).rejected).toBeUndefined();
  });

  it('without a website to compare, takes a close name in the same city', () => {
    const atelier = { companyName: 'Atelier Lumiere', domain: 'atelier-lumiere.fr' };
    expect(judgePlace(lead({ ...atelier, city: 'Lyon' }), LUMIERE_LYON).rejected).toBeUndefined();
    expect(judgePlace(lead({ ...atelier, city: 'Lyon' }), LUMIERE_PARIS).rejected).toBe('it is not in Lyon');
    expect(judgePlace(lead({ companyName: 'Atelier Soleil', city: 'Lyon' }), LUMIERE_LYON).rejected).toMatch(
      /too unlike/,
    );
  });

  it('asks more of the name when there is no city to confirm it', () => {
    const noWebsite = { ...ROSSI_MILANO, websiteUri: undefined };
    // "Rossi" alone is in both names, but that is not enough without a city.
    expect(judgePlace(lead({ companyName: 'Rossi' }), noWebsite).rejected).toMatch(/too unlike/);
    expect(judgePlace(lead({ companyName: 'Rossi', city: 'Milano' }), noWebsite).rejected).toBeUndefined();
    expect(judgePlace(lead({ companyName: 'Idraulica Rossi Impianti' }), noWebsite).rejected).toBeUndefined();
  });

  it('cannot confirm a place for a lead with neither name nor matching site', () => {
    expect(judgePlace(lead({ city: 'Lyon' }), LUMIERE_LYON).rejected).toBe('no name and no website to compare');
  });
});

describe('choosePlace', () => {
  it('prefers the candidate on the lead own site over a closer name', () => {
    const choice = choosePlace(lead({ companyName: 'Rossi Impianti', domain: 'rossielettrici.com' }), [
      ROSSI_MILANO,
      ROSSI_ELETTRICISTA,
    ]);
    expect(choice.place?.id).toBe(ROSSI_ELETTRICISTA.id);
  });

  it('answers no match, with the reason, when every candidate is refused', () => {
    const choice = choosePlace(lead({ companyName: 'Rossi Impianti', domain: 'rossi-idraulica.it' }), [
      ROSSI_MILANO,
      ROSSI_ELETTRICISTA,
    ]);
    expect(choice).toEqual({ place: null, reason: 'its website is rossi-impianti.it, not rossi-idraulica.it' });
    expect(choosePlace(lead({ companyName: 'x' }), [])).toEqual({ place: null, reason: 'Google found no place' });
  });

  it('takes neither of two unconfirmed look-alikes', () => {
    const twin: GooglePlace = { ...LUMIERE_LYON, id: 'ChIJtwin', formattedAddress: '2 Place Bellecour, Lyon' };
    const choice = choosePlace(lead({ companyName: 'Atelier Lumière', city: 'Lyon' }), [LUMIERE_LYON, twin]);
    expect(choice.place).toBeNull();
    expect(choice).toMatchObject({ reason: expect.stringMatching(/match alike/) });
    // The city tells them apart when only one is there.
    expect(
      choosePlace(lead({ companyName: 'Atelier Lumière', city: 'Lyon' }), [LUMIERE_PARIS, LUMIERE_LYON]).place,
    ).toBe(LUMIERE_LYON);
  });
});

describe('placeToLeadFields', () => {
  it('maps a place to the lead fields, E.164 phone, ISO country and the Maps link', () => {
    expect(placeToLeadFields(ROSSI_MILANO)).toEqual({
      placeId: 'ChIJrossiImpiantiMilano01',
      fields: {
        companyName: 'Idraulica Rossi Impianti',
        website: 'https://www.rossi-impianti.it/',
        domain: 'rossi-impianti.it',
        address: 'Via Giuseppe Verdi, 12, 20121 Milano MI, Italia',
        city: 'Milano',
        country: 'IT',
        category: 'Idraulico',
        phones: ['+390212345678'],
      },
      mapsUrl: 'https://maps.google.com/?cid=1234567890123456789',
      rating: 4.7,
      ratingCount: 132,
      businessStatus: 'OPERATIONAL',
    });
  });

  it('reads a national number with the place country and names the type when Google gives no label', () => {
    const { fields } = placeToLeadFields(LUMIERE_LYON);
    expect(fields).toEqual({
      companyName: 'Atelier Lumière',
      address: '14 Rue Mercière, 69002 Lyon, France',
      city: 'Lyon',
      country: 'FR',
      category: 'Bakery',
      phones: ['+33472000000'],
    });
  });

  it('leaves out what Google does not have or what is not valid', () => {
    const bare: GooglePlace = { id: 'ChIJbare', internationalPhoneNumber: '+39 12', websiteUri: 'http://localhost/' };
    expect(placeToLeadFields(bare)).toEqual({ placeId: 'ChIJbare', fields: {}, mapsUrl: null });
  });
});
