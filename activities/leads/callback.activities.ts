/**
 * The CRM callback: an enriched lead is posted to the URL its workspace configured, signed the Standard Webhooks way
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<HMAC-SHA256>`), through the SSRF-safe fetcher (the URL
 * is a user's, so it is checked like any page the crawler reads).
 *
 * Once per lead run: the `webhook-id` is derived from the lead workflow's id, so a receiver that deduplicates by it (as
 * the standard asks) sees one delivery; and an idempotency claim (`idempotency_records`) keeps two attempts from
 * posting at once and a finished delivery from being posted again. The one window left is the mail activity's: a
 * worker that dies after the CRM answered and before the record is written posts again, with the same id.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { failure } from '../../lib/failures';
import type { IdempotencyStore } from '../../lib/idempotency-store';
import type { LeadRepository, LeadRecord } from '../../db/repositories/lead.repository';
import type { LeadCallbackRepository } from '../../db/repositories/lead-callback.repository';
import type { LeadEnrichmentRepository } from '../../db/repositories/lead-enrichment.repository';
import { withHeartbeat } from '../shared/heartbeat';
import type { SafeFetcher } from '../web';
import type { LeadRunRef } from './enrichment.activities';

export interface LeadCallbackDeps {
  leads: LeadRepository;
  callbacks: LeadCallbackRepository;
  enrichments: LeadEnrichmentRepository;
  idempotency: IdempotencyStore;
  fetcher: SafeFetcher;
  /** How long a claim shields an attempt that may still be posting; longer than one post can take. */
  leaseMs?: number;
}

export const LEAD_CALLBACK_EVENT = 'lead.enriched';
const SCOPE = 'lead-callback';

type CallbackRecord =
  | { state: 'pending'; claimId: string; leaseUntil: string | null; attempts: number; lastError?: string }
  | { state: 'sent'; claimId: string; attempts: number; status: number; sentAt: string };

export type LeadCallbackResult =
  | { outcome: 'not-configured' }
  | { outcome: 'sent'; status: number; webhookId: string; deduplicated: boolean; attempts: number };

/** Stable per lead run: what a receiver deduplicates on. */
export const leadCallbackId = (workflowId: string) =>
  `msg_${createHash('sha256').update(workflowId).digest('base64url').slice(0, 27)}`;

/** What the CRM receives: the lead as it stands after the run (Standard Webhooks' `type`/`timestamp`/`data`). */
export function leadCallbackPayload(lead: LeadRecord, workflowId: string, at: Date) {
  const { fieldSources: _sources, workspaceId: _workspace, ...data } = lead;
  return { type: LEAD_CALLBACK_EVENT, timestamp: at.toISOString(), data: { ...data, enrichmentRun: workflowId } };
}

export function createLeadCallbackActivities(deps: LeadCallbackDeps) {
  const { idempotency } = deps;
  const leaseMs = deps.leaseMs ?? 60_000;

  return {
    /**
     * Posts the lead to the workspace's CRM callback. `not-configured` when there is none. A refusal (4xx) is
     * `RequestRefused` (not retried); a 5xx, 429 or network failure is `SiteUnreachable`, retried with the preset's
     * backoff (activities/web/fetch-failures.ts).
     */
    async sendLeadCallback(input: LeadRunRef): Promise<LeadCallbackResult> {
      const target = await deps.callbacks.forDelivery(input.workspaceId);
      if (!target) {
        await deps.enrichments.noteCallback(input.workflowId, 'not-configured');
        return { outcome: 'not-configured' };
      }
      const key = `${input.workflowId}/callback`;
      const webhookId = leadCallbackId(input.workflowId);
      const existing = await idempotency.get<CallbackRecord>(key);
      if (existing?.state === 'sent')
        return { outcome: 'sent', status: existing.status, webhookId, deduplicated: true, attempts: existing.attempts };
      const leaseLeftMs = existing?.leaseUntil ? Date.parse(existing.leaseUntil) - Date.now() : 0;
      if (leaseLeftMs > 0)
        throw failure('SendInProgress', `Another attempt may still be posting this lead's callback`, {
          nextRetryDelay: leaseLeftMs + 250,
        });

      const lead = await deps.leads.get(input.workspaceId, input.leadId);
      if (!lead) throw failure('NotFound', `Lead ${input.leadId} not found`);
      const claim: CallbackRecord = {
        state: 'pending',
        claimId: randomUUID(),
        leaseUntil: new Date(Date.now() + leaseMs).toISOString(),
        attempts: (existing?.attempts ?? 0) + 1,
      };
      const claimed = existing
        ? await idempotency.replace(key, claim, { ifClaimId: existing.claimId })
        : await idempotency.insert(key, SCOPE, claim);
      if (!claimed)
        throw failure('SendInProgress', `Another attempt claimed this lead's callback`, { nextRetryDelay: 1_000 });

      const at = new Date();
      const { sources: _sources, ...record } = lead;
      // postJson sends JSON.stringify of the same object: the bytes signed are the bytes sent.
      const payload = leadCallbackPayload(record, input.workflowId, at);
      const body = JSON.stringify(payload);
      const headers = {
        'webhook-id': webhookId,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(target.secret).sign(webhookId, at, body),
      };
      let status: number;
      try {
        status = await withHeartbeat({ stage: 'posting' }, async ({ signal }) => {
          const reply = await deps.fetcher.postJson(target.url, payload, headers, { signal });
          return reply.status;
        });
      } catch (err) {
        await idempotency.replace(
          key,
          { ...claim, leaseUntil: null, lastError: String((err as Error).message ?? err).slice(0, 500) },
          { ifClaimId: claim.claimId },
        );
        throw err;
      }
      await idempotency.replace(key, {
        state: 'sent',
        claimId: claim.claimId,
        attempts: claim.attempts,
        status,
        sentAt: new Date().toISOString(),
      });
      await deps.enrichments.noteCallback(input.workflowId, 'sent');
      return { outcome: 'sent', status, webhookId, deduplicated: false, attempts: claim.attempts };
    },

    /** The callback gave up after its retries: the run's row says so (the enrichment itself stands). */
    async noteLeadCallbackFailed(input: { workflowId: string }): Promise<void> {
      await deps.enrichments.noteCallback(input.workflowId, 'failed');
    },
  };
}

export type LeadCallbackActivities = ReturnType<typeof createLeadCallbackActivities>;
