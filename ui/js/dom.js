/** Small DOM helpers: element builder, formatting, form errors, toasts, dialogs. No innerHTML with data. */
import { ApiError } from './api.js';

const BOOLEAN_PROPS = new Set([
  'disabled',
  'checked',
  'hidden',
  'required',
  'selected',
  'multiple',
  'readOnly',
  'open',
  'autofocus',
]);

/**
 * h('button', { class: 'btn', onclick: fn, 'data-testid': 'x' }, 'Label', child, [more])
 * Strings become text nodes; null/undefined/false children and attributes are skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
      else if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
      else if (key === 'text') el.textContent = value;
      else if (key === 'value') el.value = value;
      else if (BOOLEAN_PROPS.has(key)) el[key] = Boolean(value);
      else if (key === 'style' && typeof value === 'object') Object.assign(el.style, value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (typeof child === 'string' || typeof child === 'number')
      el.appendChild(document.createTextNode(String(child)));
    else el.appendChild(child);
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replaceChildren(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

/** Only http(s) and same-origin paths may become links or media sources. */
export function safeUrl(url) {
  if (typeof url !== 'string' || !url) return '#';
  try {
    const parsed = new window.URL(url, location.href);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : '#';
  } catch {
    return '#';
  }
}

// ---------- formatting ----------

const pad = (n) => String(n).padStart(2, '0');

export function formatDateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

export function formatRelative(iso, now = Date.now()) {
  if (!iso) return '—';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return '—';
  const s = Math.round((now - t) / 1000);
  if (s < 0) return 'in ' + formatDuration(-s * 1000);
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  if (s < 7 * 86400) return `${Math.floor(s / 86400)} d ago`;
  return new Date(iso).toLocaleDateString(undefined, { month: 'short', day: 'numeric', year: 'numeric' });
}

export function formatDuration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  const hours = Math.floor(m / 60);
  if (hours < 48) return `${hours} h ${m % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** 01:02:03 or 12:34 for a countdown. */
export function formatCountdown(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours >= 48) return `${Math.floor(hours / 24)} d ${hours % 24} h`;
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`;
}

/** 1,234 or '—'. */
export function formatNumber(n) {
  return typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString() : '—';
}

/** A fraction as a percentage: 0.042 → "4.2%". */
export function formatPercent(fraction, digits = 1) {
  if (typeof fraction !== 'number' || !Number.isFinite(fraction)) return '—';
  return `${(fraction * 100).toLocaleString(undefined, { maximumFractionDigits: digits })}%`;
}

/**
 * A 0–100 score as the report prints it (lib/report/format.ts): one decimal at most, cut rather than rounded so a
 * shown score never reads as a higher band than it is (59.96 → "59.9", 72 → "72"); '—' when there is none.
 */
export function formatScore(score) {
  if (typeof score !== 'number' || !Number.isFinite(score)) return '—';
  const cut = Math.trunc(score * 10 + (score >= 0 ? 1e-9 : -1e-9)) / 10;
  return String(cut === 0 ? 0 : cut);
}

export function formatBytes(bytes) {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toLocaleString(undefined, { maximumFractionDigits: value < 10 ? 1 : 0 })} ${units[unit]}`;
}

/** A calendar date (YYYY-MM-DD) in the reader's format, without a time-zone shift. */
export function formatDay(day) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day || '')) return day || '—';
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function time(iso, { relative = true } = {}) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  return h('time', { datetime: iso, title: formatDateTime(iso) }, relative ? formatRelative(iso) : formatDateTime(iso));
}

// ---------- status ----------

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
  complete: 'Complete',
  pending: 'Pending',
  indexed: 'Indexed',
  generating: 'Generating',
  ready: 'Ready',
  sent: 'Sent',
  rejected: 'Rejected',
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

// ---------- forms ----------

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

// ---------- feedback ----------

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

// ---------- icons (stroke paths drawn on a 24×24 grid) ----------

const ICONS = {
  runs: ['M8 6h13', 'M8 12h13', 'M8 18h13', 'M3.5 6h.01', 'M3.5 12h.01', 'M3.5 18h.01'],
  launch: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z', 'M12 8v8', 'M8 12h8'],
  brands: ['M20.6 13.4l-7.2 7.2a2 2 0 0 1-2.8 0L2 12V2h10l8.6 8.6a2 2 0 0 1 0 2.8z', 'M7 7h.01'],
  credits: [
    'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z',
    'M15 9.5a3 3 0 0 0-3-1.5c-1.7 0-3 .9-3 2s1.3 1.7 3 2s3 .9 3 2s-1.3 2-3 2a3 3 0 0 1-3-1.5',
    'M12 6.5v1.5',
    'M12 16v1.5',
  ],
  settings: ['M4 21v-7', 'M4 10V3', 'M12 21v-9', 'M12 8V3', 'M20 21v-5', 'M20 12V3', 'M1 14h6', 'M9 8h6', 'M17 16h6'],
  external: ['M18 13v6a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h6', 'M15 3h6v6', 'M10 14L21 3'],
  logout: ['M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4', 'M16 17l5-5-5-5', 'M21 12H9'],
  check: ['M20 6L9 17l-5-5'],
  x: ['M18 6L6 18', 'M6 6l12 12'],
  waiting: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z', 'M12 7v5l3 3'],
  skipped: ['M5 12h14'],
  alert: ['M12 3L2 21h20L12 3z', 'M12 10v4', 'M12 17.5h.01'],
  back: ['M15 18l-6-6 6-6'],
  refresh: ['M21 12a9 9 0 1 1-2.6-6.4', 'M21 3v6h-6'],
  upload: ['M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4', 'M17 8l-5-5-5 5', 'M12 3v12'],
  download: ['M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4', 'M7 10l5 5 5-5', 'M12 15V3'],
  file: ['M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z', 'M14 2v6h6', 'M8 13h8', 'M8 17h5'],
};

const SVG_NS = 'http://www.w3.org/2000/svg';

export function icon(name, className = 'icon') {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of ICONS[name] || []) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.appendChild(path);
  }
  return svg;
}
