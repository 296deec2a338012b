/** Email recipients typed as text: one per line, or separated by commas, semicolons or spaces. */
import { clientError } from './dom.js';

export const MAX_RECIPIENTS = 10;
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** Addresses from text separated by commas, semicolons, spaces or lines; duplicates dropped. */
export function parseRecipients(text) {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** A field error for the first bad address, or null. */
export function recipientsError(list, fieldName) {
  const bad = list.find((r) => !EMAIL.test(r));
  if (bad) return clientError(fieldName, `${bad} is not an email address`);
  if (list.length > MAX_RECIPIENTS) return clientError(fieldName, `At most ${MAX_RECIPIENTS} recipients`);
  return null;
}
