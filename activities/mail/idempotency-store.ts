/**
 * Idempotency records for side effects (`idempotency_records`, model `IdempotencyRecord`): one row per key
 * (`${workflowId}/email/report`) whose JSON `result` says how far the side effect got.
 *
 * The port is small on purpose: read, insert-if-absent, and a compare-and-set on the record's `claimId`, which is all
 * a "claim, act, record" protocol needs to stay correct when two attempts race (a retry and a zombie attempt that
 * Temporal already gave up on). Nothing here is mail-specific; it lives beside its first user.
 */
import { UniqueConstraintError } from 'sequelize';
import { IdempotencyRecord } from '../../db/models/webhook.model';

/** A stored value: any JSON object; `claimId` (when present) is what `replace` compares. */
export type IdempotencyValue = { claimId?: string } & Record<string, unknown>;

export interface IdempotencyStore {
  get<T extends IdempotencyValue>(key: string): Promise<T | null>;
  /** Inserts the record; false when the key already exists (nothing is changed then). */
  insert(key: string, scope: string, value: IdempotencyValue): Promise<boolean>;
  /**
   * Overwrites the record's value. With `ifClaimId`, only when the stored value's `claimId` still equals it;
   * returns whether a row was changed.
   */
  replace(key: string, value: IdempotencyValue, options?: { ifClaimId?: string }): Promise<boolean>;
}

/**
 * PostgreSQL through sequelize. The models must be registered, i.e. `connectDatabase()` called first, as for the
 * other repositories.
 */
export function createSqlIdempotencyStore(): IdempotencyStore {
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
