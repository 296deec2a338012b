/**
 * A KPI period edited in place in the table: a date for a new period, a number input per metric (engagement as a
 * percentage); Enter saves, Escape cancels; errors land under their inputs, anything else above the table.
 */
import { ApiError, isQuiet } from './api.js';
import { busy, clearErrors, clientError, formatDay, h, nextId, showErrors, toast } from './dom.js';
import { METRICS } from './kpi-summary.js';

const COUNTS = ['followers', 'views', 'posts'];

/**
 * @param {object|null} row the period edited, or null for a new one
 * @param {{notices: HTMLElement, taken: (day: string) => boolean, put: (day: string, values: object) => Promise,
 *   saved: () => Promise, cancel: () => void}} o notices: where errors without a cell go; taken: a period has a row
 */
export function kpiEditRow(row, o) {
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
    clearErrors(o.notices);
    o.cancel();
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
    clearErrors(o.notices);
    const day = row ? row.period : period.value;
    const { values, errors } = readValues(inputs);
    if (!row && !/^\d{4}-\d{2}-\d{2}$/.test(day))
      errors.unshift({ field: 'period', message: 'Pick the period’s first day' });
    else if (!row && o.taken(day))
      errors.unshift({ field: 'period', message: 'This period has a row already: edit it instead' });
    if (errors.length > 0) {
      showRowErrors(tr, clientError(errors), o.notices);
      return;
    }
    try {
      await busy(save, () => o.put(day, values), 'Saving…');
      toast(`KPIs for ${formatDay(day)} saved.`, 'success');
      await o.saved();
    } catch (err) {
      if (!isQuiet(err)) showRowErrors(tr, err, o.notices);
    }
  }
  return tr;
}

/** The metrics as the API takes them (engagement as a fraction), and what is wrong with them. */
function readValues(inputs) {
  const values = {};
  const errors = [];
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
  return { values, errors };
}

/** Field errors under their inputs; anything else in `notices`. */
function showRowErrors(tr, err, notices) {
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
