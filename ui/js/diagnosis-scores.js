/** A completed diagnosis's scores: the overall score and one bar per dimension, as the report states them. */
import { formatScore, h } from './dom.js';

const BANDS = { critical: 'Critical', weak: 'Weak', fair: 'Fair', strong: 'Strong' };

/** @param {{overall: number|null, dimensions: {id: string, label: string, score: number|null, band: string|null, answered: number, questions: number}[]}} scores */
export function scoresView(scores) {
  return h(
    'div',
    { class: 'scores', 'data-testid': 'diagnosis-scores' },
    h(
      'div',
      { class: 'score-overall' },
      h('p', { class: 'kpi-label' }, 'Overall'),
      h(
        'p',
        { class: 'score-overall-value' },
        h('span', { 'data-testid': 'diagnosis-overall' }, formatScore(scores.overall)),
        h('span', { class: 'kpi-unit' }, ' / 100'),
      ),
    ),
    h(
      'ul',
      { class: 'score-bars', 'aria-label': 'Scores by dimension' },
      scores.dimensions.map((d) =>
        h(
          'li',
          { class: 'score-row', 'data-testid': 'dimension', 'data-dimension': d.id },
          h('span', { class: 'score-label' }, d.label),
          h(
            'span',
            { class: 'score-track', 'aria-hidden': 'true' },
            h('span', {
              class: `score-fill band-${d.band || 'none'}`,
              style: { width: `${Math.max(0, Math.min(100, d.score || 0))}%` },
            }),
          ),
          h('span', { class: 'score-value', 'data-testid': 'dimension-score' }, formatScore(d.score)),
          h(
            'span',
            { class: `chip band-chip band-${d.band || 'none'}` },
            d.band ? BANDS[d.band] || d.band : 'Not answered',
          ),
        ),
      ),
    ),
  );
}
