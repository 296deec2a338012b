/** What the sections of #/settings share: a card with the list of what exists and a form to add one. */
import { actionButton, emptyState, h, replaceChildren, spinner } from './dom.js';
import { settingsCard } from './layout.js';
import { loadInto } from './load.js';
import { dataTable } from './table.js';

/**
 * Loads `path` into a table of `columns` (`row(item, refresh)` draws each), or an empty state; under it the form to
 * add one, titled `formTitle`; `reveal` (above the list) shows what a creation returns once.
 * @param {{id: string, title: string, description: string, path: string, empty: [string, string|null],
 *   columns: Array, row: Function, formTitle: string, form: HTMLFormElement, reveal?: HTMLElement}} o
 * @returns {{el: HTMLElement, refresh: () => Promise<void>}}
 */
export function listSection(ctx, o) {
  const body = h('div', { class: 'section-body' }, spinner());
  const el = settingsCard({ key: o.id, title: o.title, description: o.description, anchor: true }, body);
  const list = h('div', null, spinner());
  const draw = (items) =>
    replaceChildren(
      list,
      items.length === 0
        ? emptyState(...o.empty)
        : dataTable(
            o.columns,
            items.map((item) => o.row(item, refresh)),
            { wrap: true },
          ),
    );
  const refresh = () => loadInto(ctx, list, o.path, draw);
  replaceChildren(body, o.reveal || null, list, h('h3', { class: 'subhead' }, o.formTitle), o.form);
  void refresh();
  return { el, refresh };
}

/** A destructive button: asks first, runs the request, says so, and refreshes the list. */
export function confirmedAction({ label, dialog, request, done, refresh }) {
  return actionButton({ class: 'btn btn-small btn-danger-outline' }, label, () => ({
    confirm: { ...dialog, danger: true },
    request,
    done,
    then: refresh,
  }));
}
