/**
 * A deploy that makes the copy rules stricter: captions of at most 100 characters. Bundled in place of
 * lib/social-copy-edit.ts by test/integration/deploy-under-approval.test.ts; the merge stays lenient, as the
 * approval gate requires.
 */
import { refuseViolations, type EditRules } from '../../../lib/edits';
import type { Platform, PostCopy } from '../../../lib/social';
import { applyCopyEdit, headlineOf, mergeCopyEdit } from '../../../lib/social-copy-edit';

export { headlineOf, mergeCopyEdit };
export const STRICTER_CAPTION_MAX = 100;

export function applyStricterCopyEdit(copy: PostCopy, edits: Record<string, unknown>, platform: Platform): PostCopy {
  const next = applyCopyEdit(copy, edits, platform);
  refuseViolations(
    next.caption.length > STRICTER_CAPTION_MAX
      ? [{ field: 'caption', message: `must be at most ${STRICTER_CAPTION_MAX} characters` }]
      : [],
  );
  return next;
}

export function copyEditRules(platform: Platform): EditRules<PostCopy> {
  return {
    check: (copy, edits) => applyStricterCopyEdit(copy, edits, platform),
    merge: (copy, edits) => mergeCopyEdit(copy, edits),
  };
}
