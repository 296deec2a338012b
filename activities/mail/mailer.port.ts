/**
 * The mail port: every provider (SMTP to any server — a local sink, Mailpit, SendGrid, Mailgun or SES over SMTP)
 * implements `Mailer`, so the activities never know which one delivers.
 *
 * Providers map their errors to the house taxonomy themselves (STYLE habit 7): a permanent refusal leaves as a
 * non-retryable `ApplicationFailure` (`InvalidInput`, `ProviderAuth`, `ContentRejected`, `ProviderMisconfigured`),
 * anything that another attempt may fix as a retryable `ProviderUnavailable`. They never retry on their own:
 * Temporal owns retries (habit 8).
 */

export interface MailAttachment {
  /** File name shown to the recipient, e.g. `brand-report.pdf`. */
  filename: string;
  /** MIME type, e.g. `application/pdf`. */
  contentType: string;
  content: Buffer;
}

export interface OutgoingMail {
  /** Plain addresses (`ana@example.com`), already validated by the caller. */
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
  /**
   * Extra headers. `Message-ID` (any case) becomes the message's Message-ID instead of a random one, which is how
   * the activities make a resent message recognisable as the same message.
   */
  headers?: Record<string, string>;
}

export interface SendOptions {
  /** Aborts the send (the activity passes its cancellation signal). The provider rethrows the abort error. */
  signal?: AbortSignal;
}

export interface SendResult {
  /** The Message-ID the message went out with, angle brackets included. */
  messageId: string;
  /** Recipients the server accepted. */
  accepted: string[];
  /** Recipients the server refused while accepting the others (when it refuses all, `send` throws). */
  rejected: string[];
  /** The server's final reply, e.g. `250 OK: queued as 1B2C3D`. */
  response?: string;
}

export interface Mailer {
  /** Recorded on results so a run shows which provider delivered a message. */
  readonly name: string;
  send(message: OutgoingMail, opts?: SendOptions): Promise<SendResult>;
  /** Connectivity probe (connect, greet, authenticate); throws a mapped failure when mail cannot be sent. */
  check(): Promise<void>;
}
