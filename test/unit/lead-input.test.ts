/** A lead's input: websites on the crawler's allow-list are taken without a domain; everything else keeps its rules. */
import { normalizeLead } from '../../lib/leads/lead-input';
import { parseAllowList } from '../../lib/net/url-policy';

const allowedHosts = parseAllowList(['127.0.0.1:8080', 'crm.intranet']);

describe('normalizeLead with an allow-list', () => {
  it('takes an allow-listed site on an IP address or a local name, without a domain', () => {
    expect(
      normalizeLead({ website: 'http://127.0.0.1:8080/b/1/#top', emails: ['a@shop.fr'] }, { allowedHosts }),
    ).toEqual({
      fields: { website: 'http://127.0.0.1:8080/b/1/', emails: ['a@shop.fr'] },
      errors: [],
    });
    expect(
      normalizeLead({ website: 'https://crm.intranet/', emails: ['a@shop.fr'] }, { allowedHosts }).fields.website,
    ).toBe('https://crm.intranet/');
  });

  it('still needs an email to deduplicate such a lead on', () => {
    expect(normalizeLead({ website: 'http://127.0.0.1:8080/' }, { allowedHosts }).errors).toEqual([
      { field: 'website', message: 'a lead needs a website or an email address (the keys it is deduplicated on)' },
    ]);
  });

  it('refuses the same site on another port, without the allow-list, or without a scheme', () => {
    const refused = (website: string, options = { allowedHosts }) =>
      normalizeLead({ website, emails: ['a@shop.fr'] }, options).errors.map((e) => e.message);
    expect(refused('http://127.0.0.1:8081/')).toEqual(['"http://127.0.0.1:8081/": an IP address, not a domain']);
    expect(refused('http://127.0.0.1:8080/', { allowedHosts: [] })).toEqual([
      '"http://127.0.0.1:8080/": an IP address, not a domain',
    ]);
    expect(refused('127.0.0.1:8080')).toHaveLength(1);
  });

  it('keeps public sites as before: a domain to deduplicate on', () => {
    expect(normalizeLead({ website: 'www.Bistro.fr' }, { allowedHosts }).fields).toEqual({
      website: 'https://www.bistro.fr/',
      domain: 'bistro.fr',
    });
  });
});
