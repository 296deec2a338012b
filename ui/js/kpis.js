/**
 * The KPIs tab of a brand: the summary strip (popularity index, trend, change per metric with a sparkline) and
 * the periods table with inline add/edit/delete, CSV import and collection from the brand's channel.
 */
import { api, ApiError, brandPath, isQuiet } from './api.js';
import {
  actionButton,
  busy,
  clearErrors,
  emptyState,
  errorBox,
  formatDay,
  formatNumber,
  formatPercent,
  h,
  icon,
  replaceChildren,
  showErrors,
  spinner,
  toast,
} from './dom.js';
import { kpiEditRow } from './kpi-edit-row.js';
import { tabCard } from './layout.js';
import { kpiTiles } from './kpi-summary.js';
import { can } from './state.js';
import { ACTIONS, dataTable } from './table.js';

const SOURCES = { manual: 'Manual', csv: 'CSV', 'local-channel': 'Channel' };
const COLUMNS = [
  'Period',
  { label: 'Followers', num: true },
  { label: 'Engagement %', num: true },
  { label: 'Views', num: true },
  { label: 'Posts', num: true },
  'Source',
  ACTIONS,
];

export function renderKpiSection(ctx, brand, panel) {
  const editable = can('editor');
  const path = (...rest) => brandPath(brand.id, 'kpis', ...rest);
  const state = { items: [], summary: null, editing: null };

  const strip = h('div', { class: 'kpi-strip', 'data-testid': 'kpi-summary' });
  const tableSlot = h('div', { class: 'table-wrap' }, spinner('Loading KPIs…'));
  const notices = h('div', { class: 'kpi-notices' });

  const csvInput = h('input', {
    type: 'file',
    accept: '.csv,text/csv',
    class: 'visually-hidden',
    tabindex: '-1',
    'aria-hidden': 'true',
    'data-testid': 'kpi-csv-input',
  });
  const importBtn = h(
    'button',
    { type: 'button', class: 'btn btn-secondary', 'data-testid': 'kpi-import' },
    icon('upload'),
    'Import CSV',
  );
  const collectBtn = h(
    'button',
    { type: 'button', class: 'btn btn-secondary', 'data-testid': 'kpi-collect' },
    icon('refresh'),
    'Collect from channel',
  );
  const addBtn = h(
    'button',
    { type: 'button', class: 'btn btn-primary', 'data-testid': 'kpi-add' },
    icon('launch'),
    'Add period',
  );

  importBtn.addEventListener('click', () => csvInput.click());
  csvInput.addEventListener('change', () => {
    const file = csvInput.files && csvInput.files[0];
    csvInput.value = '';
    if (file) void importCsv(file);
  });
  collectBtn.addEventListener('click', () => void collect());
  addBtn.addEventListener('click', () => {
    state.editing = 'new';
    drawTable();
  });

  replaceChildren(
    panel,
    tabCard(
      {
        key: 'kpis',
        title: 'KPIs',
        description: 'One row per period, dated by its first day. The report scores popularity and trend from them.',
        actions: editable ? h('div', { class: 'page-actions' }, addBtn, importBtn, collectBtn, csvInput) : null,
      },
      editable
        ? h(
            'details',
            { class: 'hint-details' },
            h('summary', null, 'CSV format'),
            h(
              'p',
              { class: 'hint' },
              'A header row naming the columns ',
              h('code', null, 'period,followers,engagement_rate,views,posts'),
              ' in any order (only period is required). Periods are dates like 2025-03-03; an empty cell means “not measured”; engagement as 0.042 or 4.2%. A bad row imports nothing.',
            ),
            h('pre', null, 'period,followers,engagement_rate,views,posts\n2025-03-03,1250,4.2%,8300,3'),
          )
        : null,
      notices,
      strip,
      tableSlot,
    ),
  );

  async function load() {
    try {
      const data = await api(path(), { signal: ctx.signal });
      if (!ctx.isCurrent()) return;
      state.items = data.items || [];
      state.summary = data.summary || null;
      drawStrip();
      drawTable();
    } catch (err) {
      if (isQuiet(err)) return;
      replaceChildren(
        tableSlot,
        errorBox(err, () => void load()),
      );
    }
  }

  function drawStrip() {
    replaceChildren(strip, kpiTiles(state.summary));
  }

  // ---------- table ----------

  function drawTable() {
    const rows = [...state.items].reverse();
    if (rows.length === 0 && state.editing !== 'new') {
      replaceChildren(
        tableSlot,
        emptyState(
          'No KPIs yet',
          editable
            ? 'Add a period by hand, import a CSV, or collect posts and views from the brand channel.'
            : 'Editors can add them.',
        ),
      );
      return;
    }
    replaceChildren(
      tableSlot,
      dataTable(
        COLUMNS,
        [
          state.editing === 'new' ? editRow(null) : null,
          rows.map((row) => (state.editing === row.period ? editRow(row) : viewRow(row))),
        ],
        { testid: 'kpi-table', class: 'kpi-table', caption: 'KPIs per period, newest first' },
      ),
    );
    const first = tableSlot.querySelector('tr.is-editing input:not([readonly])');
    if (first) first.focus();
  }

  function viewRow(row) {
    const edit = h(
      'button',
      { type: 'button', class: 'btn btn-small btn-ghost', 'data-testid': 'kpi-edit' },
      'Edit',
      h('span', { class: 'visually-hidden' }, ` ${row.period}`),
    );
    edit.addEventListener('click', () => {
      state.editing = row.period;
      drawTable();
    });
    const del = actionButton(
      { class: 'btn btn-small btn-danger-outline', 'data-testid': 'kpi-delete' },
      ['Delete', h('span', { class: 'visually-hidden' }, ` ${row.period}`)],
      () => ({
        confirm: {
          title: `Delete the KPIs of ${formatDay(row.period)}?`,
          message: 'The period’s followers, engagement, views and posts are removed.',
          confirm: 'Delete period',
          danger: true,
        },
        request: () => api(path(row.period), { method: 'DELETE' }),
        done: `KPIs for ${formatDay(row.period)} deleted.`,
        then: load,
      }),
    );
    return h(
      'tr',
      { 'data-testid': 'kpi-row', 'data-period': row.period },
      h('th', { scope: 'row', class: 'kpi-period' }, formatDay(row.period)),
      h('td', { class: 'num' }, formatNumber(row.followers)),
      h('td', { class: 'num' }, formatPercent(row.engagementRate, 2)),
      h('td', { class: 'num' }, formatNumber(row.views)),
      h('td', { class: 'num' }, formatNumber(row.posts)),
      h('td', null, h('span', { class: 'chip' }, SOURCES[row.source] || row.source)),
      h('td', { class: 'cell-actions' }, editable ? [edit, ' ', del] : null),
    );
  }

  function editRow(row) {
    return kpiEditRow(row, {
      notices,
      taken: (day) => state.items.some((k) => k.period === day),
      put: (day, values) => api(path(day), { method: 'PUT', body: values }),
      saved: () => {
        state.editing = null;
        return load();
      },
      cancel: () => {
        state.editing = null;
        drawTable();
      },
    });
  }

  // ---------- actions ----------

  async function importCsv(file) {
    clearErrors(notices);
    try {
      const text = await file.text();
      const result = await busy(
        importBtn,
        () => api(path('import'), { method: 'POST', raw: text, contentType: 'text/csv' }),
        'Importing…',
      );
      toast(`Imported ${result.imported} period${result.imported === 1 ? '' : 's'} from ${file.name}.`, 'success');
      await load();
    } catch (err) {
      if (isQuiet(err)) return;
      showErrors(
        notices,
        err instanceof ApiError
          ? new ApiError(err.status, { ...err.problem, title: `${file.name}: nothing was imported` })
          : err,
      );
    }
  }

  async function collect() {
    clearErrors(notices);
    try {
      const result = await busy(collectBtn, () => api(path('collect'), { method: 'POST' }), 'Collecting…');
      toast(
        result.collected === 0
          ? 'The brand channel has no posts or page views to count yet.'
          : `Collected posts and views for ${result.collected} week${result.collected === 1 ? '' : 's'} from the channel.`,
        result.collected === 0 ? 'info' : 'success',
      );
      await load();
    } catch (err) {
      if (!isQuiet(err)) showErrors(notices, err);
    }
  }

  void load();
}
