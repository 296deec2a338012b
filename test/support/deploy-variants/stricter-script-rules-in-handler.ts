/** The stricter script deploy written the old way: the approval handler re-checks the rules (see the copy variant). */
import type { EditRules } from '../../../lib/edits';
import type { ScriptCheckOptions } from '../../../lib/video/script-rules';
import type { VideoScript } from '../../../lib/video/types';
import { applyStricterSceneEdits } from './stricter-script-rules';

export * from './stricter-script-rules';

export function sceneEditRules(opts: ScriptCheckOptions): EditRules<VideoScript> {
  const check = (script: VideoScript, edits: Record<string, unknown>) => applyStricterSceneEdits(script, edits, opts);
  return { check, merge: check };
}
