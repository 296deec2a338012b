/**
 * fast-check generators of hostile request parts for the route fuzz test: path segments, query values, cursors,
 * JSON bodies and raw bodies, biased towards what issue 8 found (malformed percent-encoding, NUL, lone surrogates,
 * SQL-looking and out-of-range values, deep nesting, prototype keys) and mixed with valid values so requests also
 * get past the first check of each route.
 */
import fc from 'fast-check';

/** A piece of a URL: `raw` pieces go in as they are (already percent-encoded, possibly malformed). */
export interface UrlPiece {
  value: string;
  raw: boolean;
}

/** encodeURIComponent, except that lone surrogates (which it refuses) are written as their WTF-8 bytes. */
export function encodePiece(value: string): string {
  let out = '';
  for (const ch of value) {
    try {
      out += encodeURIComponent(ch);
    } catch {
      const u = ch.charCodeAt(0);
      out += [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 63), 0x80 | (u & 63)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    }
  }
  return out;
}

export const urlText = (piece: UrlPiece) => (piece.raw ? piece.value : encodePiece(piece.value));

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

const MALFORMED_ENCODINGS = ['%ff', '%', '%zz', '%e0%a0', '%c0%af', '%00', 'a%00b', '%ed%a0%80', '%2e%2e%2f%2e%2e'];

const HOSTILE_TEXT = [
  '',
  ' ',
  "' OR 1=1 --",
  "'; DROP TABLE brands; --",
  '"',
  '\\',
  '..',
  '../../etc/passwd',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '1e309',
  '9999999999999999999',
  '9223372036854775808',
  '0000-01-01',
  '1899-12-31',
  '2026-02-30',
  '10000-01-01',
  '00000000-0000-0000-0000-000000000000',
  '__proto__',
  'constructor',
  'a'.repeat(250),
  'x'.repeat(5000),
  '\u0000',
  'nul\u0000byte',
  '\ud800',
  'half\udfff',
  '\u202eevil',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.integer().map(String) },
);

/** A path segment or query value: valid ones (when given), hostile text, or malformed percent-encoding. */
export function hostilePiece(valid: string[] = []): fc.Arbitrary<UrlPiece> {
  const arbs: fc.WeightedArbitrary<UrlPiece>[] = [
    { weight: 3, arbitrary: hostileString.map((value) => ({ value, raw: false })) },
    { weight: 2, arbitrary: fc.constantFrom(...MALFORMED_ENCODINGS).map((value) => ({ value, raw: true })) },
  ];
  if (valid.length > 0)
    arbs.push({ weight: 3, arbitrary: fc.constantFrom(...valid).map((value) => ({ value, raw: true })) });
  return fc.oneof(...arbs);
}

/** Cursors: garbage, old formats, and versioned envelopes with hostile positions for each list. */
export const hostileCursor: fc.Arbitrary<UrlPiece> = fc.oneof(
  hostilePiece(),
  fc
    .constantFrom(
      b64('2026-01-01T00:00:00.000Z|not-a-uuid'),
      b64("2026-01-01T00:00:00.000Z|' OR 1=1 --"),
      b64('0000-01-01T00:00:00.000Z|00000000-0000-0000-0000-000000000000'),
      b64({ v: 1, k: 'brands', p: { createdAt: '0000-01-01T00:00:00Z', id: '00000000-0000-0000-0000-000000000000' } }),
      b64({ v: 1, k: 'brands', p: { createdAt: '2026-01-01T00:00:00Z', id: "' OR 1=1 --" } }),
      b64({ v: 1, k: 'ledger', p: { id: '9999999999999999999' } }),
      b64({ v: 1, k: 'ledger', p: { id: '-1' } }),
      b64({ v: 2, k: 'ledger', p: { id: '1' } }),
      b64({ v: 1, k: 'runs', p: { token: b64('garbage') } }),
      b64({ v: 1, k: 'runs', p: { token: b64({ CloseTime: 'x', StartTime: 'y', RunID: 'z' }) } }),
      b64({
        v: 1,
        k: 'runs',
        p: { token: b64({ CloseTime: '2026-02-30T00:00:00Z', StartTime: '2026-01-01T00:00:00Z', RunID: 'r' }) },
      }),
      b64({ v: 1, k: 'runs', p: { token: b64({ SearchAfter: [{}] }) } }),
      b64({ v: 1, k: 'brands', p: { ['__proto__']: { polluted: true } } }),
      'garbage',
      '9999999999999999999',
    )
    .map((value) => ({ value, raw: false })),
);

/** A JSON text nested `depth` deep: built as text, since building it as an object would be the test overflowing. */
export const deepJson = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** JSON values with hostile strings and keys, some with the operation's own property names so they pass the shape. */
export function hostileJson(propertyNames: string[]): fc.Arbitrary<string> {
  const key = fc.oneof(
    { weight: 3, arbitrary: propertyNames.length ? fc.constantFrom(...propertyNames) : fc.constant('name') },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'nul\u0000key', '\ud800') },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  );
  const leaf = fc.oneof(
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -1, 1e308),
  );
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    ),
  }));
  return fc.oneof(
    { weight: 6, arbitrary: fc.dictionary(key, value, { maxKeys: 6 }).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: value.map((v) => JSON.stringify(v) ?? 'null') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        deepJson(10_000),
        deepJson(33),
        '{',
        'not json',
        '',
        '"\\ud800"',
        '{"__proto__":{"admin":true}}',
        '{"name":"\\u0000"}',
        `{"name":"${'x'.repeat(300_000)}"}`,
      ),
    },
  );
}

/** Bytes for routes that read a raw body (logos, documents, CSV), with a content type. */
export const hostileRawBody: fc.Arbitrary<{ body: Buffer; type: string }> = fc.record({
  body: fc.oneof(
    fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
    fc
      .array(fc.tuple(hostileString, hostileString), { maxLength: 5 })
      .map((rows) => Buffer.from(`period,followers\n${rows.map(([p, f]) => `${p},${f}`).join('\n')}\n`)),
    fc.constantFrom(
      Buffer.from('period,followers\n0000-01-01,5\n'),
      Buffer.from('period,followers\n2026-01-05,\u0000\n'),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      Buffer.alloc(0),
    ),
  ),
  type: fc.constantFrom(
    'text/csv',
    'text/plain',
    'text/markdown',
    'text/html',
    'application/pdf',
    'image/png',
    'image/svg+xml',
    'application/octet-stream',
    'application/json',
    'text/csv; charset=utf-16',
    'multipart/form-data; boundary=x',
  ),
});
