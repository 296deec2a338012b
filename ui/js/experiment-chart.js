/**
 * Chance to be best over time, from every evaluation the experiment's run recorded (GET /experiments/{id}/evaluations):
 * one line per variant, 0–100 %, time since the start along the bottom, the verdict's evaluation marked. The series is
 * read again only when the experiment's last evaluation changes.
 */
import { api } from './api.js';
import { formatDateTime, formatPercent, h } from './dom.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
const HEIGHT = 200;
const PAD = { left: 40, right: 12, top: 10, bottom: 30 };
/** Up to this many evaluations, each is drawn as a dot too. */
const DOTS_UP_TO = 60;
/** Enough for four weeks of hourly evaluations several times over; older points are dropped beyond this. */
const MAX_POINTS = 5000;
const PAGE = 1000;

function el(name, attrs) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function text(attrs, content) {
  const node = el('text', attrs);
  node.textContent = content;
  return node;
}

/** Every evaluation, oldest first, following the pages. */
export async function loadEvaluations(experimentPath, signal) {
  const items = [];
  let cursor = null;
  do {
    const query = `?limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await api(`${experimentPath}/evaluations${query}`, { signal });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < MAX_POINTS);
  return items;
}

/** "3 s", "12 min", "5.5 h", "9.2 d": an elapsed time on the axis. */
export function formatElapsed(ms) {
  const s = ms / 1000;
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Number((s / 3600).toFixed(1))} h`;
  return `${Number((s / 86_400).toFixed(1))} d`;
}

/**
 * @param {{evaluatedAt: string, elapsedMs: number, action: string, variants: {key: string, chanceToBeBest: number}[]}[]} points
 * @param {{key: string, name: string}[]} variants in the experiment's order
 * @param {{ended?: boolean, error?: Error|null}} [o]
 */
export function chanceChart(points, variants, o = {}) {
  const wrap = (...children) => h('div', { 'data-testid': 'chance-chart', 'data-points': points.length }, ...children);
  if (o.error) return wrap(h('p', { class: 'muted' }, `The evaluations could not be read: ${o.error.message}`));
  if (points.length < 2)
    return wrap(
      h(
        'p',
        { class: 'muted' },
        points.length === 1
          ? 'One evaluation so far: the chart starts with the second.'
          : o.ended
            ? 'The experiment ended before any evaluation.'
            : 'No evaluation yet: the chart fills in as the run evaluates the experiment.',
      ),
    );

  const t0 = points[0].elapsedMs;
  const span = Math.max(1, points[points.length - 1].elapsedMs - t0);
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (ms) => PAD.left + ((ms - t0) / span) * innerW;
  const y = (v) => PAD.top + (1 - v) * innerH;
  const first = points[0];
  const last = points[points.length - 1];
  const svg = el('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chance-chart', role: 'img' });
  svg.setAttribute(
    'aria-label',
    `Chance to be best of ${variants.map((v) => v.key).join(', ')} over ${points.length} evaluations, from ` +
      `${formatDateTime(first.evaluatedAt)} to ${formatDateTime(last.evaluatedAt)}`,
  );
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    svg.appendChild(el('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(v), y2: y(v), class: 'chart-grid' }));
    svg.appendChild(text({ x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'chart-axis' }, `${v * 100}%`));
  }
  // Time since the start: the ends and the middle.
  for (const [f, anchor] of [
    [0, 'start'],
    [0.5, 'middle'],
    [1, 'end'],
  ]) {
    const ms = t0 + f * span;
    svg.appendChild(text({ x: x(ms), y: HEIGHT - 14, 'text-anchor': anchor, class: 'chart-axis' }, formatElapsed(ms)));
  }
  svg.appendChild(
    text(
      { x: PAD.left + innerW / 2, y: HEIGHT - 2, 'text-anchor': 'middle', class: 'chart-axis' },
      'time since the start',
    ),
  );
  // Where a verdict was reached (the run then asked for a decision).
  for (const p of points)
    if (p.action !== 'continue' && p.action !== 'pause-srm')
      svg.appendChild(
        el('line', { x1: x(p.elapsedMs), x2: x(p.elapsedMs), y1: PAD.top, y2: PAD.top + innerH, class: 'chart-mark' }),
      );
  variants.forEach((variant, k) => {
    const d = points
      .map((p) => {
        const v = p.variants.find((pv) => pv.key === variant.key);
        return v ? `${x(p.elapsedMs).toFixed(1)} ${y(v.chanceToBeBest).toFixed(1)}` : null;
      })
      .filter(Boolean)
      .map((xy, i) => `${i ? 'L' : 'M'}${xy}`)
      .join(' ');
    svg.appendChild(el('path', { d, class: `chart-line chart-series-${k}`, 'data-variant': variant.key }));
    if (points.length <= DOTS_UP_TO)
      for (const p of points) {
        const v = p.variants.find((pv) => pv.key === variant.key);
        if (v)
          svg.appendChild(
            el('circle', {
              cx: x(p.elapsedMs).toFixed(1),
              cy: y(v.chanceToBeBest).toFixed(1),
              r: 2.5,
              class: `chart-dot chart-series-${k}`,
            }),
          );
      }
  });

  const now = Object.fromEntries(last.variants.map((v) => [v.key, v.chanceToBeBest]));
  return wrap(
    svg,
    h(
      'ul',
      { class: 'chart-legend', 'data-testid': 'chance-legend' },
      variants.map((v, k) =>
        h(
          'li',
          { 'data-variant': v.key },
          h('span', { class: `chart-swatch chart-series-${k}`, 'aria-hidden': 'true' }),
          h('strong', null, v.key),
          ` ${v.name} · ${formatPercent(now[v.key], 1)}`,
        ),
      ),
    ),
    h(
      'p',
      { class: 'muted small' },
      `${points.length} evaluations since the start; the chance to be best is Bayesian (Beta posteriors) and is shown ` +
        'for reading only: the verdict rests on the sequential test. A dashed line marks a verdict.',
    ),
  );
}
