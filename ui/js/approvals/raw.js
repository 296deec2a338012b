/** An approval of a kind this UI has no editor for: its content as JSON, to approve or reject as it is. */
import { h } from '../dom.js';

export const confirmText = {
  reject: {
    title: 'Reject this?',
    message: 'The run goes on as its automation does after a rejection.',
    confirm: 'Reject',
    danger: true,
  },
};

export function createEditor(content) {
  return {
    fields: [
      h('pre', { class: 'approval-content' }, typeof content === 'string' ? content : JSON.stringify(content, null, 2)),
    ],
    preview: null,
    edits: null,
  };
}
