/** The run page's head: title, status badge, summary line, cancel / retry / Temporal Web UI, and why it failed. */
import { api, isQuiet, runPath } from '../api.js';
import { busy, confirmDialog, h, icon, replaceChildren, safeUrl, statusBadge, toast } from '../dom.js';
import { runHref } from '../runs.js';
import { automationTitle, isChildRun } from '../state.js';

/**
 * @param {{title: HTMLElement, badge: HTMLElement, summary: HTMLElement, actions: HTMLElement}} slots
 * @param {{ctx: object, runId: string, canEdit: boolean, refresh: () => Promise<void>}} o
 */
export function renderHeader(slots, run, brand, o) {
  const progress = run.progress || null;
  const name = automationTitle(run.automation || (progress && progress.automation));
  slots.title.textContent = brand ? `${name} for ${brand.name}` : name;
  o.ctx.setTitle(slots.title.textContent);
  replaceChildren(slots.badge, statusBadge(run.status, { 'data-testid': 'run-status' }));
  slots.summary.textContent = (progress && progress.summary) || run.summary || '';
  replaceChildren(slots.actions, actionButtons(run, o));
}

function actionButtons(run, o) {
  const running = run.status === 'running';
  const buttons = [];
  if (o.canEdit && running) buttons.push(cancelButton(o));
  if (o.canEdit && !running && !isChildRun(run.automation)) buttons.push(retryButton(o));
  if (run.temporalUrl) {
    buttons.push(
      h(
        'a',
        {
          class: 'btn btn-ghost',
          href: safeUrl(run.temporalUrl),
          target: '_blank',
          rel: 'noopener',
          'data-testid': 'run-temporal',
        },
        icon('external'),
        'Open in Temporal Web UI',
      ),
    );
  }
  return buttons;
}

function cancelButton(o) {
  const cancel = h(
    'button',
    { type: 'button', class: 'btn btn-danger-outline', 'data-testid': 'run-cancel' },
    'Cancel run',
  );
  cancel.addEventListener('click', async () => {
    const ok = await confirmDialog({
      title: 'Cancel this run?',
      message: 'The workflow stops at its next step; anything in flight is cleaned up. This cannot be undone.',
      confirm: 'Cancel run',
      danger: true,
    });
    if (!ok) return;
    try {
      await busy(cancel, () => api(`${runPath(o.runId)}/cancel`, { method: 'POST' }), 'Cancelling…');
      toast('Cancellation requested.', 'success');
      void o.refresh();
    } catch (err) {
      if (!isQuiet(err)) toast(err.message, 'error');
    }
  });
  return cancel;
}

function retryButton(o) {
  const retry = h(
    'button',
    { type: 'button', class: 'btn btn-secondary', 'data-testid': 'run-retry' },
    icon('refresh'),
    'Retry as new run',
  );
  retry.addEventListener('click', async () => {
    try {
      const created = await busy(retry, () => api(`${runPath(o.runId)}/retry`, { method: 'POST' }), 'Starting…');
      toast('Started a new run with the same input.', 'success');
      o.ctx.navigate(runHref(created.id));
    } catch (err) {
      if (!isQuiet(err)) toast(err.message, 'error');
    }
  });
  return retry;
}

export function renderFailure(slot, failure) {
  replaceChildren(
    slot,
    failure
      ? h(
          'div',
          { class: 'alert alert-error', role: 'alert', 'data-testid': 'run-failure' },
          icon('alert'),
          h(
            'div',
            null,
            h('strong', null, 'The run failed'),
            failure.type
              ? h('span', { class: 'chip chip-danger', title: failure.type }, failure.label || failure.type)
              : null,
            h('p', null, failure.message),
          ),
        )
      : null,
  );
}
