/** #/runs: the run list, live over server-sent events (polling when the stream keeps failing). */
import { api, isQuiet, query } from './api.js';
import { listenLive } from './live-stream.js';
import {
  busy,
  emptyState,
  errorBox,
  formatDuration,
  formatRelative,
  h,
  icon,
  replaceChildren,
  spinner,
  statusBadge,
  time,
  toast,
} from './dom.js';
import { pageHeader } from './layout.js';
import { AUTOMATIONS, automationTitle, can, cachedBrand, loadBrands } from './state.js';
import { dataTable } from './table.js';

const LIMIT = 20;
const POLL_MS = 3000;
const STATUSES = [
  ['running', 'Running'],
  ['completed', 'Completed'],
  ['failed', 'Failed'],
  ['cancelled', 'Cancelled'],
  ['terminated', 'Terminated'],
  ['timed_out', 'Timed out'],
  ['continued_as_new', 'Continued as new'],
];

export const runHref = (id) => `#/runs/${encodeURIComponent(id)}`;

export async function renderRuns(ctx) {
  const filters = { automation: ctx.query.get('automation') || '', status: ctx.query.get('status') || '' };
  const state = { first: [], extra: [], nextCursor: null, loaded: false };

  const liveEl = h(
    'span',
    { class: 'live', 'data-state': 'connecting', 'data-testid': 'live-indicator' },
    h('span', { class: 'live-dot', 'aria-hidden': 'true' }),
    'Connecting…',
  );
  const setLive = (mode) => {
    liveEl.dataset.state = mode;
    liveEl.lastChild.textContent = {
      live: 'Live',
      polling: 'Updating every 3 s',
      connecting: 'Connecting…',
      stale: 'Update failed, retrying',
    }[mode];
  };

  const automationSelect = h(
    'select',
    { id: 'filter-automation', 'data-testid': 'filter-automation' },
    h('option', { value: '' }, 'All automations'),
    AUTOMATIONS.map((a) => h('option', { value: a.name, selected: a.name === filters.automation }, a.title)),
  );
  const statusSelect = h(
    'select',
    { id: 'filter-status', 'data-testid': 'filter-status' },
    h('option', { value: '' }, 'Any status'),
    STATUSES.map(([value, label]) => h('option', { value, selected: value === filters.status }, label)),
  );
  const applyFilters = () =>
    ctx.navigate(`#/runs${query({ automation: automationSelect.value, status: statusSelect.value })}`);
  automationSelect.addEventListener('change', applyFilters);
  statusSelect.addEventListener('change', applyFilters);

  const tableWrap = h('div', { class: 'table-wrap' });
  const loadMore = h(
    'button',
    { type: 'button', class: 'btn btn-secondary', 'data-testid': 'load-more', hidden: true },
    'Load more',
  );
  const body = h('div', { class: 'card card-flush' }, tableWrap);
  const table = dataTable(['Run', 'Brand', 'Status', 'Started', 'Duration', { label: 'Links', hidden: true }], [], {
    class: 'runs-table',
    testid: 'runs-table',
    caption: 'Runs, newest first',
  });
  const tbody = table.tBodies[0];

  ctx.main.appendChild(
    h(
      'div',
      { class: 'page' },
      pageHeader({
        title: 'Runs',
        description: ['Every automation run in this workspace, newest first. ', liveEl],
        actions: can('editor')
          ? h(
              'a',
              { class: 'btn btn-primary', href: '#/launch/social-post', 'data-testid': 'new-run' },
              icon('launch'),
              'New social post',
            )
          : null,
      }),
      h(
        'div',
        { class: 'filters', role: 'group', 'aria-label': 'Filter runs' },
        h(
          'div',
          { class: 'field field-inline' },
          h('label', { for: 'filter-automation' }, 'Automation'),
          automationSelect,
        ),
        h('div', { class: 'field field-inline' }, h('label', { for: 'filter-status' }, 'Status'), statusSelect),
        filters.automation || filters.status
          ? h('a', { class: 'btn btn-ghost btn-small', href: '#/runs' }, 'Clear filters')
          : null,
      ),
      body,
      h('div', { class: 'load-more' }, loadMore),
    ),
  );
  replaceChildren(tableWrap, spinner('Loading runs…'));

  const items = () => {
    const seen = new Set(state.first.map((r) => r.id + r.runId));
    return [...state.first, ...state.extra.filter((r) => !seen.has(r.id + r.runId))];
  };

  const render = () => {
    if (!ctx.isCurrent()) return;
    const all = items();
    if (all.length === 0) {
      const filtered = filters.automation || filters.status;
      replaceChildren(
        tableWrap,
        emptyState(
          filtered ? 'No runs match these filters' : 'No runs yet',
          filtered ? 'Try another status or automation.' : 'Launch an automation and it shows up here, live.',
          !filtered && can('editor')
            ? h('a', { class: 'btn btn-primary', href: '#/launch/social-post' }, 'Create a social post')
            : null,
        ),
      );
    } else {
      if (table.parentNode !== tableWrap) replaceChildren(tableWrap, table);
      // Reuse rows whose run did not change, so focus and hover survive live updates.
      const next = all.map((run) => {
        const brand = run.brandId ? cachedBrand(run.brandId) : null;
        const key = JSON.stringify(run) + (brand ? brand.name : '');
        const known = rows.get(run.id + run.runId);
        if (known && known.key === key) return known.tr;
        const tr = row(run);
        rows.set(run.id + run.runId, { key, tr });
        return tr;
      });
      const same = next.length === tbody.children.length && next.every((tr, i) => tbody.children[i] === tr);
      if (!same) replaceChildren(tbody, next);
    }
    loadMore.hidden = !state.nextCursor;
  };
  const rows = new Map();

  const age = () => {
    for (const el of tbody.querySelectorAll('time[datetime]'))
      el.textContent = formatRelative(el.getAttribute('datetime'));
    for (const el of tbody.querySelectorAll('[data-running-since]'))
      el.textContent = formatDuration(Date.now() - new Date(el.dataset.runningSince).getTime());
  };

  const row = (run) => {
    const brand = run.brandId ? cachedBrand(run.brandId) : null;
    const end = run.closeTime ? new Date(run.closeTime).getTime() : Date.now();
    const duration = run.startTime ? formatDuration(end - new Date(run.startTime).getTime()) : '';
    return h(
      'tr',
      { 'data-testid': 'run-row', 'data-run-id': run.id, 'data-status': run.status },
      h(
        'td',
        { class: 'cell-run' },
        h('a', { href: runHref(run.id), class: 'run-link' }, automationTitle(run.automation)),
        h('span', { class: 'run-id mono', title: run.id }, run.id),
        run.summary ? h('span', { class: 'run-summary' }, run.summary) : null,
      ),
      h(
        'td',
        null,
        brand
          ? h('a', { href: `#/brands/${encodeURIComponent(brand.id)}` }, brand.name)
          : h('span', { class: 'muted mono' }, run.brandId ? run.brandId.slice(0, 8) : '—'),
      ),
      h('td', null, statusBadge(run.status)),
      h('td', null, time(run.startTime)),
      h(
        'td',
        { class: 'nowrap', 'data-running-since': !run.closeTime && run.startTime ? run.startTime : null },
        duration,
      ),
      h(
        'td',
        { class: 'cell-actions' },
        run.temporalUrl
          ? h(
              'a',
              {
                href: run.temporalUrl,
                target: '_blank',
                rel: 'noopener',
                class: 'icon-link',
                title: 'Open in Temporal Web UI',
                'aria-label': `Open ${run.id} in Temporal Web UI`,
              },
              icon('external'),
            )
          : null,
      ),
    );
  };

  const listPath = (cursor) =>
    `/runs${query({ automation: filters.automation, status: filters.status, limit: LIMIT, cursor })}`;

  loadMore.addEventListener(
    'click',
    () =>
      void busy(
        loadMore,
        async () => {
          try {
            const page = await api(listPath(state.nextCursor), { signal: ctx.signal });
            state.extra.push(...page.items);
            state.nextCursor = page.nextCursor;
            render();
          } catch (err) {
            if (!isQuiet(err)) toast(`Could not load more runs: ${err.message}`, 'error');
          }
        },
        'Loading…',
      ),
  );

  // Brand names are a nicety: the list renders without them.
  loadBrands({ signal: ctx.signal })
    .then(() => state.loaded && render())
    .catch(() => {});

  try {
    const page = await api(listPath(), { signal: ctx.signal });
    state.first = page.items;
    state.nextCursor = page.nextCursor;
    state.loaded = true;
    render();
  } catch (err) {
    if (isQuiet(err)) throw err;
    replaceChildren(
      tableWrap,
      h(
        'div',
        { class: 'card-body' },
        errorBox(err, () => ctx.navigate(location.hash)),
      ),
    );
  }

  // ---- live updates ----
  let source = null;
  let pollTimer = null;
  const refreshCursor = async () => {
    try {
      const page = await api(listPath(), { signal: ctx.signal });
      if (state.extra.length === 0) state.nextCursor = page.nextCursor;
      render();
    } catch {
      // The next update tries again.
    }
  };
  const applyFirstPage = (list) => {
    state.first = list;
    state.loaded = true;
    render();
    if (state.extra.length === 0 && list.length >= LIMIT && !state.nextCursor) void refreshCursor();
  };
  const poll = async () => {
    try {
      const page = await api(listPath(), { signal: ctx.signal });
      if (state.extra.length === 0) state.nextCursor = page.nextCursor;
      applyFirstPage(page.items);
      setLive('polling');
    } catch (err) {
      if (isQuiet(err)) return;
      setLive('stale');
    }
  };
  const startPolling = () => {
    if (source) source.close();
    source = null;
    if (pollTimer) return;
    setLive('polling');
    pollTimer = window.setInterval(() => void poll(), POLL_MS);
    void poll();
  };
  if (typeof EventSource === 'function') {
    source = listenLive({
      url: `/api/v1/runs/stream${query({ automation: filters.automation, status: filters.status })}`,
      event: 'runs',
      onData: (raw) => {
        try {
          const data = JSON.parse(raw);
          if (data && Array.isArray(data.items)) applyFirstPage(data.items);
        } catch {
          // Ignore a malformed message; the next one replaces it.
        }
      },
      setLive,
      fallback: startPolling,
      // The session ended (logged out elsewhere): polling answers 401, which leads to the log-in page.
      on: { unauthorized: () => startPolling() },
    });
  } else {
    startPolling();
  }

  // Relative times and running durations age: redraw them now and then.
  const ageTimer = window.setInterval(age, 10_000);
  ctx.cleanup(() => {
    if (source) source.close();
    if (pollTimer) window.clearInterval(pollTimer);
    window.clearInterval(ageTimer);
  });
}
