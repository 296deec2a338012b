/**
 * The 5-step brand diagnosis questionnaire (seed 003 "Brand Report: 5-step diagnosis", issue 3): the definition as
 * data, shared by the UI (which renders it), the API (which validates each step with `answersSchema`) and the
 * scoring (which reads weights, option scores and text targets from it). Pure: workflows may import it.
 */
import { z } from 'zod';

/** What the scores are reported on (the report's radar). A question feeds exactly one dimension. */
export const DIMENSIONS = [
  { id: 'identity', label: 'Brand identity', weight: 1 },
  { id: 'positioning', label: 'Positioning & differentiation', weight: 1 },
  { id: 'audience', label: 'Audience insight', weight: 1 },
  { id: 'competition', label: 'Competitive awareness', weight: 1 },
  { id: 'content', label: 'Content strategy', weight: 1 },
  { id: 'channels', label: 'Channel reach', weight: 1 },
  { id: 'performance', label: 'Performance management', weight: 1 },
] as const;
export type DimensionId = (typeof DIMENSIONS)[number]['id'];
export const DIMENSION_IDS: readonly DimensionId[] = DIMENSIONS.map((d) => d.id);

export const STEP_IDS = ['identity', 'target', 'market', 'channels', 'performance'] as const;
export type StepId = (typeof STEP_IDS)[number];

interface QuestionBase {
  /** `<step>.<key>`: also the error path when the answer is invalid. */
  id: string;
  prompt: string;
  dimension: DimensionId;
  /** Relative weight inside its dimension. */
  weight: number;
  required: boolean;
}

export interface ScaleQuestion extends QuestionBase {
  type: 'scale';
  min: 1;
  max: 5;
  /** Labels for 1..5. */
  labels: readonly [string, string, string, string, string];
}

export interface ChoiceOption {
  id: string;
  label: string;
  /** 0–100; a multiple choice scores the capped sum of its selected options. */
  score: number;
  /** Cannot be combined with other options ("None", "We don't know"). */
  exclusive?: boolean;
}

export interface ChoiceQuestion extends QuestionBase {
  type: 'choice';
  multiple: boolean;
  options: readonly ChoiceOption[];
}

export interface TextQuestion extends QuestionBase {
  type: 'text';
  minLength: number;
  maxLength: number;
  /** Distinct words at which the answer counts as complete (score 100). */
  idealWords: number;
}

export type Question = ScaleQuestion | ChoiceQuestion | TextQuestion;

export interface Step {
  id: StepId;
  title: string;
  description: string;
  questions: readonly Question[];
}

/** Single-answer value per question type: scale → integer, single choice → option id, multiple → ids, text → string. */
export type AnswerValue = number | string | readonly string[];
/** Answers keyed by full question id; a diagnosis merges its steps' answers into one object. */
export type Answers = Partial<Record<string, AnswerValue>>;

const AGREEMENT = ['Not at all', 'Vaguely', 'Somewhat', 'Clearly', 'Completely'] as const;

export const QUESTIONNAIRE: readonly Step[] = [
  {
    id: 'identity',
    title: 'Brand identity',
    description: 'What the brand stands for and how it shows itself.',
    questions: [
      {
        id: 'identity.clarity',
        type: 'scale',
        prompt: 'How clearly can your team state, in one sentence, what the brand stands for?',
        min: 1,
        max: 5,
        labels: ['Not at all', 'Vaguely', 'Somewhat', 'Clearly', 'Everyone says the same sentence'],
        dimension: 'identity',
        weight: 2,
        required: true,
      },
      {
        id: 'identity.mission',
        type: 'text',
        prompt: 'Describe the brand’s mission and what it promises its customers.',
        minLength: 20,
        maxLength: 600,
        idealWords: 25,
        dimension: 'identity',
        weight: 1,
        required: true,
      },
      {
        id: 'identity.values',
        type: 'choice',
        prompt: 'How are the brand’s values defined?',
        multiple: false,
        options: [
          { id: 'none', label: 'Not defined', score: 0 },
          { id: 'implicit', label: 'Implicit: we know them but never wrote them down', score: 35 },
          { id: 'written', label: 'Written down', score: 70 },
          { id: 'lived', label: 'Written down and used in decisions and communication', score: 100 },
        ],
        dimension: 'identity',
        weight: 1,
        required: true,
      },
      {
        id: 'identity.visual',
        type: 'scale',
        prompt: 'How consistent are logo, colours and typography across packaging, website, social and trade material?',
        min: 1,
        max: 5,
        labels: ['Inconsistent everywhere', 'Mostly inconsistent', 'Mixed', 'Mostly consistent', 'Fully consistent'],
        dimension: 'identity',
        weight: 1.5,
        required: true,
      },
      {
        id: 'identity.guidelines',
        type: 'choice',
        prompt: 'Do you have brand guidelines?',
        multiple: false,
        options: [
          { id: 'none', label: 'No', score: 0 },
          { id: 'assets', label: 'Only logo files and colour codes', score: 40 },
          { id: 'basic', label: 'A basic guide: logo, colours, fonts', score: 70 },
          { id: 'full', label: 'A full guide, including tone of voice and examples', score: 100 },
        ],
        dimension: 'identity',
        weight: 1,
        required: true,
      },
      {
        id: 'identity.promise',
        type: 'text',
        prompt: 'What makes the brand different from the alternatives a buyer considers?',
        minLength: 20,
        maxLength: 400,
        idealWords: 20,
        dimension: 'positioning',
        weight: 1.5,
        required: true,
      },
    ],
  },
  {
    id: 'target',
    title: 'Target & persona',
    description: 'Who buys, what they need and how well you know them.',
    questions: [
      {
        id: 'target.definition',
        type: 'scale',
        prompt: 'How precisely is your target customer defined (sector, role, company size, needs)?',
        min: 1,
        max: 5,
        labels: ['Not defined', 'Broadly: “everyone”', 'Partly', 'Clearly', 'Precisely, backed by data'],
        dimension: 'audience',
        weight: 2,
        required: true,
      },
      {
        id: 'target.personas',
        type: 'choice',
        prompt: 'How many documented buyer personas do you use?',
        multiple: false,
        options: [
          { id: 'none', label: 'None', score: 0 },
          { id: 'one', label: 'One', score: 60 },
          { id: 'few', label: 'Two to four', score: 100 },
          { id: 'many', label: 'Five or more', score: 80 },
        ],
        dimension: 'audience',
        weight: 1.5,
        required: true,
      },
      {
        id: 'target.research',
        type: 'choice',
        prompt: 'How often do you collect customer insight (interviews, surveys, reviews, sales feedback)?',
        multiple: false,
        options: [
          { id: 'never', label: 'Never', score: 0 },
          { id: 'yearly', label: 'About once a year', score: 40 },
          { id: 'quarterly', label: 'Every quarter', score: 75 },
          { id: 'monthly', label: 'Monthly or continuously', score: 100 },
        ],
        dimension: 'audience',
        weight: 1.5,
        required: true,
      },
      {
        id: 'target.persona',
        type: 'text',
        prompt: 'Describe your primary customer: who they are, what they need, and what holds them back from buying.',
        minLength: 30,
        maxLength: 800,
        idealWords: 40,
        dimension: 'audience',
        weight: 1.5,
        required: true,
      },
      {
        id: 'target.fit',
        type: 'scale',
        prompt: 'How well do your products answer that customer’s main problem, compared with the alternatives?',
        min: 1,
        max: 5,
        labels: ['Poorly', 'Worse than alternatives', 'On par', 'Better', 'Clearly the best answer'],
        dimension: 'positioning',
        weight: 1.5,
        required: true,
      },
      {
        id: 'target.journey',
        type: 'choice',
        prompt: 'Where do your customers look for information before buying?',
        multiple: true,
        options: [
          { id: 'search', label: 'Search engines', score: 25 },
          { id: 'social', label: 'Social media', score: 25 },
          { id: 'events', label: 'Trade fairs and events', score: 25 },
          { id: 'resellers', label: 'Distributors and resellers', score: 25 },
          { id: 'referrals', label: 'Word of mouth and referrals', score: 25 },
          { id: 'marketplaces', label: 'Marketplaces', score: 25 },
          { id: 'unknown', label: 'We don’t know', score: 0, exclusive: true },
        ],
        dimension: 'channels',
        weight: 1,
        required: false,
      },
    ],
  },
  {
    id: 'market',
    title: 'Market & competitors',
    description: 'Where the brand stands among the alternatives.',
    questions: [
      {
        id: 'market.awareness',
        type: 'scale',
        prompt: 'How well do you know your main competitors’ products, prices and messaging?',
        min: 1,
        max: 5,
        labels: AGREEMENT,
        dimension: 'competition',
        weight: 2,
        required: true,
      },
      {
        id: 'market.competitors',
        type: 'text',
        prompt: 'Name your main competitors and what each does better or worse than you.',
        minLength: 10,
        maxLength: 800,
        idealWords: 30,
        dimension: 'competition',
        weight: 1,
        required: true,
      },
      {
        id: 'market.monitoring',
        type: 'choice',
        prompt: 'Which market signals do you track regularly?',
        multiple: true,
        options: [
          { id: 'launches', label: 'Competitor launches', score: 25 },
          { id: 'pricing', label: 'Competitor pricing', score: 25 },
          { id: 'trends', label: 'Search and social trends', score: 25 },
          { id: 'reviews', label: 'Customer reviews', score: 25 },
          { id: 'press', label: 'Trade fairs and industry press', score: 25 },
          { id: 'regulation', label: 'Regulation and standards', score: 25 },
          { id: 'none', label: 'None', score: 0, exclusive: true },
        ],
        dimension: 'competition',
        weight: 1.5,
        required: true,
      },
      {
        id: 'market.position',
        type: 'choice',
        prompt: 'How would you describe your position in your market?',
        multiple: false,
        options: [
          { id: 'leader', label: 'Market leader', score: 100 },
          { id: 'challenger', label: 'Challenger', score: 80 },
          { id: 'niche', label: 'Niche specialist', score: 75 },
          { id: 'newcomer', label: 'Newcomer', score: 45 },
          { id: 'unknown', label: 'We don’t know', score: 10 },
        ],
        dimension: 'competition',
        weight: 1,
        required: true,
      },
      {
        id: 'market.differentiation',
        type: 'scale',
        prompt: 'How clearly do customers perceive what sets you apart from competitors?',
        min: 1,
        max: 5,
        labels: ['Not at all', 'Rarely', 'Somewhat', 'Clearly', 'It is why they choose us'],
        dimension: 'positioning',
        weight: 2,
        required: true,
      },
    ],
  },
  {
    id: 'channels',
    title: 'Channels & content',
    description: 'Where the brand publishes, how often and how coherently.',
    questions: [
      {
        id: 'channels.active',
        type: 'choice',
        prompt: 'Which channels do you publish on at least once a month?',
        multiple: true,
        options: [
          { id: 'website', label: 'Website or blog', score: 20 },
          { id: 'newsletter', label: 'Newsletter', score: 20 },
          { id: 'linkedin', label: 'LinkedIn', score: 20 },
          { id: 'instagram', label: 'Instagram', score: 15 },
          { id: 'facebook', label: 'Facebook', score: 15 },
          { id: 'youtube', label: 'YouTube', score: 20 },
          { id: 'tiktok', label: 'TikTok', score: 15 },
          { id: 'press', label: 'Trade press', score: 15 },
          { id: 'none', label: 'None', score: 0, exclusive: true },
        ],
        dimension: 'channels',
        weight: 2,
        required: true,
      },
      {
        id: 'channels.fit',
        type: 'scale',
        prompt: 'How well do your channels match where your customers look for information?',
        min: 1,
        max: 5,
        labels: ['Not at all', 'Poorly', 'Partly', 'Well', 'Exactly'],
        dimension: 'channels',
        weight: 1.5,
        required: true,
      },
      {
        id: 'channels.frequency',
        type: 'choice',
        prompt: 'How often does the brand publish new content?',
        multiple: false,
        options: [
          { id: 'rarely', label: 'Less than once a month', score: 0 },
          { id: 'monthly', label: 'A few times a month', score: 35 },
          { id: 'weekly', label: 'Every week', score: 70 },
          { id: 'several', label: 'Several times a week', score: 100 },
        ],
        dimension: 'content',
        weight: 1.5,
        required: true,
      },
      {
        id: 'channels.calendar',
        type: 'choice',
        prompt: 'How is content planned?',
        multiple: false,
        options: [
          { id: 'none', label: 'Ad hoc, no plan', score: 0 },
          { id: 'ideas', label: 'A loose list of ideas', score: 40 },
          { id: 'monthly', label: 'A monthly editorial calendar', score: 75 },
          { id: 'campaigns', label: 'A quarterly calendar tied to campaigns and launches', score: 100 },
        ],
        dimension: 'content',
        weight: 1,
        required: true,
      },
      {
        id: 'channels.consistency',
        type: 'scale',
        prompt: 'How consistent are tone and look across your channels?',
        min: 1,
        max: 5,
        labels: ['Every channel differs', 'Mostly inconsistent', 'Mixed', 'Mostly consistent', 'One voice everywhere'],
        dimension: 'content',
        weight: 1.5,
        required: true,
      },
      {
        id: 'channels.best',
        type: 'text',
        prompt: 'Which content has worked best so far, and why do you think it did?',
        minLength: 10,
        maxLength: 600,
        idealWords: 25,
        dimension: 'content',
        weight: 0.5,
        required: false,
      },
    ],
  },
  {
    id: 'performance',
    title: 'Performance',
    description: 'Goals, measurement and results.',
    questions: [
      {
        id: 'performance.goals',
        type: 'choice',
        prompt: 'Do you set measurable marketing goals?',
        multiple: false,
        options: [
          { id: 'none', label: 'No', score: 0 },
          { id: 'informal', label: 'Informal goals', score: 35 },
          { id: 'yearly', label: 'Yearly targets', score: 70 },
          { id: 'quarterly', label: 'Quarterly targets with an owner each', score: 100 },
        ],
        dimension: 'performance',
        weight: 2,
        required: true,
      },
      {
        id: 'performance.kpis',
        type: 'choice',
        prompt: 'Which metrics do you track?',
        multiple: true,
        options: [
          { id: 'followers', label: 'Followers', score: 10 },
          { id: 'engagement', label: 'Engagement', score: 15 },
          { id: 'reach', label: 'Reach or views', score: 15 },
          { id: 'traffic', label: 'Website traffic', score: 15 },
          { id: 'leads', label: 'Leads and enquiries', score: 20 },
          { id: 'conversion', label: 'Conversion rate', score: 20 },
          { id: 'revenue', label: 'Revenue attributed to marketing', score: 20 },
          { id: 'none', label: 'None', score: 0, exclusive: true },
        ],
        dimension: 'performance',
        weight: 1.5,
        required: true,
      },
      {
        id: 'performance.review',
        type: 'choice',
        prompt: 'How often do you review results and adjust the plan?',
        multiple: false,
        options: [
          { id: 'never', label: 'Never', score: 0 },
          { id: 'yearly', label: 'Once a year', score: 30 },
          { id: 'quarterly', label: 'Every quarter', score: 70 },
          { id: 'monthly', label: 'Every month', score: 100 },
        ],
        dimension: 'performance',
        weight: 1.5,
        required: true,
      },
      {
        id: 'performance.results',
        type: 'scale',
        prompt: 'How satisfied are you with your marketing results over the last six months?',
        min: 1,
        max: 5,
        labels: ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
        dimension: 'performance',
        weight: 1,
        required: true,
      },
      {
        id: 'performance.obstacle',
        type: 'text',
        prompt: 'What is the biggest obstacle to better marketing results?',
        minLength: 10,
        maxLength: 600,
        idealWords: 20,
        dimension: 'performance',
        weight: 0.5,
        required: false,
      },
    ],
  },
];

/** Every question by id, in questionnaire order. */
export const QUESTIONS: ReadonlyMap<string, Question> = new Map(
  QUESTIONNAIRE.flatMap((s) => s.questions).map((q) => [q.id, q]),
);

export function stepOf(id: StepId): Step {
  const step = QUESTIONNAIRE.find((s) => s.id === id);
  if (!step) throw new RangeError(`Unknown diagnosis step: ${id}`);
  return step;
}

export interface AnswersSchemaOptions {
  /** Every question optional: for saving a draft the user will finish later. */
  partial?: boolean;
}

/**
 * zod schema for one step's answers (or, with `diagnosisAnswersSchema`, all of them). Every issue's path is
 * `[questionId]`, so `issue.path.join('.')` is the question id the API names in its 400:
 * - unknown question id → "Unknown question"
 * - scale → integer in min..max; choice → option ids of that question (multiple: no duplicates, an exclusive
 *   option alone); text → trimmed, minLength..maxLength characters ('' counts as unanswered when optional)
 * - a required question missing → "Required"
 */
export function answersSchema(step: StepId, options: AnswersSchemaOptions = {}): z.ZodType<Answers> {
  return objectSchema(stepOf(step).questions, options);
}

export function diagnosisAnswersSchema(options: AnswersSchemaOptions = {}): z.ZodType<Answers> {
  return objectSchema([...QUESTIONS.values()], options);
}

/** `{ question, message }` per zod issue, the shape of the problem+json `errors` field. */
export function questionErrors(error: z.ZodError): { question: string; message: string }[] {
  return error.issues.map((i) => ({ question: i.path.map(String).join('.'), message: i.message }));
}

function objectSchema(questions: readonly Question[], options: AnswersSchemaOptions): z.ZodType<Answers> {
  const shape: Record<string, z.ZodType> = {};
  for (const q of questions) {
    const schema = questionSchema(q);
    shape[q.id] = q.required && !options.partial ? schema : schema.optional();
  }
  // looseObject + a refinement (not strictObject) so an unknown id is reported at its own path, not at the root.
  return z.looseObject(shape).superRefine(
    (value, ctx) => {
      for (const key of Object.keys(value)) {
        if (!Object.hasOwn(shape, key))
          ctx.addIssue({ code: 'custom', path: [key], message: 'Unknown question', input: value[key] });
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  ) as z.ZodType<Answers>;
}

const required = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'Required' : `Expected ${expected}`;

export function questionSchema(q: Question): z.ZodType {
  switch (q.type) {
    case 'scale': {
      const range = `an integer from ${q.min} to ${q.max}`;
      return z
        .number({ error: required(range) })
        .int({ error: `Expected ${range}` })
        .min(q.min, { error: `Expected ${range}` })
        .max(q.max, { error: `Expected ${range}` });
    }
    case 'choice': {
      const ids = q.options.map((o) => o.id);
      const oneOf = `one of ${ids.join(', ')}`;
      if (!q.multiple) return z.string({ error: required(oneOf) }).refine((v) => ids.includes(v), `Expected ${oneOf}`);
      // One issue at the question's path rather than one per array index.
      return z.array(z.string(), { error: required(`a list of ${oneOf}`) }).superRefine((values, ctx) => {
        const unknown = values.filter((v) => !ids.includes(v));
        if (unknown.length > 0)
          ctx.addIssue({ code: 'custom', message: `Unknown option ${unknown.join(', ')}; expected ${oneOf}` });
        else if (values.length === 0) ctx.addIssue({ code: 'custom', message: 'Select at least one option' });
        else if (new Set(values).size !== values.length) ctx.addIssue({ code: 'custom', message: 'Duplicate option' });
        else {
          const exclusive = q.options.find((o) => o.exclusive && values.includes(o.id));
          if (exclusive && values.length > 1) {
            ctx.addIssue({ code: 'custom', message: `“${exclusive.label}” cannot be combined with other options` });
          }
        }
      });
    }
    case 'text': {
      const bounds = `${q.minLength} to ${q.maxLength} characters`;
      return z
        .string({ error: required('text') })
        .trim()
        .refine((v) => (v.length === 0 && !q.required) || (v.length >= q.minLength && v.length <= q.maxLength), {
          error: `Expected ${bounds}`,
        });
    }
  }
}
