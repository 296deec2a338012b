/**
 * Temporal wraps a failure where it crossed a boundary (ActivityFailure, ChildWorkflowFailure); the wrapper's message
 * says only where. These read through the wrappers to what went wrong. Pure: imported by workflows and the API.
 */
const WRAPPER_MESSAGE = /^(Activity task failed|Child Workflow execution failed)$/;

const isWrapper = (err: Error): boolean => WRAPPER_MESSAGE.test(err.message);

/** The first failure below the wrappers: the one whose type (an ApplicationFailure's) names what went wrong. */
export function unwrapFailure(err: unknown): unknown {
  let current = err;
  while (current instanceof Error && current.cause instanceof Error && isWrapper(current)) current = current.cause;
  return current;
}

/** The innermost meaningful message of a failure chain (ActivityFailure → ApplicationFailure → …). */
export function failureMessage(err: unknown): string {
  let current: unknown = err;
  let message = err instanceof Error ? err.message : String(err);
  for (let depth = 0; current instanceof Error && depth < 5; depth += 1) {
    if (current.message && !isWrapper(current)) message = current.message;
    current = current.cause;
  }
  return message;
}

/** The type of the failure below the wrappers (an ApplicationFailure's `type`), if it has one. */
export function failureTypeOf(err: unknown): string | undefined {
  const inner = unwrapFailure(err) as { type?: unknown } | null;
  return inner && typeof inner.type === 'string' ? inner.type : undefined;
}
