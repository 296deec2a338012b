/**
 * What the logger does to every line before it is written: errors become their message, stack, code and cause
 * (JSON.stringify of an Error is `{}`, and a Sequelize error's own fields carry the SQL and its bind values);
 * values under secret-sounding keys are masked; known secret shapes inside any string are masked.
 */
export const REDACTED = '[redacted]';

/** Keys whose values are secrets whatever they look like (`password`, `sessionToken`, `authorization`, …). */
const SECRET_KEY = /(?:password|passwd|secret|token|authorization|cookie|api[-_]?key|credentials?)$/i;

/** Shapes of secrets inside free text: each keeps its recognisable prefix and loses the rest. */
const SHAPES: [RegExp, string][] = [
  // Authorization header values: a credential has a digit or symbol, or is long; "basic settings" stays as it is.
  [/\b(Bearer|Basic)\s+(?:(?=[\w.~+/=-]*[\d_.~+/=-])[\w.~+/=-]{6,}|[A-Za-z]{16,})/gi, `$1 ${REDACTED}`],
  // Standard Webhooks secrets.
  [/whsec_[A-Za-z0-9+/=_-]+/g, `whsec_${REDACTED}`],
  // Studioflow API keys (sf_<12>_<secret>) and the session cookie's value.
  [/\bsf_[A-Za-z0-9]{8,}(?:_[A-Za-z0-9_-]+)?/g, `sf_${REDACTED}`],
  [/\b(sf_session=)[^;\s"',]+/g, `$1${REDACTED}`],
  // key=value and "key": "value" pairs, in query strings, JSON text and messages.
  [/((?:password|passwd|pwd|secret|token)["']?\s*[:=]\s*["']?)(?!\[redacted\])[^\s"'&,;}]+/gi, `$1${REDACTED}`],
  // api_key=… and "apiKey": "…", but not a principal's name (`api-key:Deploy key`).
  [/((?:api|access)[-_]?key(?:["']\s*:|\s*=)\s*["']?)(?!\[redacted\])[^\s"'&,;}]+/gi, `$1${REDACTED}`],
  // Passwords in URLs: scheme://user:password@host.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^@\s/]+@/gi, `$1${REDACTED}@`],
];

export function redactText(text: string): string {
  let out = text;
  for (const [shape, replacement] of SHAPES) out = out.replace(shape, replacement);
  return out;
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string | number;
  cause?: SerializedError | unknown;
}

const MAX_DEPTH = 8;

/**
 * Message, stack, code and cause; nothing else. Sequelize puts the failed statement in `sql` and its bind values in
 * `parameters`, pg puts the conflicting row in `detail`: all left out on purpose.
 */
export function serializeError(err: Error, depth = 0): SerializedError {
  const e = err as Error & { code?: unknown; original?: unknown; parent?: unknown };
  const out: SerializedError = { name: err.name ?? 'Error', message: String(err.message ?? '') };
  if (err.stack) out.stack = err.stack;
  const code = e.code ?? (e.original as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  // Sequelize keeps the driver's error in `original`; report it as the cause when there is none.
  const cause = err.cause ?? (e.original !== err ? e.original : undefined);
  if (cause !== undefined && depth < 3)
    out.cause = cause instanceof Error ? serializeError(cause, depth + 1) : safeValue(cause, depth + 1);
  return out;
}

/** A copy of `value` with errors serialised and secrets masked; cycles and deep nesting end in a marker. */
export function safeValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return safeValue(serializeError(value), depth, seen);
  if (value instanceof Date) return value;
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => safeValue(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = safeEntry(key, v, depth, seen);
  return out;
}

function safeEntry(key: string, value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (SECRET_KEY.test(key) && value !== undefined && value !== null && value !== '') return REDACTED;
  return safeValue(value, depth + 1, seen);
}

const LEVEL = Symbol.for('level');
/** Fields an error spreads into a line when it is the thing logged; `serializeError` keeps what is safe. */
const ERROR_FIELDS = new Set([
  'name',
  'message',
  'stack',
  'code',
  'cause',
  'sql',
  'parameters',
  'bind',
  'original',
  'parent',
  'fields',
  'detail',
  'errors',
  'value',
]);

type Info = Record<string | symbol, unknown>;

/** `log.error(err)` through a child logger arrives as a plain copy of the error's fields. */
const looksLikeError = (info: Info) =>
  typeof info.stack === 'string' && ['sql', 'original', 'parent', 'parameters'].some((k) => k in info);

/**
 * Applies `safeValue` to a winston info object (its symbol keys stay). The message is redacted as text. When the
 * thing logged is an error (`log.error(err)`), the line becomes `{ message, err }`, so the error's own fields (a
 * Sequelize error's `sql`, `parameters`, `original`) never reach it.
 */
export function redactInfo<T extends Info>(input: T): T {
  let info: Info = input;
  const error = input instanceof Error ? input : input.message instanceof Error ? input.message : undefined;
  if (error || looksLikeError(input)) {
    const err = serializeError((error ?? input) as unknown as Error);
    info = { [LEVEL]: input[LEVEL], level: input.level };
    for (const key of Object.keys(input)) if (!ERROR_FIELDS.has(key)) info[key] = input[key];
    info.message = err.message;
    info.err = err;
  }
  const seen = new WeakSet<object>();
  for (const key of Object.keys(info)) {
    if (key === 'level' || key === 'timestamp') continue;
    info[key] = key === 'message' ? safeValue(info[key], 0, seen) : safeEntry(key, info[key], 0, seen);
  }
  return info as T;
}
