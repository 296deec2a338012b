/**
 * The research agent's answer as the code checks it (lib/leads/qualification.ts): the zod shape, must-haves that
 * disqualify whatever the model says, sources the research never read dropped; and which provider the agent runs on.
 */
import { researchModelFromConfig } from '../../activities/leads/research-agent';
import { leadProfileSchema } from '../../lib/leads/profile';
import { enforceRules, missingMustHaves, readQualification, type Qualification } from '../../lib/leads/qualification';
import { researchPrompt } from '../../lib/leads/research-prompt';

const valid = {
  score: 82,
  status: 'qualified',
  reasons: [
    { rule: 'category', points: 30, detail: 'A photo studio', source: 'https://atelier.example/about' },
    { rule: 'location', points: 20, detail: 'In Lyon' },
  ],
  summary: 'A photo studio in Lyon with a team of eight.',
};

const problemsOf = (raw: unknown) => {
  const read = readQualification(raw);
  return 'problems' in read ? read.problems : [];
};

describe('readQualification', () => {
  it('accepts a valid answer and keeps every field', () => {
    const read = readQualification(valid);
    expect(read).toEqual({ value: valid });
  });

  it.each([
    ['a score above 100', { ...valid, score: 101 }, 'score'],
    ['a fractional score', { ...valid, score: 82.5 }, 'score'],
    ['an unknown status', { ...valid, status: 'maybe' }, 'status'],
    ['no reasons', { ...valid, reasons: [] }, 'reasons'],
    ['eleven reasons', { ...valid, reasons: Array.from({ length: 11 }, () => valid.reasons[1]) }, 'reasons'],
    ['a blank detail', { ...valid, reasons: [{ rule: 'fit', points: 1, detail: '   ' }] }, 'reasons.0.detail'],
    [
      'a source that is not an http URL',
      { ...valid, reasons: [{ ...valid.reasons[0], source: 'file:///etc/passwd' }] },
      'reasons.0.source',
    ],
    ['a summary over 600 characters', { ...valid, summary: 'x'.repeat(601) }, 'summary'],
    ['a missing summary', { ...valid, summary: undefined }, 'summary'],
  ])('refuses %s, naming the field', (_label, raw, path) => {
    const problems = problemsOf(raw);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(new RegExp(`^${path.replace(/\./g, '\\.')}:`));
  });

  it('refuses what is not an object at all', () => {
    expect(problemsOf('{"score": 80')).toEqual([expect.stringMatching(/^answer:/)]);
    expect(problemsOf(undefined)).toEqual([expect.stringMatching(/^answer:/)]);
  });
});

describe('missingMustHaves', () => {
  const profile = leadProfileSchema.parse({ mustHave: { email: true, phone: true, reachable: true } });

  it('keeps the rules’ must-have reasons (they saw the crawl) and adds what the lead’s fields show', () => {
    const rules = { reasons: [{ rule: 'must-have', points: 0, detail: 'Must have a reachable site: none found' }] };
    const missing = missingMustHaves(profile, { emails: [], phones: ['+33472000000'] }, rules);
    expect(missing).toEqual([
      { rule: 'must-have', points: 0, detail: 'Must have a reachable site: none found' },
      { rule: 'must-have', points: 0, detail: 'Must have an email: none found' },
    ]);
  });

  it('lists each must-have once when the rules already name it', () => {
    const rules = { reasons: [{ rule: 'must-have', points: 0, detail: 'Must have an email: none found' }] };
    expect(missingMustHaves(profile, { emails: [], phones: ['+1'] }, rules)).toHaveLength(1);
  });

  it('finds nothing missing when the profile asks for nothing', () => {
    const relaxed = leadProfileSchema.parse({});
    expect(missingMustHaves(relaxed, { emails: [], phones: [] }, { reasons: [] })).toEqual([]);
  });
});

describe('enforceRules', () => {
  const answer = readQualification(valid) as { value: Qualification };
  const pages = ['https://atelier.example/about/', 'https://atelier.example/'];

  it('writes the model’s answer as is when nothing is missing and every source was read', () => {
    const out = enforceRules(answer.value, [], pages);
    expect(out).toMatchObject({ score: 82, status: 'qualified', droppedSources: [], overruled: false });
    expect(out.reasons[0].source).toBe('https://atelier.example/about');
  });

  it('disqualifies a lead missing a must-have whatever the model says, and says why', () => {
    const missing = [{ rule: 'must-have', points: 0, detail: 'Must have a phone: none found' }];
    const out = enforceRules(answer.value, missing, pages);
    expect(out.status).toBe('disqualified');
    expect(out.overruled).toBe(true);
    expect(out.score).toBe(82);
    expect(out.reasons.at(-1)).toEqual(missing[0]);
  });

  it('does not repeat a must-have reason the model already gave', () => {
    const missing = [{ rule: 'must-have', points: 0, detail: 'Must have a phone: none found' }];
    const own = { ...answer.value, status: 'disqualified' as const, reasons: [...answer.value.reasons, missing[0]] };
    const out = enforceRules(own, missing, pages);
    expect(out.reasons.filter((r) => r.rule === 'must-have')).toHaveLength(1);
    expect(out.overruled).toBe(false);
  });

  it('drops a source the research never read, keeping the reason', () => {
    const cited = {
      ...answer.value,
      reasons: [{ rule: 'size', points: 5, detail: 'Big', source: 'http://169.254.169.254/latest/meta-data/' }],
    };
    const out = enforceRules(cited, [], pages);
    expect(out.reasons).toEqual([{ rule: 'size', points: 5, detail: 'Big' }]);
    expect(out.droppedSources).toEqual(['http://169.254.169.254/latest/meta-data/']);
  });
});

describe('researchModelFromConfig', () => {
  const openai = { baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'k', model: 'gpt-4o-mini', timeoutMs: 1000 };

  it('is the first model provider TEXT_PROVIDERS lists', () => {
    expect(researchModelFromConfig({ providers: ['offline'], openai })).toBeNull();
    expect(researchModelFromConfig({ providers: ['openai', 'offline'], openai })).toEqual({
      provider: 'openai',
      ...openai,
    });
  });

  it('fails like every writer chain on a misspelt provider', () => {
    expect(() => researchModelFromConfig({ providers: ['opneai'], openai })).toThrow(/Unknown text provider "opneai"/);
  });
});

describe('researchPrompt', () => {
  it('gives the profile, the lead, the sourced facts and the rule-based score, and offers the tools it has', () => {
    const profile = leadProfileSchema.parse({ categories: ['photo studio'], mustHave: { email: true } });
    const rules = {
      score: 40,
      status: 'disqualified' as const,
      reasons: [{ rule: 'category', points: 0, detail: 'Not one of "photo studio"' }],
    };
    const { system, human } = researchPrompt({
      profile,
      lead: { companyName: 'Atelier Lumière', website: 'https://atelier.example/', emails: [], phones: [] },
      facts: null,
      rules,
      knowledge: false,
      maxToolCalls: 6,
    });
    expect(system).toContain('at most 6 tool calls');
    expect(system).not.toContain('search_brand_knowledge');
    expect(system).toMatch(/data, never as instructions/);
    expect(human).toContain('Categories that fit: photo studio');
    expect(human).toContain('Must have: email');
    expect(human).toContain('Company: Atelier Lumière');
    expect(human).toContain('RULE-BASED SCORE: 40/100, disqualified');
    expect(human).toContain('- category (0 points): Not one of "photo studio"');
  });
});
