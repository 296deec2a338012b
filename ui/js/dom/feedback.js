import { ApiError, isQuiet } from '../api.js';
import { h } from './element.js';
import { busy } from './forms.js';

export function toast(message, kind = 'info') {
  const region = document.getElementById('toasts');
  if (!region) return;
  const el = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  region.appendChild(el);
  window.setTimeout(() => {
    el.classList.add('leaving');
    window.setTimeout(() => el.remove(), 300);
  }, 4500);
}

/** Error box for page-level failures (load errors). */
export function errorBox(err, retry) {
  const status = err instanceof ApiError ? err.status : 0;
  const title = err instanceof ApiError ? err.title : 'Something went wrong';
  return h(
    'div',
    { class: 'alert alert-error', role: 'alert', 'data-testid': 'page-error' },
    h('strong', null, status === 404 ? 'Not found' : title),
    h('span', null, ` ${err && err.message ? err.message : String(err)}`),
    retry ? h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: retry }, 'Try again') : null,
  );
}

/**
 * A modal confirmation using <dialog>. Resolves true when confirmed.
 * @param {{title: string, message: string, confirm?: string, danger?: boolean}} o
 */
export function confirmDialog(o) {
  return new Promise((resolve) => {
    const dialog = h(
      'dialog',
      { class: 'dialog', 'aria-labelledby': 'dialog-title', 'data-testid': 'confirm-dialog' },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: 'dialog-title' }, o.title),
        h('p', null, o.message),
        h(
          'div',
          { class: 'dialog-actions' },
          h(
            'button',
            { type: 'submit', value: 'cancel', class: 'btn btn-ghost', 'data-testid': 'confirm-cancel' },
            'Keep',
          ),
          h(
            'button',
            {
              type: 'submit',
              value: 'ok',
              class: ['btn', o.danger ? 'btn-danger' : 'btn-primary'],
              'data-testid': 'confirm-ok',
            },
            o.confirm || 'Confirm',
          ),
        ),
      ),
    );
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok');
      dialog.remove();
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    dialog.querySelector('[value="ok"]').focus();
  });
}

export function copyButton(text, label = 'Copy') {
  const button = h('button', { type: 'button', class: 'btn btn-small btn-ghost', 'data-testid': 'copy-button' }, label);
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Select and copy';
    }
    window.setTimeout(() => (button.textContent = label), 2000);
  });
  return button;
}

export function emptyState(title, body, action) {
  return h(
    'div',
    { class: 'empty' },
    h('p', { class: 'empty-title' }, title),
    body ? h('p', { class: 'muted' }, body) : null,
    action || null,
  );
}

export function spinner(label = 'Loading…') {
  return h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), label);
}

/**
 * A button's write: asks first when `confirm` is given, keeps the button busy while `request` runs, toasts `done`,
 * then calls `then` with the result. A failure goes to `onError` (a toast by default).
 * @param {{confirm?: object, request: () => Promise<any>, busyLabel?: string, done?: string, doneKind?: string,
 *   then?: (result: any) => any, onError?: (err: Error) => void}} o
 */
export async function runAction(button, o) {
  if (o.confirm && !(await confirmDialog(o.confirm))) return;
  try {
    const result = await busy(button, o.request, o.busyLabel);
    if (o.done) toast(o.done, o.doneKind || 'success');
    if (o.then) await o.then(result);
  } catch (err) {
    if (isQuiet(err)) return;
    if (o.onError) o.onError(err);
    else toast(err.message, 'error');
  }
}

/** A button whose click runs `action()` (read at click time) through runAction. */
export function actionButton(attrs, label, action) {
  const button = h('button', { type: 'button', ...attrs }, label);
  button.addEventListener('click', () => void runAction(button, action()));
  return button;
}
