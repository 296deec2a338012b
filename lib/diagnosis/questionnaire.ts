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

import { QUESTIONNAIRE } from './questionnaire.data';

export { QUESTIONNAIRE };

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
