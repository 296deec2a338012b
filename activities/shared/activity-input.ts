/** Checking an activity's payload at its door. */
import type { z } from 'zod';
import { failure } from '../../lib/failures';

/**
 * The payload parsed by `schema`. One that fails is a bug upstream, not worth a retry: a non-retryable `InvalidInput`
 * naming the first fields at fault, e.g. `Invalid video render input: scenes.0.frameKey: Required`.
 */
export function checkActivityInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 10)
    .map((i) => `${i.path.join('.') || 'input'}: ${i.message}`)
    .join('; ');
  throw failure('InvalidInput', `Invalid ${what} input: ${issues}`);
}
