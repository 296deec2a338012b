/**
 * Mail activities: send one email, with attachments read from file storage, at most once per idempotency key
 * as far as this system can know, and never lost by a crash.
 *
 * Delivery semantics (docs/mail.md has the full argument): a key is claimed in `idempotency_records` as `pending`
 * before the SMTP conversation and marked `sent` after the server's final 250. A retry that finds `sent` returns
 * the first result without sending. A retry that finds `pending` cannot know whether the server accepted the
 * message before the crash, and sends it again (at-least-once) with the same, key-derived `Message-ID`, so the
 * copy is recognisably the same message. A `pending` claim carries a lease as long as one send can take: while it
 * runs, a retry waits (retryable `SendInProgress`) instead of racing an attempt that may still be talking to the
 * server; an attempt that fails releases its claim at once.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Context, log } from '@temporalio/activity';
import { z } from 'zod';
import { cleanPublicText } from '../../lib/html';
import { storageKeyProblem, type FileStorage } from '../storage/file-storage.port';
import type { IdempotencyStore } from '../../lib/idempotency-store';
import type { MailAttachment, Mailer, OutgoingMail } from './mailer.port';
import { toMailFailure } from './smtp-mailer';
import { withHeartbeat } from '../shared/heartbeat';
import { failure } from '../../lib/failures';

export interface AttachmentRef {
  /** Storage key of the file, e.g. `brands/<brandId>/reports/<reportId>/report.pdf`. */
  key: string;
  /** Name the recipient sees. */
  filename: string;
  contentType: string;
}

export interface SendEmailInput {
  /** `${workflowId}/email/<step>`: the same key never sends twice (see the file comment for the crash window). */
  idempotencyKey: string;
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html?: string;
  attachmentKeys?: AttachmentRef[];
}

export interface SentEmail {
  messageId: string;
  accepted: string[];
  rejected: string[];
  /** The mailer that delivered it (`smtp`, …). */
  provider: string;
  sentAt: string;
  /** True when an earlier attempt had already sent this message: this call sent nothing. */
  deduplicated: boolean;
  /** How many attempts reached the SMTP conversation for this key; above 1 the recipient may hold two copies. */
  sendAttempts: number;
}

export interface MailActivityDeps {
  mailer: Mailer;
  storage: FileStorage;
  idempotency: IdempotencyStore;
  /** Right-hand side of the stable Message-IDs; use the sender's domain (`messageIdDomainOf(MAIL_FROM)`). */
  messageIdDomain?: string;
  /**
   * How long a `pending` claim shields an attempt that may still be sending. Must cover the longest send the mailer
   * allows (its `timeoutMs`) plus the time to record the result. Default 60 s.
   */
  leaseMs?: number;
  /** Upper bound on the attachments of one message, all together. Default 20 MiB (below SES's, SendGrid's, Gmail's). */
  maxAttachmentBytes?: number;
}

/** The JSON kept in `idempotency_records.result` for scope `email`. */
export type EmailRecord = PendingEmailRecord | SentEmailRecord;

interface EmailRecordBase {
  /** Identifies the attempt that last claimed the key; compared-and-set so two attempts cannot both claim. */
  claimId: string;
  messageId: string;
  /** Hash of what was asked (recipients, subject, bodies, attachment refs): one key, one message. */
  fingerprint: string;
  sendAttempts: number;
  [field: string]: unknown;
}

export interface PendingEmailRecord extends EmailRecordBase {
  state: 'pending';
  /** ISO time until which the claiming attempt may still be sending; null once it has given up (released). */
  leaseUntil: string | null;
  /** Why the last attempt failed, when it did. */
  lastError?: string;
  updatedAt: string;
}

export interface SentEmailRecord extends EmailRecordBase {
  state: 'sent';
  accepted: string[];
  rejected: string[];
  provider: string;
  sentAt: string;
  response?: string;
}

export const EMAIL_SCOPE = 'email';
export const MAX_RECIPIENTS = 50;
export const MAX_ATTACHMENTS = 10;
const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
const DEFAULT_MESSAGE_ID_DOMAIN = 'studioflow.local';

// ---------------------------------------------------------------------------------------------------------------
// Input

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const address = z.email({ error: (issue) => `${JSON.stringify(issue.input)} is not an email address` });

const sendEmailSchema = z.object({
  idempotencyKey: z
    .string()
    .min(1)
    .max(400)
    .refine((s) => !CONTROL_CHARS.test(s), 'must not contain control characters'),
  to: z.array(address).min(1, 'needs at least one recipient'),
  cc: z.array(address).optional(),
  // Bodies and subjects are often written by a model: what no mail should carry (NUL, lone surrogates, bidi
  // overrides) is removed by the HTML-render kit; a line break in the subject is refused as a header injection.
  subject: z
    .string()
    .transform(cleanPublicText)
    .pipe(
      z
        .string()
        .trim()
        .min(1, 'must not be empty')
        .max(998)
        .refine((s) => !CONTROL_CHARS.test(s), 'must be one line'),
    ),
  text: z.string().max(1_000_000).transform(cleanPublicText),
  html: z.string().max(1_500_000).transform(cleanPublicText).optional(),
  attachmentKeys: z
    .array(
      z.object({
        key: z.string().superRefine((key, ctx) => {
          const problem = storageKeyProblem(key);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
        filename: z
          .string()
          .min(1)
          .max(255)
          .refine((s) => !/[/\\]/.test(s) && !CONTROL_CHARS.test(s), 'must be a plain file name'),
        contentType: z
          .string()
          .regex(/^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(?:\s*;\s*[\w.-]+=(?:"[^"\r\n]*"|[\w.+-]+))*$/, 'must be a MIME type'),
      }),
    )
    .max(MAX_ATTACHMENTS)
    .optional(),
});

export type ValidEmailRequest = z.output<typeof sendEmailSchema>;

/**
 * Validates and normalises a request: addresses trimmed, duplicates dropped (case-insensitively, cc after to).
 * Throws a non-retryable `InvalidInput` naming every problem: retrying bad input can never succeed.
 */
export function parseSendEmailInput(input: unknown): ValidEmailRequest {
  const prepared = trimAddresses(input);
  const parsed = sendEmailSchema.safeParse(prepared);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    throw failure('InvalidInput', `Invalid email: ${issues}`);
  }
  const request = parsed.data;
  const seen = new Set<string>();
  const unique = (list: string[]) =>
    list.filter((a) => {
      const k = a.toLowerCase();
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  request.to = unique(request.to);
  request.cc = request.cc ? unique(request.cc) : undefined;
  const count = request.to.length + (request.cc?.length ?? 0);
  if (count > MAX_RECIPIENTS) {
    throw failure('InvalidInput', `Invalid email: ${count} recipients, at most ${MAX_RECIPIENTS} per message`);
  }
  return request;
}

function trimAddresses(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const i = input as Record<string, unknown>;
  const trim = (v: unknown) => (Array.isArray(v) ? v.map((a) => (typeof a === 'string' ? a.trim() : a)) : v);
  return { ...i, to: trim(i.to), cc: trim(i.cc) };
}

// ---------------------------------------------------------------------------------------------------------------
// Message identity

/** The domain of a sender (`Studioflow <reports@acme.com>` → `acme.com`), for Message-IDs; undefined when none. */
export function messageIdDomainOf(from: string): string | undefined {
  const domain = from.match(/@([A-Za-z0-9.-]+)>?\s*$/)?.[1];
  return domain && /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(domain) ? domain.toLowerCase() : undefined;
}

/** The Message-ID every attempt for `key` sends: the same key always yields the same header. */
export function stableMessageId(key: string, domain = DEFAULT_MESSAGE_ID_DOMAIN): string {
  const hash = createHash('sha256').update(`studioflow-email:${key}`).digest('hex').slice(0, 40);
  return `<${hash}@${domain}>`;
}

function fingerprintOf(request: ValidEmailRequest): string {
  const canonical = JSON.stringify([
    request.to.map((a) => a.toLowerCase()).sort(),
    (request.cc ?? []).map((a) => a.toLowerCase()).sort(),
    request.subject,
    request.text,
    request.html ?? null,
    (request.attachmentKeys ?? []).map((a) => [a.key, a.filename, a.contentType]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

// ---------------------------------------------------------------------------------------------------------------
// Activities

export function createMailActivities(deps: MailActivityDeps) {
  const { mailer, storage, idempotency } = deps;
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const maxAttachmentBytes = deps.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  const domain = deps.messageIdDomain ?? DEFAULT_MESSAGE_ID_DOMAIN;

  async function loadAttachments(refs: AttachmentRef[], beat: () => void): Promise<MailAttachment[]> {
    const attachments: MailAttachment[] = [];
    let total = 0;
    for (const ref of refs) {
      const content = await storage.get(ref.key);
      beat();
      if (!content) {
        throw failure('NotFound', `Attachment ${ref.filename} (${ref.key}) is not in file storage (${storage.name})`);
      }
      total += content.byteLength;
      if (total > maxAttachmentBytes) {
        throw failure(
          'InvalidInput',
          `Attachments exceed ${maxAttachmentBytes} bytes; link to large files instead of attaching them`,
        );
      }
      attachments.push({ filename: ref.filename, contentType: ref.contentType, content });
    }
    return attachments;
  }

  /** Bookkeeping write after a successful send: worth a couple of quick tries, never worth failing the send. */
  async function recordSent(key: string, record: SentEmailRecord): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await idempotency.replace(key, record);
        return;
      } catch (err) {
        if (attempt >= 3) {
          // The message is out and Temporal records this activity's result; only a later re-run of the same key
          // (a reset) could send it again. Say so loudly rather than fail a delivered email.
          log.error('Email sent but its idempotency record could not be marked sent', {
            idempotencyKey: key,
            messageId: record.messageId,
            error: String(err),
          });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  async function releaseClaim(key: string, claim: PendingEmailRecord, error: unknown): Promise<void> {
    const released: PendingEmailRecord = {
      ...claim,
      leaseUntil: null,
      lastError: String((error as { message?: unknown } | null)?.message ?? error).slice(0, 1000),
      updatedAt: new Date().toISOString(),
    };
    try {
      await idempotency.replace(key, released, { ifClaimId: claim.claimId });
    } catch (err) {
      // The lease still expires on its own; the next attempt only waits for it.
      log.warn('Could not release the email claim', { idempotencyKey: key, error: String(err) });
    }
  }

  return {
    /**
     * Sends one email. Attachments are read from file storage by key. Idempotent on `idempotencyKey`: a call for a
     * key already sent returns the first result (`deduplicated: true`) and sends nothing.
     *
     * Failures: `InvalidInput` (bad addresses, subject, attachment refs, oversized attachments, a recipient the
     * server refuses for good, a key reused for another message), `NotFound` (attachment missing), `ProviderAuth`,
     * `ContentRejected`, `ProviderMisconfigured` are non-retryable; `ProviderUnavailable` and `SendInProgress`
     * (another attempt may still be sending) are retried by Temporal.
     */
    async sendEmail(input: SendEmailInput): Promise<SentEmail> {
      const signal = Context.current().cancellationSignal;
      const request = parseSendEmailInput(input);
      const key = request.idempotencyKey;
      const fingerprint = fingerprintOf(request);
      const messageId = stableMessageId(key, domain);

      // A slow server can outlast the heartbeat timeout: the kit keeps beating while the conversation runs.
      return withHeartbeat({ stage: 'checking' }, async (heartbeat) => {
        const beat = () => heartbeat.beat();
        const throwIfCancelled = () => heartbeat.throwIfCancelled();

        const existing = await idempotency.get<EmailRecord>(key);
        if (existing) {
          if (existing.fingerprint !== fingerprint) {
            throw failure('InvalidInput', `Idempotency key ${key} was already used for a different email`);
          }
          if (existing.state === 'sent') {
            log.info('Email already sent for this key; not sending again', {
              idempotencyKey: key,
              messageId: existing.messageId,
            });
            return {
              messageId: existing.messageId,
              accepted: existing.accepted,
              rejected: existing.rejected,
              provider: existing.provider,
              sentAt: existing.sentAt,
              deduplicated: true,
              sendAttempts: existing.sendAttempts,
            };
          }
          const leaseLeftMs = existing.leaseUntil ? Date.parse(existing.leaseUntil) - Date.now() : 0;
          if (leaseLeftMs > 0) {
            throw failure(
              'SendInProgress',
              `Another attempt may still be sending this email (claim held for ${Math.ceil(leaseLeftMs / 1000)} s more)`,
              { nextRetryDelay: leaseLeftMs + 250 },
            );
          }
          log.warn('A previous attempt claimed this email and did not record a result; sending it again', {
            idempotencyKey: key,
            messageId,
            previousAttempts: existing.sendAttempts,
            lastError: existing.lastError,
          });
        }
        throwIfCancelled();

        heartbeat.beat({ stage: 'reading-attachments' });
        const attachments = await loadAttachments(request.attachmentKeys ?? [], beat);
        throwIfCancelled();

        heartbeat.beat({ stage: 'claiming' });
        const claim: PendingEmailRecord = {
          state: 'pending',
          claimId: randomUUID(),
          messageId,
          fingerprint,
          sendAttempts: (existing?.sendAttempts ?? 0) + 1,
          leaseUntil: new Date(Date.now() + leaseMs).toISOString(),
          updatedAt: new Date().toISOString(),
        };
        const claimed = existing
          ? await idempotency.replace(key, claim, { ifClaimId: existing.claimId })
          : await idempotency.insert(key, EMAIL_SCOPE, claim);
        if (!claimed) {
          throw failure('SendInProgress', `Another attempt claimed email ${key} at the same moment`, {
            nextRetryDelay: 1_000,
          });
        }

        const message: OutgoingMail = {
          to: request.to,
          cc: request.cc,
          subject: request.subject,
          text: request.text,
          html: request.html,
          attachments,
          headers: { 'Message-ID': messageId },
        };
        heartbeat.beat({ stage: 'sending' });
        let result: Awaited<ReturnType<Mailer['send']>>;
        try {
          result = await mailer.send(message, { signal });
        } catch (err) {
          await releaseClaim(key, claim, err);
          throwIfCancelled();
          const failure = toMailFailure(err, mailer.name);
          log.warn('Email not sent', { idempotencyKey: key, type: failure.type, error: failure.message });
          throw failure;
        }

        heartbeat.beat({ stage: 'recording' });
        const sent: SentEmailRecord = {
          state: 'sent',
          claimId: claim.claimId,
          messageId: result.messageId,
          fingerprint,
          sendAttempts: claim.sendAttempts,
          accepted: result.accepted,
          rejected: result.rejected,
          provider: mailer.name,
          sentAt: new Date().toISOString(),
          ...(result.response !== undefined && { response: result.response }),
        };
        await recordSent(key, sent);
        if (result.rejected.length > 0) {
          log.warn('The server refused some recipients', { idempotencyKey: key, rejected: result.rejected });
        }
        log.info('Email sent', {
          idempotencyKey: key,
          messageId: result.messageId,
          provider: mailer.name,
          recipients: result.accepted.length,
          attachments: attachments.length,
          sendAttempts: claim.sendAttempts,
        });
        return {
          messageId: result.messageId,
          accepted: result.accepted,
          rejected: result.rejected,
          provider: mailer.name,
          sentAt: sent.sentAt,
          deduplicated: false,
          sendAttempts: claim.sendAttempts,
        };
      });
    },
  };
}

export type MailActivities = ReturnType<typeof createMailActivities>;
