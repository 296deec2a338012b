/**
 * The evaluations of A/B tests (migration 0018): one row per evaluation a run made, oldest first, for the chart of
 * chance to be best over time. Written with the experiment's `decision` (the last evaluation) in one transaction, and
 * keyed by (run, activity id), so an activity's retry rewrites its own row: the row always holds what the attempt the
 * workflow received computed, and never counts twice.
 */
import { QueryTypes } from 'sequelize';
import type { Interval } from '../../lib/abtest/frequentist';
import type { Database } from '../index';

export interface EvaluatedVariant {
  key: string;
  exposures: number;
  conversions: number;
  rate: number;
  rateInterval: Interval;
  chanceToBeBest: number;
  /** Treatments only: the always-valid p-value and confidence sequence of the difference against the control. */
  sequentialPValue?: number;
  confidenceSequence?: Interval;
}

export interface EvaluatedGuardrail {
  metric: string;
  /** The treatment's key. */
  variant: string;
  controlRate: number;
  rate: number;
  /** Relative change against the control (null when neither converted on it). */
  change: number | null;
  regressed: boolean;
}

export interface EvaluationRecord {
  /** Position in the experiment's series, 1 for its first evaluation. */
  n: number;
  evaluatedAt: string;
  elapsedMs: number;
  action: string;
  winner: string | null;
  reasons: string[];
  srmPValue: number | null;
  variants: EvaluatedVariant[];
  guardrails: EvaluatedGuardrail[];
}

export interface EvaluationWrite {
  experimentId: string;
  workspaceId: string;
  /** The workflow run and the activity's id in it: the same for every attempt of one evaluation. */
  runId: string;
  activityId: string;
  elapsedMs: number;
  action: string;
  winner: string | null;
  reasons: string[];
  srmPValue: number | null;
  variants: EvaluatedVariant[];
  guardrails: EvaluatedGuardrail[];
  /** The experiment's `decision` (its last evaluation, as the page reads it). */
  decision: Record<string, unknown>;
}

interface Row {
  seq: string;
  n: string;
  evaluated_at: Date;
  elapsed_ms: string;
  action: string;
  winner: string | null;
  reasons: string[];
  srm_p_value: number | null;
  variants: EvaluatedVariant[];
  guardrails: EvaluatedGuardrail[];
}

export function createExperimentEvaluationRepository(db: Database) {
  return {
    /** Records one evaluation (again, for a retried attempt) and sets it as the experiment's last, atomically. */
    async record(write: EvaluationWrite): Promise<void> {
      await db.sequelize.transaction(async (transaction) => {
        await db.sequelize.query(
          `INSERT INTO experiment_evaluations
             (experiment_id, run_id, activity_id, evaluated_at, elapsed_ms, action, winner, reasons, variants,
              guardrails, srm_p_value)
           VALUES (:experimentId, :runId, :activityId, now(), :elapsedMs, :action, :winner, CAST(:reasons AS jsonb),
              CAST(:variants AS jsonb), CAST(:guardrails AS jsonb), :srmPValue)
           ON CONFLICT (run_id, activity_id) DO UPDATE SET
             evaluated_at = EXCLUDED.evaluated_at, elapsed_ms = EXCLUDED.elapsed_ms, action = EXCLUDED.action,
             winner = EXCLUDED.winner, reasons = EXCLUDED.reasons, variants = EXCLUDED.variants,
             guardrails = EXCLUDED.guardrails, srm_p_value = EXCLUDED.srm_p_value
           WHERE experiment_evaluations.experiment_id = EXCLUDED.experiment_id`,
          {
            replacements: {
              experimentId: write.experimentId,
              runId: write.runId,
              activityId: write.activityId,
              elapsedMs: Math.round(write.elapsedMs),
              action: write.action,
              winner: write.winner,
              reasons: JSON.stringify(write.reasons),
              variants: JSON.stringify(write.variants),
              guardrails: JSON.stringify(write.guardrails),
              srmPValue: write.srmPValue,
            },
            transaction,
          },
        );
        await db.sequelize.query(
          `UPDATE experiments SET decision = CAST(:decision AS jsonb), updated_at = now()
           WHERE id = :experimentId AND workspace_id = :workspaceId`,
          {
            replacements: {
              experimentId: write.experimentId,
              workspaceId: write.workspaceId,
              decision: JSON.stringify(write.decision),
            },
            transaction,
          },
        );
      });
    },

    /** Oldest first, `limit` at a time after the position `after` (an internal sequence number). */
    async list(experimentId: string, options: { limit: number; after?: string }) {
      const rows = await db.sequelize.query<Row>(
        `SELECT * FROM (
           SELECT seq, row_number() OVER (ORDER BY seq) AS n, evaluated_at, elapsed_ms, action, winner, reasons,
                  srm_p_value, variants, guardrails
             FROM experiment_evaluations WHERE experiment_id = :experimentId) numbered
         ${options.after ? 'WHERE seq > CAST(:after AS bigint)' : ''}
         ORDER BY seq LIMIT :limit`,
        {
          replacements: { experimentId, after: options.after ?? null, limit: options.limit + 1 },
          type: QueryTypes.SELECT,
        },
      );
      const page = rows.slice(0, options.limit);
      const items: EvaluationRecord[] = page.map((r) => ({
        n: Number(r.n),
        evaluatedAt: new Date(r.evaluated_at).toISOString(),
        elapsedMs: Number(r.elapsed_ms),
        action: r.action,
        winner: r.winner,
        reasons: r.reasons,
        srmPValue: r.srm_p_value,
        variants: r.variants,
        guardrails: r.guardrails,
      }));
      return { items, next: rows.length > options.limit ? page[page.length - 1].seq : null };
    },
  };
}

export type ExperimentEvaluationRepository = ReturnType<typeof createExperimentEvaluationRepository>;
