import { h } from './element.js';

const STATUS_LABELS = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  terminated: 'Terminated',
  timed_out: 'Timed out',
  continued_as_new: 'Continued as new',
  waiting: 'Waiting',
  draft: 'Draft',
  paused: 'Paused',
  stopped: 'Stopped',
  complete: 'Complete',
  pending: 'Pending',
  indexed: 'Indexed',
  generating: 'Generating',
  ready: 'Ready',
  sent: 'Sent',
  rejected: 'Rejected',
  new: 'New',
  enriched: 'Enriched',
  qualified: 'Qualified',
  disqualified: 'Disqualified',
  connected: 'Connected',
  reconnect_needed: 'Reconnect needed',
  revoked: 'Revoked',
  not_connected: 'Not connected',
};

export const statusLabel = (status) => STATUS_LABELS[status] || String(status || 'unknown');

export function statusBadge(status, attrs = {}) {
  return h(
    'span',
    { class: `badge badge-${status || 'unknown'}`, 'data-status': status, ...attrs },
    h('span', { class: 'badge-dot', 'aria-hidden': 'true' }),
    statusLabel(status),
  );
}
