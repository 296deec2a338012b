/**
 * The run page's details: the run's ids and times, what it was asked to do (its input) and what came of it (its
 * result), with the raw JSON of both.
 */
import { automationTitle, platformInfo, POST_TYPES } from '../state.js';
import { copyButton, formatDateTime, formatDuration, formatScore, h, replaceChildren, safeUrl, time } from '../dom.js';

export function renderDetails(detailsBody, r, brand) {
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
  if (input) {
    if (input.platform) add('Platform', (platformInfo(input.platform) || { title: input.platform }).title);
    if (input.postType)
      add('Post type', (POST_TYPES.find((t) => t.name === input.postType) || { title: input.postType }).title);
    if (input.format) add('Format', input.format);
    if (input.topic) add('Topic', input.topic);
    if (input.diagnosisId && r.brandId)
      add(
        'Diagnosis',
        h(
          'a',
          { href: `#/brands/${encodeURIComponent(r.brandId)}/diagnosis/${encodeURIComponent(input.diagnosisId)}` },
          'View the diagnosis',
        ),
      );
    if (Array.isArray(input.recipients))
      add(
        'Recipients',
        input.recipients.length > 0
          ? h('span', { class: 'break' }, input.recipients.join(', '))
          : h('span', { class: 'muted' }, 'Nobody: the report is only stored'),
      );
    if (input.approval) {
      add(
        'Approval',
        input.approval.required === false
          ? 'Not required'
          : `Required · ${formatDuration((input.approval.timeoutSeconds || 0) * 1000)} · on timeout ${input.approval.onTimeout}`,
      );
    }
  }
  const result = r.result && typeof r.result === 'object' ? r.result : null;
  if (result) {
    if (result.status)
      add(
        'Outcome',
        h(
          'span',
          { class: `chip ${result.status === 'published' || result.status === 'sent' ? 'chip-ok' : ''}` },
          result.status,
        ),
      );
    if (Array.isArray(result.recipients) && result.status === 'sent')
      add('Emailed to', h('span', { class: 'break' }, result.recipients.join(', ')));
    if (typeof result.overall === 'number') add('Overall score', `${formatScore(result.overall)} / 100`);
    if (typeof result.pages === 'number') add('Pages', String(result.pages));
    if (result.reportId && r.brandId)
      add(
        'Report',
        h(
          'a',
          { href: `#/brands/${encodeURIComponent(r.brandId)}?tab=reports`, 'data-testid': 'run-report-link' },
          'All reports of the brand',
        ),
        result.pdfUrl ? ' · ' : null,
        result.pdfUrl
          ? h('a', { href: safeUrl(result.pdfUrl), target: '_blank', rel: 'noopener' }, 'Open the PDF')
          : null,
      );
    if (result.url)
      add(
        'Published at',
        h('a', { href: safeUrl(result.url), target: '_blank', rel: 'noopener', class: 'break' }, result.url),
      );
    if (result.writtenBy) add('Written by', result.writtenBy);
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
