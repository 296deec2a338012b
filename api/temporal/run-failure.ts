/** Temporal's failures in the API's terms: why a run failed, and an update's refusal as an HTTP error. */
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ConflictError, ValidationError, type FieldError } from '../../lib/errors';
import { unwrapFailure } from '../../lib/failure-chain';
import { FAILURES, failureLabel, isFailureType } from '../../lib/failures';

export interface RunFailure {
  message: string;
  type?: string;
  label?: string;
}

/** Why a closed run's `result()` threw: the failure below Temporal's wrappers, with its type and label. */
export function runFailureOf(err: unknown): RunFailure {
  if (err instanceof WorkflowFailedError) {
    const cause = unwrapFailure(err.cause);
    const type = cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
    const message = cause instanceof Error ? cause.message : err.message;
    return { message, ...(type && { type, label: failureLabel(type) }) };
  }
  return { message: err instanceof Error ? err.message : String(err) };
}

/**
 * The API error for an update the workflow's validator refused (409: nothing to decide; 400: the edit breaks a rule,
 * with the rule's fields under `edits.`), or undefined when the failure is not one the caller can act on.
 */
export function updateRefusal(err: unknown): ConflictError | ValidationError | undefined {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
  if (!(cause instanceof ApplicationFailure) || !isFailureType(cause.type)) return undefined;
  const { status } = FAILURES[cause.type] as { status?: number };
  if (status === 409) return new ConflictError(cause.message);
  if (status === 400) {
    const details = (cause.details ?? []) as { field?: string; message?: string }[];
    const errors: FieldError[] = details
      .filter((d) => d && typeof d.field === 'string')
      .map((d) => ({ field: `edits.${d.field}`, message: d.message ?? 'invalid' }));
    return new ValidationError(cause.message, {
      errors: errors.length ? errors : [{ field: 'action', message: cause.message }],
    });
  }
  return undefined;
}
