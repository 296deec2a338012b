/**
 * An A/B test's verdict (kind `ab-verdict`): which variant to promote (the suggestion is the winner, or the control
 * when there is none), or days to run on instead. Content: `{ promote, extendDays, keys, control, action, reasons }`.
 */
import { field, h } from '../dom.js';

const ACTIONS = {
  'stop-winner': 'A winner was found',
  'stop-futility': 'No difference worth having',
  'stop-max': 'The maximum duration was reached',
};

export const confirmText = {
  approveOriginal: {
    title: 'Approve the suggestion without your change?',
    message: 'You changed the choice. Approve takes the suggestion; use “Save edits & approve” to take yours.',
    confirm: 'Approve suggestion',
  },
  reject: {
    title: 'Keep the control?',
    message: 'Nothing is promoted; the experiment ends and the control stays.',
    confirm: 'Keep the control',
    danger: true,
  },
};

/**
 * @param {{promote: string, extendDays: number, keys: string[], control: string, action: string, reasons: string[]}} content
 * @param {{readOnly: boolean, onInput: () => void}} o
 */
export function createEditor(content, o) {
  const promote = h(
    'select',
    { name: 'promote', disabled: o.readOnly, 'data-testid': 'approval-promote' },
    content.keys.map((key) =>
      h(
        'option',
        { value: key, selected: key === content.promote },
        key === content.control ? `${key} (control: keep things as they are)` : key,
      ),
    ),
  );
  const extend = h('input', {
    type: 'number',
    name: 'extendDays',
    min: 0,
    max: 60,
    step: 1,
    value: String(content.extendDays || 0),
    readOnly: o.readOnly,
    'data-testid': 'approval-extend',
  });
  for (const control of [promote, extend]) control.addEventListener('input', () => o.onInput());

  const preview = h(
    'div',
    { class: 'preview', 'aria-label': 'The verdict' },
    h('p', { class: 'eyebrow' }, ACTIONS[content.action] || content.action),
    h(
      'ul',
      { class: 'plain-list', 'data-testid': 'approval-reasons' },
      (content.reasons || []).map((r) => h('li', null, r)),
    ),
  );

  return {
    fields: [
      field({ label: 'Promote', name: 'edits.promote', control: promote }),
      field({
        label: 'Or run on for',
        name: 'edits.extendDays',
        control: extend,
        hint: 'Days (0: decide now). Extending ignores the choice above until the next verdict.',
      }),
    ],
    preview,
    edits() {
      const changed = {};
      if (promote.value !== content.promote) changed.promote = promote.value;
      const days = Number(extend.value);
      if (Number.isInteger(days) && days !== (content.extendDays || 0)) changed.extendDays = days;
      return changed;
    },
  };
}
