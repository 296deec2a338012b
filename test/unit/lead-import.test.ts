import { ValidationError } from '../../lib/errors';
import { mapRows, readLeadCsv, resolveMapping } from '../../lib/leads/csv-import';
import { defaultLeadProfile, leadProfileSchema, readLeadProfile } from '../../lib/leads/profile';

describe('lead CSV import', () => {
  it('guesses the mapping from Italian headers in a semicolon file', () => {
    const csv = readLeadCsv(
      '\uFEFFRagione sociale;Sito web;E-mail;Telefono;Città;Note\nBar Roma;www.barroma.it;info@barroma.it;06 1234567;Roma;via Appia 1, Roma\n',
    );
    const mapping = resolveMapping(csv.headers);
    expect(mapping).toMatchObject({
      companyName: 'Ragione sociale',
      website: 'Sito web',
      email: 'E-mail',
      phone: 'Telefono',
      city: 'Città',
      description: 'Note',
      address: null,
    });
    const [row] = mapRows(csv, mapping);
    expect(row).toEqual({
      row: 2,
      errors: [],
      fields: expect.objectContaining({ domain: 'barroma.it', city: 'Roma', description: 'via Appia 1, Roma' }),
    });
  });

  it('guesses English headers and takes the caller’s overrides', () => {
    const csv = readLeadCsv('Company,URL,Contact,Email\nAcme,acme.com,jane@acme.com,\n');
    expect(resolveMapping(csv.headers)).toMatchObject({ companyName: 'Company', website: 'URL', email: 'Email' });
    const mapping = resolveMapping(csv.headers, { email: 'contact', website: '' });
    expect(mapping).toMatchObject({ email: 'Contact', website: null });
    expect(mapRows(csv, mapping)[0].fields).toEqual({ companyName: 'Acme', emails: ['jane@acme.com'] });
  });

  it('refuses an override naming no column, on the map parameter', () => {
    const csv = readLeadCsv('Company,URL\nAcme,acme.com\n');
    expect(() => resolveMapping(csv.headers, { email: 'Mail' })).toThrow(ValidationError);
    try {
      resolveMapping(csv.headers, { email: 'Mail' });
    } catch (err) {
      expect((err as ValidationError).errors).toEqual([
        { field: 'map.email', message: expect.stringContaining('URL') },
      ]);
    }
  });

  it('names the row and the column of each bad cell', () => {
    const csv = readLeadCsv('Name,Website,Email\nGood,good.it,\nBad,http://10.0.0.1,not-mail\nNone,,\n');
    const rows = mapRows(csv, resolveMapping(csv.headers));
    expect(rows[0].errors).toEqual([]);
    expect(rows[1].errors).toEqual([
      { row: 3, column: 'Website', field: 'website', message: '"http://10.0.0.1": an IP address, not a domain' },
      { row: 3, column: 'Email', field: 'email', message: '"not-mail": not an email address' },
    ]);
    expect(rows[2].errors).toEqual([expect.objectContaining({ row: 4, column: 'Email', field: 'email' })]);
  });

  it('refuses files that are empty, too long or not CSV', () => {
    expect(() => readLeadCsv('')).toThrow(ValidationError);
    expect(() => readLeadCsv('Name,Website\n')).toThrow('no rows');
    expect(() => readLeadCsv('a,b\n"unterminated,1\n')).toThrow('cannot be read');
    expect(() => readLeadCsv(`Website\n${'x.it\n'.repeat(5001)}`)).toThrow('At most 5000 rows');
  });
});

describe('lead profile', () => {
  it('fills every default', () => {
    expect(defaultLeadProfile()).toEqual({
      categories: [],
      keywords: [],
      countries: [],
      cities: [],
      mustHave: { email: false, phone: false, reachable: false },
      weights: { category: 30, keywords: 20, location: 20, contacts: 20, web: 10 },
      qualifyAt: 60,
    });
  });

  it('lowercases and dedupes terms, and refuses unknown keys and out-of-range weights', () => {
    expect(leadProfileSchema.parse({ categories: ['Hotel', 'hotel', ' B&B '] }).categories).toEqual(['hotel', 'b&b']);
    expect(leadProfileSchema.safeParse({ weights: { category: 101 } }).success).toBe(false);
    expect(leadProfileSchema.safeParse({ colour: 'red' }).success).toBe(false);
    expect(readLeadProfile({ weights: { web: 'x' } })).toEqual(defaultLeadProfile());
  });
});
