/** The 5-step diagnosis: drafts saved per step, validated per question, completed once and then frozen. */
import {
  answersSchema,
  diagnosisAnswersSchema,
  questionErrors,
  QUESTIONNAIRE,
  DIMENSIONS,
  STEP_IDS,
  type StepId,
} from '../../lib/diagnosis/questionnaire';
import { scoreDiagnosis } from '../../lib/diagnosis/scoring';
import {
  DiagnosisInUseError,
  type DiagnosisRecord,
  type DiagnosisRepository,
} from '../../db/repositories/diagnosis.repository';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors';

export type DiagnosisSummary = Omit<DiagnosisRecord, 'answers'> & { overall: number | null };

const summary = ({ answers: _answers, ...d }: DiagnosisRecord): DiagnosisSummary => ({
  ...d,
  overall: d.scores?.overall ?? null,
});

/** 400 naming each question: `field` is the JSON path in the request, `question` the question id. */
function answerErrors(error: Parameters<typeof questionErrors>[0], message: string): ValidationError {
  const errors = questionErrors(error).map((e) => ({
    field: `answers.${e.question}`,
    question: e.question,
    message: e.message,
  }));
  return new ValidationError(`${message}: ${errors.map((e) => `${e.question}: ${e.message}`).join('; ')}`, {
    errors,
  });
}

export function createDiagnosisService(repo: DiagnosisRepository) {
  const find = async (workspaceId: string, brandId: string, id: string) => {
    const d = await repo.get(workspaceId, brandId, id);
    if (!d) throw new NotFoundError(`Diagnosis ${id} not found`);
    return d;
  };

  return {
    questionnaire: () => ({ steps: QUESTIONNAIRE, dimensions: DIMENSIONS }),

    async list(workspaceId: string, brandId: string) {
      const items = await repo.list(workspaceId, brandId);
      if (!items) throw new NotFoundError(`Brand ${brandId} not found`);
      return { items: items.map(summary) };
    },

    async create(workspaceId: string, brandId: string, copyFrom?: string) {
      let answers: Record<string, unknown> = {};
      if (copyFrom) {
        const source = await repo.get(workspaceId, brandId, copyFrom);
        if (!source)
          throw new NotFoundError(`Diagnosis ${copyFrom} not found`, {
            errors: [{ field: 'copyFrom', message: 'no such diagnosis for this brand' }],
          });
        answers = source.answers;
      }
      const created = await repo.create(workspaceId, brandId, answers);
      if (!created) throw new NotFoundError(`Brand ${brandId} not found`);
      return created;
    },

    get: find,

    async saveStep(workspaceId: string, brandId: string, id: string, step: StepId, answers: unknown, partial: boolean) {
      await find(workspaceId, brandId, id);
      const parsed = answersSchema(step, { partial }).safeParse(answers);
      if (!parsed.success) throw answerErrors(parsed.error, `Step ${step} has invalid answers`);
      // Empty optional texts count as unanswered: not stored.
      const clean = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined && v !== ''));
      const complete = !partial || answersSchema(step).safeParse(clean).success;
      const saved = await repo.saveStep(workspaceId, brandId, id, step, clean, complete);
      if (saved === 'not-found') throw new NotFoundError(`Diagnosis ${id} not found`);
      if (saved === 'completed')
        throw new ConflictError('This diagnosis is complete; start a new one to change answers');
      return saved;
    },

    async complete(workspaceId: string, brandId: string, id: string, now: Date) {
      const d = await find(workspaceId, brandId, id);
      if (d.status === 'complete') return d;
      const parsed = diagnosisAnswersSchema().safeParse(d.answers);
      if (!parsed.success) throw answerErrors(parsed.error, 'The diagnosis is not finished');
      const missing = STEP_IDS.filter((s) => !d.completedSteps.includes(s));
      if (missing.length > 0) {
        throw new ValidationError(`Steps not completed: ${missing.join(', ')}`, {
          errors: missing.map((s) => ({ field: `steps.${s}`, message: 'save this step first' })),
        });
      }
      const completed = await repo.complete(workspaceId, brandId, id, scoreDiagnosis(parsed.data), now);
      if (!completed) throw new NotFoundError(`Diagnosis ${id} not found`);
      return completed;
    },

    async remove(workspaceId: string, brandId: string, id: string) {
      try {
        if (!(await repo.remove(workspaceId, brandId, id))) throw new NotFoundError(`Diagnosis ${id} not found`);
      } catch (err) {
        if (err instanceof DiagnosisInUseError)
          throw new ConflictError('A report was made from this diagnosis; it is kept with the report');
        throw err;
      }
    },
  };
}

export type DiagnosisService = ReturnType<typeof createDiagnosisService>;
