/** The lead page's score, enrichment runs and sources: what was concluded about a lead, and where it came from. */
import { h, safeUrl, time } from './dom.js';
import { isHttpUrl, scoreBadge, sourceLabel } from './lead-parts.js';
import { runHref } from './runs.js';
import { dataTable } from './table.js';

const RULES = {
  category: 'Category',
  keywords: 'Keywords',
  location: 'Location',
  contacts: 'Contacts',
  web: 'Web presence',
};

export function scoreCard(lead) {
  const reasons = lead.scoreReasons || [];
  return h(
    'section',
    { class: 'card stack', 'aria-labelledby': 'lead-score-title', 'data-testid': 'lead-score-card' },
    h('h2', { class: 'card-title', id: 'lead-score-title' }, 'Score'),
    h(
      'div',
      { class: 'score-head' },
      h('span', { class: 'score-large' }, scoreBadge(lead.score, { 'data-testid': 'lead-detail-score' })),
      h('span', { class: 'muted' }, typeof lead.score === 'number' ? 'out of 100' : 'Not scored yet'),
    ),
    lead.failureReason
      ? h('div', { class: 'alert alert-error', role: 'note', 'data-testid': 'lead-failure' }, lead.failureReason)
      : null,
    reasons.length === 0
      ? h('p', { class: 'muted' }, 'Not scored yet: enrichment scores the lead against the ideal customer profile.')
      : h(
          'ul',
          { class: 'reasons', 'data-testid': 'lead-reasons' },
          reasons.map((r) =>
            h(
              'li',
              { class: 'reason', 'data-testid': 'lead-reason', 'data-rule': r.rule },
              h(
                'div',
                { class: 'reason-head' },
                h('span', { class: 'reason-rule' }, RULES[r.rule] || r.rule),
                h(
                  'span',
                  { class: ['reason-points', r.points > 0 ? 'is-positive' : null] },
                  `${r.points > 0 ? '+' : ''}${r.points}`,
                ),
              ),
              h('p', { class: 'reason-detail' }, r.detail),
              r.source && isHttpUrl(r.source)
                ? h(
                    'a',
                    {
                      class: 'small',
                      href: safeUrl(r.source),
                      target: '_blank',
                      rel: 'noopener',
                      'data-testid': 'reason-source',
                    },
                    r.source,
                  )
                : null,
            ),
          ),
        ),
  );
}

const ENRICHMENT_LABELS = { running: 'running', enriched: 'completed', failed: 'failed' };

export function enrichmentCard(enrichments) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'lead-enrichments-title', 'data-testid': 'lead-enrichments' },
    h('h2', { class: 'card-title', id: 'lead-enrichments-title' }, 'Enrichment runs'),
    enrichments.length === 0
      ? h('p', { class: 'muted' }, 'This lead has not been enriched yet.')
      : dataTable(
          ['Started', 'Status', { label: 'Pages', num: true }, { label: 'Score', num: true }, 'Run'],
          enrichments.map((e) =>
            h(
              'tr',
              { 'data-testid': 'lead-enrichment', 'data-status': e.status },
              h(
                'td',
                { class: 'nowrap' },
                h(
                  'div',
                  { class: 'cell-stack' },
                  time(e.startedAt),
                  e.finishedAt ? h('span', { class: 'muted small' }, 'finished ', time(e.finishedAt)) : null,
                ),
              ),
              h(
                'td',
                null,
                // The run's own vocabulary colours the badge; its label says what the enrichment did.
                h(
                  'span',
                  { class: `badge badge-${ENRICHMENT_LABELS[e.status] || e.status}` },
                  h('span', { class: 'badge-dot', 'aria-hidden': 'true' }),
                  e.status === 'enriched' ? 'Enriched' : e.status === 'failed' ? 'Failed' : 'Running',
                ),
                e.failure ? h('p', { class: 'cell-error' }, e.failure) : null,
                e.writtenBy ? h('p', { class: 'muted small' }, `written by ${e.writtenBy}`) : null,
              ),
              h('td', { class: 'num' }, String(e.pages ?? '—')),
              h('td', { class: 'num' }, scoreBadge(e.score)),
              h(
                'td',
                null,
                h(
                  'div',
                  { class: 'cell-stack' },
                  h('a', { href: runHref(e.workflowId), 'data-testid': 'lead-enrichment-run' }, 'View run'),
                  e.batchWorkflowId ? h('a', { href: runHref(e.batchWorkflowId), class: 'small' }, 'Batch run') : null,
                ),
              ),
            ),
          ),
          { caption: 'Enrichment runs, newest first', wrap: true },
        ),
  );
}

export function sourcesCard(sources) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'lead-sources-title', 'data-testid': 'lead-sources' },
    h('h2', { class: 'card-title', id: 'lead-sources-title' }, 'Where it came from'),
    sources.length === 0
      ? h('p', { class: 'muted' }, 'No source recorded.')
      : dataTable(
          ['When', 'Source', 'Reference', 'Outcome'],
          sources.map((s) =>
            h(
              'tr',
              { 'data-testid': 'lead-source', 'data-kind': s.kind },
              h('td', { class: 'nowrap' }, time(s.createdAt)),
              h('td', null, sourceLabel(s.kind)),
              h(
                'td',
                { class: 'cell-url' },
                s.reference && isHttpUrl(s.reference)
                  ? h('a', { href: safeUrl(s.reference), target: '_blank', rel: 'noopener' }, s.reference)
                  : s.reference || h('span', { class: 'muted' }, '—'),
                s.row ? h('span', { class: 'muted' }, ` · row ${s.row}`) : null,
              ),
              h(
                'td',
                null,
                h(
                  'span',
                  { class: s.outcome === 'created' ? 'chip chip-accent' : 'chip' },
                  s.outcome === 'created' ? 'Created' : 'Merged',
                ),
              ),
            ),
          ),
          { caption: 'Sources, newest first', wrap: true },
        ),
  );
}
