/** The innermost meaningful message of a failure chain (ActivityFailure → ApplicationFailure → …). */
export function failureMessage(err: unknown): string {
  let current: unknown = err;
  let message = err instanceof Error ? err.message : String(err);
  for (let depth = 0; current instanceof Error && depth < 5; depth += 1) {
    if (current.message && !/^(Activity task failed|Child Workflow execution failed)$/.test(current.message))
      message = current.message;
    current = current.cause;
  }
  return message;
}
