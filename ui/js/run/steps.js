/** The run page's step timeline, from the shared `progress` shape: status, duration, attempts, provider, percent. */
import { formatDateTime, formatDuration, h, icon, replaceChildren } from '../dom.js';

const STEP_LABELS = {
  pending: 'Pending',
  running: 'Running',
  waiting: 'Waiting',
  done: 'Done',
  failed: 'Failed',
  skipped: 'Skipped',
};
const STEP_ICONS = { done: 'check', failed: 'x', waiting: 'waiting', skipped: 'skipped' };

/** Details like "Waiting for approval until 2025-01-01T10:00:00.000Z" read better in local time. */
const readableTimes = (text) =>
  String(text).replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, (iso) => formatDateTime(iso));

/** @param {{list: HTMLElement, note: HTMLElement}} slots */
export function renderSteps(slots, progress, closed) {
  if (!progress) {
    replaceChildren(
      slots.note,
      h(
        'div',
        { class: 'alert alert-info', role: 'note', 'data-testid': 'progress-unavailable' },
        closed
          ? 'This run did not report its progress.'
          : 'No worker answered the progress query yet. Steps appear once a worker picks up this run’s task queue.',
      ),
    );
    replaceChildren(slots.list);
    return;
  }
  replaceChildren(slots.note);
  replaceChildren(slots.list, progress.steps.map(stepItem));
}

/** Moves the running steps' durations on (called every second). */
export function tickSteps(list) {
  for (const el of list.querySelectorAll('[data-running-since]'))
    el.textContent = formatDuration(Date.now() - new Date(el.dataset.runningSince).getTime());
}

function stepItem(step) {
  const started = step.startedAt ? new Date(step.startedAt).getTime() : null;
  const ended = step.endedAt ? new Date(step.endedAt).getTime() : null;
  const active = step.status === 'running' || step.status === 'waiting';
  const duration = started !== null ? formatDuration((ended ?? Date.now()) - started) : '';
  return h(
    'li',
    { class: `step step-${step.status}`, 'data-testid': 'step', 'data-step': step.name, 'data-status': step.status },
    h(
      'span',
      { class: 'step-icon', 'aria-hidden': 'true' },
      step.status === 'running'
        ? h('span', { class: 'spinner spinner-small' })
        : STEP_ICONS[step.status]
          ? icon(STEP_ICONS[step.status])
          : null,
    ),
    h(
      'div',
      { class: 'step-body' },
      h(
        'div',
        { class: 'step-head' },
        h('span', { class: 'step-title' }, step.title || step.name),
        h('span', { class: 'step-status' }, STEP_LABELS[step.status] || step.status),
        duration
          ? h(
              'span',
              {
                class: 'step-duration',
                title: step.startedAt ? `Started ${formatDateTime(step.startedAt)}` : null,
                'data-running-since': active && !ended ? step.startedAt : null,
              },
              duration,
            )
          : null,
      ),
      step.attempt > 1 || step.provider
        ? h(
            'div',
            { class: 'step-meta' },
            step.attempt > 1
              ? h('span', { class: 'chip chip-warn', 'data-testid': 'step-attempt' }, `Attempt ${step.attempt}`)
              : null,
            step.provider ? h('span', { class: 'chip', title: 'Provider' }, step.provider) : null,
          )
        : null,
      step.status === 'running' && typeof step.percent === 'number'
        ? h(
            'div',
            { class: 'step-progress' },
            h('progress', {
              max: 100,
              value: step.percent,
              'aria-label': `${step.title || step.name}: ${step.percent} %`,
              'data-testid': 'step-percent',
            }),
            h('span', { class: 'step-percent' }, `${step.percent} %`),
          )
        : null,
      step.detail ? h('p', { class: 'step-detail' }, readableTimes(step.detail)) : null,
    ),
  );
}
