/**
 * A real SMTP server that keeps every message instead of delivering it: the mail sink for development
 * (`npm run dev`) and for tests, which send through the real SMTP provider and parse what arrives.
 *
 * It accepts any sender and recipient, with or without AUTH (any credentials pass, like Mailpit's accept-any), over
 * plain TCP (no STARTTLS: a sink has no certificate worth presenting). Each message is parsed with postal-mime and
 * kept in memory; with `dir`, it is also written there as `<time>-<id>.eml`, which any mail client opens.
 * Recipients can be refused on purpose (`rejectRecipients`, `rejectRecipient()`) to exercise 4xx/5xx handling.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import PostalMime, { type Email } from 'postal-mime';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface SinkRejection {
  /** An address (compared case-insensitively) or a pattern tested against the address. */
  match: string | RegExp;
  /** SMTP reply code; 550 (mailbox unavailable, permanent) by default. Use 450/451 for a transient refusal. */
  code?: number;
  message?: string;
}

export interface SmtpSinkOptions {
  /** 0 picks a free port; read the actual one from `sink.port`. */
  port: number;
  /** Defaults to 127.0.0.1: a sink that accepts anything should not listen on every interface by accident. */
  host?: string;
  /** Folder for `.eml` copies (created when missing); none are written without it. */
  dir?: string;
  rejectRecipients?: SinkRejection[];
  /** Largest message accepted (SIZE extension); 50 MiB by default. */
  maxMessageBytes?: number;
  /** How many parsed messages stay in memory, oldest dropped first; 1000 by default. Files are kept regardless. */
  maxMessages?: number;
  /** Errors once running (a client dropping its connection); ignored when absent, never thrown at the process. */
  onError?: (err: Error) => void;
}

export interface ReceivedAttachment {
  filename: string | null;
  contentType: string;
  content: Buffer;
}

export interface ReceivedMail {
  id: string;
  receivedAt: Date;
  /** The SMTP envelope, which is where the mail really went (Bcc included), whatever the headers say. */
  envelope: { from: string | null; to: string[] };
  subject: string;
  messageId: string | undefined;
  /** Addresses from the To and Cc headers. */
  to: string[];
  cc: string[];
  from: string | undefined;
  text: string | undefined;
  html: string | undefined;
  attachments: ReceivedAttachment[];
  /** The parsed message, every header included. */
  parsed: Email;
  raw: Buffer;
  /** Where the `.eml` copy was written, when the sink has a `dir`. */
  file?: string;
}

export interface SmtpSink {
  host: string;
  port: number;
  /** `smtp://host:port`, for logs. */
  url: string;
  /** Every message still held, oldest first. */
  messages(): ReceivedMail[];
  /** The first held or future message matching `predicate`; rejects after `timeoutMs` (default 10 s). */
  waitFor(predicate?: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Refuses this recipient from now on (see `SinkRejection`). */
  rejectRecipient(match: string | RegExp, code?: number, message?: string): void;
  /** Forgets held messages and refusals added with `rejectRecipient` (files stay). */
  clear(): void;
  close(): Promise<void>;
}

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

export async function startSmtpSink(options: SmtpSinkOptions): Promise<SmtpSink> {
  const host = options.host ?? '127.0.0.1';
  const maxMessages = options.maxMessages ?? 1000;
  const configured = [...(options.rejectRecipients ?? [])];
  let added: SinkRejection[] = [];
  let held: ReceivedMail[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(0);
  if (options.dir) await fs.mkdir(options.dir, { recursive: true });

  const rejectionFor = (addr: string): SinkRejection | undefined =>
    [...configured, ...added].find((r) =>
      typeof r.match === 'string' ? r.match.toLowerCase() === addr.toLowerCase() : r.match.test(addr),
    );

  async function store(raw: Buffer, session: SMTPServerSession): Promise<ReceivedMail> {
    const receivedAt = new Date();
    const id = randomUUID();
    let parsed: Email;
    try {
      parsed = await PostalMime.parse(raw);
    } catch {
      // A sink keeps what it was given even when it cannot read it; the .eml file still has every byte.
      parsed = { headers: [], headerLines: [], attachments: [] };
    }
    const mail: ReceivedMail = {
      id,
      receivedAt,
      envelope: {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
        to: session.envelope.rcptTo.map((r) => r.address),
      },
      subject: parsed.subject ?? '',
      messageId: parsed.messageId,
      to: addresses(parsed.to),
      cc: addresses(parsed.cc),
      from: parsed.from ? addresses([parsed.from])[0] : undefined,
      text: parsed.text,
      html: parsed.html,
      attachments: parsed.attachments.map((a) => ({
        filename: a.filename,
        contentType: a.mimeType,
        content: toBuffer(a.content),
      })),
      parsed,
      raw,
    };
    if (options.dir) {
      const stamp = receivedAt.toISOString().replace(/[:.]/g, '-');
      mail.file = path.join(options.dir, `${stamp}-${id.slice(0, 8)}.eml`);
      await fs.writeFile(mail.file, raw);
    }
    held.push(mail);
    if (held.length > maxMessages) held = held.slice(held.length - maxMessages);
    events.emit('mail', mail);
    return mail;
  }

  const server = new SMTPServer({
    banner: 'Studioflow SMTP sink',
    logger: false,
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    size: options.maxMessageBytes ?? DEFAULT_MAX_BYTES,
    closeTimeout: 1_000,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'anonymous' });
    },
    onRcptTo(addr, _session, callback) {
      const rejection = rejectionFor(addr.address);
      if (!rejection) return callback();
      const code = rejection.code ?? 550;
      const err = Object.assign(
        new Error(
          rejection.message ?? `${code >= 500 ? '5.1.1' : '4.2.1'} <${addr.address}>: Recipient refused by the sink`,
        ),
        { responseCode: code },
      );
      callback(err);
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          return callback(Object.assign(new Error('5.3.4 Message exceeds the maximum size'), { responseCode: 552 }));
        }
        // Reply 250 only once the message is held and written: a sender that got 250 finds it in messages().
        store(Buffer.concat(chunks), session).then(
          (mail) => callback(null, `Message queued as ${mail.id}`),
          (err: unknown) =>
            callback(
              Object.assign(new Error(`4.3.0 Could not store the message: ${String(err)}`), { responseCode: 451 }),
            ),
        );
      });
    },
  });

  // smtp-server re-emits its socket server's errors (EADDRINUSE at listen, a client's reset later) on itself; an
  // EventEmitter without an 'error' listener would throw them at the host process.
  let starting: ((err: NodeJS.ErrnoException) => void) | undefined;
  server.on('error', (err: NodeJS.ErrnoException) => (starting ? starting(err) : options.onError?.(err)));
  await new Promise<void>((resolve, reject) => {
    starting = (err) => {
      server.server.off('listening', onListening);
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`The SMTP sink cannot listen on ${host}:${options.port}: the port is in use`, { cause: err })
          : err,
      );
    };
    const onListening = () => resolve();
    server.server.once('listening', onListening);
    server.listen(options.port, host);
  }).finally(() => (starting = undefined));
  const port = (server.server.address() as AddressInfo).port;

  return {
    host,
    port,
    url: `smtp://${host}:${port}`,
    messages: () => [...held],

    waitFor(predicate = () => true, timeoutMs = 10_000) {
      const found = held.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<ReceivedMail>((resolve, reject) => {
        const onMail = (mail: ReceivedMail) => {
          if (!predicate(mail)) return;
          clearTimeout(timer);
          events.off('mail', onMail);
          resolve(mail);
        };
        const timer = setTimeout(() => {
          events.off('mail', onMail);
          reject(new Error(`No matching mail at the sink within ${timeoutMs} ms (${held.length} held)`));
        }, timeoutMs);
        events.on('mail', onMail);
      });
    },

    rejectRecipient(match, code = 550, message) {
      added.push({ match, code, message });
    },

    clear() {
      held = [];
      added = [];
    },

    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function addresses(list: Email['to']): string[] {
  return (list ?? []).flatMap((a) => (a.group ? a.group.map((m) => m.address) : [a.address]));
}

function toBuffer(content: ArrayBuffer | Uint8Array | string): Buffer {
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  if (content instanceof Uint8Array) return Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  return Buffer.from(content);
}
