/**
 * Pre-publish validation of an entry (issue 12), run when it is scheduled, ahead of its time and just before it runs:
 * copy within each target's limits, media within each target's specs, the account connected and its token valid, the
 * credits sufficient for a video. The content rules are pure (here); the account and credit answers come in as values.
 */
import { checkPostCopy } from '../social';
import { copyPlatformOf, type CalendarEntry, type EntryProblem, type EntryTarget } from './entry';
import { checkMedia } from './media-specs';

/** The content rules alone: what an editor can fix in the entry itself. */
export function contentProblems(entry: Pick<CalendarEntry, 'kind' | 'platforms' | 'topic' | 'copy' | 'media'>) {
  const problems: EntryProblem[] = [];
  if (!entry.topic?.trim() && !entry.copy?.caption.trim())
    problems.push({ field: 'topic', message: 'An entry needs a topic or ready copy' });
  for (const target of entry.platforms) {
    const rules = copyPlatformOf(target);
    if (entry.kind === 'post' && !rules)
      problems.push({ platform: target, field: 'copy', message: `${target} takes videos only` });
    if (entry.copy && rules)
      for (const v of checkPostCopy(entry.copy, rules))
        problems.push({ platform: target, field: 'copy', message: v.message });
    if (entry.media) problems.push(...checkMedia(entry.media, target));
  }
  return problems;
}

export interface Readiness {
  accounts: { platform: EntryTarget; ready: boolean; reason?: string }[];
  /** For a video: the credits it would reserve and the workspace's available balance. */
  credits?: { needed: number; available: number };
}

/** Every problem: the content's, then the accounts' and the credits'. */
export function entryProblems(
  entry: Pick<CalendarEntry, 'kind' | 'platforms' | 'topic' | 'copy' | 'media'>,
  readiness: Readiness,
): EntryProblem[] {
  const problems = contentProblems(entry);
  for (const a of readiness.accounts)
    if (!a.ready)
      problems.push({ platform: a.platform, field: 'account', message: a.reason ?? `${a.platform} is not connected` });
  if (readiness.credits && readiness.credits.needed > readiness.credits.available)
    problems.push({
      field: 'credits',
      message: `The video needs ${readiness.credits.needed} credits; ${readiness.credits.available} are available`,
    });
  return problems;
}
