import fc from 'fast-check';
import { z } from 'zod';
import { cursorBigint, cursorInstant, decodeCursor, encodeCursor, InvalidCursorError } from '../../lib/cursor';
import { decodeRunsCursor, encodeRunsCursor } from '../../api/services/run-cursor';

const position = z.object({ createdAt: cursorInstant, id: z.uuid() }).strict();

describe('cursor codec', () => {
  it('round-trips a position and keeps it opaque (base64url)', () => {
    const p = { createdAt: '2026-12-03T04:16:09.203Z', id: '0b9d1c2e-7c1a-4b8e-9f4d-2a6b8c0d1e2f' };
    const cursor = encodeCursor('brands', p);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('brands', position, cursor)).toEqual(p);
  });

  it('refuses a cursor of another list, another version, or a position that fails its schema', () => {
    const p = { createdAt: '2026-12-03T04:16:09.203Z', id: '0b9d1c2e-7c1a-4b8e-9f4d-2a6b8c0d1e2f' };
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const bad = [
      encodeCursor('ledger', p),
      b64({ v: 2, k: 'brands', p }),
      b64({ v: 1, k: 'brands', p, extra: 1 }),
      encodeCursor('brands', { ...p, id: "' OR 1=1 --" }),
      encodeCursor('brands', { ...p, createdAt: '0000-01-01T00:00:00Z' }),
      encodeCursor('brands', { ...p, createdAt: '2026-02-30T00:00:00Z' }),
      Buffer.from(`${p.createdAt}|${p.id}`).toString('base64url'), // the old format
      'garbage',
      'a+b/c=',
      '',
      'A'.repeat(5000),
    ];
    for (const cursor of bad) expect(() => decodeCursor('brands', position, cursor)).toThrow(InvalidCursorError);
  });

  it('names the cursor parameter in its 400', () => {
    try {
      decodeCursor('brands', position, 'garbage');
      throw new Error('not refused');
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidCursorError);
      expect((err as InvalidCursorError).status).toBe(400);
      expect((err as InvalidCursorError).errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
    }
  });

  it('decodes any string to a position or an InvalidCursorError, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.base64String()), (raw) => {
        try {
          decodeCursor('brands', position, raw);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidCursorError);
        }
      }),
    );
  });

  it('accepts BIGINT ids up to 2^63-1 and nothing past', () => {
    expect(cursorBigint.safeParse('9223372036854775807').success).toBe(true);
    expect(cursorBigint.safeParse('9223372036854775808').success).toBe(false);
    expect(cursorBigint.safeParse('9999999999999999999').success).toBe(false);
    expect(cursorBigint.safeParse('0').success).toBe(false);
    expect(cursorBigint.safeParse('-1').success).toBe(false);
  });
});

describe('runs cursor', () => {
  const token = (v: unknown) => Buffer.from(JSON.stringify(v));

  it('wraps the page tokens SQL and Elasticsearch visibility issue', () => {
    const sql = token({
      CloseTime: '9999-12-31T23:59:59Z',
      StartTime: '2026-12-03T04:16:09.203586Z',
      RunID: '01a23a1d-ebf3-78ed-84ef-95ff125032fd',
    });
    expect(Buffer.from(decodeRunsCursor(encodeRunsCursor(sql)))).toEqual(sql);
    const es = token({ SearchAfter: [1764735369203, 'run-id'], PointInTimeID: 'abc' });
    expect(Buffer.from(decodeRunsCursor(encodeRunsCursor(es)))).toEqual(es);
  });

  it('refuses tokens Temporal could not read (it answers those after ~20 s of retries)', () => {
    const tokens = [
      Buffer.from('garbage'),
      token({ CloseTime: 'x', StartTime: '2026-12-03T04:16:09Z', RunID: 'r' }),
      token({ CloseTime: '2026-02-30T00:00:00Z', StartTime: '2026-12-03T04:16:09Z', RunID: 'r' }),
      token({ CloseTime: '2026-12-03T24:00:00Z', StartTime: '2026-12-03T04:16:09Z', RunID: 'r' }),
      token({ CloseTime: '2026-12-03T04:16:09Z', StartTime: '2026-12-03T04:16:09Z', RunID: 5 }),
      token({ SearchAfter: [{}] }),
      token([]),
    ];
    for (const t of tokens) expect(() => decodeRunsCursor(encodeRunsCursor(t))).toThrow(InvalidCursorError);
    expect(() => decodeRunsCursor(Buffer.from('garbage').toString('base64url'))).toThrow(InvalidCursorError);
  });
});
