/**
 * The port for recording side effects once (mail today): activities depend on it, db/repositories/idempotency.repository.ts
 * implements it on PostgreSQL, unit tests in memory.
 */
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
