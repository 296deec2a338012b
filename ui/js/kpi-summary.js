/** The KPI summary strip: popularity index, trend score, and each metric's latest value, change and sparkline. */
import { formatDay, formatNumber, formatPercent, formatScore, h } from './dom.js';
import { sparkline } from './sparkline.js';

export const METRICS = [
  { key: 'followers', label: 'Followers', format: formatNumber },
  { key: 'engagementRate', label: 'Engagement', format: (v) => formatPercent(v, 2) },
  { key: 'views', label: 'Views', format: formatNumber },
  { key: 'posts', label: 'Posts', format: formatNumber },
];

/** The strip's tiles for the API's KPI summary; none before the first period. */
export function kpiTiles(s) {
  if (!s || !s.latest) return [];
  const series = s.series || [];
  const deltas = new Map((s.deltas || []).map((d) => [d.metric, d]));
  return [
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
        s.trendScore === null ? 'Needs followers in two periods' : 'Followers over the last periods, from −100 to +100',
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
  ];
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
