/** The approver's edits to a social post's copy, and the headline the post image draws from it. */
import { refuser, refuseViolations, type EditMode, type EditRules } from './edits';
import { checkPostCopy, type Platform, type PostCopy } from './social';

/** The headline on the image: the caption's first sentence, kept short enough to set large. */
export function headlineOf(caption: string): string {
  // Emoji would render as empty boxes in the image's system fonts; the caption keeps them.
  const plain = caption
    .replace(/[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu, '')
    .replace(/^[\s\p{P}]+(?=\p{L})/u, '');
  const first = plain.split(/(?<=[.!?])\s+|\n/)[0]?.trim() ?? '';
  if (first.length <= 90) return first;
  const cut = first.slice(0, 88);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 40 ? cut.lastIndexOf(' ') : 88)}…`;
}

/** Replaces the edited fields of the copy (see lib/edits.ts for the two modes). */
export function mergeCopyEdit(copy: PostCopy, edits: Record<string, unknown>, mode: EditMode = 'lenient'): PostCopy {
  const refuse = refuser(mode);
  const next: PostCopy = { ...copy };
  for (const [field, value] of Object.entries(edits)) {
    if (field === 'hashtags') {
      if (!Array.isArray(value) || !value.every((t) => typeof t === 'string')) {
        refuse(field, 'must be a list of strings');
        continue;
      }
      next.hashtags = value.map((t: string) => t.trim().replace(/^#/, '')).filter(Boolean);
    } else if (field === 'caption' || field === 'callToAction' || field === 'altText') {
      if (typeof value !== 'string') refuse(field, 'must be text');
      else next[field] = value;
    } else {
      refuse(field, 'is not an editable field');
    }
  }
  return next;
}

/** Applies an approver's edit and refuses one that breaks the platform's rules. */
export function applyCopyEdit(copy: PostCopy, edits: Record<string, unknown>, platform: Platform): PostCopy {
  const next = mergeCopyEdit(copy, edits, 'strict');
  refuseViolations(checkPostCopy(next, platform));
  return next;
}

export function copyEditRules(platform: Platform): EditRules<PostCopy> {
  return {
    check: (copy, edits) => applyCopyEdit(copy, edits, platform),
    merge: (copy, edits) => mergeCopyEdit(copy, edits),
  };
}
