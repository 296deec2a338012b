import {
  answersSchema,
  DIMENSION_IDS,
  diagnosisAnswersSchema,
  QUESTIONNAIRE,
  QUESTIONS,
  questionErrors,
  STEP_IDS,
  type Answers,
  type StepId,
} from '../../lib/diagnosis/questionnaire';

const validIdentity: Answers = {
  'identity.clarity': 4,
  'identity.mission': 'We make durable kitchen tools that last a lifetime.',
  'identity.values': 'written',
  'identity.visual': 3,
  'identity.guidelines': 'basic',
  'identity.promise': 'Forged steel, repairable, with a lifetime guarantee.',
};

/** Paths of the issues, each joined as the API would name the question. */
function errorPaths(step: StepId, value: unknown, partial = false): string[] {
  const result = answersSchema(step, { partial }).safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
}

describe('questionnaire definition', () => {
  it('has the five steps of issue 3, in order, with 4–6 questions each', () => {
    expect(QUESTIONNAIRE.map((s) => s.id)).toEqual([...STEP_IDS]);
    expect(STEP_IDS).toEqual(['identity', 'target', 'market', 'channels', 'performance']);
    for (const step of QUESTIONNAIRE) {
      expect(step.questions.length).toBeGreaterThanOrEqual(4);
      expect(step.questions.length).toBeLessThanOrEqual(6);
    }
  });

  it('names each question <step>.<key>, uniquely', () => {
    const ids = QUESTIONNAIRE.flatMap((s) => s.questions.map((q) => q.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(QUESTIONS.size).toBe(ids.length);
    for (const step of QUESTIONNAIRE) {
      for (const q of step.questions) expect(q.id).toMatch(new RegExp(`^${step.id}\\.[a-z]+$`));
    }
  });

  it('feeds every dimension from at least two questions, with positive weights', () => {
    for (const d of DIMENSION_IDS) {
      expect([...QUESTIONS.values()].filter((q) => q.dimension === d).length).toBeGreaterThanOrEqual(2);
    }
    for (const q of QUESTIONS.values()) {
      expect(DIMENSION_IDS).toContain(q.dimension);
      expect(q.weight).toBeGreaterThan(0);
    }
  });

  it('uses all three question types with consistent settings', () => {
    const types = new Set([...QUESTIONS.values()].map((q) => q.type));
    expect(types).toEqual(new Set(['scale', 'choice', 'text']));
    for (const q of QUESTIONS.values()) {
      if (q.type === 'scale') {
        expect([q.min, q.max]).toEqual([1, 5]);
        expect(q.labels).toHaveLength(5);
      } else if (q.type === 'choice') {
        const ids = q.options.map((o) => o.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const o of q.options) {
          expect(o.score).toBeGreaterThanOrEqual(0);
          expect(o.score).toBeLessThanOrEqual(100);
        }
        // a single choice must be able to reach 100; so must a multiple choice's best selection
        const best = q.multiple
          ? q.options.filter((o) => !o.exclusive).reduce((s, o) => s + o.score, 0)
          : Math.max(...q.options.map((o) => o.score));
        expect(best).toBeGreaterThanOrEqual(100);
      } else {
        expect(q.minLength).toBeLessThan(q.maxLength);
        expect(q.idealWords).toBeGreaterThan(0);
      }
    }
  });
});

describe('answersSchema', () => {
  it('accepts a complete step and trims text', () => {
    const result = answersSchema('identity').parse({
      ...validIdentity,
      'identity.mission': '  We make durable tools.  ',
    });
    expect(result['identity.mission']).toBe('We make durable tools.');
    expect(result['identity.clarity']).toBe(4);
  });

  it('names the question of every invalid answer (400-style paths)', () => {
    expect(
      errorPaths('identity', {
        ...validIdentity,
        'identity.clarity': 6, // out of 1..5
        'identity.values': 'maybe', // not an option
        'identity.mission': 'short', // under 20 characters
      }).sort(),
    ).toEqual(['identity.clarity', 'identity.mission', 'identity.values']);
    expect(errorPaths('identity', { ...validIdentity, 'identity.visual': 2.5 })).toEqual(['identity.visual']);
    expect(errorPaths('identity', { ...validIdentity, 'identity.visual': '3' })).toEqual(['identity.visual']);
    expect(errorPaths('identity', { ...validIdentity, 'identity.promise': 'x'.repeat(401) })).toEqual([
      'identity.promise',
    ]);
  });

  it('rejects unknown question ids at their own path, including another step’s questions', () => {
    expect(errorPaths('identity', { ...validIdentity, 'identity.bogus': 1, 'market.awareness': 3 }).sort()).toEqual([
      'identity.bogus',
      'market.awareness',
    ]);
    const result = answersSchema('identity').safeParse({ ...validIdentity, 'identity.bogus': 1 });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues[0].message).toBe('Unknown question');
  });

  it('reports a missing required answer as Required', () => {
    const { ['identity.clarity']: _omitted, ...rest } = validIdentity;
    const result = answersSchema('identity').safeParse(rest);
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(questionErrors(result.error)).toEqual([{ question: 'identity.clarity', message: 'Required' }]);
    }
  });

  it('checks multiple choices: known options, at least one, no duplicates, exclusive options alone', () => {
    const step = {
      'channels.active': ['website', 'linkedin'],
      'channels.fit': 4,
      'channels.frequency': 'weekly',
      'channels.calendar': 'monthly',
      'channels.consistency': 4,
    };
    expect(errorPaths('channels', step)).toEqual([]);
    for (const bad of [['website', 'fax'], [], ['website', 'website'], ['none', 'website'], 'website']) {
      expect(errorPaths('channels', { ...step, 'channels.active': bad })).toEqual(['channels.active']);
    }
    expect(errorPaths('channels', { ...step, 'channels.active': ['none'] })).toEqual([]);
  });

  it('lets optional text be empty but not too short', () => {
    const step = {
      'channels.active': ['website'],
      'channels.fit': 4,
      'channels.frequency': 'weekly',
      'channels.calendar': 'monthly',
      'channels.consistency': 4,
    };
    expect(errorPaths('channels', { ...step, 'channels.best': '   ' })).toEqual([]);
    expect(errorPaths('channels', { ...step, 'channels.best': 'reels' })).toEqual(['channels.best']);
  });

  it('accepts a draft with partial: true but still checks what is there', () => {
    expect(errorPaths('target', {}, true)).toEqual([]);
    expect(errorPaths('target', { 'target.definition': 0 }, true)).toEqual(['target.definition']);
    expect(errorPaths('target', {}).length).toBe(5); // the required questions of the step
  });

  it('rejects a body that is not an object at the root', () => {
    expect(errorPaths('identity', null)).toEqual(['']);
    expect(errorPaths('identity', [1, 2])).not.toEqual([]);
  });

  it('validates a whole diagnosis with diagnosisAnswersSchema', () => {
    const schema = diagnosisAnswersSchema();
    const result = schema.safeParse(validIdentity);
    expect(result.success).toBe(false);
    if (!result.success) {
      const paths = result.error.issues.map((i) => i.path.join('.'));
      expect(paths).toContain('target.definition');
      expect(paths).not.toContain('target.journey'); // optional
    }
    expect(diagnosisAnswersSchema({ partial: true }).safeParse(validIdentity).success).toBe(true);
  });
});
