/** Workspace credits: balance, ledger, admin grants (docs/credits.md). Videos reserve and capture through activities. */
import type { CreditActor, CreditRepository } from '../../db/repositories/credit.repository';
import { estimateVideoCredits, type VideoCost } from '../../lib/credits/pricing';
import type { VideoProviderDefaults } from '../../lib/credits/provider-defaults';
import { z } from 'zod';
import { cursorBigint, decodeCursor, encodeCursor } from '../../lib/cursor';
import { ConflictError } from '../../lib/errors';

/** A ledger position is the last entry's id (a BIGINT sequence). */
const ledgerPosition = z.object({ id: cursorBigint }).strict();

export function createCreditService(repo: CreditRepository, defaults: VideoProviderDefaults) {
  return {
    /** What a video would reserve at start: the same pricing the workflow's `quoteVideo` uses. */
    quote(input: { seconds: number; platforms: string[]; voice?: string }): VideoCost {
      return estimateVideoCredits({
        seconds: input.seconds,
        voiceProvider: input.voice ?? defaults.voiceProvider,
        scriptProvider: defaults.scriptProvider,
        imageProvider: defaults.imageProvider,
        platforms: input.platforms,
      });
    },

    async balance(workspaceId: string) {
      return repo.balance(workspaceId);
    },

    async ledger(workspaceId: string, options: { limit: number; cursor?: string }) {
      const cursor =
        options.cursor === undefined ? undefined : decodeCursor('ledger', ledgerPosition, options.cursor).id;
      const page = await repo.ledger(workspaceId, { limit: options.limit, cursor });
      return { ...page, nextCursor: page.nextCursor === null ? null : encodeCursor('ledger', { id: page.nextCursor }) };
    },

    /**
     * Adds credits. With an idempotency key a repeated request returns the first entry (`created: false`); the same
     * key with another amount is a conflict.
     */
    async grant(
      workspaceId: string,
      by: CreditActor,
      input: { amount: number; note?: string },
      idempotencyKey?: string,
    ) {
      const { entry, created } = await repo.grant(workspaceId, input.amount, by, input.note, { idempotencyKey });
      if (!created && entry.amount !== input.amount)
        throw new ConflictError(
          `Idempotency-Key ${idempotencyKey} was used for a grant of ${entry.amount} credits, not ${input.amount}`,
        );
      return { entry, created, balance: await repo.balance(workspaceId) };
    },
  };
}

export type CreditService = ReturnType<typeof createCreditService>;
