/**
 * The run page's details: the run's ids and times, then the input and result values its automation's manifest lists
 * (in the manifest's order, each in its format), and the raw JSON of both.
 */
import { automationTitle } from '../state.js';
import { copyButton, formatDateTime, formatDuration, h, replaceChildren, time } from '../dom.js';
import { DETAIL_FORMATS } from './detail-formats.js';

/** `input.a.b` or `result.a` of the run; undefined when any part is missing. */
const valueAt = (sources, path) =>
  path.split('.').reduce((value, key) => (value && typeof value === 'object' ? value[key] : undefined), sources);

/** @param manifest the run's automation manifest; without one, only what every run has is listed */
export function renderDetails(detailsBody, r, brand, manifest) {
  const rows = [];
  const add = (term, ...value) =>
    rows.push(h('div', { class: 'detail-row' }, h('dt', null, term), h('dd', null, ...value)));
  add('Automation', automationTitle(r.automation));
  if (r.brandId)
    add(
      'Brand',
      brand
        ? h('a', { href: `#/brands/${encodeURIComponent(brand.id)}` }, brand.name)
        : h('span', { class: 'mono' }, r.brandId),
    );
  add('Workflow ID', h('span', { class: 'mono break' }, r.id), ' ', copyButton(r.id));
  if (r.runId) add('Run ID', h('span', { class: 'mono break' }, r.runId));
  add(
    'Started',
    time(r.startTime),
    r.startTime ? h('span', { class: 'muted' }, ` · ${formatDateTime(r.startTime)}`) : null,
  );
  if (r.closeTime)
    add(
      'Finished',
      time(r.closeTime),
      h('span', { class: 'muted' }, ` · took ${formatDuration(new Date(r.closeTime) - new Date(r.startTime))}`),
    );
  const input = r.input && typeof r.input === 'object' ? r.input : null;
  const result = r.result && typeof r.result === 'object' ? r.result : null;
  for (const row of (manifest && manifest.details) || []) {
    const value = valueAt({ input, result }, row.value);
    if (value === undefined || value === null || value === '' || value === false) continue;
    if (row.whenStatus && (result && result.status) !== row.whenStatus) continue;
    const shown = (DETAIL_FORMATS[row.format] || DETAIL_FORMATS.text)(value, row, r);
    if (shown !== null) add(row.label, ...[shown].flat());
  }
  const extras = [];
  if (input)
    extras.push(
      h('details', { class: 'raw' }, h('summary', null, 'Input JSON'), h('pre', null, JSON.stringify(input, null, 2))),
    );
  if (r.result !== undefined)
    extras.push(
      h(
        'details',
        { class: 'raw' },
        h('summary', null, 'Result JSON'),
        h('pre', null, JSON.stringify(r.result, null, 2)),
      ),
    );
  replaceChildren(detailsBody, rows, extras);
}
