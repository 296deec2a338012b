/**
 * How the run page shows a value its automation's manifest lists in the details (`format` of a manifest detail row).
 * Each takes the value, the row and the run, and returns what goes in the row, or null to leave the row out.
 */
import { formatDuration, formatScore, h, safeUrl } from '../dom.js';
import { platformInfo, POST_TYPES } from '../state.js';

const link = (href, text, attrs = {}) =>
  h('a', { href: safeUrl(href), target: '_blank', rel: 'noopener', ...attrs }, text);

export const DETAIL_FORMATS = {
  text: (value) => String(value),
  number: (value) => (typeof value === 'number' ? String(value) : null),
  list: (value, row) => {
    if (!Array.isArray(value)) return null;
    if (value.length === 0 && row.empty) return h('span', { class: 'muted' }, row.empty);
    return h('span', { class: 'break' }, value.join(', '));
  },
  url: (value) => link(value, value, { class: 'break' }),
  outcome: (value, row) => h('span', { class: `chip ${(row.ok || []).includes(value) ? 'chip-ok' : ''}` }, value),
  'approval-policy': (policy) =>
    policy.required === false
      ? 'Not required'
      : `Required · ${formatDuration((policy.timeoutSeconds || 0) * 1000)} · on timeout ${policy.onTimeout}`,
  score: (value) => (typeof value === 'number' ? `${formatScore(value)} / 100` : null),
  platform: (name) => (platformInfo(name) || { title: name }).title,
  'post-type': (name) => (POST_TYPES.find((t) => t.name === name) || { title: name }).title,
  diagnosis: (id, _row, run) =>
    run.brandId
      ? h(
          'a',
          { href: `#/brands/${encodeURIComponent(run.brandId)}/diagnosis/${encodeURIComponent(id)}` },
          'View the diagnosis',
        )
      : null,
  report: (_id, _row, run) => {
    if (!run.brandId) return null;
    const pdfUrl = run.result.pdfUrl;
    return [
      h(
        'a',
        { href: `#/brands/${encodeURIComponent(run.brandId)}?tab=reports`, 'data-testid': 'run-report-link' },
        'All reports of the brand',
      ),
      pdfUrl ? ' · ' : null,
      pdfUrl ? link(pdfUrl, 'Open the PDF') : null,
    ];
  },
};
