/**
 * The same stricter deploy as stricter-copy-rules.ts, written the way edits were applied before the approval gate
 * was split: the handler re-checks the rules. Replaying an edit accepted under the old rules then fails.
 */
import type { EditRules } from '../../../lib/edits';
import type { Platform, PostCopy } from '../../../lib/social';
import { applyStricterCopyEdit, headlineOf, mergeCopyEdit } from './stricter-copy-rules';

export { headlineOf, mergeCopyEdit };

export function copyEditRules(platform: Platform): EditRules<PostCopy> {
  const check = (copy: PostCopy, edits: Record<string, unknown>) => applyStricterCopyEdit(copy, edits, platform);
  return { check, merge: check };
}
