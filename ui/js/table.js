/** Tables as every list draws them: a heading row of columns over the given rows. */
import { h } from './dom.js';

/** The heading of a column of row buttons: read by screen readers, not shown. */
export const ACTIONS = { label: 'Actions', hidden: true };

/** A column is a label, or `{label, num?, hidden?}`: `num` aligns figures right, `hidden` shows the label to screen readers only. */
function heading(column) {
  if (typeof column === 'string') return h('th', { scope: 'col' }, column);
  return h(
    'th',
    { scope: 'col', class: column.num ? 'num' : null },
    column.hidden ? h('span', { class: 'visually-hidden' }, column.label) : column.label,
  );
}

export function tableHead(columns) {
  return h('thead', null, h('tr', null, columns.map(heading)));
}

/**
 * @param {{testid?: string, caption?: string, class?: string, wrap?: boolean}} [o] caption: for screen readers;
 *   wrap: inside a .table-wrap that scrolls on narrow screens
 */
export function dataTable(columns, rows, o = {}) {
  const table = h(
    'table',
    { class: ['table', o.class], 'data-testid': o.testid },
    o.caption ? h('caption', { class: 'visually-hidden' }, o.caption) : null,
    tableHead(columns),
    h('tbody', null, rows),
  );
  return o.wrap ? h('div', { class: 'table-wrap' }, table) : table;
}

/**
 * Back / Page N / Next over a cursor-paged list: `cursor()` is the one to load, `loaded(nextCursor)` records what the
 * page gave, and the buttons call `onMove` after stepping. The pager hides itself when there is a single page.
 * @param {{testid: string, onMove: () => void}} o
 */
export function cursorPager(o) {
  const back = h('button', { type: 'button', class: 'btn btn-secondary', 'data-testid': `${o.testid}-back` }, 'Back');
  const next = h('button', { type: 'button', class: 'btn btn-secondary', 'data-testid': `${o.testid}-next` }, 'Next');
  const label = h('span', { class: 'muted', 'data-testid': `${o.testid}-page` });
  const el = h('div', { class: 'pager', hidden: true }, back, label, next);
  // cursors[i] opens page i; the first page has none.
  const cursors = [null];
  let index = 0;
  const show = () => {
    el.hidden = index === 0 && !cursors[index + 1];
    back.disabled = index === 0;
    next.disabled = !cursors[index + 1];
    label.textContent = `Page ${index + 1}`;
  };
  back.addEventListener('click', () => {
    if (index === 0) return;
    index -= 1;
    o.onMove();
  });
  next.addEventListener('click', () => {
    if (!cursors[index + 1]) return;
    index += 1;
    o.onMove();
  });
  return {
    el,
    cursor: () => cursors[index],
    onFirstPage: () => index === 0,
    loaded(nextCursor) {
      cursors[index + 1] = nextCursor;
      show();
    },
  };
}
