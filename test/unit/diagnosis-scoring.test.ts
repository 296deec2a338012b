import {
  DIMENSION_IDS,
  diagnosisAnswersSchema,
  QUESTIONS,
  type Answers,
  type Question,
} from '../../lib/diagnosis/questionnaire';
import {
  bandOf,
  RECOMMENDATION_RULES,
  recommendationsFor,
  scoreAnswer,
  scoreDiagnosis,
} from '../../lib/diagnosis/scoring';

/** A text of n distinct words ("w0 w1 …"), for exact completeness scores. */
const words = (n: number, prefix = 'w') => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ');
const question = (id: string): Question => QUESTIONS.get(id)!;

/** A mid-maturity brand; each dimension's expected score is worked out in the test below. */
const MID: Answers = {
  'identity.clarity': 4, // (4 − 1)/4 = 75, w2
  'identity.mission': words(30), // ≥ 25 distinct words → 100, w1
  'identity.values': 'written', // 70, w1
  'identity.visual': 3, // 50, w1.5
  'identity.guidelines': 'basic', // 70, w1
  'identity.promise': words(10, 'q'), // 10/20 → 50, w1.5 → positioning
  'target.definition': 2, // 25, w2
  'target.personas': 'none', // 0, w1.5
  'target.research': 'yearly', // 40, w1.5
  'target.persona': words(20, 'p'), // 20/40 → 50, w1.5
  'target.fit': 3, // 50, w1.5 → positioning
  'market.awareness': 2, // 25, w2
  'market.competitors': words(15, 'c'), // 15/30 → 50, w1
  'market.monitoring': ['reviews'], // 25, w1.5
  'market.position': 'newcomer', // 45, w1
  'market.differentiation': 2, // 25, w2 → positioning
  'channels.active': ['website', 'linkedin'], // 20 + 20 = 40, w2
  'channels.fit': 3, // 50, w1.5
  'channels.frequency': 'monthly', // 35, w1.5 → content
  'channels.calendar': 'ideas', // 40, w1 → content
  'channels.consistency': 4, // 75, w1.5 → content
  'performance.goals': 'informal', // 35, w2
  'performance.kpis': ['followers', 'engagement'], // 10 + 15 = 25, w1.5
  'performance.review': 'yearly', // 30, w1.5
  'performance.results': 2, // 25, w1
};

/** The best answer to every question. */
const BEST: Answers = Object.fromEntries(
  [...QUESTIONS.values()].map((q) => {
    if (q.type === 'scale') return [q.id, q.max];
    if (q.type === 'text') return [q.id, words(q.idealWords)];
    if (q.multiple) return [q.id, q.options.filter((o) => !o.exclusive).map((o) => o.id)];
    return [q.id, [...q.options].sort((a, b) => b.score - a.score)[0].id];
  }),
);

const WORST: Answers = Object.fromEntries(
  [...QUESTIONS.values()]
    .filter((q) => q.required)
    .map((q) => {
      if (q.type === 'scale') return [q.id, q.min];
      if (q.type === 'text') return [q.id, 'x'.repeat(q.minLength)];
      const worst = [...q.options].sort((a, b) => a.score - b.score)[0].id;
      return [q.id, q.multiple ? [worst] : worst];
    }),
);

describe('scoreAnswer', () => {
  it('maps a 1–5 scale linearly onto 0–100', () => {
    const q = question('identity.clarity');
    expect([1, 2, 3, 4, 5].map((v) => scoreAnswer(q, v))).toEqual([0, 25, 50, 75, 100]);
  });

  it('uses option scores, summing multiple choices up to 100', () => {
    expect(scoreAnswer(question('identity.guidelines'), 'basic')).toBe(70);
    // 20 + 20 + 20 + 20 + 15 + 15 = 110 → capped at 100
    const all = ['website', 'newsletter', 'linkedin', 'youtube', 'instagram', 'facebook'];
    expect(scoreAnswer(question('channels.active'), all)).toBe(100);
    expect(scoreAnswer(question('channels.active'), ['website', 'tiktok'])).toBe(35);
    expect(scoreAnswer(question('channels.active'), ['none'])).toBe(0);
  });

  it('scores text on completeness: distinct words over the question’s ideal', () => {
    const mission = question('identity.mission'); // idealWords 25
    expect(scoreAnswer(mission, words(10))).toBe(40); // 10/25
    expect(scoreAnswer(mission, words(50))).toBe(100); // capped
    expect(scoreAnswer(mission, 'steel steel steel steel steel')).toBe(4); // 1 distinct word: 1/25
  });

  it('treats a missing or ill-typed answer as unanswered', () => {
    expect(scoreAnswer(question('identity.clarity'), undefined)).toBeNull();
    expect(scoreAnswer(question('identity.clarity'), '4')).toBeNull();
    expect(scoreAnswer(question('identity.values'), 'unheard-of')).toBeNull();
    expect(scoreAnswer(question('channels.best'), '   ')).toBeNull();
  });
});

describe('scoreDiagnosis', () => {
  it('computes each dimension as the weighted mean of its answered questions', () => {
    expect(diagnosisAnswersSchema().safeParse(MID).success).toBe(true);
    const scores = scoreDiagnosis(MID);
    const by = Object.fromEntries(scores.dimensions.map((d) => [d.id, d.score]));
    // identity: (2·75 + 1·100 + 1·70 + 1.5·50 + 1·70) / (2 + 1 + 1 + 1.5 + 1) = 465 / 6.5 = 71.538… → 71.54
    expect(by.identity).toBe(71.54);
    // positioning: (1.5·50 + 1.5·50 + 2·25) / 5 = 200 / 5 = 40
    expect(by.positioning).toBe(40);
    // audience: (2·25 + 1.5·0 + 1.5·40 + 1.5·50) / 6.5 = 185 / 6.5 = 28.461… → 28.46
    expect(by.audience).toBe(28.46);
    // competition: (2·25 + 1·50 + 1.5·25 + 1·45) / 5.5 = 182.5 / 5.5 = 33.181… → 33.18
    expect(by.competition).toBe(33.18);
    // content (channels.best unanswered, so not counted): (1.5·35 + 1·40 + 1.5·75) / 4 = 205 / 4 = 51.25
    expect(by.content).toBe(51.25);
    // channels (target.journey unanswered): (2·40 + 1.5·50) / 3.5 = 155 / 3.5 = 44.285… → 44.29
    expect(by.channels).toBe(44.29);
    // performance (obstacle unanswered): (2·35 + 1.5·25 + 1.5·30 + 1·25) / 6 = 177.5 / 6 = 29.583… → 29.58
    expect(by.performance).toBe(29.58);
    // overall: (71.54 + 40 + 28.46 + 33.18 + 51.25 + 44.29 + 29.58) / 7 = 298.3 / 7 = 42.614… → 42.61
    expect(scores.overall).toBe(42.61);
  });

  it('lists the dimensions below 60 as weakest, lowest first, and bands every score', () => {
    const scores = scoreDiagnosis(MID);
    expect(scores.weakest).toEqual(['audience', 'performance', 'competition', 'positioning', 'channels', 'content']);
    const by = Object.fromEntries(scores.dimensions.map((d) => [d.id, d]));
    expect(by.identity).toMatchObject({ band: 'fair', answered: 5, questions: 5 });
    expect(by.audience.band).toBe('critical');
    expect(by.content).toMatchObject({ band: 'weak', answered: 3, questions: 4 });
    expect([bandOf(39.99), bandOf(40), bandOf(59.99), bandOf(60), bandOf(79.99), bandOf(80)]).toEqual([
      'critical',
      'weak',
      'weak',
      'fair',
      'fair',
      'strong',
    ]);
  });

  it('names the single lowest dimension when none is below 60', () => {
    const scores = scoreDiagnosis({ ...BEST, 'performance.results': 1 });
    // performance: (2·100 + 1.5·100 + 1.5·100 + 1·0 + 0.5·100) / 6.5 = 550 / 6.5 = 84.615… → 84.62
    expect(scores.dimensions.find((d) => d.id === 'performance')!.score).toBe(84.62);
    expect(scores.weakest).toEqual(['performance']);
  });

  it('scores the best answers 100 everywhere and the worst ones low', () => {
    const best = scoreDiagnosis(BEST);
    expect(best.dimensions.every((d) => d.score === 100)).toBe(true);
    expect(best.overall).toBe(100);
    const worst = scoreDiagnosis(WORST);
    expect(worst.overall).toBeLessThan(10);
    expect(worst.dimensions.every((d) => d.band === 'critical')).toBe(true);
  });

  it('leaves a dimension with no answers null and out of the overall score', () => {
    const identityOnly = Object.fromEntries(Object.entries(MID).filter(([id]) => id.startsWith('identity.')));
    const scores = scoreDiagnosis(identityOnly);
    const by = Object.fromEntries(scores.dimensions.map((d) => [d.id, d.score]));
    // identity as above; positioning from identity.promise alone: 50
    expect(by).toEqual({
      identity: 71.54,
      positioning: 50,
      audience: null,
      competition: null,
      content: null,
      channels: null,
      performance: null,
    });
    // (71.54 + 50) / 2 = 60.77
    expect(scores.overall).toBe(60.77);
    expect(scoreDiagnosis({}).overall).toBeNull();
    expect(scoreDiagnosis({}).weakest).toEqual([]);
  });

  it('ignores unknown question ids', () => {
    expect(scoreDiagnosis({ ...MID, 'identity.bogus': 5 })).toEqual(scoreDiagnosis(MID));
  });
});

describe('recommendationsFor', () => {
  it('turns weak dimensions into their recommendations, weakest basis first, at most 3 per dimension and 10 in all', () => {
    const recs = recommendationsFor(scoreDiagnosis(MID));
    // Fired rules sorted by the score they rest on, then by dimension score (see the MID comments):
    //   0  target.personas → audience.build-buyer-personas
    //   25 performance.kpis (dim 29.58), market.monitoring (33.18), market.differentiation (40)
    //   28.46 audience (dimension), 29.58 performance (dimension), 30 performance.review, 33.18 competition
    //   35 performance.goals (performance already has 3: skipped), channels.frequency
    //   40 target.research (audience's 3rd) … and the list is full at 10
    expect(recs.map((r) => r.code)).toEqual([
      'audience.build-buyer-personas',
      'performance.track-business-kpis',
      'competition.set-up-market-monitoring',
      'positioning.prove-differentiation',
      'audience.define-target-segments',
      'performance.build-kpi-dashboard',
      'performance.review-monthly',
      'competition.map-competitors',
      'content.raise-publishing-frequency',
      'audience.run-customer-research',
    ]);
    expect(recs.map((r) => r.priority)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(recs[0].basis).toEqual({ kind: 'question', id: 'target.personas', score: 0 });
    expect(recs[4].basis).toEqual({ kind: 'dimension', id: 'audience', score: 28.46 });
    expect(recs.every((r) => r.kind === 'fix')).toBe(true);
  });

  it('tops a strong brand up to 5 with growth recommendations, weakest dimension first', () => {
    const recs = recommendationsFor(scoreDiagnosis(BEST));
    expect(recs.map((r) => r.code)).toEqual([
      'identity.tell-brand-story',
      'positioning.own-a-category-claim',
      'audience.deepen-customer-insight',
      'competition.benchmark-quarterly',
      'content.repurpose-best-performers',
    ]);
    expect(recs.every((r) => r.kind === 'grow' && r.basis.score === 100)).toBe(true);
  });

  it('rests recommendations on KPI scores too', () => {
    const recs = recommendationsFor(scoreDiagnosis(BEST), { popularityIndex: 30, trendScore: -40 });
    // popularity 30 < 40 and trend −40 < −10 (sorted as (−40 + 100) / 2 = 30): a tie, catalogue order decides
    expect(recs.slice(0, 2)).toEqual([
      {
        priority: 1,
        code: 'channels.grow-audience-reach',
        dimension: 'channels',
        kind: 'fix',
        basis: { kind: 'kpi', id: 'popularityIndex', score: 30 },
      },
      {
        priority: 2,
        code: 'performance.reverse-declining-trend',
        dimension: 'performance',
        kind: 'fix',
        basis: { kind: 'kpi', id: 'trendScore', score: -40 },
      },
    ]);
    expect(recs).toHaveLength(5);
    expect(recommendationsFor(scoreDiagnosis(BEST), { trendScore: 20, popularityIndex: 80 })).toHaveLength(5);
  });

  it('always returns 5–10 for a fully answered diagnosis', () => {
    for (const answers of [BEST, MID, WORST, { ...BEST, 'performance.results': 1, 'channels.fit': 2 }]) {
      const recs = recommendationsFor(scoreDiagnosis(answers), { trendScore: -90, popularityIndex: 5 });
      expect(recs.length).toBeGreaterThanOrEqual(5);
      expect(recs.length).toBeLessThanOrEqual(10);
      const perDimension = new Map<string, number>();
      for (const r of recs) perDimension.set(r.dimension, (perDimension.get(r.dimension) ?? 0) + 1);
      expect(Math.max(...perDimension.values())).toBeLessThanOrEqual(3);
      expect(new Set(recs.map((r) => r.code)).size).toBe(recs.length);
    }
    expect(recommendationsFor(scoreDiagnosis({}))).toEqual([]);
  });

  it('has a coherent catalogue: unique codes, one growth rule per dimension, questions feeding their dimension', () => {
    const codes = RECOMMENDATION_RULES.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const d of DIMENSION_IDS) {
      expect(RECOMMENDATION_RULES.filter((r) => r.dimension === d && r.kind === 'grow')).toHaveLength(1);
      expect(RECOMMENDATION_RULES.filter((r) => r.dimension === d && r.kind === 'fix').length).toBeGreaterThanOrEqual(
        3,
      );
    }
    for (const r of RECOMMENDATION_RULES) {
      expect(r.code.startsWith(`${r.dimension}.`)).toBe(true);
      if (r.question) expect(QUESTIONS.get(r.question)?.dimension).toBe(r.dimension);
    }
  });
});
