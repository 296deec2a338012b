/**
 * An endpoint's recent deliveries in #/settings (the inbox: accepted, then started by the dispatcher): state, the
 * run it started, why it failed, and "Dispatch again" for a failed one. Loaded when opened, and again on demand.
 */
import { api } from './api.js';
import { actionButton, emptyState, errorBox, h, replaceChildren, spinner, time } from './dom.js';
import { runHref } from './runs.js';
import { dataTable } from './table.js';

const STATE_CHIP = { pending: 'chip-warn', dispatched: 'chip-ok', failed: 'chip-danger' };
const RECENT = 10;

export function deliveriesPanel(endpoint) {
  const path = `/webhook-endpoints/${encodeURIComponent(endpoint.id)}/deliveries`;
  const list = h('div', null, spinner());
  const reload = async () => {
    try {
      const page = await api(`${path}?limit=${RECENT}`);
      replaceChildren(
        list,
        page.items.length === 0
          ? emptyState('No deliveries yet', null)
          : dataTable(
              ['Received', 'Delivery', 'State', 'Run', ''],
              page.items.map((d) => deliveryRow(path, d, reload)),
              { testid: 'webhook-deliveries', caption: `Recent deliveries of ${endpoint.name}` },
            ),
      );
    } catch (err) {
      replaceChildren(list, errorBox(err));
    }
  };
  const refresh = actionButton({ class: 'btn btn-small' }, 'Refresh', () => ({ request: reload }));
  const panel = h(
    'details',
    { class: 'webhook-deliveries', 'data-testid': 'webhook-deliveries-panel' },
    h('summary', null, 'Recent deliveries'),
    list,
    refresh,
  );
  let loaded = false;
  panel.addEventListener('toggle', () => {
    if (panel.open && !loaded) {
      loaded = true;
      void reload();
    }
  });
  return panel;
}

function deliveryRow(path, d, reload) {
  const again =
    d.state === 'failed'
      ? actionButton({ class: 'btn btn-small', 'data-testid': 'delivery-dispatch' }, 'Dispatch again', () => ({
          request: () => api(`${path}/${encodeURIComponent(d.deliveryId)}/dispatch`, { method: 'POST' }),
          done: 'Queued again: its run starts shortly.',
          then: reload,
        }))
      : null;
  return h(
    'tr',
    { 'data-testid': 'delivery-row' },
    h('td', null, time(d.receivedAt)),
    h('td', null, h('code', { class: 'mono break' }, d.deliveryId)),
    h(
      'td',
      null,
      h('span', { class: ['chip', STATE_CHIP[d.state]] }, d.state),
      d.lastError ? h('div', { class: 'muted small break' }, d.lastError) : null,
    ),
    h(
      'td',
      null,
      d.state === 'dispatched'
        ? h('a', { href: runHref(d.runId) }, 'Open run')
        : h('span', { class: 'muted' }, d.attempts ? `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}` : '—'),
    ),
    h('td', { class: 'cell-actions' }, again),
  );
}
