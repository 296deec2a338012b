/**
 * #/experiments: the workspace's A/B tests, newest first, by cursor pages forward and back; the brand filter lives in
 * the address (`?brandId=`), so a reload or a shared link keeps it.
 */
import { api, isQuiet, query } from './api.js';
import { emptyState, errorBox, field, h, icon, replaceChildren, spinner, statusBadge, time } from './dom.js';
import { experimentHref, KIND_LABELS } from './experiment-parts.js';
import { pageHeader } from './layout.js';
import { can, loadBrands } from './state.js';
import { cursorPager, dataTable } from './table.js';

const PAGE = 25;

export async function renderExperiments(ctx) {
  const brandId = ctx.query.get('brandId') || '';
  const tableSlot = h('div', { class: 'table-wrap' }, spinner('Loading experiments…'));
  const pager = cursorPager({ testid: 'experiments', onMove: () => void load() });
  const brandSelect = h(
    'select',
    { name: 'brandId', 'data-testid': 'experiments-brand' },
    h('option', { value: '' }, 'All brands'),
  );
  brandSelect.addEventListener('change', () => ctx.navigate(`#/experiments${query({ brandId: brandSelect.value })}`));

  ctx.main.appendChild(
    h(
      'div',
      { class: 'page' },
      pageHeader({
        title: 'Experiments',
        description: 'A/B tests of post copy or of what your site serves, with a verdict that waits for your approval.',
        actions: can('editor')
          ? h(
              'a',
              { class: 'btn btn-primary', href: '#/experiments/new', 'data-testid': 'experiments-new' },
              icon('launch'),
              'New experiment',
            )
          : null,
      }),
      h(
        'div',
        { class: 'filters', role: 'search' },
        field({ label: 'Brand', name: 'brandId', control: brandSelect, class: 'field-inline' }),
      ),
      h('div', { class: 'card card-flush' }, tableSlot),
      pager.el,
    ),
  );

  let brands = [];
  try {
    brands = await loadBrands({ signal: ctx.signal });
  } catch (err) {
    if (isQuiet(err)) return;
    // The list still loads; rows then show the brand's id.
  }
  if (!ctx.isCurrent()) return;
  for (const b of brands) brandSelect.appendChild(h('option', { value: b.id, selected: b.id === brandId }, b.name));
  const brandName = (id) => (brands.find((b) => b.id === id) || {}).name || id;

  async function load() {
    replaceChildren(tableSlot, spinner('Loading experiments…'));
    try {
      const page = await api(`/experiments${query({ brandId, limit: PAGE, cursor: pager.cursor() })}`, {
        signal: ctx.signal,
      });
      if (!ctx.isCurrent()) return;
      pager.loaded(page.nextCursor);
      draw(page.items);
    } catch (err) {
      if (isQuiet(err)) return;
      replaceChildren(
        tableSlot,
        errorBox(err, () => void load()),
      );
    }
  }

  function draw(items) {
    if (items.length === 0) {
      replaceChildren(
        tableSlot,
        emptyState(
          brandId ? 'No experiment for this brand' : 'No experiments yet',
          'An experiment splits visitors between 2 to 5 variants and tells you which one converts best.',
          can('editor') ? h('a', { class: 'btn btn-primary', href: '#/experiments/new' }, 'New experiment') : null,
        ),
      );
      return;
    }
    replaceChildren(
      tableSlot,
      dataTable(
        ['Experiment', 'Brand', 'Status', 'Kind', 'Created'],
        items.map((x) =>
          h(
            'tr',
            { 'data-testid': 'experiment-row', 'data-experiment-id': x.id },
            h(
              'td',
              null,
              h(
                'div',
                { class: 'cell-stack' },
                h('a', { href: experimentHref(x.id), class: 'cell-strong', 'data-testid': 'experiment-link' }, x.name),
                h('span', { class: 'muted small' }, `${(x.variants || []).length} variants · ${x.metric}`),
              ),
            ),
            h('td', null, brandName(x.brandId)),
            h('td', null, statusBadge(x.status, { 'data-testid': 'experiment-status' })),
            h('td', null, KIND_LABELS[x.kind] || x.kind),
            h('td', { class: 'nowrap' }, time(x.createdAt)),
          ),
        ),
        { testid: 'experiment-table', caption: 'Experiments' },
      ),
    );
  }

  await load();
}
