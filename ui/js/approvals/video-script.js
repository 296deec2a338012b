/**
 * A video script (kind `video-script`): the title and, per scene, what the voice says, the text set on the frame and
 * what the frame shows, with each scene's length at the speaking rate and the total against the target. Content:
 * `{ title, scenes: [{ index, narration, onScreenText, visual, plannedSeconds }], plannedSeconds, videoSeconds,
 * wordsPerMinute, measured? }` (`videoSeconds`: the narration plus the render's pauses; `measured`: what the recorded
 * narration gave, `{ narrationSeconds, videoSeconds, wordsPerMinute, provider }`). Edits name only what changed:
 * `{ title?, scenes: { "<index>": { … } } }`.
 */
import { field, h } from '../dom.js';

const SCENE_FIELDS = [
  { key: 'narration', label: 'Narration', rows: 3, hint: 'What the voice says; the subtitles follow it.' },
  { key: 'onScreenText', label: 'On-screen text', rows: 1, hint: 'Set large on the frame.' },
  { key: 'visual', label: 'Visual', rows: 2, hint: 'What the frame shows.' },
];

export const confirmText = {
  approveOriginal: {
    title: 'Approve without your edits?',
    message: 'You changed the script. Approve records the original; use “Save edits & approve” to record your version.',
    confirm: 'Approve original',
  },
  reject: {
    title: 'Reject this script?',
    message: 'Nothing is rendered or published, and the credits held for the video are released.',
    confirm: 'Reject',
    danger: true,
  },
};

const words = (text) => (text.trim() ? text.trim().split(/\s+/).length : 0);

/**
 * @param {{title: string, scenes: object[], plannedSeconds: number, videoSeconds?: number, wordsPerMinute: number}} content
 * @param {{readOnly: boolean, onInput: () => void, run: object}} o  the run's input says the target length
 * @returns {{fields: HTMLElement[], preview: HTMLElement, edits: () => object}}
 */
export function createEditor(content, o) {
  const targetSeconds = o.run.input && o.run.input.targetSeconds;
  const wpm = content.wordsPerMinute || 160;
  /** What the narration measured when it was recorded before approval (runs since the length fit). */
  const measured =
    content.measured && typeof content.measured.videoSeconds === 'number' && content.measured.wordsPerMinute
      ? content.measured
      : null;
  const secondsOf = (text) => (words(text) * 60) / wpm;
  const title = h('input', {
    type: 'text',
    name: 'title',
    maxlength: 120,
    readOnly: o.readOnly,
    value: content.title,
    'data-testid': 'script-title',
  });
  const total = h('p', { class: 'script-total', 'aria-live': 'polite', 'data-testid': 'script-total' });
  const controls = new Map();

  const scenes = content.scenes.map((scene) => {
    const length = h('span', { class: 'chip', 'data-testid': 'scene-seconds' });
    const inputs = {};
    const sceneFields = SCENE_FIELDS.map((f) => {
      const control = h('textarea', {
        name: `scenes.${scene.index}.${f.key}`,
        rows: f.rows,
        readOnly: o.readOnly,
        value: scene[f.key] || '',
        'data-testid': `scene-${scene.index}-${f.key}`,
      });
      inputs[f.key] = control;
      control.addEventListener('input', () => {
        refresh();
        o.onInput();
      });
      return field({ label: f.label, name: `edits.scenes.${scene.index}.${f.key}`, control, hint: f.hint });
    });
    controls.set(scene.index, { inputs, length, scene });
    return h(
      'fieldset',
      { class: 'fieldset scene', 'data-testid': 'scene', 'data-scene': scene.index },
      h('legend', null, `Scene ${scene.index + 1} `, length),
      ...sceneFields,
    );
  });

  // The render's pauses around the scenes (lead-in, a breath after each, the tail), as the plan counted them.
  const pauses =
    typeof content.videoSeconds === 'number' ? Math.max(0, content.videoSeconds - content.plannedSeconds) : 0;
  const refresh = () => {
    let sum = 0;
    for (const { inputs, length } of controls.values()) {
      const s = secondsOf(inputs.narration.value);
      sum += s;
      length.textContent = `≈ ${s.toFixed(1)} s`;
    }
    const video = sum + pauses;
    const target = targetSeconds;
    const off = target ? Math.abs(video - target) / target : 0;
    const narration = `Narration ≈ ${sum.toFixed(1)} s at ${wpm} words per minute`;
    const length = pauses ? `; ≈ ${video.toFixed(1)} s with the pauses between scenes` : '';
    total.textContent = target ? `${narration}${length}, for a ${target} s video` : `${narration}${length}`;
    total.classList.toggle('over', off > 0.15);
  };
  title.addEventListener('input', o.onInput);
  refresh();

  const edits = () => {
    const changed = {};
    if (title.value !== content.title) changed.title = title.value;
    const sceneEdits = {};
    for (const [index, { inputs, scene }] of controls) {
      const own = {};
      for (const f of SCENE_FIELDS) if (inputs[f.key].value !== (scene[f.key] || '')) own[f.key] = inputs[f.key].value;
      if (Object.keys(own).length) sceneEdits[String(index)] = own;
    }
    if (Object.keys(sceneEdits).length) changed.scenes = sceneEdits;
    return changed;
  };

  const preview = h(
    'div',
    { class: 'preview script-preview', 'aria-label': 'Script summary' },
    h('p', { class: 'eyebrow' }, `${content.scenes.length} scenes`),
    total,
    measured &&
      h(
        'p',
        { class: 'hint', 'data-testid': 'script-measured' },
        `Recorded to check its length: ${measured.videoSeconds.toFixed(1)} s with the pauses, at ` +
          `${measured.wordsPerMinute} words per minute${measured.provider ? ` (${measured.provider})` : ''}.`,
      ),
    h(
      'p',
      { class: 'hint' },
      'The draft’s narration was recorded and its frames drawn to check it; nothing is rendered or published until you decide, and an edited scene is voiced and drawn again. An edit is checked against the script’s rules (scene count, lengths, the target length) before it is accepted.',
    ),
  );

  return {
    fields: [field({ label: 'Title', name: 'edits.title', control: title }), ...scenes],
    preview,
    edits,
  };
}
