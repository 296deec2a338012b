/**
 * The approver's edits, in two passes (workflows/approval.ts):
 *
 * - `strict`, in the update's validator: a field the edit cannot apply, or a result that breaks today's rules, is
 *   refused with an `InvalidEdit` naming the field, before the update is accepted, so a refused edit leaves no trace.
 * - `lenient`, in the update's handler: the same edit is merged again, never throwing. Replay runs handlers but
 *   skips validators, so a rule made stricter after an edit was accepted cannot fail the run that accepted it.
 *
 * An edit function takes a `Refuse` and calls it for each field it cannot apply; in lenient mode the field is
 * skipped. For an edit the strict pass accepted, both passes give the same content.
 */
import { type ApplicationFailure } from '@temporalio/common';
import { failure } from './failures';

export type EditMode = 'strict' | 'lenient';

/** Reports a field the edit cannot apply: throws in strict mode, returns (the caller skips the field) in lenient. */
export type Refuse = (field: string, message: string) => void;

export function invalidEdit(field: string, message: string): ApplicationFailure {
  return failure('InvalidEdit', `${field} ${message}`, { details: [{ field, message }] });
}

export function refuser(mode: EditMode): Refuse {
  return (field, message) => {
    if (mode === 'strict') throw invalidEdit(field, message);
  };
}

/** Throws one `InvalidEdit` listing every rule the edited content breaks (the details name each field). */
export function refuseViolations(violations: { field: string; message: string }[]): void {
  if (violations.length === 0) return;
  throw failure('InvalidEdit', violations.map((v) => `${v.field}: ${v.message}`).join('; '), {
    details: [...violations],
  });
}

/** What a workflow's approval gate needs to apply an edit (see createApprovalGate). */
export interface EditRules<T> {
  /** The edited content, or an `InvalidEdit`: runs in the validator only. */
  check(content: T, edits: Record<string, unknown>): T;
  /** The edited content, never throwing: runs in the handler, on every replay. */
  merge(content: T, edits: Record<string, unknown>): T;
}
