import { h } from './dom.js';

/** The card the logged-out pages (log in, sign-up, invitations, password resets) stand in, under the product's mark. */
export function authCard({ title, titleId, intro }, ...content) {
  return h(
    'div',
    { class: 'login' },
    h(
      'div',
      { class: 'login-card card' },
      h(
        'div',
        { class: 'login-brand' },
        h('span', { class: 'logo-mark', 'aria-hidden': 'true' }, 'S'),
        h('span', { class: 'logo-text' }, 'Studioflow'),
      ),
      h('h1', { id: titleId }, title),
      intro ? h('p', { class: 'muted' }, intro) : null,
      ...content,
    ),
  );
}
