/**
 * What the experiment pages share: links, labels, the verdict card, a variant’s content preview and its figures (from the
 * counts, and from the last evaluation when there is one).
 */
import { formatDateTime, formatNumber, formatPercent, h } from './dom.js';
import { card } from './layout.js';

export const experimentHref = (id) => `#/experiments/${encodeURIComponent(id)}`;

/** Statuses after which nothing changes. */
export const ENDED = ['stopped', 'completed'];

export const KIND_LABELS = { post: 'Post copy', free: 'Free-form' };
export const UNIT_LABELS = { visitor: 'visitor', recipient: 'email recipient' };

/** "unsubscribe must not rise more than 10%" */
export function guardrailText(g) {
  return `“${g.metric}” must not ${g.worseWhen === 'lower' ? 'fall' : 'rise'} more than ${formatPercent(g.maxChange, 1)}`;
}

export const ACTION_LABELS = {
  continue: 'Keep collecting',
  'stop-winner': 'A winner was found',
  'stop-futility': 'No difference worth having',
  'stop-max': 'The maximum duration was reached',
  'pause-srm': 'Paused: sample ratio mismatch',
};

/** A variant's content as a reader sees it: post copy, or its JSON. */
export function contentPreview(kind, content) {
  if (kind === 'post') {
    const tags = (content.hashtags || []).map((t) => (t.startsWith('#') ? t : `#${t}`)).join(' ');
    return h(
      'div',
      { class: 'variant-content', 'data-testid': 'variant-content' },
      h('p', { class: 'variant-caption' }, content.caption),
      tags ? h('p', { class: 'muted small' }, tags) : null,
      h('span', { class: 'chip' }, content.callToAction),
    );
  }
  return h('pre', { class: 'variant-json', 'data-testid': 'variant-content' }, JSON.stringify(content, null, 2));
}

const signed = (n, digits = 1) =>
  typeof n === 'number' && Number.isFinite(n) ? `${n > 0 ? '+' : ''}${formatPercent(n, digits)}` : '—';

function figure(label, value, testid, sub) {
  return h(
    'div',
    { class: 'variant-figure' },
    h('dt', null, label),
    h('dd', { 'data-testid': testid }, value, sub ? h('span', { class: 'muted small' }, ` ${sub}`) : null),
  );
}

/**
 * One variant, side by side with the others.
 * @param {object} variant the stored variant (key, name, control, weight, content)
 * @param {object} stats its counts (exposures, conversions, rate)
 * @param {object|undefined} evaluated its figures in the last evaluation, when there is one
 * @param {{kind: string, metric: string, winner?: string|null, guardrails?: object[], checks?: object[]}} o
 *   guardrails: the experiment's; checks: this variant's guardrail results in the last evaluation
 */
export function variantCard(variant, stats, evaluated, o) {
  const interval = evaluated && evaluated.rateInterval;
  const vs = evaluated && evaluated.versusControl;
  return h(
    'section',
    {
      class: ['card', 'variant-card', o.winner === variant.key ? 'is-winner' : null],
      'aria-labelledby': `variant-${variant.key}-title`,
      'data-testid': 'variant-card',
      'data-variant': variant.key,
    },
    h(
      'div',
      { class: 'variant-head' },
      h('span', { class: 'variant-key', 'aria-hidden': 'true' }, variant.key),
      h('h2', { class: 'card-title', id: `variant-${variant.key}-title` }, variant.name),
      variant.control ? h('span', { class: 'badge', 'data-testid': 'variant-control' }, 'Control') : null,
      o.winner === variant.key ? h('span', { class: 'badge badge-completed' }, 'Winner') : null,
    ),
    h('p', { class: 'muted small' }, `Weight ${variant.weight}`),
    contentPreview(o.kind, variant.content || {}),
    h(
      'dl',
      { class: 'variant-figures' },
      figure('Exposures', formatNumber(stats.exposures), 'variant-exposures'),
      figure(`Conversions (${o.metric})`, formatNumber(stats.conversions), 'variant-conversions'),
      figure(
        'Rate',
        formatPercent(stats.rate, 2),
        'variant-rate',
        interval ? `(${formatPercent(interval.lower, 2)} – ${formatPercent(interval.upper, 2)})` : null,
      ),
      figure('Chance to be best', evaluated ? formatPercent(evaluated.chanceToBeBest, 1) : '—', 'variant-best'),
      variant.control ? null : figure('Lift vs control', vs ? signed(vs.relativeLift) : '—', 'variant-lift'),
      variant.control
        ? null
        : figure(
            'Always-valid p-value',
            vs && typeof vs.sequentialPValue === 'number' ? vs.sequentialPValue.toFixed(3) : '—',
            'variant-pvalue',
          ),
    ),
    guardrailFigures(variant, stats, o),
  );
}

/** Each guardrail metric's conversions for the variant and, for a treatment, its change against the control. */
function guardrailFigures(variant, stats, o) {
  if (!o.guardrails || o.guardrails.length === 0) return null;
  return h(
    'ul',
    { class: 'plain-list variant-guardrails', 'data-testid': 'variant-guardrails' },
    o.guardrails.map((g) => {
      const count = (stats.guardrails || {})[g.metric] ?? 0;
      const check = (o.checks || []).find((c) => c.metric === g.metric);
      const rate = stats.exposures > 0 ? count / stats.exposures : null;
      return h(
        'li',
        { 'data-metric': g.metric, 'data-regressed': check ? String(check.regressed) : null },
        h('span', { class: 'muted small' }, `${g.metric}: `),
        `${formatNumber(count)} (${formatPercent(rate, 2)})`,
        check && check.change !== null
          ? h('span', { class: 'muted small' }, ` ${signed(check.change)} vs control`)
          : null,
        check && check.regressed
          ? h('span', { class: 'badge badge-failed', 'data-testid': 'guardrail-regressed' }, 'Regressed: blocks a win')
          : null,
      );
    }),
  );
}

/** How the experiment ended, from what its run wrote (`outcome`, `promoted`). */
function outcomeText(d) {
  if (d.outcome === 'stopped') return 'Stopped: nothing promoted, the control stays';
  if (d.outcome === 'kept-control') return 'Ended: the control stays';
  if (d.outcome === 'promoted') return `Ended: ${d.promoted} promoted`;
  return `Ended (${d.outcome})`;
}

/** The last evaluation's verdict and reasons, and how the experiment ended once it has. */
export function verdictCard(x) {
  const d = x.decision;
  const evaluated = d && d.evaluatedAt;
  return card(
    { key: 'experiment-verdict', title: 'Verdict', testid: 'experiment-verdict' },
    d && d.outcome
      ? h(
          'p',
          { class: 'experiment-outcome', 'data-testid': 'experiment-outcome' },
          h('strong', null, outcomeText(d)),
          d.by ? h('span', { class: 'muted small' }, ` · by ${d.by}`) : null,
        )
      : null,
    evaluated
      ? h(
          'p',
          null,
          h('strong', { 'data-testid': 'experiment-action' }, ACTION_LABELS[d.action] || d.action),
          d.winner ? ` · winner ${d.winner}` : null,
          h('span', { class: 'muted small' }, ` · evaluated ${formatDateTime(d.evaluatedAt)}`),
        )
      : h(
          'p',
          { class: 'muted' },
          ENDED.includes(x.status)
            ? 'It ended before any evaluation.'
            : x.workflowId
              ? 'No evaluation yet.'
              : 'The verdict appears once the experiment runs and is evaluated.',
        ),
    evaluated
      ? h(
          'ul',
          { class: 'plain-list', 'data-testid': 'experiment-reasons' },
          (d.reasons || []).map((r) => h('li', null, r)),
        )
      : null,
  );
}
