/** Validation at the edge: zod issues become field errors with dotted paths. */
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
