export * from './mailer.port';
export {
  createSmtpMailer,
  toMailFailure,
  enhancedStatusCode,
  type SmtpMailer,
  type SmtpMailerOptions,
  type MailFailureDetails,
} from './smtp-mailer';
export { createMailerFromConfig, type MailConfig } from './registry';
export type { IdempotencyStore, IdempotencyValue } from '../../lib/idempotency-store';
export {
  createMailActivities,
  parseSendEmailInput,
  stableMessageId,
  messageIdDomainOf,
  EMAIL_SCOPE,
  MAX_RECIPIENTS,
  MAX_ATTACHMENTS,
  type AttachmentRef,
  type SendEmailInput,
  type SentEmail,
  type MailActivityDeps,
  type MailActivities,
  type EmailRecord,
  type PendingEmailRecord,
  type SentEmailRecord,
  type ValidEmailRequest,
} from './mail.activities';
