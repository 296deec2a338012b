import { Writable } from 'node:stream';
import fc from 'fast-check';
import winston from 'winston';
import { Sequelize, DatabaseError, UniqueConstraintError } from 'sequelize';
import { REDACTED, redactText, safeValue, serializeError } from '../../lib/log-redact';
import { createLogger } from '../../lib/logger';

void Sequelize;

/** A logger built exactly as the product's, writing its JSON lines into an array. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const log = createLogger('debug', false, [new winston.transports.Stream({ stream })]);
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, any>) };
}

const WHSEC = 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0';
const API_KEY = 'sf_ABCDEFGHJKLM_abcdefghijklmnopqrstuvwxyz012345';
const SECRET_SHAPES = /whsec_[A-Za-z0-9+/]{8,}|sf_[A-Za-z0-9]{12}_|Bearer [A-Za-z0-9]|hunter2|s3cr3t-pw/;

describe('logger redaction', () => {
  it('masks secret shapes in messages, nested metadata and arrays, and keeps the rest', () => {
    const { log, lines, parsed } = capture();
    log.child({ component: 'test' }).info(`created endpoint with ${WHSEC}`, {
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      note: `key ${API_KEY} used; Authorization: Bearer eyJhbGciOi.payload.sig`,
      list: [{ password: 'hunter2' }, 'postgres://app:s3cr3t-pw@db:5432/studioflow'],
      query: 'login?email=a@b.c&password=hunter2',
      body: '{"password":"hunter2","name":"Ann"}',
      tokenCount: 42,
      sessionToken: 'abc',
      cookie: 'sf_session=zzzzzzzzzzzz',
    });
    expect(lines.join('')).not.toMatch(SECRET_SHAPES);
    const [line] = parsed();
    expect(line.message).toBe('created endpoint with whsec_[redacted]');
    expect(line.component).toBe('test');
    expect(line.headers).toEqual({ authorization: '[redacted]', 'content-type': 'application/json' });
    expect(line.note).toBe('key sf_[redacted] used; Authorization: Bearer [redacted]');
    expect(line.list).toEqual([{ password: '[redacted]' }, 'postgres://app:[redacted]@db:5432/studioflow']);
    expect(line.query).toBe('login?email=a@b.c&password=[redacted]');
    expect(line.body).toBe('{"password":"[redacted]","name":"Ann"}');
    expect(line.tokenCount).toBe(42);
    expect(line.sessionToken).toBe('[redacted]');
    expect(line.cookie).toBe('[redacted]');
  });

  it('logs an error with its message, stack, code and cause, not {}', () => {
    const { log, parsed } = capture();
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    log.error('Request failed', { err: new Error('Could not save', { cause }), path: '/x' });
    const [line] = parsed();
    expect(line.err.message).toBe('Could not save');
    expect(line.err.stack).toMatch(/^Error: Could not save\n\s+at /);
    expect(line.err.cause).toMatchObject({ message: cause.message, code: 'ECONNREFUSED' });
    expect(line.path).toBe('/x');
  });

  it('keeps the SQL and bind values of a failed insert out of the log', () => {
    const { log, lines, parsed } = capture();
    const pgError = Object.assign(new Error('value too long for type character varying(200)'), {
      code: '22001',
      detail: `Failing row contains (${WHSEC}).`,
      sql: 'INSERT INTO "webhook_endpoints" ("secret") VALUES ($1)',
    });
    const err = new DatabaseError(pgError as never);
    (err as unknown as { parameters: unknown }).parameters = [WHSEC];
    const unique = new UniqueConstraintError({
      parent: pgError as never,
      errors: [],
      fields: { secret: WHSEC },
    } as never);
    log.error('Request failed', { err });
    log.error('Request failed', { err: unique });
    log.error(err);
    log.child({ component: 'db' }).error(err);
    const text = lines.join('');
    expect(text).not.toContain('whsec_c2Vj');
    expect(text).not.toContain('INSERT INTO');
    const [first] = parsed();
    expect(first.err).toMatchObject({ name: 'SequelizeDatabaseError', code: '22001' });
    expect(first.err.message).toMatch(/value too long/);
    expect(Object.keys(first.err).sort()).toEqual(['cause', 'code', 'message', 'name', 'stack']);
    const [, , root, child] = parsed();
    for (const line of [root, child]) {
      expect(line.message).toMatch(/value too long/);
      expect(line.err).toMatchObject({ name: 'SequelizeDatabaseError', code: '22001' });
    }
    expect(child.component).toBe('db');
  });

  it('masks any secret of a known shape wherever it sits in a text (property)', () => {
    const b64 = (min: number) =>
      fc.uint8Array({ minLength: min, maxLength: 48 }).map((b) => Buffer.from(b).toString('base64'));
    const alnum = (n: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9]{${n}}$`));
    const secret = fc.oneof(
      b64(24).map((k) => ({ whole: `whsec_${k}`, body: k })),
      fc.tuple(alnum(12), b64(24)).map(([p, k]) => {
        const tail = k.replace(/[+/=]/g, '_');
        return { whole: `sf_${p}_${tail}`, body: tail };
      }),
      b64(16).map((k) => ({ whole: `Bearer ${k}`, body: k })),
      b64(9).map((k) => ({ whole: `password=${k}`, body: k })),
    );
    const text = fc.string({ maxLength: 30 });
    fc.assert(
      fc.property(text, secret, text, (before, { whole, body }, after) => {
        const out = redactText(`${before} ${whole} ${after}`);
        expect(out).toContain(REDACTED);
        expect(out).not.toContain(body);
      }),
      { numRuns: 500 },
    );
  });

  it('survives cycles and deep nesting', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    let deep: Record<string, unknown> = { secret: 'x' };
    for (let i = 0; i < 50; i++) deep = { deep };
    expect(safeValue(a)).toEqual({ name: 'a', self: '[circular]' });
    expect(JSON.stringify(safeValue(deep))).toContain('[nested too deep]');
  });

  it('redacts text and serialises errors on their own', () => {
    expect(redactText('Bearer abc.def')).toBe('Bearer [redacted]');
    expect(redactText(`Authorization: Bearer ${API_KEY}`)).toBe('Authorization: Bearer [redacted]');
    expect(redactText('basic Zm9vOmJhcg== then')).toBe('basic [redacted] then');
    expect(redactText('Bearer AbCdEfGhIjKlMnOpQrSt')).toBe('Bearer [redacted]');
    expect(redactText('Basic settings, Bearer token missing')).toBe('Basic settings, Bearer token missing');
    expect(redactText('the sf_session cookie')).toBe('the sf_session cookie');
    expect(redactText('secret=abc&x=1')).toBe('secret=[redacted]&x=1');
    expect(redactText('OPENAI_API_KEY=sk-abc {"apiKey": "k1"}')).toBe(
      'OPENAI_API_KEY=[redacted] {"apiKey": "[redacted]"}',
    );
    expect(redactText('actor api-key:Deploy key')).toBe('actor api-key:Deploy key');
    expect(serializeError(Object.assign(new Error('m'), { code: 'E1' }))).toMatchObject({ code: 'E1', message: 'm' });
  });
});
