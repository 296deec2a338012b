/** The frames pages share: a page's header, the link back to its list, and titled cards. */
import { h, icon } from './dom.js';

/** The breadcrumb back to the page above (`#/brands`, `#/runs` …). */
export const backLink = (href, label) =>
  h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' }, h('a', { href }, icon('back'), label));

/**
 * @param {{title: string|Node, description?: string|Array, crumbs?: Node, actions?: Node|null, class?: string,
 *   lines?: Array}} o title: a string becomes the h1; crumbs: a breadcrumb above it; actions: on the header's right;
 *   class: of the block that holds the title; lines: what that block shows under the description
 */
export function pageHeader(o) {
  return h(
    'header',
    { class: 'page-header' },
    h(
      'div',
      { class: o.class },
      o.crumbs || null,
      typeof o.title === 'string' ? h('h1', null, o.title) : o.title,
      o.description ? h('p', { class: 'muted' }, o.description) : null,
      o.lines || null,
    ),
    o.actions || null,
  );
}

/**
 * A titled card, named for screen readers by its title (`<key>-title`).
 * @param {{key: string, title: string, class?: string, id?: string|null, testid?: string}} o
 */
export function card(o, ...content) {
  return h(
    'section',
    { class: ['card', o.class], id: o.id, 'aria-labelledby': `${o.key}-title`, 'data-testid': o.testid },
    h('h2', { class: 'card-title', id: `${o.key}-title` }, o.title),
    ...content,
  );
}

/**
 * A card of a settings-like page, titled for screen readers and tests by `key`.
 * @param {{key: string, title: string, description?: string, anchor?: boolean}} o anchor: `key` is also the id
 *   the page's table of contents scrolls to
 */
export function settingsCard(o, ...content) {
  return card(
    { key: o.key, title: o.title, class: 'settings-section', id: o.anchor ? o.key : null, testid: o.key },
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
