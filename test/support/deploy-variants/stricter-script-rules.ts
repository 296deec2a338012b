/**
 * A deploy that makes the script rules stricter: titles of at most 12 characters. Bundled in place of
 * lib/video/script-rules.ts by test/integration/deploy-under-approval.test.ts; the merge stays lenient.
 */
import { refuseViolations, type EditRules } from '../../../lib/edits';
import type { VideoScript } from '../../../lib/video/types';
import { applySceneEdits, mergeSceneEdits, type ScriptCheckOptions } from '../../../lib/video/script-rules';

export * from '../../../lib/video/script-rules';
export const STRICTER_TITLE_MAX = 12;

export function applyStricterSceneEdits(
  script: VideoScript,
  edits: Record<string, unknown>,
  opts: ScriptCheckOptions,
): VideoScript {
  const next = applySceneEdits(script, edits, opts);
  refuseViolations(
    next.title.length > STRICTER_TITLE_MAX
      ? [{ field: 'title', message: `must be at most ${STRICTER_TITLE_MAX} characters` }]
      : [],
  );
  return next;
}

export function sceneEditRules(opts: ScriptCheckOptions): EditRules<VideoScript> {
  return {
    check: (script, edits) => applyStricterSceneEdits(script, edits, opts),
    merge: (script, edits) => mergeSceneEdits(script, edits, opts),
  };
}
