/**
 * Run list cursors wrap Temporal's visibility page token. Temporal answers a token it cannot read with a gRPC
 * UNKNOWN, which the client retries for ~20 s before the API could say anything (issue 8), so a token is checked
 * against the shapes visibility issues before it is sent: SQL visibility (SQLite in the dev server, PostgreSQL in
 * compose) writes `{CloseTime, StartTime, RunID}`, Elasticsearch `{SearchAfter, PointInTimeID?}`.
 */
import { z } from 'zod';
import { decodeCursor, encodeCursor, InvalidCursorError } from '../../lib/cursor';

/** RFC 3339 as Go's time.Time reads it: a real calendar date, seconds 0–59, up to 9 fraction digits. */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const goTime = z.string().refine((v) => {
  const m = RFC3339.exec(v);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
});

const sqlToken = z.object({ CloseTime: goTime, StartTime: goTime, RunID: z.string().max(64) }).strict();
const elasticsearchToken = z
  .object({
    SearchAfter: z.array(z.union([z.string().max(256), z.number(), z.null()])).max(8),
    PointInTimeID: z.string().max(1024).optional(),
  })
  .strict();
const pageToken = z.union([sqlToken, elasticsearchToken]);

const runsPosition = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]+$/) }).strict();

export function encodeRunsCursor(token: Uint8Array): string {
  return encodeCursor('runs', { token: Buffer.from(token).toString('base64url') });
}

/** The page token to pass to visibility, or InvalidCursorError (400). */
export function decodeRunsCursor(cursor: string): Uint8Array {
  const token = Buffer.from(decodeCursor('runs', runsPosition, cursor).token, 'base64url');
  let json: unknown;
  try {
    json = JSON.parse(token.toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!pageToken.safeParse(json).success) throw new InvalidCursorError();
  return token;
}
