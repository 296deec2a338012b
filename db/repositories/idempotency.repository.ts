/**
 * Idempotency records for side effects (`idempotency_records`): one row per key (`${workflowId}/email/report`) whose
 * JSON `result` says how far the side effect got.
 *
 * The port (lib/idempotency-store.ts) is small on purpose: read, insert-if-absent, and a compare-and-set on the record's `claimId`, which is all
 * a "claim, act, record" protocol needs to stay correct when two attempts race (a retry and a zombie attempt that
 * Temporal already gave up on).
 */
import { UniqueConstraintError } from 'sequelize';
import type { Database } from '../index';
import type { IdempotencyStore, IdempotencyValue } from '../../lib/idempotency-store';

export type { IdempotencyStore, IdempotencyValue };

export function createIdempotencyRepository(db: Database): IdempotencyStore {
  const { IdempotencyRecord } = db.models;
  return {
    async get<T extends IdempotencyValue>(key: string): Promise<T | null> {
      const row = await IdempotencyRecord.findByPk(key);
      return row ? (row.result as T) : null;
    },

    async insert(key, scope, value) {
      try {
        await IdempotencyRecord.create({ key, scope, result: value });
        return true;
      } catch (err) {
        if (err instanceof UniqueConstraintError) return false;
        throw err;
      }
    },

    async replace(key, value, options = {}) {
      const where = options.ifClaimId === undefined ? { key } : { key, result: { claimId: options.ifClaimId } };
      const [changed] = await IdempotencyRecord.update({ result: value }, { where });
      return changed > 0;
    },
  };
}
