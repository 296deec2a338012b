import { copyButton, h } from './dom.js';

/** A secret in monospace with its copy button. */
export function secretRow(value, testid = 'secret-value') {
  return h(
    'div',
    { class: 'secret-row' },
    h('code', { class: 'mono secret-value', 'data-testid': testid }, value),
    copyButton(value),
  );
}

/** Shows a secret once: what it is, a note, and the value to copy. */
export function secretBox(label, value, note) {
  return h(
    'div',
    { class: 'secret', role: 'status', 'data-testid': 'secret' },
    h('p', null, h('strong', null, label), ` ${note}`),
    secretRow(value),
  );
}
