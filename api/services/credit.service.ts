/** Workspace credits: balance, ledger, admin grants (docs/credits.md). Videos reserve and capture through activities. */
import type { CreditActor, CreditRepository } from '../../db/repositories/credit.repository';
import { estimateVideoCredits, type VideoCost } from '../../lib/credits/pricing';
import type { VideoProviderDefaults } from '../../lib/credits/provider-defaults';
import { z } from 'zod';
import { cursorBigint, decodeCursor, encodeCursor } from '../../lib/cursor';
import { ConflictError, ForbiddenError } from '../../lib/errors';

/** A ledger position is the last entry's id (a BIGINT sequence). */
const ledgerPosition = z.object({ id: cursorBigint }).strict();

export function createCreditService(
  repo: CreditRepository,
  defaults: VideoProviderDefaults,
  options: { selfGrantCap: number } = { selfGrantCap: Number.MAX_SAFE_INTEGER },
) {
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
     * key with another amount is a conflict. A `selfGrant` (a workspace's own admin or admin key) counts against
     * CREDIT_SELF_GRANT_CAP: the workspace's self-grants together may not exceed it (403 naming `amount`).
     */
    async grant(
      workspaceId: string,
      by: CreditActor,
      input: { amount: number; note?: string },
      idempotencyKey?: string,
      grantOptions: { selfGrant?: boolean } = {},
    ) {
      const cap = grantOptions.selfGrant ? options.selfGrantCap : undefined;
      const result = await repo.grantWithin(workspaceId, input.amount, by, input.note, {
        idempotencyKey,
        selfGrantCap: cap,
      });
      if ('capped' in result) {
        const left = Math.max(0, options.selfGrantCap - result.selfGranted);
        throw new ForbiddenError(
          `Workspace admins may grant their own workspace ${options.selfGrantCap} credits in all ` +
            `(${result.selfGranted} granted so far); ask an instance admin for more`,
          {
            errors: [{ field: 'amount', message: `at most ${left} more` }],
            extra: { cap: options.selfGrantCap, selfGranted: result.selfGranted },
          },
        );
      }
      const { entry, created } = result;
      if (!created && entry.amount !== input.amount)
        throw new ConflictError(
          `Idempotency-Key ${idempotencyKey} was used for a grant of ${entry.amount} credits, not ${input.amount}`,
        );
      return { entry, created, balance: await repo.balance(workspaceId) };
    },
  };
}

export type CreditService = ReturnType<typeof createCreditService>;
