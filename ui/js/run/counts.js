/** A batch run's live counts (queued, running, enriched, failed…), from `progress.counts`, as a row of figures. */
import { h, replaceChildren } from '../dom.js';

const LABELS = { queued: 'Queued', running: 'Running', enriched: 'Enriched', qualified: 'Qualified', failed: 'Failed' };

/** @param {HTMLElement} slot @param {Record<string, number> | undefined} counts */
export function renderCounts(slot, counts) {
  if (!counts) {
    replaceChildren(slot);
    return;
  }
  replaceChildren(
    slot,
    Object.entries(counts).map(([name, value]) =>
      h(
        'div',
        { class: ['stat card', `count-${name}`, value === 0 ? 'is-zero' : null], 'data-testid': `count-${name}` },
        h('p', { class: 'stat-label' }, LABELS[name] || name),
        h('p', { class: 'stat-value' }, String(value)),
      ),
    ),
  );
}
