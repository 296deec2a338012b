/**
 * The Reports tab of a brand: every diagnosis report, newest first, with its PDF (open or download), the HTML
 * preview and the run that made it. The list refreshes while a report is being generated.
 */
import { brandPath } from './api.js';
import { emptyState, formatScore, h, icon, replaceChildren, safeUrl, spinner, statusBadge, time } from './dom.js';
import { tabCard } from './layout.js';
import { pollInto } from './load.js';
import { runHref } from './runs.js';
import { can } from './state.js';
import { dataTable } from './table.js';

const POLL_MS = 3000;

/** The launch form of a report for this brand (optionally from one diagnosis). */
export const newReportHref = (brandId, diagnosisId) =>
  `#/launch/brand-report?brandId=${encodeURIComponent(brandId)}${diagnosisId ? `&diagnosisId=${encodeURIComponent(diagnosisId)}` : ''}`;

export function renderReportSection(ctx, brand, panel) {
  const listSlot = h('div', { class: 'table-wrap' }, spinner('Loading reports…'));
  const load = pollInto(ctx, listSlot, brandPath(brand.id, 'reports'), draw, {
    pending: (items) => items.some((r) => r.status === 'generating'),
    ms: POLL_MS,
  });

  replaceChildren(
    panel,
    tabCard(
      {
        key: 'reports',
        title: 'Reports',
        description: 'Diagnosis reports as PDF: scores, KPIs, SWOT and prioritised recommendations.',
        actions: can('editor')
          ? h(
              'a',
              { class: 'btn btn-primary', href: newReportHref(brand.id), 'data-testid': 'report-new' },
              icon('launch'),
              'New report',
            )
          : null,
      },
      listSlot,
    ),
  );

  function draw(items) {
    if (items.length === 0) {
      replaceChildren(
        listSlot,
        emptyState(
          'No reports yet',
          'Complete a diagnosis, then launch a report: it is rendered as a PDF and can be emailed.',
          can('editor') ? h('a', { class: 'btn btn-primary', href: newReportHref(brand.id) }, 'Create a report') : null,
        ),
      );
      return;
    }
    replaceChildren(
      listSlot,
      dataTable(
        ['Created', 'Status', { label: 'Overall', num: true }, { label: 'Pages', num: true }, 'Emailed to', 'Files'],
        items.map(row),
        { testid: 'report-table', caption: 'Reports, newest first' },
      ),
    );
  }

  function row(r) {
    const files = [];
    if (r.pdfUrl) {
      files.push(
        h(
          'a',
          {
            class: 'btn btn-small btn-secondary',
            href: safeUrl(`${r.pdfUrl}?inline=1`),
            target: '_blank',
            rel: 'noopener',
            'data-testid': 'report-open-pdf',
          },
          icon('external'),
          'Open PDF',
        ),
        h(
          'a',
          {
            class: 'btn btn-small btn-ghost',
            href: safeUrl(r.pdfUrl),
            download: '',
            'data-testid': 'report-download',
          },
          icon('download'),
          'Download',
        ),
      );
    }
    if (r.htmlUrl) {
      files.push(
        h(
          'a',
          {
            class: 'btn btn-small btn-ghost',
            href: safeUrl(r.htmlUrl),
            target: '_blank',
            rel: 'noopener',
            'data-testid': 'report-html',
          },
          'HTML preview',
        ),
      );
    }
    const sent = r.recipients && r.recipients.length > 0;
    return h(
      'tr',
      { 'data-testid': 'report-row', 'data-report-id': r.id, 'data-status': r.status },
      h(
        'td',
        null,
        h(
          'div',
          { class: 'cell-stack' },
          h('span', { class: 'cell-strong' }, time(r.createdAt)),
          h(
            'a',
            { href: runHref(r.workflowId), class: 'small', title: r.workflowId, 'data-testid': 'report-run' },
            'View run',
          ),
        ),
      ),
      h(
        'td',
        null,
        statusBadge(r.status, { 'data-testid': 'report-status' }),
        r.error ? h('p', { class: 'cell-error' }, r.error) : null,
      ),
      h('td', { class: 'num', 'data-testid': 'report-overall' }, formatScore(r.overall)),
      h('td', { class: 'num' }, r.pages === null || r.pages === undefined ? '—' : String(r.pages)),
      h(
        'td',
        { class: 'cell-recipients' },
        h(
          'div',
          { class: 'cell-stack' },
          sent
            ? r.recipients.map((address) => h('span', { class: 'recipient' }, address))
            : h('span', { class: 'muted' }, 'Nobody'),
          r.emailedAt
            ? h('span', { class: 'muted small' }, 'Sent ', time(r.emailedAt))
            : sent && (r.status === 'rejected' || r.status === 'failed')
              ? h('span', { class: 'muted small' }, 'Not sent')
              : null,
        ),
      ),
      h('td', null, files.length > 0 ? h('div', { class: 'file-actions' }, files) : h('span', { class: 'muted' }, '—')),
    );
  }

  void load();
}
