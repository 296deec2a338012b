import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { startSmtpSink, type SmtpSink } from '../../lib/smtp-sink';

describe('SMTP sink', () => {
  let sink: SmtpSink;
  let dir: string;
  const transport = (auth?: { user: string; pass: string }) =>
    nodemailer.createTransport({ host: sink.host, port: sink.port, secure: false, auth, logger: false });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-sink-'));
    sink = await startSmtpSink({ port: 0, dir, maxMessages: 2 });
  });
  afterEach(() => sink.clear());
  afterAll(async () => {
    await sink.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps each message parsed, with its envelope, and as an .eml file', async () => {
    await transport().sendMail({
      from: 'a@example.com',
      to: 'b@example.com',
      bcc: 'hidden@example.com',
      subject: 'Hello',
      text: 'Body',
    });
    const [mail] = sink.messages();
    expect(mail).toMatchObject({ subject: 'Hello', to: ['b@example.com'], from: 'a@example.com' });
    expect(mail.envelope.to).toEqual(['b@example.com', 'hidden@example.com']);
    expect(mail.text?.trim()).toBe('Body');
    expect(fs.readFileSync(mail.file!)).toEqual(mail.raw);
  });

  it('accepts any credentials, like a development relay', async () => {
    await transport({ user: 'anyone', pass: 'anything' }).sendMail({
      from: 'a@example.com',
      to: 'b@example.com',
      subject: 'Authenticated',
      text: 'x',
    });
    expect((await sink.waitFor((m) => m.subject === 'Authenticated')).envelope.from).toBe('a@example.com');
  });

  it('waits for a future message, and gives up after the timeout', async () => {
    const waiting = sink.waitFor((m) => m.subject === 'Later', 5_000);
    await transport().sendMail({ from: 'a@example.com', to: 'b@example.com', subject: 'Later', text: 'x' });
    expect((await waiting).subject).toBe('Later');
    await expect(sink.waitFor((m) => m.subject === 'Never', 100)).rejects.toThrow(/No matching mail .* 100 ms/);
  });

  it('holds at most maxMessages in memory, dropping the oldest', async () => {
    for (const subject of ['one', 'two', 'three']) {
      await transport().sendMail({ from: 'a@example.com', to: 'b@example.com', subject, text: 'x' });
    }
    expect(sink.messages().map((m) => m.subject)).toEqual(['two', 'three']);
  });

  it('says which port is taken when it cannot listen', async () => {
    await expect(startSmtpSink({ port: sink.port, host: sink.host })).rejects.toThrow(
      `The SMTP sink cannot listen on ${sink.host}:${sink.port}: the port is in use`,
    );
  });
});
