/** The approver's edits to a brand report's delivery: its subject and recipients (see lib/edits.ts). */
import { refuser, type EditMode, type EditRules } from '../edits';

/** What an approver sees and may change before the report is mailed. */
export interface ReportDelivery {
  subject: string;
  recipients: string[];
  summary: string;
  overall: number | null;
  pdfUrl: string;
}

export const MAX_RECIPIENTS = 10;
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** Applies an edit to the delivery; strict mode refuses anything but a valid subject and 1–10 addresses. */
export function mergeDeliveryEdit(
  delivery: ReportDelivery,
  edits: Record<string, unknown>,
  mode: EditMode = 'lenient',
): ReportDelivery {
  const refuse = refuser(mode);
  const next = { ...delivery };
  for (const [field, value] of Object.entries(edits)) {
    if (field === 'subject') {
      if (typeof value !== 'string' || value.trim().length === 0 || value.length > 200) {
        refuse('subject', 'must be text of 1 to 200 characters');
        continue;
      }
      next.subject = value.trim();
    } else if (field === 'recipients') {
      const list = Array.isArray(value) ? value : null;
      if (!list || !list.every((v) => typeof v === 'string')) {
        refuse('recipients', 'must be a list of emails');
        continue;
      }
      const cleaned = [...new Set(list.map((v: string) => v.trim()).filter(Boolean))];
      const bad = cleaned.find((v) => !EMAIL.test(v));
      if (bad) refuse('recipients', `${bad} is not an email address`);
      else if (cleaned.length === 0 || cleaned.length > MAX_RECIPIENTS) {
        refuse('recipients', `must hold 1 to ${MAX_RECIPIENTS} addresses`);
      } else next.recipients = cleaned;
    } else {
      refuse(field, 'is not an editable field');
    }
  }
  return next;
}

export const deliveryEditRules: EditRules<ReportDelivery> = {
  check: (delivery, edits) => mergeDeliveryEdit(delivery, edits, 'strict'),
  merge: (delivery, edits) => mergeDeliveryEdit(delivery, edits),
};
