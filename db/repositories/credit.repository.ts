/**
 * Workspace credits: an append-only ledger (migration 0004, docs/credits.md) and the saga steps a video takes on it.
 *
 *   balance   = Σ grant + adjust + capture          credits owned
 *   reserved  = −Σ reserve + release                open holds
 *   available = balance − reserved = Σ every entry  what a new reservation may take
 *
 * Every step that can lower `available` runs in a transaction holding the workspace's advisory lock (the same one
 * the database's overdraw trigger takes), so concurrent reservations are serialised and none can overdraw. The saga
 * steps are idempotent by key (`<reservationId>/reserve|capture|release`): a retried step finds its row and returns
 * the reservation's state instead of writing again. Returns plain objects.
 */
import { Op, QueryTypes, UniqueConstraintError, type Transaction } from 'sequelize';
import type { Database } from '../index';
import type { CreditEntry, CreditEntryKind } from '../models/credit.model';

/** Must match the lock of the `credit_entries_no_overdraw` trigger (migration 0004). */
const CREDIT_LOCK_CLASS = 727_004;
const DESCRIPTION_MAX = 500;

export interface CreditEntryRecord {
  id: string;
  workspaceId: string;
  kind: CreditEntryKind;
  amount: number;
  reservationId: string | null;
  reference: string | null;
  description: string;
  createdBy: string | null;
  metadata: Record<string, unknown>;
  createdAt: string;
}

export interface CreditBalance {
  /** Credits owned: grants and adjustments less captured charges. */
  balance: number;
  /** Credits held by open reservations. */
  reserved: number;
  /** balance − reserved: what a new reservation may take. */
  available: number;
}

export type ReservationStatus = 'none' | 'reserved' | 'captured' | 'released';

export interface ReservationState {
  reservationId: string;
  status: ReservationStatus;
  /** Credits the reservation held when it was taken (0 when it never was). */
  reserved: number;
  /** Credits still held: `reserved` while the status is `reserved`, else 0. */
  held: number;
  /** Credits the capture charged. */
  charged: number;
  /** Credits a capture asked for beyond what the workspace could pay (charged instead: what was reserved). */
  shortfall: number;
}

export type ReserveResult =
  | { outcome: 'reserved'; created: boolean; reservation: ReservationState; available: number }
  | { outcome: 'insufficient'; needed: number; available: number }
  /** Released before it was ever reserved (a late retry after the saga compensated): nothing is held. */
  | { outcome: 'closed'; reservation: ReservationState; available: number };

export interface SettleResult {
  /** False when the step had already happened, or the reservation was closed (or never taken). */
  changed: boolean;
  reservation: ReservationState;
}

/** Who granted or adjusted: a user's id is kept in `created_by`; every actor is named in the metadata. */
export interface CreditActor {
  kind: string;
  id: string;
  name: string;
}

export interface LedgerPage {
  items: CreditEntryRecord[];
  /** The last item's id when there may be more: pass it as `cursor` for the next (older) page. */
  nextCursor: string | null;
}

/** The reservation id is another workspace's: saga keys are global, a reservation belongs to one workspace. */
export class CreditReservationConflictError extends Error {
  constructor(reservationId: string) {
    super(`Reservation ${reservationId} belongs to another workspace`);
    this.name = 'CreditReservationConflictError';
  }
}

const keyOf = (reservationId: string, step: 'reserve' | 'capture' | 'release') => `${reservationId}/${step}`;
const text = (value: string | undefined | null) => (value ?? '').slice(0, DESCRIPTION_MAX);

function assertAmount(name: string, value: number, min: number) {
  if (!Number.isSafeInteger(value) || value < min || value > 2_147_483_647)
    throw new RangeError(`${name} must be a whole number of credits ≥ ${min}; got ${value}`);
}

export const toEntryRecord = (e: CreditEntry): CreditEntryRecord => ({
  id: String(e.id),
  workspaceId: e.workspaceId,
  kind: e.kind,
  amount: e.amount,
  reservationId: e.reservationId,
  reference: e.reference,
  description: e.description,
  createdBy: e.createdBy,
  metadata: e.metadata ?? {},
  createdAt: e.createdAt.toISOString(),
});

/** A reservation's state from its entries (at most one of each kind, by the unique keys). */
export function reservationState(reservationId: string, entries: Pick<CreditEntry, 'kind' | 'amount' | 'metadata'>[]) {
  const of = (kind: CreditEntryKind) => entries.find((e) => e.kind === kind);
  const reserve = of('reserve');
  const capture = of('capture');
  const release = of('release');
  const status: ReservationStatus = capture ? 'captured' : release ? 'released' : reserve ? 'reserved' : 'none';
  const reserved = reserve ? -reserve.amount : 0;
  return {
    reservationId,
    status,
    reserved,
    held: status === 'reserved' ? reserved : 0,
    charged: capture ? -capture.amount : 0,
    shortfall: Number(capture?.metadata?.shortfall ?? 0),
  } satisfies ReservationState;
}

export function createCreditRepository(db: Database) {
  const { CreditEntry } = db.models;
  const { sequelize } = db;

  /** Serialises every change of the workspace's `available` until the transaction ends. */
  const lock = (workspaceId: string, transaction: Transaction) =>
    sequelize.query('SELECT pg_advisory_xact_lock(:cls, hashtext(CAST(:workspaceId AS uuid)::text))', {
      replacements: { cls: CREDIT_LOCK_CLASS, workspaceId },
      transaction,
    });

  const sums = async (workspaceId: string, transaction?: Transaction): Promise<CreditBalance> => {
    const [row] = await sequelize.query<{ balance: string; reserved: string }>(
      `SELECT coalesce(sum(amount) FILTER (WHERE kind IN ('grant', 'adjust', 'capture')), 0) AS balance,
              coalesce(-sum(amount) FILTER (WHERE kind IN ('reserve', 'release')), 0) AS reserved
         FROM credit_entries WHERE workspace_id = :workspaceId`,
      { replacements: { workspaceId }, type: QueryTypes.SELECT, transaction },
    );
    const balance = Number(row.balance);
    const reserved = Number(row.reserved);
    return { balance, reserved, available: balance - reserved };
  };

  const entriesOf = (workspaceId: string, reservationId: string, transaction?: Transaction) =>
    CreditEntry.findAll({ where: { workspaceId, reservationId }, order: [['id', 'ASC']], transaction });

  /** Inserts a saga step; a key taken by another workspace is a conflict, not a retry. */
  const insertStep = async (
    fields: {
      workspaceId: string;
      reservationId: string;
      kind: 'reserve' | 'capture' | 'release';
      amount: number;
      reference?: string | null;
      description?: string;
      metadata?: Record<string, unknown>;
    },
    transaction: Transaction,
  ) => {
    try {
      return await CreditEntry.create(
        {
          workspaceId: fields.workspaceId,
          kind: fields.kind,
          amount: fields.amount,
          reservationId: fields.reservationId,
          idempotencyKey: keyOf(fields.reservationId, fields.kind),
          reference: fields.reference ?? fields.reservationId,
          description: text(fields.description),
          createdBy: null,
          metadata: fields.metadata ?? {},
        },
        { transaction },
      );
    } catch (err) {
      if (err instanceof UniqueConstraintError) throw new CreditReservationConflictError(fields.reservationId);
      throw err;
    }
  };

  return {
    async balance(workspaceId: string): Promise<CreditBalance> {
      return sums(workspaceId);
    },

    /** Newest first; `cursor` is the `nextCursor` of the previous page (an entry id). */
    async ledger(workspaceId: string, options: { limit: number; cursor?: string }): Promise<LedgerPage> {
      const rows = await CreditEntry.findAll({
        where: options.cursor ? { workspaceId, id: { [Op.lt]: options.cursor } } : { workspaceId },
        order: [['id', 'DESC']],
        limit: options.limit + 1,
      });
      const items = rows.slice(0, options.limit).map(toEntryRecord);
      return { items, nextCursor: rows.length > options.limit ? items[items.length - 1].id : null };
    },

    /**
     * Adds credits. With an idempotency key, a repeated grant returns the entry the first one wrote
     * (`created: false`) whatever its amount; the caller decides whether a different amount is a conflict.
     */
    /**
     * Adds credits. With `selfGrantCap`, the grant is a workspace admin granting their own workspace: it is marked
     * `metadata.selfGrant` and refused (`capped`) when the workspace's self-grants would exceed the cap; the check
     * and the insert hold the workspace lock, so concurrent grants cannot pass it together.
     */
    async grantWithin(
      workspaceId: string,
      amount: number,
      by: CreditActor | null,
      note?: string,
      options: { idempotencyKey?: string; selfGrantCap?: number } = {},
    ): Promise<{ entry: CreditEntryRecord; created: boolean } | { capped: true; selfGranted: number }> {
      assertAmount('amount', amount, 1);
      const idempotencyKey = options.idempotencyKey ? `grant/${workspaceId}/${options.idempotencyKey}` : null;
      const existing = async () => {
        const row = idempotencyKey ? await CreditEntry.findOne({ where: { idempotencyKey, workspaceId } }) : null;
        return row ? { entry: toEntryRecord(row), created: false } : null;
      };
      const replay = await existing();
      if (replay) return replay;
      const selfGrant = options.selfGrantCap !== undefined;
      const fields = {
        workspaceId,
        kind: 'grant' as const,
        amount,
        reservationId: null,
        idempotencyKey,
        reference: null,
        description: text(note) || 'Credits granted',
        createdBy: by?.kind === 'user' ? by.id : null,
        metadata: {
          ...(by ? { actor: { kind: by.kind, id: by.id, name: by.name } } : {}),
          ...(selfGrant ? { selfGrant: true } : {}),
        },
      };
      try {
        if (!selfGrant) return { entry: toEntryRecord(await CreditEntry.create(fields)), created: true };
        return await sequelize.transaction(async (transaction) => {
          await lock(workspaceId, transaction);
          const [row] = await sequelize.query<{ total: string }>(
            `SELECT coalesce(sum(amount), 0) AS total FROM credit_entries
              WHERE workspace_id = :workspaceId AND kind = 'grant' AND metadata->>'selfGrant' = 'true'`,
            { replacements: { workspaceId }, type: QueryTypes.SELECT, transaction },
          );
          const selfGranted = Number(row.total);
          if (selfGranted + amount > options.selfGrantCap!) return { capped: true as const, selfGranted };
          return { entry: toEntryRecord(await CreditEntry.create(fields, { transaction })), created: true };
        });
      } catch (err) {
        // Two requests with the same key at once: the loser returns the winner's entry.
        const raced = err instanceof UniqueConstraintError ? await existing() : null;
        if (raced) return raced;
        throw err;
      }
    },

    /** Adds credits with no cap (instance admins, the bootstrap grant, tests). */
    async grant(
      workspaceId: string,
      amount: number,
      by: CreditActor | null,
      note?: string,
      options: { idempotencyKey?: string } = {},
    ): Promise<{ entry: CreditEntryRecord; created: boolean }> {
      const result = await this.grantWithin(workspaceId, amount, by, note, options);
      if ('capped' in result) throw new Error('unreachable: an uncapped grant was capped');
      return result;
    },

    /** A correction either way; a negative one may not take `available` below zero. */
    async adjust(
      workspaceId: string,
      amount: number,
      by: CreditActor | null,
      note: string,
    ): Promise<{ outcome: 'adjusted'; entry: CreditEntryRecord } | { outcome: 'insufficient'; available: number }> {
      if (!Number.isSafeInteger(amount) || amount === 0 || Math.abs(amount) > 2_147_483_647)
        throw new RangeError(`amount must be a non-zero whole number of credits; got ${amount}`);
      return sequelize.transaction(async (transaction) => {
        await lock(workspaceId, transaction);
        const { available } = await sums(workspaceId, transaction);
        if (available + amount < 0) return { outcome: 'insufficient' as const, available };
        const row = await CreditEntry.create(
          {
            workspaceId,
            kind: 'adjust',
            amount,
            reservationId: null,
            idempotencyKey: null,
            reference: null,
            description: text(note),
            createdBy: by?.kind === 'user' ? by.id : null,
            metadata: by ? { actor: { kind: by.kind, id: by.id, name: by.name } } : {},
          },
          { transaction },
        );
        return { outcome: 'adjusted' as const, entry: toEntryRecord(row) };
      });
    },

    /**
     * Holds `amount` credits for the reservation. Idempotent: a reservation already taken returns its state
     * (`created: false`), one released before it was taken returns `closed` and holds nothing.
     */
    async reserve(
      workspaceId: string,
      reservationId: string,
      amount: number,
      description?: string,
      options: { reference?: string; metadata?: Record<string, unknown> } = {},
    ): Promise<ReserveResult> {
      assertAmount('amount', amount, 0);
      return sequelize.transaction(async (transaction): Promise<ReserveResult> => {
        await lock(workspaceId, transaction);
        const entries = await entriesOf(workspaceId, reservationId, transaction);
        const state = reservationState(reservationId, entries);
        if (state.status !== 'none') {
          const { available } = await sums(workspaceId, transaction);
          return entries.some((e) => e.kind === 'reserve')
            ? { outcome: 'reserved', created: false, reservation: state, available }
            : { outcome: 'closed', reservation: state, available };
        }
        const { available } = await sums(workspaceId, transaction);
        if (amount > available) return { outcome: 'insufficient', needed: amount, available };
        const row = await insertStep(
          {
            workspaceId,
            reservationId,
            kind: 'reserve',
            amount: -amount,
            reference: options.reference,
            description,
            metadata: options.metadata,
          },
          transaction,
        );
        return {
          outcome: 'reserved',
          created: true,
          reservation: reservationState(reservationId, [row]),
          available: available - amount,
        };
      });
    },

    /**
     * Settles a reservation: gives its hold back and charges `actualAmount`, in one transaction. A charge above the
     * hold is taken only when the workspace can pay it (`actualAmount ≤ available + hold`); otherwise what was
     * reserved is charged and the difference recorded as `shortfall`. A no-op (`changed: false`) when the
     * reservation was already captured or released, or never taken (status `none`).
     */
    async capture(
      workspaceId: string,
      reservationId: string,
      actualAmount: number,
      options: { description?: string; reference?: string; metadata?: Record<string, unknown> } = {},
    ): Promise<SettleResult> {
      assertAmount('actualAmount', actualAmount, 0);
      return sequelize.transaction(async (transaction) => {
        await lock(workspaceId, transaction);
        const entries = await entriesOf(workspaceId, reservationId, transaction);
        const state = reservationState(reservationId, entries);
        if (state.status !== 'reserved') return { changed: false, reservation: state };
        const hold = state.held;
        const { available } = await sums(workspaceId, transaction);
        const payable = actualAmount <= hold || actualAmount <= available + hold;
        const charged = payable ? actualAmount : hold;
        const shortfall = actualAmount - charged;
        const release = await insertStep(
          {
            workspaceId,
            reservationId,
            kind: 'release',
            amount: hold,
            reference: options.reference,
            description: 'Hold settled by the capture',
            metadata: { settledBy: 'capture' },
          },
          transaction,
        );
        const capture = await insertStep(
          {
            workspaceId,
            reservationId,
            kind: 'capture',
            amount: -charged,
            reference: options.reference,
            description: options.description,
            metadata: {
              ...options.metadata,
              reserved: hold,
              requested: actualAmount,
              ...(shortfall ? { shortfall } : {}),
            },
          },
          transaction,
        );
        return { changed: true, reservation: reservationState(reservationId, [...entries, release, capture]) };
      });
    },

    /**
     * Gives the hold back (failure, cancellation). A no-op when already captured or released. A release before any
     * reserve writes a 0-credit tombstone, so a reserve that arrives late (a zombie attempt) holds nothing.
     */
    async release(
      workspaceId: string,
      reservationId: string,
      options: { reason?: string; reference?: string; metadata?: Record<string, unknown> } = {},
    ): Promise<SettleResult> {
      return sequelize.transaction(async (transaction) => {
        await lock(workspaceId, transaction);
        const entries = await entriesOf(workspaceId, reservationId, transaction);
        const state = reservationState(reservationId, entries);
        if (state.status === 'captured' || state.status === 'released') return { changed: false, reservation: state };
        const row = await insertStep(
          {
            workspaceId,
            reservationId,
            kind: 'release',
            amount: state.held,
            reference: options.reference,
            description: options.reason ?? 'Reservation released',
            metadata: { ...options.metadata, ...(state.status === 'none' ? { beforeReserve: true } : {}) },
          },
          transaction,
        );
        return { changed: true, reservation: reservationState(reservationId, [...entries, row]) };
      });
    },

    async reservation(workspaceId: string, reservationId: string): Promise<ReservationState> {
      return reservationState(reservationId, await entriesOf(workspaceId, reservationId));
    },
  };
}

export type CreditRepository = ReturnType<typeof createCreditRepository>;
