/** Validation at the edge: zod issues become field errors with dotted paths. */
import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { ValidationError, type FieldError } from '../lib/errors';

export function fieldErrors(error: z.ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return { field: [prefix, path].filter(Boolean).join('.') || (prefix ?? 'body'), message: issue.message };
  });
}

/** Parses `data` or throws a 400 naming every field at fault. */
export function parse<S extends z.ZodType>(schema: S, data: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) {
    const errors = fieldErrors(result.error, prefix);
    throw new ValidationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  }
  return result.data;
}

/** Deeper than any body this API takes (a webhook input mapping mirrors an automation input: a few levels). */
export const MAX_JSON_DEPTH = 32;
/** Keys that reach Object.prototype when a body is spread or merged into another object. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** NUL (PostgreSQL text and jsonb refuse it) and lone surrogates (jsonb refuses their escapes; not valid UTF-8). */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function refused(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, { errors: [{ field, message }] });
}

const fieldName = (path: string[], root: string) => (path.length ? path.join('.') : root);

/**
 * Throws a 400 naming the first field that would break something further in: nesting deeper than MAX_JSON_DEPTH (the
 * recursive walkers after it), a prototype key, or a string (or key) PostgreSQL cannot store. Iterative, so a body
 * nested 10,000 deep is refused without recursing into it. `root` names the value itself (`body`, or a parameter).
 */
export function refuseHostileJson(value: unknown, root = 'body'): void {
  const stack: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: node, path } = stack.pop()!;
    if (typeof node === 'string') {
      if (UNSTORABLE.test(node)) throw refused(fieldName(path, root), 'contains NUL or an unpaired surrogate');
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if (path.length >= MAX_JSON_DEPTH) throw refused(fieldName(path, root), `nested deeper than ${MAX_JSON_DEPTH}`);
    for (const [key, child] of Object.entries(node)) {
      const childPath = [...path, key];
      if (PROTOTYPE_KEYS.has(key)) throw refused(childPath.join('.'), 'this key is not allowed');
      if (UNSTORABLE.test(key)) throw refused(fieldName(path, root), 'a key contains NUL or an unpaired surrogate');
      stack.push({ value: child, path: childPath });
    }
  }
}

/** App-wide, before any route: a NUL in the path (no id, slug or file key holds one) or in a query value. */
export const refuseHostileRequest: RequestHandler = (req, _res, next) => {
  if (req.path.includes('%00') || req.path.includes('\u0000')) throw refused('path', 'contains NUL');
  for (const [name, value] of Object.entries(req.query)) refuseHostileJson(value, name);
  next();
};

/** After the JSON parser, once for every route (raw, text and CSV bodies are parsed later, by their routes). */
export const refuseHostileBody: RequestHandler = (req, _res, next) => {
  if (req.body !== undefined && typeof req.body === 'object' && !Buffer.isBuffer(req.body)) refuseHostileJson(req.body);
  next();
};
