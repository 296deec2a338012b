/**
 * Page cursors: opaque to clients, versioned base64url JSON to us. Every list that pages (brands, the credit ledger,
 * runs) encodes its position here and decodes what comes back through a zod schema, so a cursor that this API did not
 * hand out is a 400 naming the `cursor` query parameter, never a database or Temporal error (issue 8).
 */
import { z } from 'zod';
import { ValidationError } from './errors';

const VERSION = 1;
/** Far above any cursor we issue (a Temporal page token is ~150 bytes); refused before decoding. */
export const MAX_CURSOR_LENGTH = 2000;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export class InvalidCursorError extends ValidationError {
  constructor(reason = 'not a cursor from this API; pass nextCursor of the previous page') {
    super('cursor is not valid', { errors: [{ field: 'cursor', message: reason }] });
  }
}

const envelope = (kind: string) => z.object({ v: z.literal(VERSION), k: z.literal(kind), p: z.unknown() }).strict();

/** `kind` names the list, so a brand cursor is refused by the ledger. */
export function encodeCursor(kind: string, position: unknown): string {
  return Buffer.from(JSON.stringify({ v: VERSION, k: kind, p: position }), 'utf8').toString('base64url');
}

/** The position in `raw`, or InvalidCursorError (a 400) when it is not one of ours for this list. */
export function decodeCursor<S extends z.ZodType>(kind: string, schema: S, raw: string): z.output<S> {
  if (raw.length === 0 || raw.length > MAX_CURSOR_LENGTH || !BASE64URL.test(raw)) throw new InvalidCursorError();
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const outer = envelope(kind).safeParse(json);
  if (!outer.success) throw new InvalidCursorError();
  const inner = schema.safeParse(outer.data.p);
  if (!inner.success) throw new InvalidCursorError();
  return inner.data;
}

/** An instant PostgreSQL and JavaScript agree on: ISO 8601 UTC, years 1900–9999. */
export const cursorInstant = z.iso.datetime().refine((v) => {
  const ms = Date.parse(v);
  return Number.isFinite(ms) && ms >= Date.UTC(1900, 0, 1) && ms < Date.UTC(10000, 0, 1);
}, 'out of range');

/** A positive PostgreSQL BIGINT, as a decimal string. */
export const cursorBigint = z
  .string()
  .regex(/^[1-9]\d{0,18}$/)
  .refine((v) => BigInt(v) <= 9223372036854775807n, 'out of range');
