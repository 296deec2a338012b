/**
 * The approver's choice once an experiment has a verdict (see lib/edits.ts): promote the suggested variant (approve),
 * promote another or keep the control (edit `promote`), extend the experiment by some days (edit `extendDays`), or
 * keep the control (reject).
 */
import { refuser, type EditMode, type EditRules } from '../edits';

export interface VerdictChoice {
  /** The variant to promote; the control's key keeps things as they are. */
  promote: string;
  /** Days to run on instead of concluding (0: conclude). */
  extendDays: number;
  /** The variants there are, and which one is the control: what `promote` may name. */
  keys: string[];
  control: string;
  /** What the evaluation said, for the approver. */
  action: string;
  reasons: string[];
}

export const MAX_EXTEND_DAYS = 60;

export function mergeVerdictEdit(choice: VerdictChoice, edits: Record<string, unknown>, mode: EditMode = 'lenient') {
  const refuse = refuser(mode);
  const next = { ...choice };
  for (const [field, value] of Object.entries(edits)) {
    if (field === 'promote') {
      if (typeof value !== 'string' || !choice.keys.includes(value))
        refuse('promote', `must be one of the variants: ${choice.keys.join(', ')}`);
      else next.promote = value;
    } else if (field === 'extendDays') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_EXTEND_DAYS)
        refuse('extendDays', `must be a whole number of days from 0 to ${MAX_EXTEND_DAYS}`);
      else next.extendDays = value;
    } else refuse(field, 'is not an editable field');
  }
  return next;
}

export const verdictEditRules: EditRules<VerdictChoice> = {
  check: (choice, edits) => mergeVerdictEdit(choice, edits, 'strict'),
  merge: (choice, edits) => mergeVerdictEdit(choice, edits),
};
