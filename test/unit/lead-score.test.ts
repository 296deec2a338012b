import fc from 'fast-check';
import { leadProfileSchema } from '../../lib/leads/profile';
import { scoreLead, type ScoredLead } from '../../lib/leads/score';

const profile = (p: Record<string, unknown> = {}) => leadProfileSchema.parse(p);

const trattoria: ScoredLead = {
  companyName: 'Trattoria da Nonna',
  category: 'Ristorante',
  description: 'Cucina romana, pasta fresca e caffè ogni mattina nel cuore di Trastevere.',
  city: 'Roma',
  country: 'IT',
  emails: ['info@danonna.it'],
  phones: ['+390612345678'],
  technologies: ['WordPress'],
  socials: { instagram: 'https://www.instagram.com/danonna' },
  siteReachable: true,
};

const empty: ScoredLead = {
  companyName: null,
  category: null,
  description: null,
  city: null,
  country: null,
  emails: [],
  phones: [],
  technologies: [],
  socials: {},
  siteReachable: false,
};

describe('scoreLead', () => {
  it('a lead that fits every criterion scores 100 and is qualified, with a reason per criterion', () => {
    const result = scoreLead(
      trattoria,
      profile({
        categories: ['ristorante'],
        keywords: ['pasta', 'caffe', 'wordpress'],
        countries: ['Italia'],
        cities: ['Roma'],
      }),
    );
    expect(result).toEqual({
      score: 100,
      status: 'qualified',
      reasons: [
        { rule: 'category', points: 30, detail: 'Category "Ristorante" matches "ristorante"' },
        { rule: 'keywords', points: 20, detail: 'Mentions "pasta", "caffe", "wordpress"' },
        { rule: 'location', points: 20, detail: 'In Roma' },
        { rule: 'contacts', points: 20, detail: '1 email and a phone' },
        { rule: 'web', points: 10, detail: 'site reachable; on instagram' },
      ],
    });
  });

  it('partial fits earn partial points: a country without the city, one keyword of three, no phone', () => {
    const lead = { ...trattoria, city: 'Milano', phones: [], description: 'Pasta fresca.' };
    const result = scoreLead(
      lead,
      profile({ categories: ['hotel'], keywords: ['pasta', 'vino', 'pizza'], countries: ['IT'], cities: ['Roma'] }),
    );
    // category 0 + keywords 20·⅓ + location 20·½ + contacts 20·0.6 + web 10 = 38.67
    expect(result.score).toBe(39);
    expect(result.status).toBe('disqualified');
    expect(result.reasons.map((r) => [r.rule, r.points])).toEqual([
      ['category', 0],
      ['keywords', 7],
      ['location', 10],
      ['contacts', 12],
      ['web', 10],
    ]);
    expect(result.reasons[2].detail).toBe('In IT, not in "roma"'); // profile terms are stored lower-case
  });

  it('an empty profile asks for nothing: only contacts and the web presence count', () => {
    expect(scoreLead(trattoria, profile()).score).toBe(100);
    const bare = scoreLead(empty, profile());
    expect(bare.score).toBe(70);
    expect(bare.reasons.find((r) => r.rule === 'contacts')!.detail).toBe('No email or phone found');
  });

  it('a missing must-have disqualifies whatever the score, and says which', () => {
    const result = scoreLead(
      { ...trattoria, emails: [] },
      profile({ mustHave: { email: true, phone: true, reachable: true }, qualifyAt: 10 }),
    );
    expect(result.score).toBeGreaterThan(10);
    expect(result.status).toBe('disqualified');
    expect(result.reasons.at(-1)).toEqual({ rule: 'must-have', points: 0, detail: 'Must have an email: none found' });
  });

  it('matches whole words without accents or case, not parts of words', () => {
    const p = profile({ categories: ['bar'], keywords: ['caffe'] });
    expect(scoreLead({ ...empty, description: 'Il miglior CAFFÈ del quartiere' }, p).reasons[1].points).toBe(20);
    expect(scoreLead({ ...empty, description: 'Barbieri e barche' }, p).reasons[0].points).toBe(0);
    expect(scoreLead({ ...empty, category: 'Wine bar' }, p).reasons[0].points).toBe(30);
  });

  it('weights are relative: zero weights leave the others to fill 0–100', () => {
    const p = profile({ weights: { category: 0, keywords: 0, location: 0, contacts: 1, web: 0 } });
    expect(scoreLead(trattoria, p).score).toBe(100);
    expect(scoreLead({ ...trattoria, phones: [] }, p).score).toBe(60);
    const none = profile({ weights: { category: 0, keywords: 0, location: 0, contacts: 0, web: 0 } });
    expect(scoreLead(trattoria, none)).toMatchObject({ score: 0, status: 'disqualified' });
  });

  it('is deterministic and stays within 0–100 for any lead and profile', () => {
    const text = fc.option(fc.string({ maxLength: 60 }), { nil: null });
    const words = fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 5 });
    fc.assert(
      fc.property(
        fc.record({
          companyName: text,
          category: text,
          description: text,
          city: text,
          country: text,
          emails: words,
          phones: words,
          technologies: words,
          socials: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.string()),
          siteReachable: fc.boolean(),
        }),
        fc.record({ categories: words, keywords: words, cities: words, countries: words }),
        (lead, terms) => {
          const p = profile(Object.fromEntries(Object.entries(terms).map(([k, v]) => [k, v.filter((s) => s.trim())])));
          const a = scoreLead(lead, p);
          expect(scoreLead(lead, p)).toEqual(a);
          expect(a.score).toBeGreaterThanOrEqual(0);
          expect(a.score).toBeLessThanOrEqual(100);
          expect(a.reasons.slice(0, 5).map((r) => r.rule)).toEqual([
            'category',
            'keywords',
            'location',
            'contacts',
            'web',
          ]);
        },
      ),
    );
  });
});
