import net from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { createSmtpMailer, enhancedStatusCode, toMailFailure } from '../../activities/mail/smtp-mailer';
import { startSmtpSink, type SmtpSink } from '../../lib/smtp-sink';

/** An error shaped the way nodemailer builds them (`_formatError`): code, response, responseCode, command. */
function smtpError(fields: { code?: string; response?: string; command?: string; message?: string }): Error {
  const responseCode = fields.response ? Number(fields.response.slice(0, 3)) : undefined;
  const message = [fields.message ?? 'SMTP error', fields.response].filter(Boolean).join(': ');
  return Object.assign(new Error(message), { ...fields, responseCode, message });
}

describe('toMailFailure: SMTP replies', () => {
  it.each([
    // [what, error, type, nonRetryable]
    [
      'a refused recipient',
      { code: 'EENVELOPE', command: 'RCPT TO', response: '550 5.1.1 <x@y.z>: User unknown' },
      'InvalidInput',
      true,
    ],
    [
      'a mailbox that does not exist',
      { code: 'EENVELOPE', command: 'RCPT TO', response: '553 5.1.3 Bad recipient address syntax' },
      'InvalidInput',
      true,
    ],
    [
      'a refused login',
      { code: 'EAUTH', command: 'AUTH PLAIN', response: '535 5.7.8 Authentication credentials invalid' },
      'ProviderAuth',
      true,
    ],
    [
      'authentication required',
      { code: 'EENVELOPE', command: 'MAIL FROM', response: '530 5.7.0 Authentication Required' },
      'ProviderAuth',
      true,
    ],
    [
      'a relay refusal at RCPT',
      { code: 'EENVELOPE', command: 'RCPT TO', response: '554 5.7.1 <x@y.z>: Relay access denied' },
      'ProviderAuth',
      true,
    ],
    [
      'an unverified sender (SES)',
      { code: 'EMESSAGE', command: 'DATA', response: '554 Message rejected: Email address is not verified.' },
      'ProviderAuth',
      true,
    ],
    [
      'a refused sender',
      { code: 'EENVELOPE', command: 'MAIL FROM', response: '550 5.7.1 Sender address rejected' },
      'ProviderAuth',
      true,
    ],
    [
      'a message too large',
      { code: 'EMESSAGE', command: 'DATA', response: '552 5.3.4 Message size exceeds fixed limit' },
      'InvalidInput',
      true,
    ],
    [
      'content refused as spam',
      { code: 'EMESSAGE', command: 'DATA', response: '554 5.7.0 Message considered as spam' },
      'ContentRejected',
      true,
    ],
    [
      'a server that does not understand us',
      { code: 'EPROTOCOL', command: 'EHLO', response: '502 5.5.2 Command not implemented' },
      'ProviderMisconfigured',
      true,
    ],
    [
      'a greylisted recipient',
      { code: 'EENVELOPE', command: 'RCPT TO', response: '451 4.7.1 Greylisted, try again later' },
      'ProviderUnavailable',
      false,
    ],
    [
      'a temporary login failure',
      { code: 'EAUTH', command: 'AUTH PLAIN', response: '454 4.7.0 Temporary authentication failure' },
      'ProviderUnavailable',
      false,
    ],
    [
      'a server shutting down',
      { code: 'ECONNECTION', command: 'CONN', response: '421 4.3.2 Service not available' },
      'ProviderUnavailable',
      false,
    ],
    [
      'a full mailbox, for now',
      { code: 'EMESSAGE', command: 'DATA', response: '452 4.2.2 Mailbox full' },
      'ProviderUnavailable',
      false,
    ],
    [
      'throttling (SES)',
      { code: 'EMESSAGE', command: 'DATA', response: '454 Throttling failure: Maximum sending rate exceeded.' },
      'ProviderUnavailable',
      false,
    ],
    [
      '503 bad sequence (RFC 5321: not permanent)',
      { code: 'EPROTOCOL', command: 'DATA', response: '503 5.5.1 Bad sequence of commands' },
      'ProviderUnavailable',
      false,
    ],
  ])('%s → %s', (_what, fields, type, nonRetryable) => {
    const failure = toMailFailure(smtpError(fields), 'smtp');
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe(type);
    expect(failure.nonRetryable).toBe(nonRetryable);
    expect(failure.message).toContain(fields.response);
  });

  it('keeps the reply code, enhanced code, command and refused recipients in the details', () => {
    const err = Object.assign(
      smtpError({ code: 'EENVELOPE', command: 'RCPT TO', response: '550 5.1.1 <gone@example.com>: User unknown' }),
      { rejected: ['gone@example.com'] },
    );
    expect(toMailFailure(err).details).toEqual([
      {
        code: 'EENVELOPE',
        responseCode: 550,
        enhancedCode: '5.1.1',
        command: 'RCPT TO',
        rejected: ['gone@example.com'],
      },
    ]);
  });

  it('reads enhanced status codes only where RFC 3463 puts them', () => {
    expect(enhancedStatusCode('550 5.1.1 User unknown')).toBe('5.1.1');
    expect(enhancedStatusCode('451-4.7.1 Greylisted')).toBe('4.7.1');
    expect(enhancedStatusCode('550 User unknown 5.1.1')).toBeUndefined();
    expect(enhancedStatusCode(undefined)).toBeUndefined();
  });
});

describe('toMailFailure: errors without a reply', () => {
  it.each([
    [
      'a refused connection',
      { code: 'ESOCKET', originalCode: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:25' },
      'ProviderUnavailable',
      false,
    ],
    [
      'a dropped connection',
      { code: 'ECONNECTION', message: 'Connection closed unexpectedly' },
      'ProviderUnavailable',
      false,
    ],
    ['a greeting timeout', { code: 'ETIMEDOUT', message: 'Greeting never received' }, 'ProviderUnavailable', false],
    [
      'a DNS failure',
      { code: 'EDNS', message: 'getaddrinfo EAI_AGAIN smtp.example.com' },
      'ProviderUnavailable',
      false,
    ],
    ['missing credentials', { code: 'EAUTH', message: 'Missing credentials for "PLAIN"' }, 'ProviderAuth', true],
    ['no recipients', { code: 'EENVELOPE', message: 'No recipients defined' }, 'InvalidInput', true],
    ['bad settings', { code: 'ECONFIG', message: 'Invalid configuration' }, 'ProviderMisconfigured', true],
    [
      'TLS on a plain port',
      { code: 'ESOCKET', originalCode: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'wrong version number' },
      'ProviderMisconfigured',
      true,
    ],
    [
      'an untrusted certificate',
      { code: 'ETLS', originalCode: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' },
      'ProviderMisconfigured',
      true,
    ],
    ['something unknown', { message: 'boom' }, 'ProviderUnavailable', false],
  ])('%s → %s', (_what, fields, type, nonRetryable) => {
    const failure = toMailFailure(Object.assign(new Error(fields.message), fields));
    expect(failure.type).toBe(type);
    expect(failure.nonRetryable).toBe(nonRetryable);
  });

  it('passes an ApplicationFailure through untouched', () => {
    const original = ApplicationFailure.nonRetryable('already typed', 'InvalidInput');
    expect(toMailFailure(original)).toBe(original);
  });
});

describe('SMTP mailer against a real server', () => {
  let sink: SmtpSink;
  const mailer = (overrides: Partial<Parameters<typeof createSmtpMailer>[0]> = {}) =>
    createSmtpMailer({
      host: sink.host,
      port: sink.port,
      secure: false,
      from: 'Studioflow <reports@studioflow.test>',
      timeoutMs: 3_000,
      ...overrides,
    });

  beforeAll(async () => {
    sink = await startSmtpSink({
      port: 0,
      rejectRecipients: [
        { match: 'gone@example.com' },
        { match: /^later@/, code: 451, message: '4.7.1 Greylisted, try again later' },
      ],
    });
  });
  afterEach(() => sink.clear());
  afterAll(() => sink.close());

  const reject = async (promise: Promise<unknown>): Promise<ApplicationFailure> => {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  };

  it('a 550 for the only recipient is a non-retryable InvalidInput', async () => {
    const failure = await reject(mailer().send({ to: ['gone@example.com'], subject: 's', text: 't' }));
    expect(failure).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect(failure.message).toContain('550');
    expect(sink.messages()).toHaveLength(0);
  });

  it('a 451 is retryable', async () => {
    const failure = await reject(mailer().send({ to: ['later@example.com'], subject: 's', text: 't' }));
    expect(failure).toMatchObject({ type: 'ProviderUnavailable', nonRetryable: false });
  });

  it('one refused recipient among others is reported, not thrown', async () => {
    const result = await mailer().send({ to: ['ok@example.com', 'gone@example.com'], subject: 's', text: 't' });
    expect(result.accepted).toEqual(['ok@example.com']);
    expect(result.rejected).toEqual(['gone@example.com']);
    expect((await sink.waitFor()).envelope.to).toEqual(['ok@example.com']);
  });

  it('TLS against a plain port is a settings problem, not retried', async () => {
    const failure = await reject(mailer({ secure: true }).send({ to: ['ok@example.com'], subject: 's', text: 't' }));
    expect(failure).toMatchObject({ type: 'ProviderMisconfigured', nonRetryable: true });
  });

  it('a closed port is retryable, for send and check alike', async () => {
    const port = await closedPort();
    const down = mailer({ port });
    expect(await reject(down.send({ to: ['ok@example.com'], subject: 's', text: 't' }))).toMatchObject({
      type: 'ProviderUnavailable',
      nonRetryable: false,
    });
    expect(await reject(down.check())).toMatchObject({ type: 'ProviderUnavailable', nonRetryable: false });
  });

  it('a server that never answers is cut off at timeoutMs and retried', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const started = Date.now();
      const failure = await reject(
        mailer({ port, timeoutMs: 500 }).send({ to: ['ok@example.com'], subject: 's', text: 't' }),
      );
      expect(failure).toMatchObject({ type: 'ProviderUnavailable', nonRetryable: false });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      silent.close();
    }
  });

  it("hands the caller's own abort back untouched, so the activity can report a cancellation", async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await mailer()
      .send({ to: ['ok@example.com'], subject: 's', text: 't' }, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect((err as Error).name).toBe('AbortError');
  });
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
