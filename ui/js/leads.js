/**
 * #/leads: the workspace's leads. Search, filters and sort live in the address (a reload or a shared link keeps them);
 * pages go by cursor, forward and back. Editors tick rows and start an enrichment run for them, or for every lead the
 * filters match.
 */
import { api, ApiError, isQuiet, query } from './api.js';
import {
  confirmDialog,
  emptyState,
  errorBox,
  h,
  icon,
  replaceChildren,
  showErrors,
  spinner,
  statusBadge,
  time,
} from './dom.js';
import { pageHeader } from './layout.js';
import { FILTER_KEYS, filtersForm, matchFilter } from './lead-filters.js';
import { concurrencyField, leadHref, scoreBadge, startEnrichment } from './lead-parts.js';
import { can } from './state.js';
import { cursorPager, dataTable } from './table.js';

const PAGE = 25;

export async function renderLeads(ctx) {
  const editable = can('editor');
  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, ctx.query.get(k) || '']));
  const selected = new Set();

  const filterForm = filtersForm(filters, (values) => ctx.navigate(`#/leads${query(values)}`));
  const tableSlot = h('div', { class: 'table-wrap' }, spinner('Loading leads…'));
  const pager = cursorPager({ testid: 'leads', onMove: () => void load() });

  const enrich = editable ? enrichBar() : null;

  ctx.main.appendChild(
    h(
      'div',
      { class: 'page' },
      pageHeader({
        title: 'Leads',
        description: 'Companies to reach, enriched from their sites and scored against your ideal customer.',
        actions: h(
          'div',
          { class: 'page-actions' },
          h(
            'a',
            { class: 'btn btn-ghost', href: '#/leads/profile', 'data-testid': 'leads-profile' },
            'Ideal customer profile',
          ),
          editable
            ? h(
                'a',
                { class: 'btn btn-primary', href: '#/leads/import', 'data-testid': 'leads-import' },
                icon('upload'),
                'Import CSV',
              )
            : null,
        ),
      }),
      filterForm,
      enrich ? enrich.form : null,
      h('div', { class: 'card card-flush' }, tableSlot),
      pager.el,
    ),
  );

  let items = [];

  async function load() {
    replaceChildren(tableSlot, spinner('Loading leads…'));
    try {
      const page = await api(`/leads${query({ ...filters, limit: PAGE, cursor: pager.cursor() })}`, {
        signal: ctx.signal,
      });
      if (!ctx.isCurrent()) return;
      items = page.items;
      pager.loaded(page.nextCursor);
      draw();
    } catch (err) {
      if (isQuiet(err)) return;
      // A filter the API refuses is named on the filter form; anything else replaces the table.
      if (err instanceof ApiError && err.status === 400) showErrors(filterForm, err);
      replaceChildren(
        tableSlot,
        errorBox(err, () => void load()),
      );
    }
  }

  function draw() {
    if (enrich) enrich.update();
    if (items.length === 0) {
      const filtered = FILTER_KEYS.some((k) => k !== 'sort' && k !== 'order' && filters[k]);
      replaceChildren(
        tableSlot,
        emptyState(
          filtered ? 'No lead matches these filters' : 'No leads yet',
          filtered ? 'Change or clear the filters.' : 'Import a CSV of companies, or send them through the API.',
          !filtered && editable ? h('a', { class: 'btn btn-primary', href: '#/leads/import' }, 'Import a CSV') : null,
        ),
      );
      return;
    }
    const all = h('input', {
      type: 'checkbox',
      'aria-label': 'Select every lead on this page',
      'data-testid': 'lead-select-all',
      checked: items.every((l) => selected.has(l.id)),
    });
    all.addEventListener('change', () => {
      for (const l of items) {
        if (all.checked) selected.add(l.id);
        else selected.delete(l.id);
      }
      draw();
    });
    const table = dataTable(
      [
        editable ? { label: 'Select', hidden: true } : null,
        'Company',
        'Status',
        { label: 'Score', num: true },
        'City',
        'Email',
        'Updated',
      ].filter(Boolean),
      items.map(row),
      { testid: 'lead-table', caption: 'Leads', class: 'lead-table' },
    );
    if (editable) table.querySelector('thead th').replaceChildren(all);
    replaceChildren(tableSlot, table);
  }

  function row(lead) {
    const box = editable
      ? h('input', {
          type: 'checkbox',
          checked: selected.has(lead.id),
          'aria-label': `Select ${lead.companyName || lead.domain || 'lead'}`,
          'data-testid': 'lead-select',
        })
      : null;
    if (box)
      box.addEventListener('change', () => {
        if (box.checked) selected.add(lead.id);
        else selected.delete(lead.id);
        draw();
      });
    return h(
      'tr',
      { 'data-testid': 'lead-row', 'data-lead-id': lead.id, 'data-status': lead.status },
      box ? h('td', { class: 'cell-check' }, box) : null,
      h(
        'td',
        null,
        h(
          'div',
          { class: 'cell-stack' },
          h(
            'a',
            { href: leadHref(lead.id), class: 'cell-strong', 'data-testid': 'lead-link' },
            lead.companyName || lead.domain || (lead.emails || [])[0] || 'Unnamed lead',
          ),
          lead.domain ? h('span', { class: 'muted small' }, lead.domain) : null,
        ),
      ),
      h('td', null, statusBadge(lead.status, { 'data-testid': 'lead-status' })),
      h('td', { class: 'num' }, scoreBadge(lead.score, { 'data-testid': 'lead-score' })),
      h('td', null, lead.city || h('span', { class: 'muted' }, '—')),
      h('td', { class: 'cell-url' }, (lead.emails || [])[0] || h('span', { class: 'muted' }, '—')),
      h('td', { class: 'nowrap' }, time(lead.updatedAt)),
    );
  }

  function enrichBar() {
    const concurrency = concurrencyField();
    const some = h(
      'button',
      { type: 'button', class: 'btn btn-primary', disabled: true, 'data-testid': 'enrich-selected' },
      'Enrich selected',
    );
    const every = h(
      'button',
      { type: 'button', class: 'btn btn-secondary', 'data-testid': 'enrich-all' },
      'Enrich all matching',
    );
    const form = h(
      'form',
      { class: 'card enrich-bar', novalidate: true, 'data-testid': 'enrich-form' },
      h(
        'p',
        { class: 'enrich-text' },
        h('strong', null, 'Enrichment'),
        ' crawls each site, reads contacts and technologies, and scores the lead against the ideal customer profile.',
      ),
      h('div', { class: 'enrich-row' }, concurrency.el, some, every),
    );
    form.addEventListener('submit', (event) => event.preventDefault());
    some.addEventListener('click', () => {
      if (selected.size === 0) return;
      void startEnrichment(ctx, form, some, { leadIds: [...selected], concurrency: concurrency.read() });
    });
    every.addEventListener('click', async () => {
      const ok = await confirmDialog({
        title: 'Enrich every matching lead?',
        message: 'Each lead the current search and filters match is crawled and scored, not only this page.',
        confirm: 'Start enrichment',
      });
      if (ok) void startEnrichment(ctx, form, every, { filter: matchFilter(filters), concurrency: concurrency.read() });
    });
    return {
      form,
      update: () => {
        some.disabled = selected.size === 0;
        some.textContent = selected.size ? `Enrich selected (${selected.size})` : 'Enrich selected';
        // Nothing matches: a run would have no lead to enrich.
        every.disabled = pager.onFirstPage() && items.length === 0;
      },
    };
  }

  await load();
}
