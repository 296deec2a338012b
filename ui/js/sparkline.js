/** A small inline-SVG line chart of a series; gaps (null) break the line. Decorative: the numbers are in the text. */

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * @param {(number|null)[]} values oldest first
 * @param {{width?: number, height?: number}} [size]
 * @returns {SVGSVGElement|null} null with fewer than two values
 */
export function sparkline(values, { width = 120, height = 32 } = {}) {
  const points = values.map((v, i) => ({ i, v })).filter((p) => typeof p.v === 'number' && Number.isFinite(p.v));
  if (points.length < 2) return null;
  const min = Math.min(...points.map((p) => p.v));
  const max = Math.max(...points.map((p) => p.v));
  const pad = 3;
  const x = (i) => pad + (values.length === 1 ? 0 : (i / (values.length - 1)) * (width - 2 * pad));
  const y = (v) => (max === min ? height / 2 : pad + (1 - (v - min) / (max - min)) * (height - 2 * pad));

  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');

  // One path, moving (M) across gaps instead of drawing (L) through them.
  let d = '';
  let previous = null;
  for (const p of points) {
    d += `${previous !== null && p.i === previous + 1 ? 'L' : 'M'}${x(p.i).toFixed(1)} ${y(p.v).toFixed(1)} `;
    previous = p.i;
  }
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', d.trim());
  path.setAttribute('class', 'sparkline-line');
  svg.appendChild(path);

  const last = points[points.length - 1];
  const dot = document.createElementNS(SVG_NS, 'circle');
  dot.setAttribute('cx', x(last.i).toFixed(1));
  dot.setAttribute('cy', y(last.v).toFixed(1));
  dot.setAttribute('r', '2.5');
  dot.setAttribute('class', 'sparkline-dot');
  svg.appendChild(dot);
  return svg;
}
