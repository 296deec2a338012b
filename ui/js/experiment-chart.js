/**
 * Chance to be best over time, drawn from what this page has seen: the API keeps only the last evaluation, so the
 * page records each new one while it is open and the chart says so. One line per variant, 0–100 %.
 */
import { formatDateTime, h } from './dom.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
const HEIGHT = 160;
const PAD = { left: 36, right: 10, top: 8, bottom: 8 };

function el(name, attrs) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** The evaluations seen on this page, oldest first; `add(decision)` keeps each `evaluatedAt` once. */
export function evaluationHistory() {
  const points = [];
  return {
    points,
    add(decision) {
      if (!decision || !decision.evaluatedAt || !Array.isArray(decision.variants)) return;
      if (points.some((p) => p.at === decision.evaluatedAt)) return;
      points.push({
        at: decision.evaluatedAt,
        chances: Object.fromEntries(decision.variants.map((v) => [v.id, v.chanceToBeBest])),
      });
    },
  };
}

/**
 * @param {{at: string, chances: Record<string, number>}[]} points @param {string[]} keys
 * @param {boolean} [ended] no evaluation will come
 */
export function chanceChart(points, keys, ended = false) {
  const note = h(
    'p',
    { class: 'muted small' },
    'Since you opened this page: Studioflow keeps only the latest evaluation, so earlier ones are not shown.',
  );
  if (points.length < 2)
    return h(
      'div',
      { 'data-testid': 'chance-chart', 'data-points': points.length },
      note,
      h(
        'p',
        { class: 'muted' },
        ended
          ? 'The experiment has ended: there are no new evaluations to chart.'
          : 'The chart starts after two evaluations; this page checks every few seconds.',
      ),
    );
  const x = (i) => PAD.left + (i / (points.length - 1)) * (WIDTH - PAD.left - PAD.right);
  const y = (v) => PAD.top + (1 - v) * (HEIGHT - PAD.top - PAD.bottom);
  const svg = el('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chance-chart', role: 'img' });
  svg.setAttribute(
    'aria-label',
    `Chance to be best from ${formatDateTime(points[0].at)} to ${formatDateTime(points[points.length - 1].at)}`,
  );
  for (const v of [0, 0.5, 1]) {
    svg.appendChild(el('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(v), y2: y(v), class: 'chart-grid' }));
    const label = el('text', { x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'chart-axis' });
    label.textContent = `${v * 100}%`;
    svg.appendChild(label);
  }
  keys.forEach((key, k) => {
    const d = points
      .map((p, i) =>
        typeof p.chances[key] === 'number' ? `${i ? 'L' : 'M'}${x(i).toFixed(1)} ${y(p.chances[key]).toFixed(1)}` : '',
      )
      .join(' ');
    svg.appendChild(el('path', { d, class: `chart-line chart-series-${k}` }));
  });
  return h(
    'div',
    { 'data-testid': 'chance-chart', 'data-points': points.length },
    svg,
    h(
      'ul',
      { class: 'chart-legend' },
      keys.map((key, k) =>
        h('li', null, h('span', { class: `chart-swatch chart-series-${k}`, 'aria-hidden': 'true' }), key),
      ),
    ),
    note,
  );
}
