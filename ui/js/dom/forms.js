import { ApiError, isQuiet } from '../api.js';
import { h } from './element.js';

let uid = 0;
export const nextId = (prefix = 'f') => `${prefix}-${++uid}`;

/**
 * A labelled form field. `name` is the dotted JSON path the API names in field errors.
 * @param {{label: string, name: string, control: HTMLElement, hint?: string|Node, optional?: boolean, class?: string}} o
 */
export function field(o) {
  const id = o.control.id || nextId('field');
  o.control.id = id;
  const hintId = o.hint ? `${id}-hint` : null;
  if (hintId) o.control.setAttribute('aria-describedby', hintId);
  return h(
    'div',
    { class: ['field', o.class], 'data-field': o.name },
    h('label', { for: id }, o.label, o.optional ? h('span', { class: 'optional' }, ' (optional)') : null),
    o.control,
    o.hint ? h('p', { class: 'hint', id: hintId }, o.hint) : null,
  );
}

export function clearErrors(form) {
  clearFieldError(form);
  const alert = form.querySelector(':scope > .form-alert');
  if (alert) alert.remove();
}

/** Removes the field errors inside `root` (a form, or one field) and the invalid marks of its controls. */
function clearFieldError(root) {
  for (const el of root.querySelectorAll('.field-error')) el.remove();
  for (const el of root.querySelectorAll('[aria-invalid="true"]')) {
    el.removeAttribute('aria-invalid');
    const described = (el.getAttribute('aria-describedby') || '')
      .split(' ')
      .filter((id) => id && !id.endsWith('-error'));
    if (described.length) el.setAttribute('aria-describedby', described.join(' '));
    else el.removeAttribute('aria-describedby');
  }
}

/** The field container for an error path: the longest `data-field` that is the path or a prefix of it. */
function fieldFor(form, path) {
  let best = null;
  for (const el of form.querySelectorAll('[data-field]')) {
    const name = el.getAttribute('data-field');
    if (path === name || path.startsWith(`${name}.`) || path.startsWith(`${name}[`)) {
      if (!best || name.length > best.getAttribute('data-field').length) best = el;
    }
  }
  return best;
}

/**
 * Shows an error on a form: the problem's `detail` at the top, each field error next to its field.
 * Unknown errors (not ApiError) are shown as a plain message.
 */
export function showErrors(form, err) {
  clearErrors(form);
  const problem = err instanceof ApiError ? err : null;
  const unmatched = [];
  let firstInvalid = null;
  for (const fe of problem ? problem.errors : []) {
    const container = fieldFor(form, fe.field);
    if (!container) {
      unmatched.push(fe);
      continue;
    }
    const control = container.querySelector('input, textarea, select');
    const errorId = `${control ? control.id : nextId('err')}-error`;
    const existing = container.querySelector('.field-error');
    if (existing) {
      existing.appendChild(document.createTextNode(`; ${fe.message}`));
      continue;
    }
    container.appendChild(
      h(
        'p',
        { class: 'field-error', id: errorId, 'data-testid': 'field-error', 'data-error-for': fe.field },
        fe.message,
      ),
    );
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      const described = control.getAttribute('aria-describedby');
      control.setAttribute('aria-describedby', described ? `${described} ${errorId}` : errorId);
      // Once the user changes the field, its error no longer describes it.
      control.addEventListener('input', () => clearFieldError(container), { once: true });
      control.addEventListener('change', () => clearFieldError(container), { once: true });
      firstInvalid ??= control;
    }
  }
  const title = problem ? problem.title : 'Something went wrong';
  const detail = err && err.message ? err.message : String(err);
  const alert = h(
    'div',
    { class: 'alert alert-error form-alert', role: 'alert', 'data-testid': 'form-error' },
    h('strong', null, title),
    detail && detail !== title ? h('span', null, ` ${detail}`) : null,
    unmatched.length
      ? h(
          'ul',
          null,
          unmatched.map((fe) => h('li', null, h('code', null, fe.field), ` ${fe.message}`)),
        )
      : null,
  );
  form.prepend(alert);
  if (firstInvalid) firstInvalid.focus();
  else alert.scrollIntoView({ block: 'nearest' });
}

/**
 * A client-side validation error shaped like the API's, so it renders the same way.
 * @param {string|{field: string, message: string}[]} fieldOrErrors
 */
export function clientError(fieldOrErrors, message) {
  const errors = Array.isArray(fieldOrErrors) ? fieldOrErrors : [{ field: fieldOrErrors, message }];
  return new ApiError(400, {
    title: 'Invalid input',
    detail: errors.length === 1 ? 'Check the highlighted field.' : 'Check the highlighted fields.',
    errors,
  });
}

/** Puts a button into a busy state while `task` runs. */
export async function busy(button, task, label) {
  const original = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  if (label) button.textContent = label;
  try {
    return await task();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    if (label) button.textContent = original;
  }
}

/**
 * Runs `task` when the form is submitted, after clearing the last errors; what it throws is shown on the form (a
 * cancelled request says nothing).
 */
export function onSubmit(form, task) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      await task();
    } catch (err) {
      if (!isQuiet(err)) showErrors(form, err);
    }
  });
}

/** A stacked form: an array among `parts` is a row of fields side by side; `submit` ends it. */
export function stackForm(parts, submit) {
  return h(
    'form',
    { class: 'stack', novalidate: true },
    parts.map((part) => (Array.isArray(part) ? h('div', { class: 'row' }, part) : part)),
    h('div', { class: 'form-actions' }, submit),
  );
}
