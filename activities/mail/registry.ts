/**
 * Picks the mailer from configuration (STYLE habit 12). SMTP is the only transport today and covers the embedded
 * default (the local sink in development, Mailpit in compose) as well as SendGrid, Mailgun and SES over SMTP; an
 * HTTP-API provider would be added here behind the same `Mailer` port.
 */
import type { Mailer } from './mailer.port';
import { createSmtpMailer, type SmtpMailer, type SmtpMailerOptions } from './smtp-mailer';

/** The `mail` section of the configuration (see docs/mail.md for the variables behind it). */
export interface MailConfig {
  from: string;
  smtp: Omit<SmtpMailerOptions, 'from' | 'name'>;
}

export function createMailerFromConfig(mail: MailConfig): SmtpMailer & Mailer {
  return createSmtpMailer({ ...mail.smtp, from: mail.from });
}
