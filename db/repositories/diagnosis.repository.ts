/** Diagnoses (the 5-step questionnaire's answers) of a brand, scoped to a workspace. Returns plain objects. */
import { ForeignKeyConstraintError } from 'sequelize';
import type { DiagnosisScores } from '../../lib/diagnosis/scoring';
import type { Database } from '../index';
import type { Diagnosis } from '../models/diagnosis.model';

export interface DiagnosisRecord {
  id: string;
  brandId: string;
  status: 'draft' | 'complete';
  answers: Record<string, unknown>;
  completedSteps: string[];
  scores: DiagnosisScores | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

const toRecord = (d: Diagnosis): DiagnosisRecord => ({
  id: d.id,
  brandId: d.brandId,
  status: d.status,
  answers: d.answers,
  completedSteps: d.completedSteps,
  scores: (d.scores as DiagnosisScores | null) ?? null,
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
  completedAt: d.completedAt ? d.completedAt.toISOString() : null,
});

export class DiagnosisInUseError extends Error {
  override name = 'DiagnosisInUseError';
}

export function createDiagnosisRepository(db: Database) {
  const { Brand, Diagnosis } = db.models;
  return {
    /** Null when the brand is not in the workspace. */
    async create(workspaceId: string, brandId: string, answers: Record<string, unknown> = {}) {
      if ((await Brand.count({ where: { id: brandId, workspaceId } })) === 0) return null;
      return toRecord(await Diagnosis.create({ workspaceId, brandId, answers }));
    },

    async get(workspaceId: string, brandId: string, id: string): Promise<DiagnosisRecord | null> {
      const d = await Diagnosis.findOne({ where: { id, workspaceId, brandId } });
      return d ? toRecord(d) : null;
    },

    /** Newest first; null when the brand is not in the workspace. */
    async list(workspaceId: string, brandId: string): Promise<DiagnosisRecord[] | null> {
      if ((await Brand.count({ where: { id: brandId, workspaceId } })) === 0) return null;
      const rows = await Diagnosis.findAll({
        where: { workspaceId, brandId },
        order: [
          ['createdAt', 'DESC'],
          ['id', 'DESC'],
        ],
      });
      return rows.map(toRecord);
    },

    /** The latest completed diagnosis of the brand. */
    async latestComplete(workspaceId: string, brandId: string): Promise<DiagnosisRecord | null> {
      const d = await Diagnosis.findOne({
        where: { workspaceId, brandId, status: 'complete' },
        order: [['completedAt', 'DESC']],
      });
      return d ? toRecord(d) : null;
    },

    /**
     * Replaces the answers of one step's questions (ids starting with `<step>.`) and marks the step complete or not,
     * under a row lock so two tabs saving different steps do not lose each other's answers.
     */
    async saveStep(
      workspaceId: string,
      brandId: string,
      id: string,
      step: string,
      answers: Record<string, unknown>,
      complete: boolean,
    ): Promise<DiagnosisRecord | 'not-found' | 'completed'> {
      return db.sequelize.transaction(async (transaction) => {
        const d = await Diagnosis.findOne({
          where: { id, workspaceId, brandId },
          transaction,
          lock: transaction.LOCK.UPDATE,
        });
        if (!d) return 'not-found';
        if (d.status === 'complete') return 'completed';
        const kept = Object.fromEntries(Object.entries(d.answers).filter(([k]) => !k.startsWith(`${step}.`)));
        const steps = d.completedSteps.filter((s) => s !== step);
        await d.update(
          { answers: { ...kept, ...answers }, completedSteps: complete ? [...steps, step] : steps },
          { transaction },
        );
        return toRecord(d);
      });
    },

    async complete(
      workspaceId: string,
      brandId: string,
      id: string,
      scores: DiagnosisScores,
      completedAt: Date,
    ): Promise<DiagnosisRecord | null> {
      const d = await Diagnosis.findOne({ where: { id, workspaceId, brandId } });
      if (!d) return null;
      if (d.status !== 'complete') await d.update({ status: 'complete', scores, completedAt });
      return toRecord(d);
    },

    /** False when missing; throws DiagnosisInUseError when a report was made from it. */
    async remove(workspaceId: string, brandId: string, id: string): Promise<boolean> {
      try {
        return (await Diagnosis.destroy({ where: { id, workspaceId, brandId } })) > 0;
      } catch (err) {
        // ON DELETE RESTRICT answers restrict_violation (23001), which sequelize leaves a plain DatabaseError.
        const code = (err as { parent?: { code?: string } }).parent?.code;
        if (err instanceof ForeignKeyConstraintError || code === '23001')
          throw new DiagnosisInUseError('A report was made from it');
        throw err;
      }
    },
  };
}

export type DiagnosisRepository = ReturnType<typeof createDiagnosisRepository>;
