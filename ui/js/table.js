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
