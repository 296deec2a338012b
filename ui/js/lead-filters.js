/** The filter form of #/leads (search, status, score range, city, source, sort) and its enrichment `filter`. */
import { field, h } from './dom.js';
import { LEAD_STATUSES, SOURCE_KINDS } from './lead-parts.js';

const SORTS = [
  ['createdAt', 'Added'],
  ['updatedAt', 'Updated'],
  ['score', 'Score'],
  ['companyName', 'Company'],
];
export const FILTER_KEYS = ['q', 'status', 'minScore', 'maxScore', 'city', 'source', 'sort', 'order'];

/** The list's filters as the enrichment's `filter` input: the same names, numbers as numbers, empty ones left out. */
export function matchFilter(f) {
  const filter = {};
  if (f.status) filter.status = f.status;
  if (f.q) filter.search = f.q;
  if (f.city) filter.city = f.city;
  if (f.source) filter.source = f.source;
  if (f.minScore !== '') filter.minScore = Number(f.minScore);
  if (f.maxScore !== '') filter.maxScore = Number(f.maxScore);
  return filter;
}

/** `apply(values)` gets every key of FILTER_KEYS, the defaults of sort and order empty. */
export function filtersForm(filters, apply) {
  const select = (name, options, anyLabel) =>
    h(
      'select',
      { name, 'data-testid': `leads-filter-${name}` },
      anyLabel ? h('option', { value: '' }, anyLabel) : null,
      options.map(([value, label]) => h('option', { value, selected: value === filters[name] }, label)),
    );
  const input = (name, attrs) =>
    h('input', { name, value: filters[name], 'data-testid': `leads-filter-${name}`, ...attrs });
  const form = h(
    'form',
    { class: 'card lead-filters', role: 'search', novalidate: true, 'data-testid': 'leads-filters' },
    h(
      'div',
      { class: 'lead-filter-grid' },
      field({
        label: 'Search',
        name: 'q',
        class: 'filter-search',
        control: input('q', { type: 'search', maxlength: 200, placeholder: 'Company, domain, city or email' }),
      }),
      field({ label: 'Status', name: 'status', control: select('status', LEAD_STATUSES, 'Any status') }),
      field({
        label: 'Score from',
        name: 'minScore',
        control: input('minScore', { type: 'number', min: 0, max: 100 }),
      }),
      field({ label: 'Score to', name: 'maxScore', control: input('maxScore', { type: 'number', min: 0, max: 100 }) }),
      field({ label: 'City', name: 'city', control: input('city', { type: 'text', maxlength: 120 }) }),
      field({ label: 'Source', name: 'source', control: select('source', SOURCE_KINDS, 'Any source') }),
      field({ label: 'Sort by', name: 'sort', control: select('sort', SORTS) }),
      field({
        label: 'Order',
        name: 'order',
        control: select('order', [
          ['desc', 'Descending'],
          ['asc', 'Ascending'],
        ]),
      }),
      h(
        'div',
        { class: 'filter-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'leads-apply' }, 'Apply'),
        h('a', { class: 'btn btn-ghost', href: '#/leads', 'data-testid': 'leads-clear' }, 'Clear'),
      ),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new window.FormData(form);
    const values = Object.fromEntries(FILTER_KEYS.map((k) => [k, String(data.get(k) || '').trim()]));
    // The defaults stay out of the address.
    if (values.sort === 'createdAt') values.sort = '';
    if (values.order === 'desc') values.order = '';
    apply(values);
  });
  return form;
}
