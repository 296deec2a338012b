/**
 * The credit saga's steps (docs/credits.md), on the main queue: a video reserves its estimate when it starts,
 * captures the actual cost on success and releases the hold on failure or cancellation. Each step is keyed by the
 * reservation id (the workflow id), so a retried or replayed activity changes nothing the first attempt did.
 */
import { Context, log } from '@temporalio/activity';
import {
  CreditReservationConflictError,
  type CreditRepository,
  type ReservationState,
} from '../../db/repositories/credit.repository';
import { failure } from '../../lib/failures';

export interface CreditActivityDeps {
  repo: CreditRepository;
}

export interface ReserveCreditsInput {
  workspaceId: string;
  /** The saga key: the workflow id. */
  reservationId: string;
  amount: number;
  description: string;
}

export interface CaptureCreditsInput {
  workspaceId: string;
  reservationId: string;
  /** The actual cost (lib/credits/pricing.ts over the measured length and the providers used). */
  amount: number;
  description: string;
}

export interface ReleaseCreditsInput {
  workspaceId: string;
  reservationId: string;
  reason: string;
}

export interface ReserveCreditsResult {
  reservationId: string;
  reserved: number;
  /** Available after the hold. */
  available: number;
  /** False when this reservation had already been taken (a retry). */
  created: boolean;
}

export interface SettleCreditsResult extends ReservationState {
  /** False when the step had already happened or the reservation was already settled the other way. */
  changed: boolean;
}

const invalid = (message: string) => failure('InvalidInput', message);

function assertCredits(amount: number) {
  if (!Number.isSafeInteger(amount) || amount < 0 || amount > 2_147_483_647)
    throw invalid(`A credit amount must be a whole number ≥ 0; got ${amount}`);
}

/** Where the entry came from: the workflow id as reference, the run and attempt in the metadata. */
function origin(): { reference?: string; metadata: Record<string, unknown> } {
  const { workflowExecution, attempt, activityType } = Context.current().info;
  return {
    reference: workflowExecution?.workflowId,
    metadata: { runId: workflowExecution?.runId, activity: activityType, attempt },
  };
}

/** A reservation id already used by another workspace cannot be fixed by retrying. */
async function guarded<T>(reservationId: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof CreditReservationConflictError) throw invalid(err.message);
    if (err instanceof RangeError) throw invalid(`Reservation ${reservationId}: ${err.message}`);
    throw err;
  }
}

export function createCreditActivities({ repo }: CreditActivityDeps) {
  return {
    /** Holds the estimate; fails fast (non-retryable `InsufficientCredits`) when the workspace cannot pay it. */
    async reserveCredits(input: ReserveCreditsInput): Promise<ReserveCreditsResult> {
      assertCredits(input.amount);
      const { reference, metadata } = origin();
      const result = await guarded(input.reservationId, () =>
        repo.reserve(input.workspaceId, input.reservationId, input.amount, input.description, { reference, metadata }),
      );
      switch (result.outcome) {
        case 'insufficient':
          log.info('Credits insufficient', {
            reservationId: input.reservationId,
            needed: result.needed,
            available: result.available,
          });
          throw failure(
            'InsufficientCredits',
            `Insufficient credits: this video needs ${result.needed} credits and the workspace has ${result.available} available; ask an admin to grant more`,
            { details: [{ needed: result.needed, available: result.available }] },
          );
        case 'closed':
          throw invalid(`Reservation ${input.reservationId} was released before it was taken; start a new run`);
        case 'reserved':
          if (result.created)
            log.info('Credits reserved', { reservationId: input.reservationId, amount: input.amount });
          return {
            reservationId: input.reservationId,
            reserved: result.reservation.reserved,
            available: result.available,
            created: result.created,
          };
      }
    },

    /** Charges the actual cost and frees the hold, once. After a release it changes nothing. */
    async captureCredits(input: CaptureCreditsInput): Promise<SettleCreditsResult> {
      assertCredits(input.amount);
      const { reference, metadata } = origin();
      const { changed, reservation } = await guarded(input.reservationId, () =>
        repo.capture(input.workspaceId, input.reservationId, input.amount, {
          description: input.description,
          reference,
          metadata,
        }),
      );
      if (reservation.status === 'none')
        throw failure('NotFound', `No credits were reserved for ${input.reservationId}; nothing to capture`);
      if (changed) log.info('Credits captured', { ...reservation, requested: input.amount });
      else if (reservation.status === 'released')
        log.warn('Capture after release: nothing charged', { reservationId: input.reservationId });
      if (reservation.shortfall > 0)
        log.warn('Credits short at capture: charged what was reserved', { ...reservation, requested: input.amount });
      return { ...reservation, changed };
    },

    /** Gives the hold back (failure, cancellation). After a capture it changes nothing. */
    async releaseCredits(input: ReleaseCreditsInput): Promise<SettleCreditsResult> {
      const { reference, metadata } = origin();
      const { changed, reservation } = await guarded(input.reservationId, () =>
        repo.release(input.workspaceId, input.reservationId, { reason: input.reason, reference, metadata }),
      );
      if (changed) log.info('Credits released', { reservationId: input.reservationId, reason: input.reason });
      return { ...reservation, changed };
    },
  };
}

export type CreditActivities = ReturnType<typeof createCreditActivities>;
