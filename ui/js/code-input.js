import { h } from './dom.js';

/** Where a two-factor code is typed: the app's six digits, or a longer recovery code. */
export const codeInput = (testid) =>
  h('input', {
    type: 'text',
    name: 'code',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    maxlength: 32,
    'data-testid': testid,
  });
