import { Router } from 'express';
import { z } from 'zod';
import { principalOf, requireRole } from '../middleware/auth';
import type { CreditService } from '../services/credit.service';
import { parse } from '../validation';
import { MAX_CURSOR_LENGTH } from '../../lib/cursor';
import { MAX_VIDEO_SECONDS, MIN_VIDEO_SECONDS, VIDEO_PLATFORMS } from '../../lib/video/types';

export const MAX_GRANT = 1_000_000;

export const grantSchema = z
  .object({
    amount: z.number().int().min(1).max(MAX_GRANT).describe('Whole credits to add, 1 to 1 000 000'),
    note: z.string().trim().max(500).optional().describe('Why: shown in the ledger'),
  })
  .strict();

export const ledgerQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(MAX_CURSOR_LENGTH).optional().describe('nextCursor of the previous page'),
});

export const quoteQuerySchema = z.object({
  seconds: z.coerce.number().int().min(MIN_VIDEO_SECONDS).max(MAX_VIDEO_SECONDS).describe('Target length'),
  platforms: z
    .string()
    .default('local')
    .transform((v) =>
      v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(VIDEO_PLATFORMS)).min(1))
    .describe('Comma-separated platforms, e.g. local,youtube'),
  voice: z.enum(['espeak', 'elevenlabs']).optional().describe('Voice provider; default the configured one'),
});

const idempotencyKeySchema = z.string().trim().min(1).max(200).optional();

export function creditsRouter(credits: CreditService): Router {
  const router = Router();

  router.get('/credits', async (_req, res) => {
    res.json(await credits.balance(principalOf(res).workspaceId));
  });
  router.get('/credits/quote', (req, res) => {
    res.json(credits.quote(parse(quoteQuerySchema, req.query)));
  });
  router.get('/credits/ledger', async (req, res) => {
    res.json(await credits.ledger(principalOf(res).workspaceId, parse(ledgerQuerySchema, req.query)));
  });
  router.post('/credits/grants', requireRole('admin'), async (req, res) => {
    const principal = principalOf(res);
    const input = parse(grantSchema, req.body);
    const key = parse(idempotencyKeySchema, req.get('idempotency-key'), 'Idempotency-Key');
    const { entry, created, balance } = await credits.grant(
      principal.workspaceId,
      { kind: principal.kind, id: principal.id, name: principal.name },
      input,
      key,
      // Only an instance admin's session grants beyond the cap; API keys belong to the workspace.
      { selfGrant: !principal.instanceAdmin },
    );
    res.status(created ? 201 : 200).json({ ...entry, balance });
  });
  return router;
}
