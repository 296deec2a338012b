/**
 * SMTP provider through nodemailer. Works with any SMTP server: the local sink (`lib/smtp-sink.ts`), Mailpit, a
 * company relay, and the SMTP endpoints of SendGrid, Mailgun and Amazon SES (see docs/mail.md for their settings).
 *
 * Temporal owns retries (STYLE habit 8): the transport is not pooled and nodemailer's SMTP transport never retries,
 * one `send` is one connection and one attempt, bounded as a whole by `timeoutMs`. Every failure leaves as an
 * `ApplicationFailure` typed by `toMailFailure`.
 */
import { ApplicationFailure } from '@temporalio/common';
import nodemailer, { type NodemailerError, type SMTPTransportOptions } from 'nodemailer';
import type { Mailer, OutgoingMail, SendOptions, SendResult } from './mailer.port';
import { type FailureType, failure } from '../../lib/failures';

export interface SmtpMailerOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465). With false, STARTTLS is used when the server offers it (port 587/25). */
  secure: boolean;
  /** Refuse to send unless the connection is upgraded with STARTTLS; recommended with credentials on port 587. */
  requireTls?: boolean;
  /** No authentication when absent (a local sink or an internal relay). */
  user?: string;
  password?: string;
  /** Sender, `Studioflow <reports@example.com>` or a bare address. */
  from: string;
  /** Upper bound on one send, from connecting to the server's final reply; also each network wait. */
  timeoutMs: number;
  /** Provider name recorded on results; defaults to `smtp`. */
  name?: string;
}

/** A mailer that owns a transport; `close()` releases it (a no-op for unpooled SMTP, kept for symmetry). */
export interface SmtpMailer extends Mailer {
  close(): void;
}

export function createSmtpMailer(options: SmtpMailerOptions): SmtpMailer {
  const name = options.name ?? 'smtp';
  const transportOptions: SMTPTransportOptions = {
    host: options.host,
    port: options.port,
    secure: options.secure,
    requireTLS: options.requireTls ?? false,
    auth: options.user ? { user: options.user, pass: options.password } : undefined,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    dnsTimeout: options.timeoutMs,
    // Attachments are always buffers: never let message content make nodemailer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  };
  const transport = nodemailer.createTransport(transportOptions, { from: options.from });

  return {
    name,

    async send(message: OutgoingMail, opts: SendOptions = {}): Promise<SendResult> {
      const { messageId, headers } = splitMessageId(message.headers);
      const deadline = AbortSignal.timeout(options.timeoutMs);
      const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
      try {
        const info = await transport.sendMail({
          to: message.to,
          cc: message.cc?.length ? message.cc : undefined,
          subject: message.subject,
          text: message.text,
          html: message.html,
          attachments: message.attachments?.map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            content: a.content,
          })),
          headers,
          messageId,
          signal,
        });
        return {
          messageId: info.messageId,
          accepted: (info.accepted ?? []).map(String),
          rejected: (info.rejected ?? []).map(String),
          response: info.response,
        };
      } catch (err) {
        // The caller's own abort (an activity cancellation) is not a provider failure: hand it back untouched.
        if (opts.signal?.aborted) throw err;
        if (deadline.aborted) {
          throw failure(
            'ProviderUnavailable',
            `${name}: no reply from ${options.host}:${options.port} within ${options.timeoutMs} ms`,
            { cause: err instanceof Error ? err : undefined },
          );
        }
        throw toMailFailure(err, name);
      }
    },

    async check(): Promise<void> {
      try {
        await transport.verify();
      } catch (err) {
        throw toMailFailure(err, name);
      }
    },

    close() {
      transport.close();
    },
  };
}

/** Nodemailer takes the Message-ID as an option; a `Message-ID` header in any case is moved there. */
function splitMessageId(headers: Record<string, string> | undefined): {
  messageId?: string;
  headers?: Record<string, string>;
} {
  if (!headers) return {};
  let messageId: string | undefined;
  const rest: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === 'message-id') messageId = value;
    else rest[key] = value;
  }
  return { messageId, headers: Object.keys(rest).length ? rest : undefined };
}

// ---------------------------------------------------------------------------------------------------------------
// Error taxonomy

/** What the UI and operators get besides the message: enough to tell a refused recipient from a refused login. */
export interface MailFailureDetails {
  code?: string;
  responseCode?: number;
  /** RFC 3463 enhanced status code from the reply, e.g. `5.1.1`. */
  enhancedCode?: string;
  /** The SMTP command the server was answering: `AUTH PLAIN`, `MAIL FROM`, `RCPT TO`, `DATA`, `CONN`… */
  command?: string;
  rejected?: string[];
}

type ErrorLike = Partial<NodemailerError> & { message?: string };

/** Codes a server uses to refuse a login or to demand one (RFC 4954): the account or its settings are wrong. */
const AUTH_REPLY_CODES = new Set([530, 534, 535, 538]);
/** A server that will not relay for us (not authenticated, or not allowed to send as the sender). */
const NOT_AUTHORISED =
  /relay(?:ing)? (?:access )?(?:denied|not permitted|not allowed)|unable to relay|not authori[sz]ed|not (?:been )?verified|unverified|sender (?:address )?(?:rejected|denied|not allowed)/i;
const TOO_LARGE = /too (?:large|big)|exceeds? .*size|size limit/i;
/** TLS failures that are settings (wrong port/secure pair, a certificate that will not verify), not weather. */
const TLS_MISCONFIGURED =
  /wrong version number|CERT_|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|certificate|ERR_SSL_|unsupported protocol/i;

/** The enhanced status code (`5.1.1`) of an SMTP reply, when the server sent one. */
export function enhancedStatusCode(response: string | undefined): string | undefined {
  return response?.match(/^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/)?.[1];
}

/**
 * Maps a nodemailer/SMTP error to the house taxonomy (STYLE habit 7):
 *
 * - a permanent reply (5xx except 503) is non-retryable: refused logins and relaying → `ProviderAuth`; a refused
 *   recipient or an oversized message → `InvalidInput`; a message refused at DATA → `ContentRejected`; anything else
 *   (a server that does not speak what we send) → `ProviderMisconfigured`;
 * - a transient reply (4xx, 503) and every connection, DNS, socket and timeout failure → retryable
 *   `ProviderUnavailable`;
 * - errors nodemailer raises before talking to the server: missing credentials → `ProviderAuth`, a bad envelope or
 *   message → `InvalidInput`, bad settings or a TLS certificate/version mismatch → `ProviderMisconfigured`.
 */
export function toMailFailure(err: unknown, provider = 'smtp'): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as ErrorLike;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const command = typeof e.command === 'string' ? e.command.toUpperCase() : undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const enhancedCode = enhancedStatusCode(e.response);
  const details: MailFailureDetails = {
    ...(code && { code }),
    ...(responseCode && { responseCode }),
    ...(enhancedCode && { enhancedCode }),
    ...(command && { command }),
    ...(Array.isArray(e.rejected) && e.rejected.length > 0 && { rejected: e.rejected.map(String) }),
  };
  const original = e.originalCode && !String(e.message).includes(e.originalCode) ? ` (${e.originalCode})` : '';
  const message = `${provider}: ${e.message || 'unknown error'}${original}`;
  const fail = (type: FailureType) =>
    failure(type, message, { cause: err instanceof Error ? err : undefined, details: [details] });

  if (responseCode !== undefined) {
    const permanent = responseCode >= 500 && responseCode < 600 && responseCode !== 503;
    if (!permanent) return fail('ProviderUnavailable');
    const text = `${e.response ?? ''} ${e.message ?? ''}`;
    if (command?.startsWith('AUTH') || code === 'EAUTH' || AUTH_REPLY_CODES.has(responseCode)) {
      return fail('ProviderAuth');
    }
    if (NOT_AUTHORISED.test(text)) return fail('ProviderAuth');
    const tooLarge =
      responseCode === 552 || enhancedCode === '5.3.4' || enhancedCode === '5.2.3' || TOO_LARGE.test(text);
    if (command === 'MAIL FROM') return fail(tooLarge ? 'InvalidInput' : 'ProviderAuth');
    if (command === 'RCPT TO' || code === 'EENVELOPE') return fail('InvalidInput');
    if (command === 'DATA' || code === 'EMESSAGE') return fail(tooLarge ? 'InvalidInput' : 'ContentRejected');
    return fail('ProviderMisconfigured');
  }

  switch (code) {
    case 'EAUTH':
    case 'ENOAUTH':
    case 'EOAUTH2':
      return fail('ProviderAuth');
    case 'EENVELOPE':
    case 'EMESSAGE':
    case 'EMAXRECIPIENTS':
    case 'EFILEACCESS':
    case 'EURLACCESS':
      return fail('InvalidInput');
    case 'ECONFIG':
    case 'EREQUIRETLS':
      return fail('ProviderMisconfigured');
  }
  if (TLS_MISCONFIGURED.test(`${e.originalCode ?? ''} ${e.message ?? ''}`) && code !== 'ETIMEDOUT') {
    return fail('ProviderMisconfigured');
  }
  // ECONNECTION, ESOCKET, ETIMEDOUT, EDNS, EPROXY, ESTREAM, ETLS handshake drops and the unknown: try again later.
  return fail('ProviderUnavailable');
}
