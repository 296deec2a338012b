import { ApplicationFailure, CancelledFailure, type LogLevel } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { IdempotencyStore, IdempotencyValue } from '../../lib/idempotency-store';
import {
  createMailActivities,
  messageIdDomainOf,
  parseSendEmailInput,
  stableMessageId,
  type EmailRecord,
  type SendEmailInput,
  type SentEmail,
} from '../../activities/mail/mail.activities';
import type { Mailer, OutgoingMail, SendOptions } from '../../activities/mail/mailer.port';
import type { FileStorage } from '../../activities/storage';
import { recordingLogger } from '../support/recording-logger';

/** In-memory stand-in for `idempotency_records`, with the same compare-and-set contract. */
function memoryStore(): IdempotencyStore & { rows: Map<string, IdempotencyValue>; failReplace: boolean } {
  const rows = new Map<string, IdempotencyValue>();
  const store = {
    rows,
    failReplace: false,
    async get<T extends IdempotencyValue>(key: string) {
      const row = rows.get(key);
      return row ? (structuredClone(row) as T) : null;
    },
    async insert(key: string, _scope: string, value: IdempotencyValue) {
      if (rows.has(key)) return false;
      rows.set(key, structuredClone(value));
      return true;
    },
    async replace(key: string, value: IdempotencyValue, options: { ifClaimId?: string } = {}) {
      if (store.failReplace) throw new Error('database unavailable');
      const row = rows.get(key);
      if (!row || (options.ifClaimId !== undefined && row.claimId !== options.ifClaimId)) return false;
      rows.set(key, structuredClone(value));
      return true;
    },
  };
  return store;
}

type FakeMailer = Mailer & { sent: { message: OutgoingMail; opts?: SendOptions }[] };

function fakeMailer(
  behaviour: (message: OutgoingMail, opts?: SendOptions) => Promise<void> = async () => {},
): FakeMailer {
  const mailer: FakeMailer = {
    name: 'fake',
    sent: [],
    async send(message, opts) {
      mailer.sent.push({ message, opts });
      await behaviour(message, opts);
      return { messageId: message.headers?.['Message-ID'] ?? '<random@x>', accepted: message.to, rejected: [] };
    },
    async check() {},
  };
  return mailer;
}

function memoryStorage(files: Record<string, Buffer> = {}): FileStorage {
  return {
    name: 'memory',
    async put() {
      throw new Error('not used');
    },
    async get(key) {
      return files[key] ?? null;
    },
    async exists(key) {
      return key in files;
    },
    async delete() {},
    publicUrl: (key) => `http://files/${key}`,
    async check() {},
  };
}

const quietEnv = () => new MockActivityEnvironment(undefined, { logger: recordingLogger() });

const input = (overrides: Partial<SendEmailInput> = {}): SendEmailInput => ({
  idempotencyKey: 'brand-report/b1/r1/email/report',
  to: ['ana@example.com'],
  subject: 'Your brand report',
  text: 'Attached.',
  ...overrides,
});

function setup(options: { mailer?: FakeMailer; files?: Record<string, Buffer>; leaseMs?: number } = {}) {
  const store = memoryStore();
  const mailer = options.mailer ?? fakeMailer();
  const activities = createMailActivities({
    mailer,
    storage: memoryStorage(options.files),
    idempotency: store,
    messageIdDomain: 'acme.test',
    leaseMs: options.leaseMs,
  });
  const logger = recordingLogger();
  const env = new MockActivityEnvironment(undefined, { logger });
  const send = (i: SendEmailInput) => env.run(activities.sendEmail, i) as Promise<SentEmail>;
  const failure = (i: SendEmailInput) =>
    send(i).then(
      () => {
        throw new Error('expected sendEmail to fail');
      },
      (err: unknown) => err as ApplicationFailure,
    );
  const logged = (level: LogLevel) => logger.lines.filter((l) => l.level === level).map((l) => l.message);
  return { store, mailer, env, send, failure, logged };
}

describe('recipient and input validation', () => {
  it.each([
    ['an address without a domain', { to: ['ana@'] }, 'to.0: "ana@" is not an email address'],
    ['a display name instead of an address', { to: ['Ana <ana@example.com>'] }, 'is not an email address'],
    ['no recipient', { to: [] }, 'to: needs at least one recipient'],
    ['a bad cc', { cc: ['nope'] }, 'cc.0: "nope" is not an email address'],
    ['a header injection in the subject', { subject: 'Hi\r\nBcc: all@example.com' }, 'subject: must be one line'],
    ['an empty subject', { subject: '   ' }, 'subject: must not be empty'],
    [
      'a storage key escaping the root',
      { attachmentKeys: [{ key: '../etc/passwd', filename: 'x', contentType: 'text/plain' }] },
      'attachmentKeys.0.key',
    ],
    [
      'a file name with a path',
      { attachmentKeys: [{ key: 'a/b.pdf', filename: '../b.pdf', contentType: 'application/pdf' }] },
      'attachmentKeys.0.filename',
    ],
    [
      'a content type that is not one',
      { attachmentKeys: [{ key: 'a/b.pdf', filename: 'b.pdf', contentType: 'pdf' }] },
      'attachmentKeys.0.contentType',
    ],
    ['an empty idempotency key', { idempotencyKey: '' }, 'idempotencyKey'],
  ])('refuses %s as non-retryable InvalidInput, before claiming or sending', async (_what, overrides, expected) => {
    const { failure, store, mailer } = setup();
    const err = await failure(input(overrides as Partial<SendEmailInput>));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect(err.message).toContain(expected);
    expect(store.rows.size).toBe(0);
    expect(mailer.sent).toHaveLength(0);
  });

  it('trims addresses and drops duplicates, case-insensitively, cc after to', () => {
    const request = parseSendEmailInput(
      input({
        to: [' ana@example.com', 'ANA@example.com', 'bo@example.com '],
        cc: ['bo@example.com', 'cy@example.com'],
      }),
    );
    expect(request.to).toEqual(['ana@example.com', 'bo@example.com']);
    expect(request.cc).toEqual(['cy@example.com']);
  });

  it('sends hostile model text without NUL, lone surrogates or bidi overrides', async () => {
    const { send, mailer } = setup();
    await send(
      input({
        subject: 'Report\u0000 for \u202eevil\u202c \ud800Acme',
        text: 'Hello\u0000 \u2066there\u2069\n\ud83d',
        html: '<p>Hi\u0000 \u202e<b>x</b></p>',
      }),
    );
    const { message } = mailer.sent[0];
    expect(message.subject).toBe('Report for evil Acme');
    expect(message.text).toBe('Hello there\n');
    expect(message.html).toBe('<p>Hi <b>x</b></p>');
  });

  it('caps the recipients of one message at 50', () => {
    const to = Array.from({ length: 51 }, (_, i) => `r${i}@example.com`);
    expect(() => parseSendEmailInput(input({ to }))).toThrow(/51 recipients, at most 50/);
  });
});

describe('message identity', () => {
  it('derives one Message-ID per key, on the sender domain', () => {
    const a = stableMessageId('wf-1/email/report', 'acme.test');
    expect(a).toMatch(/^<[0-9a-f]{40}@acme\.test>$/);
    expect(stableMessageId('wf-1/email/report', 'acme.test')).toBe(a);
    expect(stableMessageId('wf-2/email/report', 'acme.test')).not.toBe(a);
  });

  it('reads the domain of a sender', () => {
    expect(messageIdDomainOf('Studioflow <Reports@Acme.COM>')).toBe('acme.com');
    expect(messageIdDomainOf('reports@mail.acme.com')).toBe('mail.acme.com');
    expect(messageIdDomainOf('nobody')).toBeUndefined();
  });
});

describe('sendEmail', () => {
  const pdf = Buffer.from('%PDF-1.7\n%report\n');

  it('sends with attachments from storage and the stable Message-ID, and records the key as sent', async () => {
    const { send, mailer, store } = setup({ files: { 'reports/r1.pdf': pdf } });
    const result = await send(
      input({ attachmentKeys: [{ key: 'reports/r1.pdf', filename: 'report.pdf', contentType: 'application/pdf' }] }),
    );
    const messageId = stableMessageId('brand-report/b1/r1/email/report', 'acme.test');
    expect(result).toMatchObject({ messageId, deduplicated: false, sendAttempts: 1, provider: 'fake' });
    expect(mailer.sent[0].message.attachments).toEqual([
      { filename: 'report.pdf', contentType: 'application/pdf', content: pdf },
    ]);
    expect(mailer.sent[0].message.headers).toEqual({ 'Message-ID': messageId });
    expect(store.rows.get('brand-report/b1/r1/email/report')).toMatchObject({ state: 'sent', messageId });
  });

  it('passes the cancellation signal to the mailer', async () => {
    const { send, mailer } = setup();
    await send(input());
    expect(mailer.sent[0].opts?.signal).toBeInstanceOf(AbortSignal);
  });

  it('a second call with the same key sends nothing and returns the first result', async () => {
    const { send, mailer } = setup();
    const first = await send(input());
    const second = await send(input());
    expect(mailer.sent).toHaveLength(1);
    expect(second).toEqual({ ...first, deduplicated: true });
  });

  it('refuses a key reused for a different message', async () => {
    const { send, failure } = setup();
    await send(input());
    expect(await failure(input({ subject: 'Something else' }))).toMatchObject({
      type: 'InvalidInput',
      nonRetryable: true,
    });
  });

  it('fails NotFound, before claiming, when an attachment is missing', async () => {
    const { failure, store, mailer } = setup();
    const err = await failure(
      input({ attachmentKeys: [{ key: 'reports/none.pdf', filename: 'r.pdf', contentType: 'application/pdf' }] }),
    );
    expect(err).toMatchObject({ type: 'NotFound', nonRetryable: true });
    expect(store.rows.size).toBe(0);
    expect(mailer.sent).toHaveLength(0);
  });

  it('refuses attachments above the size limit', async () => {
    const store = memoryStore();
    const activities = createMailActivities({
      mailer: fakeMailer(),
      storage: memoryStorage({ 'big.bin': Buffer.alloc(2048) }),
      idempotency: store,
      maxAttachmentBytes: 1024,
    });
    const err = await quietEnv()
      .run(
        activities.sendEmail,
        input({ attachmentKeys: [{ key: 'big.bin', filename: 'b', contentType: 'application/octet-stream' }] }),
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
  });

  describe('the crash window', () => {
    const key = 'brand-report/b1/r1/email/report';

    it('resends with the same Message-ID when an earlier attempt claimed the key and vanished (lease over)', async () => {
      const { send, store, mailer, logged } = setup();
      const fingerprintSource = setup();
      await fingerprintSource.send(input());
      const fingerprint = (fingerprintSource.store.rows.get(key) as EmailRecord).fingerprint;
      store.rows.set(key, {
        state: 'pending',
        claimId: 'crashed-attempt',
        messageId: stableMessageId(key, 'acme.test'),
        fingerprint,
        sendAttempts: 1,
        leaseUntil: new Date(Date.now() - 1000).toISOString(),
        updatedAt: new Date().toISOString(),
      });
      const result = await send(input());
      expect(mailer.sent).toHaveLength(1);
      expect(result).toMatchObject({ messageId: stableMessageId(key, 'acme.test'), sendAttempts: 2 });
      expect(store.rows.get(key)).toMatchObject({ state: 'sent', sendAttempts: 2 });
      expect(logged('WARN')).toContain(
        'A previous attempt claimed this email and did not record a result; sending it again',
      );
    });

    it('waits, retryably, while another attempt still holds the claim', async () => {
      const { failure, store, mailer, send } = setup();
      const reference = setup();
      await reference.send(input());
      const fingerprint = (reference.store.rows.get(key) as EmailRecord).fingerprint;
      store.rows.set(key, {
        state: 'pending',
        claimId: 'running-attempt',
        messageId: stableMessageId(key, 'acme.test'),
        fingerprint,
        sendAttempts: 1,
        leaseUntil: new Date(Date.now() + 30_000).toISOString(),
        updatedAt: new Date().toISOString(),
      });
      const err = await failure(input());
      expect(err).toMatchObject({ type: 'SendInProgress', nonRetryable: false });
      expect(Number(err.nextRetryDelay)).toBeGreaterThan(25_000);
      expect(mailer.sent).toHaveLength(0);

      // The other attempt finishes: the retry then finds it sent.
      store.rows.set(key, {
        ...(store.rows.get(key) as object),
        state: 'sent',
        accepted: ['ana@example.com'],
        rejected: [],
        provider: 'fake',
        sentAt: new Date().toISOString(),
      });
      expect(await send(input())).toMatchObject({ deduplicated: true });
      expect(mailer.sent).toHaveLength(0);
    });

    it('a failed attempt releases its claim, so the retry sends at once', async () => {
      let calls = 0;
      const mailer = fakeMailer(async () => {
        if (++calls === 1) throw ApplicationFailure.retryable('smtp: connect ECONNREFUSED', 'ProviderUnavailable');
      });
      const { failure, send, store } = setup({ mailer, leaseMs: 600_000 });
      expect(await failure(input())).toMatchObject({ type: 'ProviderUnavailable', nonRetryable: false });
      expect(store.rows.get(key)).toMatchObject({
        state: 'pending',
        leaseUntil: null,
        lastError: 'smtp: connect ECONNREFUSED',
      });
      expect(await send(input())).toMatchObject({ deduplicated: false, sendAttempts: 2 });
      expect(mailer.sent).toHaveLength(2);
      expect(mailer.sent[1].message.headers).toEqual(mailer.sent[0].message.headers);
    });

    it('a delivered email is reported delivered even when its record cannot be written', async () => {
      const { send, store, mailer, logged } = setup();
      store.failReplace = true;
      const result = await send(input());
      expect(result.deduplicated).toBe(false);
      expect(mailer.sent).toHaveLength(1);
      expect(store.rows.get(key)).toMatchObject({ state: 'pending' });
      expect(logged('ERROR')).toEqual(['Email sent but its idempotency record could not be marked sent']);
    }, 10_000);
  });

  it('stops when cancelled mid-send: the cancellation surfaces and the claim is released', async () => {
    const mailer = fakeMailer(
      (_message, opts) =>
        new Promise<void>((_resolve, reject) =>
          opts?.signal?.addEventListener('abort', () =>
            reject(Object.assign(new Error('Message sending aborted'), { name: 'AbortError', code: 'EABORT' })),
          ),
        ),
    );
    const { env, send, store } = setup({ mailer });
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => heartbeats.push(d));
    const running = send(input()).catch((e: unknown) => e);
    while (mailer.sent.length === 0) await new Promise((r) => setTimeout(r, 5));
    env.cancel();
    expect(await running).toBeInstanceOf(CancelledFailure);
    expect(store.rows.get('brand-report/b1/r1/email/report')).toMatchObject({ state: 'pending', leaseUntil: null });
    expect(heartbeats).toContainEqual({ stage: 'sending' });
  });
});
