/** The frames pages share: a page's header and the titled cards of the admin and account pages. */
import { h } from './dom.js';

/**
 * @param {{title: string|Node, description?: string|Array, crumbs?: Node, actions?: Node|null}} o title: a string
 *   becomes the h1; crumbs: a breadcrumb above it; actions: on the header's right
 */
export function pageHeader(o) {
  return h(
    'header',
    { class: 'page-header' },
    h(
      'div',
      null,
      o.crumbs || null,
      typeof o.title === 'string' ? h('h1', null, o.title) : o.title,
      o.description ? h('p', { class: 'muted' }, o.description) : null,
    ),
    o.actions || null,
  );
}

/**
 * A card of a settings-like page, titled for screen readers and tests by `key`.
 * @param {{key: string, title: string, description?: string, anchor?: boolean}} o anchor: `key` is also the id
 *   the page's table of contents scrolls to
 */
export function settingsCard(o, ...content) {
  return h(
    'section',
    {
      class: 'card settings-section',
      id: o.anchor ? o.key : null,
      'aria-labelledby': `${o.key}-title`,
      'data-testid': o.key,
    },
    h('h2', { class: 'card-title', id: `${o.key}-title` }, o.title),
    o.description ? h('p', { class: 'muted' }, o.description) : null,
    ...content,
  );
}

/**
 * A card of a brand workspace tab, titled for screen readers and tests by `key`, with its actions beside the title.
 * @param {{key: string, title: string, description: string, actions?: Node|null}} o
 */
export function tabCard(o, ...content) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': `${o.key}-title`, 'data-testid': o.key },
    h(
      'div',
      { class: 'section-head' },
      h(
        'div',
        null,
        h('h2', { id: `${o.key}-title`, class: 'card-title' }, o.title),
        h('p', { class: 'muted' }, o.description),
      ),
      o.actions || null,
    ),
    ...content,
  );
}
