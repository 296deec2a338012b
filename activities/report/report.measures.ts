/** The sections of figures: executive summary, diagnosis scores and KPIs. */
import { QUESTIONS } from '../../lib/diagnosis/questionnaire';
import { BANDS, bandOf, type DimensionScore } from '../../lib/diagnosis/scoring';
import { KPI_METRICS, type KpiSummary } from '../../lib/report/types';
import { escapeHtml } from '../../lib/html';
import { BAND_LABELS, formatCompact, formatMetric, formatScore, METRIC_LABELS } from './chart-format';
import { radarChartSvg, scoreBarChartSvg } from './charts';
import { kpiLineChartSvg } from './kpi-line-chart';
import {
  bandChip,
  chapter,
  dimensionLabel,
  esc,
  formatDate,
  isNumber,
  list,
  MEDIUM_DATE,
  outOf100,
  paragraphs,
  reportText,
  scoreFigure,
  signed,
  sortedRecommendations,
  tile,
  trendWord,
  type Ctx,
} from './report.parts';

export function summarySection(ctx: Ctx): string {
  const { doc } = ctx;
  const overall = doc.scores?.diagnosis?.overall ?? null;
  const kpis = doc.scores?.kpis;
  const recs = sortedRecommendations(doc);
  const scored = ctx.dimensions.filter((d): d is DimensionScore & { score: number } => isNumber(d.score));
  const strongest = [...scored].sort((a, b) => b.score - a.score).slice(0, 3);
  const weakestIds = list(doc.scores?.diagnosis?.weakest);
  const weakest = (
    weakestIds.length > 0
      ? weakestIds.map((id) => scored.find((d) => d.id === id)).filter((d): d is (typeof scored)[number] => !!d)
      : [...scored].sort((a, b) => a.score - b.score)
  ).slice(0, 3);
  const trend = kpis?.trendScore;
  const tiles = [
    tile('Overall score', scoreFigure(overall), isNumber(overall) ? BAND_LABELS[bandOf(overall)] : 'Not scored'),
    tile(
      'Popularity index',
      scoreFigure(kpis?.popularityIndex),
      isNumber(kpis?.popularityIndex) ? 'Latest period' : 'No KPIs recorded',
    ),
    tile(
      'Trend score',
      isNumber(trend) ? signed(trend, formatScore(trend)) : '—',
      isNumber(trend) ? `Followers ${trendWord(trend)}` : 'Needs two periods',
    ),
    tile('Recommendations', String(recs.length), recs.length > 0 ? 'Prioritised actions' : 'None'),
  ].join('');
  const row = (d: { label: string; score: number }) =>
    `<li><span>${esc(d.label)}</span><span><b>${escapeHtml(formatScore(d.score))}</b> ${bandChip(d.score)}</span></li>`;
  const brand = doc.brand;
  const keywords = list(brand?.keywords)
    .map((k) => reportText(k, 60))
    .filter(Boolean)
    .slice(0, 24);
  const profile: [string, string][] = [
    ['Category', esc(brand?.category, 120)],
    ['Mission', esc(brand?.mission, 600)],
    ['Vision', esc(brand?.vision, 600)],
    ['Keywords', keywords.map((k) => `<span class="chip term">${escapeHtml(k)}</span>`).join('')],
  ].filter((entry): entry is [string, string] => entry[1] !== '');
  const top = recs.slice(0, 3);
  return chapter(
    ctx,
    'summary',
    `${paragraphs(doc.analysis?.summary, 'lead') || '<p class="muted">No summary was written.</p>'}
<div class="tiles">${tiles}</div>
<div class="columns">
  <div class="panel"><h4>Strongest dimensions</h4><ul>${strongest.map(row).join('') || '<li class="muted">No scored dimensions</li>'}</ul></div>
  <div class="panel"><h4>Needs attention</h4><ul>${weakest.map(row).join('') || '<li class="muted">No scored dimensions</li>'}</ul></div>
</div>
${
  top.length > 0
    ? `<h3>Top priorities</h3><ol class="priorities">${top.map((r) => `<li>${esc(r.title, 300)}</li>`).join('')}</ol>`
    : ''
}
${profile.length > 0 ? `<h3>Brand profile</h3><dl class="profile">${profile.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>` : ''}`,
  );
}

export function scoresSection(ctx: Ctx): string {
  const { doc, dimensions, palette } = ctx;
  const overall = doc.scores?.diagnosis?.overall ?? null;
  const unscored = dimensions.filter((d) => !isNumber(d.score));
  const rows = dimensions
    .map(
      (d) =>
        `<tr><td>${esc(d.label)}</td><td class="num"><b>${escapeHtml(formatScore(d.score))}</b></td><td>${bandChip(d.score)}</td><td class="num">${isNumber(d.answered) ? d.answered : '—'}${isNumber(d.questions) ? ` of ${d.questions}` : ''}</td></tr>`,
    )
    .join('\n');
  const lowest = list(doc.scores?.diagnosis?.questions)
    .filter((q) => isNumber(q?.score) && q.score < BANDS.weak)
    .sort((a, b) => a.score - b.score)
    .slice(0, 6);
  const lowRows = lowest
    .map((q) => {
      const question = QUESTIONS.get(q.id);
      return `<tr><td>${esc(question?.prompt ?? q.id, 200)}</td><td>${escapeHtml(dimensionLabel(ctx, q.dimension))}</td><td class="num"><b>${escapeHtml(formatScore(q.score))}</b></td></tr>`;
    })
    .join('\n');
  const unscoredNote =
    unscored.length > 0 ? ` Not scored (no answers), drawn at 0: ${unscored.map((d) => esc(d.label)).join(', ')}.` : '';
  return chapter(
    ctx,
    'scores',
    `<p class="lead">The diagnosis questionnaire scores seven dimensions of the brand from 0 to 100. Overall score: <b>${escapeHtml(outOf100(overall))}</b> ${bandChip(overall)}</p>
${
  dimensions.length === 0
    ? '<div class="note">The diagnosis has no dimension scores.</div>'
    : `<figure>${radarChartSvg(dimensions, { color: palette.primary })}<figcaption>Each axis is one dimension; rings mark 20, 40, 60, 80 and 100.${unscoredNote}</figcaption></figure>
<figure>${scoreBarChartSvg(dimensions)}<figcaption>Bars are coloured by band: critical below ${BANDS.critical}, weak below ${BANDS.weak}, fair below ${BANDS.fair}, strong from ${BANDS.fair}.</figcaption></figure>
<h3>Scores by dimension</h3>
<table><thead><tr><th>Dimension</th><th class="num">Score</th><th>Band</th><th class="num">Questions answered</th></tr></thead><tbody>
${rows}
</tbody></table>`
}
${
  lowest.length > 0
    ? `<h3>Answers that hold the score back</h3>
<table><thead><tr><th>Question</th><th>Dimension</th><th class="num">Score</th></tr></thead><tbody>
${lowRows}
</tbody></table>`
    : ''
}`,
  );
}

function deltaRow(delta: KpiSummary['deltas'][number]): string {
  const metric = delta.metric;
  const label = METRIC_LABELS[metric] ?? reportText(metric, 40);
  const rate = metric === 'engagementRate';
  let change = '—';
  if (isNumber(delta.absolute)) {
    const abs = rate
      ? `${formatScore(Math.round(Math.abs(delta.absolute) * 1000) / 10)} pp`
      : formatCompact(Math.abs(delta.absolute));
    change = signed(delta.absolute, abs);
  }
  const percent = isNumber(delta.percent) ? signed(delta.percent, `${formatScore(Math.abs(delta.percent))}%`) : '—';
  const arrows = {
    up: ['▲', 'var(--band-strong)', 'Up'],
    down: ['▼', 'var(--band-critical)', 'Down'],
    flat: ['▬', 'var(--faint)', 'Flat'],
  };
  const arrow = delta.direction ? arrows[delta.direction] : null;
  return `<tr><td>${escapeHtml(label)}</td><td class="num">${escapeHtml(formatMetric(metric, delta.previous))}</td><td class="num"><b>${escapeHtml(formatMetric(metric, delta.current))}</b></td><td class="num">${escapeHtml(change)}</td><td class="num">${escapeHtml(percent)}</td><td>${arrow ? `<span style="color: ${arrow[1]}">${arrow[0]}</span> ${arrow[2]}` : '<span class="muted">—</span>'}</td></tr>`;
}

export function kpiSection(ctx: Ctx): string {
  const { doc, palette } = ctx;
  const kpis = doc.scores?.kpis;
  const series = list(kpis?.series);
  if (series.length === 0) {
    return chapter(
      ctx,
      'kpis',
      `<div class="note"><b>No KPIs recorded.</b> This brand has no KPI periods yet, so popularity, trend and change since the previous period cannot be shown. Add weekly figures (by hand, by CSV import or collected from the local channel) and the next report will chart them.</div>`,
    );
  }
  const trend = kpis?.trendScore;
  const first = series[0];
  const last = series[series.length - 1];
  const latest = kpis?.latest ?? last;
  const tiles = [
    tile('Popularity index', scoreFigure(kpis?.popularityIndex), 'Reach, engagement, views, cadence'),
    tile(
      'Trend score',
      isNumber(trend) ? signed(trend, formatScore(trend)) : '—',
      isNumber(trend) ? `Followers ${trendWord(trend)} (−100…+100)` : 'Needs two periods',
    ),
    tile('Latest period', formatDate(latest?.period, MEDIUM_DATE), 'Most recent figures', true),
    tile(
      'Periods',
      String(series.length),
      series.length > 1
        ? `${formatDate(first.period, MEDIUM_DATE)} – ${formatDate(last.period, MEDIUM_DATE)}`
        : 'One period',
    ),
  ].join('');
  const deltas = list(kpis?.deltas);
  const charts = KPI_METRICS.map((metric) => {
    const latestValue = [...series].reverse().find((k) => isNumber(k?.[metric]))?.[metric] ?? null;
    return `<figure><div class="chart-title">${escapeHtml(METRIC_LABELS[metric])}<span>latest ${escapeHtml(formatMetric(metric, latestValue))}</span></div>${kpiLineChartSvg(series, metric, { color: palette.primary })}</figure>`;
  }).join('\n');
  return chapter(
    ctx,
    'kpis',
    `<p class="lead">What the brand’s channels measured over ${series.length} period${series.length === 1 ? '' : 's'}, and what it adds up to.</p>
<div class="tiles">${tiles}</div>
<h3>Change since the previous period</h3>
${
  deltas.length > 0
    ? `<table><thead><tr><th>Metric</th><th class="num">Previous</th><th class="num">Latest</th><th class="num">Change</th><th class="num">Change %</th><th>Direction</th></tr></thead><tbody>
${deltas.map(deltaRow).join('\n')}
</tbody></table>`
    : '<div class="note">Only one period is recorded, so there is no change to report yet.</div>'
}
<h3>Trends</h3>
<div class="charts">
${charts}
</div>
<p class="small muted" style="margin-top: 4mm">Popularity index: 0–100 from followers and views (log scale), engagement rate and posting frequency of the latest period. Trend score: the slope of followers over the last seven periods, relative to their mean, from −100 (falling fast) to +100 (growing fast). Periods without a value are left out of the lines.</p>`,
  );
}
