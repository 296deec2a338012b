/**
 * The KPIs tab of a brand: the summary strip (popularity index, trend, change per metric with a sparkline) and
 * the periods table with inline add/edit/delete, CSV import and collection from the brand's channel.
 */
import { api, ApiError, brandPath, isQuiet } from './api.js';
import {
  busy,
  clientError,
  confirmDialog,
  emptyState,
  errorBox,
  formatDay,
  formatNumber,
  formatPercent,
  formatScore,
  h,
  icon,
  nextId,
  replaceChildren,
  showErrors,
  clearErrors,
  spinner,
  toast,
} from './dom.js';
import { sparkline } from './sparkline.js';
import { can } from './state.js';

const METRICS = [
  { key: 'followers', label: 'Followers', format: formatNumber },
  { key: 'engagementRate', label: 'Engagement', format: (v) => formatPercent(v, 2) },
  { key: 'views', label: 'Views', format: formatNumber },
  { key: 'posts', label: 'Posts', format: formatNumber },
];
const SOURCES = { manual: 'Manual', csv: 'CSV', 'local-channel': 'Channel' };
const COUNTS = ['followers', 'views', 'posts'];

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
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'kpis-title', 'data-testid': 'kpis' },
      h(
        'div',
        { class: 'section-head' },
        h(
          'div',
          null,
          h('h2', { id: 'kpis-title', class: 'card-title' }, 'KPIs'),
          h(
            'p',
            { class: 'muted' },
            'One row per period, dated by its first day. The report scores popularity and trend from them.',
          ),
        ),
        editable ? h('div', { class: 'page-actions' }, addBtn, importBtn, collectBtn, csvInput) : null,
      ),
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

  // ---------- summary strip ----------

  function drawStrip() {
    const s = state.summary;
    if (!s || !s.latest) {
      replaceChildren(strip);
      return;
    }
    const series = s.series || [];
    const deltas = new Map((s.deltas || []).map((d) => [d.metric, d]));
    replaceChildren(
      strip,
      h(
        'div',
        { class: 'kpi-tile kpi-tile-score', 'data-testid': 'kpi-popularity' },
        h('p', { class: 'kpi-label' }, 'Popularity index'),
        h('p', { class: 'kpi-value' }, formatScore(s.popularityIndex), h('span', { class: 'kpi-unit' }, ' / 100')),
        h('p', { class: 'kpi-note' }, `Latest period: ${formatDay(s.latest.period)}`),
      ),
      h(
        'div',
        { class: 'kpi-tile kpi-tile-score', 'data-testid': 'kpi-trend' },
        h('p', { class: 'kpi-label' }, 'Trend score'),
        h('p', { class: 'kpi-value' }, trendText(s.trendScore)),
        h(
          'p',
          { class: 'kpi-note' },
          s.trendScore === null
            ? 'Needs followers in two periods'
            : 'Followers over the last periods, from −100 to +100',
        ),
      ),
      METRICS.map((m) =>
        h(
          'div',
          { class: 'kpi-tile', 'data-testid': 'kpi-metric', 'data-metric': m.key },
          h('p', { class: 'kpi-label' }, m.label),
          h('p', { class: 'kpi-value' }, m.format(s.latest[m.key])),
          deltaView(deltas.get(m.key), m),
          sparkline(series.map((k) => k[m.key])),
        ),
      ),
    );
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
      h(
        'table',
        { class: 'table kpi-table', 'data-testid': 'kpi-table' },
        h('caption', { class: 'visually-hidden' }, 'KPIs per period, newest first'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'Period'),
            h('th', { scope: 'col', class: 'num' }, 'Followers'),
            h('th', { scope: 'col', class: 'num' }, 'Engagement %'),
            h('th', { scope: 'col', class: 'num' }, 'Views'),
            h('th', { scope: 'col', class: 'num' }, 'Posts'),
            h('th', { scope: 'col' }, 'Source'),
            h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
          ),
        ),
        h(
          'tbody',
          null,
          state.editing === 'new' ? editRow(null) : null,
          rows.map((row) => (state.editing === row.period ? editRow(row) : viewRow(row))),
        ),
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
    const del = h(
      'button',
      { type: 'button', class: 'btn btn-small btn-danger-outline', 'data-testid': 'kpi-delete' },
      'Delete',
      h('span', { class: 'visually-hidden' }, ` ${row.period}`),
    );
    del.addEventListener('click', () => void remove(row, del));
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
    const label = row ? formatDay(row.period) : 'the new period';
    const numberInput = (name, value, attrs = {}) =>
      h('input', {
        type: 'number',
        name,
        min: 0,
        step: 1,
        inputmode: 'numeric',
        value: value === null || value === undefined ? '' : String(value),
        'aria-label': `${METRICS.find((m) => m.key === name).label} for ${label}`,
        'data-testid': `kpi-input-${name}`,
        ...attrs,
      });
    const period = row
      ? h('span', null, formatDay(row.period))
      : h('input', {
          type: 'date',
          name: 'period',
          required: true,
          'aria-label': 'Period (first day)',
          'data-testid': 'kpi-input-period',
        });
    const inputs = {
      followers: numberInput('followers', row && row.followers),
      engagementRate: numberInput(
        'engagementRate',
        row && row.engagementRate !== null ? Number((row.engagementRate * 100).toFixed(4)) : null,
        { step: 'any', max: 100, inputmode: 'decimal' },
      ),
      views: numberInput('views', row && row.views),
      posts: numberInput('posts', row && row.posts),
    };
    const save = h('button', { type: 'button', class: 'btn btn-small btn-primary', 'data-testid': 'kpi-save' }, 'Save');
    const cancel = h(
      'button',
      { type: 'button', class: 'btn btn-small btn-ghost', 'data-testid': 'kpi-cancel' },
      'Cancel',
    );
    const tr = h(
      'tr',
      { class: 'is-editing', 'data-testid': 'kpi-edit-row', 'data-period': row ? row.period : null },
      h('th', { scope: 'row', 'data-field': 'period' }, period),
      h('td', { 'data-field': 'followers' }, inputs.followers),
      h(
        'td',
        { 'data-field': 'engagementRate' },
        h('span', { class: 'input-suffix' }, inputs.engagementRate, h('span', { 'aria-hidden': 'true' }, '%')),
      ),
      h('td', { 'data-field': 'views' }, inputs.views),
      h('td', { 'data-field': 'posts' }, inputs.posts),
      h('td', null, h('span', { class: 'chip' }, 'Manual')),
      h('td', { class: 'cell-actions' }, save, ' ', cancel),
    );
    cancel.addEventListener('click', () => {
      state.editing = null;
      clearErrors(notices);
      drawTable();
    });
    save.addEventListener('click', () => void submit());
    tr.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && event.target.tagName === 'INPUT') {
        event.preventDefault();
        void submit();
      } else if (event.key === 'Escape') {
        cancel.click();
      }
    });

    async function submit() {
      clearRowErrors(tr);
      clearErrors(notices);
      const day = row ? row.period : period.value;
      const errors = [];
      if (!row && !/^\d{4}-\d{2}-\d{2}$/.test(day))
        errors.push({ field: 'period', message: 'Pick the period’s first day' });
      else if (!row && state.items.some((k) => k.period === day))
        errors.push({ field: 'period', message: 'This period has a row already: edit it instead' });
      const values = {};
      for (const key of COUNTS) {
        const text = inputs[key].value.trim();
        const n = Number(text);
        if (text === '') values[key] = null;
        else if (!Number.isSafeInteger(n) || n < 0) errors.push({ field: key, message: 'A whole number, 0 or more' });
        else values[key] = n;
      }
      const pct = inputs.engagementRate.value.trim();
      if (pct === '') values.engagementRate = null;
      else if (!Number.isFinite(Number(pct)) || Number(pct) < 0 || Number(pct) > 100)
        errors.push({ field: 'engagementRate', message: 'A percentage from 0 to 100' });
      else values.engagementRate = Number((Number(pct) / 100).toFixed(6));
      if (errors.length > 0) {
        showRowErrors(tr, clientError(errors));
        return;
      }
      try {
        await busy(save, () => api(path(day), { method: 'PUT', body: values }), 'Saving…');
        toast(`KPIs for ${formatDay(day)} saved.`, 'success');
        state.editing = null;
        await load();
      } catch (err) {
        if (!isQuiet(err)) showRowErrors(tr, err);
      }
    }
    return tr;
  }

  /** Field errors under their inputs; anything else above the table. */
  function showRowErrors(tr, err) {
    const rest = [];
    let first = null;
    for (const fe of err instanceof ApiError ? err.errors : []) {
      const cell = tr.querySelector(`[data-field="${fe.field}"]`);
      const control = cell && cell.querySelector('input');
      if (!cell || !control) {
        rest.push(fe);
        continue;
      }
      const id = `${control.id || (control.id = nextId('kpi'))}-error`;
      cell.appendChild(h('p', { class: 'field-error', id, 'data-testid': 'field-error' }, fe.message));
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', id);
      first ??= control;
    }
    if (rest.length > 0 || !first) {
      showErrors(notices, err instanceof ApiError ? new ApiError(err.status, { ...err.problem, errors: rest }) : err);
    }
    if (first) first.focus();
  }

  function clearRowErrors(tr) {
    for (const el of tr.querySelectorAll('.field-error')) el.remove();
    for (const el of tr.querySelectorAll('[aria-invalid]')) {
      el.removeAttribute('aria-invalid');
      el.removeAttribute('aria-describedby');
    }
  }

  // ---------- actions ----------

  async function remove(row, button) {
    const ok = await confirmDialog({
      title: `Delete the KPIs of ${formatDay(row.period)}?`,
      message: 'The period’s followers, engagement, views and posts are removed.',
      confirm: 'Delete period',
      danger: true,
    });
    if (!ok) return;
    try {
      await busy(button, () => api(path(row.period), { method: 'DELETE' }));
      toast(`KPIs for ${formatDay(row.period)} deleted.`, 'success');
      await load();
    } catch (err) {
      if (!isQuiet(err)) toast(err.message, 'error');
    }
  }

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

function trendText(score) {
  if (typeof score !== 'number') return '—';
  return score > 0 ? `+${formatScore(score)}` : formatScore(score);
}

/** "▲ 12.5%" against the previous period; percentage points for the engagement rate. */
function deltaView(delta, metric) {
  if (!delta || delta.direction === null) return h('p', { class: 'kpi-delta muted' }, 'No earlier period to compare');
  const arrow = { up: '▲', down: '▼', flat: '▬' }[delta.direction];
  let change;
  if (metric.key === 'engagementRate') {
    const points = delta.absolute * 100;
    change = `${points > 0 ? '+' : ''}${points.toLocaleString(undefined, { maximumFractionDigits: 2 })} pt`;
  } else if (delta.percent !== null) {
    change = `${delta.percent > 0 ? '+' : ''}${delta.percent.toLocaleString(undefined, { maximumFractionDigits: 1 })}%`;
  } else {
    change = `${delta.absolute > 0 ? '+' : ''}${formatNumber(delta.absolute)}`;
  }
  const words = { up: 'up', down: 'down', flat: 'unchanged' }[delta.direction];
  return h(
    'p',
    { class: `kpi-delta delta-${delta.direction}`, 'data-testid': 'kpi-delta', 'data-direction': delta.direction },
    h('span', { 'aria-hidden': 'true' }, arrow),
    ` ${change}`,
    h('span', { class: 'visually-hidden' }, ` (${words} on the previous period)`),
    h('span', { class: 'kpi-delta-note', 'aria-hidden': 'true' }, ' vs previous'),
  );
}
