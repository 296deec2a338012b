/**
 * The mail activity end to end: real PostgreSQL (`idempotency_records`), real local file storage, the real SMTP
 * provider (nodemailer) talking to the real SMTP sink, and the received message parsed back (postal-mime).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure, type Logger, type LogLevel, type LogMetadata } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import {
  createMailActivities,
  createSmtpMailer,
  messageIdDomainOf,
  stableMessageId,
  type MailActivities,
  type Mailer,
  type PendingEmailRecord,
  type SendEmailInput,
  type SentEmail,
  type SentEmailRecord,
} from '../../activities/mail';
import { createLocalFileStorage, type FileStorage } from '../../activities/storage';
import { connectDatabase, IdempotencyRecord, type Database } from '../../db';
import { createIdempotencyRepository } from '../../db/repositories/idempotency.repository';
import { startSmtpSink, type SmtpSink } from '../../lib/smtp-sink';

const FROM = 'Studioflow Reports <reports@studioflow.test>';
const DOMAIN = messageIdDomainOf(FROM)!;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this file through jest's integration project (globalSetup)`);
  return value;
}

function quietLogger(): Logger {
  const noop = (_message: string, _meta?: LogMetadata) => undefined;
  return { log: (_l: LogLevel, m: string) => noop(m), trace: noop, debug: noop, info: noop, warn: noop, error: noop };
}

/** Runs the activity the way a worker would, as attempt `attempt`. */
function run(activities: MailActivities, input: SendEmailInput, attempt = 1): Promise<SentEmail> {
  return new MockActivityEnvironment({ attempt }, { logger: quietLogger() }).run(
    activities.sendEmail,
    input,
  ) as Promise<SentEmail>;
}

async function failure(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

async function record<T>(key: string): Promise<{ scope: string; result: T } | null> {
  const row = await IdempotencyRecord.findByPk(key);
  return row ? { scope: row.scope, result: row.result as T } : null;
}

describe('mail: sendEmail through SMTP to the sink', () => {
  const runId = randomUUID().slice(0, 8);
  let db: Database;
  let sink: SmtpSink;
  let storage: FileStorage;
  let mailer: Mailer;
  let activities: MailActivities;
  let workDir: string;

  const keyFor = (step: string) => `mail-test/${runId}/email/${step}`;
  const messagesWithId = (messageId: string) => sink.messages().filter((m) => m.messageId === messageId);

  beforeAll(async () => {
    db = connectDatabase(required('STUDIOFLOW_TEST_DATABASE_URL'), { poolMax: 4 });
    workDir = fs.mkdtempSync(path.join(process.env.STUDIOFLOW_TEST_WORK_DIR ?? os.tmpdir(), 'mail-'));
    sink = await startSmtpSink({
      port: 0,
      dir: path.join(workDir, 'sink'),
      rejectRecipients: [
        { match: 'bounce@example.com', code: 550, message: '5.1.1 <bounce@example.com>: no such user' },
      ],
    });
    storage = createLocalFileStorage({ rootDir: path.join(workDir, 'files'), publicBaseUrl: 'http://127.0.0.1:1' });
    mailer = createSmtpMailer({ host: sink.host, port: sink.port, secure: false, from: FROM, timeoutMs: 5_000 });
    activities = createMailActivities({
      mailer,
      storage,
      idempotency: createIdempotencyRepository(db),
      messageIdDomain: DOMAIN,
      leaseMs: 10_000,
    });
  });

  afterAll(async () => {
    await sink?.close();
    await db?.close();
  });

  it('delivers the report with its PDF attached, byte for byte', async () => {
    // Every byte value, so a transfer-encoding slip (7bit, CRLF rewriting, a lost NUL) shows.
    const pdf = Buffer.concat([
      Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'),
      Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
      randomBytes(64 * 1024),
      Buffer.from('\n%%EOF\n'),
    ]);
    const fileKey = `reports/${runId}/brand-report.pdf`;
    await storage.put(fileKey, pdf, 'application/pdf');
    const key = keyFor('report');

    const result = await run(activities, {
      idempotencyKey: key,
      to: ['ana@example.com', 'bruno@example.com'],
      cc: ['marketing@example.com'],
      subject: 'Brand report — Lumen Coffee',
      text: 'Your brand diagnosis report is attached.',
      html: '<p>Your brand diagnosis report is <strong>attached</strong>.</p>',
      attachmentKeys: [{ key: fileKey, filename: 'lumen-coffee-report.pdf', contentType: 'application/pdf' }],
    });

    const messageId = stableMessageId(key, DOMAIN);
    expect(result).toMatchObject({
      messageId,
      accepted: ['ana@example.com', 'bruno@example.com', 'marketing@example.com'],
      rejected: [],
      provider: 'smtp',
      deduplicated: false,
      sendAttempts: 1,
    });

    const mail = await sink.waitFor((m) => m.messageId === messageId);
    expect(mail.subject).toBe('Brand report — Lumen Coffee');
    expect(mail.from).toBe('reports@studioflow.test');
    expect(mail.to).toEqual(['ana@example.com', 'bruno@example.com']);
    expect(mail.cc).toEqual(['marketing@example.com']);
    expect(mail.envelope).toEqual({
      from: 'reports@studioflow.test',
      to: ['ana@example.com', 'bruno@example.com', 'marketing@example.com'],
    });
    expect(mail.text?.trim()).toBe('Your brand diagnosis report is attached.');
    expect(mail.html).toContain('<strong>attached</strong>');
    expect(mail.attachments).toHaveLength(1);
    const [attachment] = mail.attachments;
    expect(attachment.filename).toBe('lumen-coffee-report.pdf');
    expect(attachment.contentType).toBe('application/pdf');
    expect(attachment.content.equals(pdf)).toBe(true);

    // The sink's .eml copy is the same message.
    expect(fs.readFileSync(mail.file!).toString('latin1')).toContain(`Message-ID: ${messageId}`);

    const row = await record<SentEmailRecord>(key);
    expect(row?.scope).toBe('email');
    expect(row?.result).toMatchObject({ state: 'sent', messageId, sendAttempts: 1, provider: 'smtp' });
  });

  it('sends one message for two calls with the same idempotency key', async () => {
    const key = keyFor('twice');
    const input: SendEmailInput = { idempotencyKey: key, to: ['ana@example.com'], subject: 'Once', text: 'only once' };

    const first = await run(activities, input, 1);
    const second = await run(activities, input, 2);

    expect(second).toEqual({ ...first, deduplicated: true });
    await sink.waitFor((m) => m.messageId === first.messageId);
    expect(messagesWithId(first.messageId)).toHaveLength(1);
  });

  it('sends one message when two attempts race for the same key', async () => {
    const key = keyFor('race');
    const input: SendEmailInput = { idempotencyKey: key, to: ['ana@example.com'], subject: 'Race', text: 'one winner' };

    const outcomes = await Promise.allSettled([run(activities, input), run(activities, input), run(activities, input)]);

    const sent = outcomes.filter((o) => o.status === 'fulfilled' && !o.value.deduplicated);
    expect(sent).toHaveLength(1);
    for (const o of outcomes) {
      if (o.status === 'rejected') expect(o.reason).toMatchObject({ type: 'SendInProgress', nonRetryable: false });
    }
    await sink.waitFor((m) => m.messageId === stableMessageId(key, DOMAIN));
    expect(messagesWithId(stableMessageId(key, DOMAIN))).toHaveLength(1);
  });

  it('fails non-retryably on a permanent 550 and delivers nothing', async () => {
    const key = keyFor('bounce');
    const err = await failure(
      run(activities, { idempotencyKey: key, to: ['bounce@example.com'], subject: 'Bounce', text: 'x' }),
    );

    expect(err).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect(err.message).toContain('550 5.1.1 <bounce@example.com>: no such user');
    expect(messagesWithId(stableMessageId(key, DOMAIN))).toHaveLength(0);
    // Nothing went out and the claim is released: a fixed re-run is not made to wait.
    expect((await record<PendingEmailRecord>(key))?.result).toMatchObject({ state: 'pending', leaseUntil: null });
  });

  it('retries a transient 451 and then delivers at once, on the same Message-ID', async () => {
    const key = keyFor('greylisted');
    const input: SendEmailInput = { idempotencyKey: key, to: ['grey@example.com'], subject: 'Grey', text: 'later' };
    sink.rejectRecipient('grey@example.com', 451, '4.7.1 Greylisted, try again later');

    const err = await failure(run(activities, input, 1));
    expect(err).toMatchObject({ type: 'ProviderUnavailable', nonRetryable: false });

    sink.clear();
    const result = await run(activities, input, 2);
    expect(result).toMatchObject({ messageId: stableMessageId(key, DOMAIN), deduplicated: false, sendAttempts: 2 });
    expect(messagesWithId(result.messageId)).toHaveLength(1);
  });

  it('after a crash between "server accepted" and "recorded", the retry resends the same message (at-least-once)', async () => {
    const key = keyFor('crash');
    const input: SendEmailInput = { idempotencyKey: key, to: ['ana@example.com'], subject: 'Crash', text: 'again?' };
    const messageId = stableMessageId(key, DOMAIN);

    // Attempt 1's worker delivers the message, then freezes before it can record anything (a crash, as far as the
    // database can tell). Its claim has a short lease.
    let unfreeze!: (reason: Error) => void;
    const frozen = new Promise<never>((_resolve, reject) => (unfreeze = reject));
    const crashing: Mailer = {
      name: 'smtp',
      check: () => mailer.check(),
      async send(message, opts) {
        await mailer.send(message, opts);
        return frozen;
      },
    };
    const leaseMs = 1_500;
    const attempt1 = run(
      createMailActivities({
        mailer: crashing,
        storage,
        idempotency: createIdempotencyRepository(db),
        messageIdDomain: DOMAIN,
        leaseMs,
      }),
      input,
      1,
    ).catch(() => undefined);
    await sink.waitFor((m) => m.messageId === messageId);

    // Attempt 2 while the claim is live: it waits rather than race an attempt that may still be sending.
    const early = await failure(run(activities, input, 2));
    expect(early).toMatchObject({ type: 'SendInProgress', nonRetryable: false });
    expect(Number(early.nextRetryDelay)).toBeLessThanOrEqual(leaseMs + 250);

    // Attempt 3 after the lease: the outcome of attempt 1 is unknown, so the message goes out again, same Message-ID.
    await new Promise((resolve) => setTimeout(resolve, leaseMs + 100));
    const result = await run(activities, input, 3);
    expect(result).toMatchObject({ messageId, deduplicated: false, sendAttempts: 2 });
    expect(messagesWithId(messageId)).toHaveLength(2);
    expect((await record<SentEmailRecord>(key))?.result).toMatchObject({ state: 'sent', sendAttempts: 2 });

    // From now on the key is settled.
    expect(await run(activities, input, 4)).toMatchObject({ deduplicated: true });
    expect(messagesWithId(messageId)).toHaveLength(2);

    // The frozen attempt finally fails: its claim was taken over, so it must not overwrite the settled record.
    unfreeze(new Error('the frozen worker is gone'));
    await attempt1;
    expect((await record<SentEmailRecord>(key))?.result).toMatchObject({ state: 'sent', sendAttempts: 2 });
  });

  it('check() reaches the server', async () => {
    await expect(mailer.check()).resolves.toBeUndefined();
  });
});
