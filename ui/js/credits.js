/**
 * #/credits: the workspace's credits. Balance, what running videos hold and what is available; the ledger, newest
 * first, each video's entries linked to its run; admins grant credits here.
 */
import { api, query } from './api.js';
import {
  busy,
  clientError,
  field,
  formatNumber,
  h,
  onSubmit,
  replaceChildren,
  runAction,
  spinner,
  time,
  toast,
} from './dom.js';
import { pageHeader } from './layout.js';
import { showPageError } from './load.js';
import { runHref } from './runs.js';
import { can } from './state.js';
import { tableHead } from './table.js';

const PAGE = 50;
const MAX_GRANT = 1_000_000;

const KIND_LABELS = {
  grant: 'Granted',
  adjust: 'Adjusted',
  reserve: 'Held',
  release: 'Released',
  capture: 'Charged',
};

export async function renderCredits(ctx) {
  const wrap = h('div', { class: 'page' });
  ctx.main.appendChild(wrap);
  const header = pageHeader({
    title: 'Credits',
    description:
      'Videos cost credits: a run holds its estimate when it starts, is charged for what it made when it finishes, and gives the hold back if it fails, is rejected or cancelled.',
  });
  const summary = h('div', { class: 'stat-row', 'data-testid': 'credits-summary' }, spinner('Loading credits…'));
  const ledgerBody = h('tbody', { 'data-testid': 'ledger-rows' });
  const more = h(
    'button',
    { type: 'button', class: 'btn btn-secondary', hidden: true, 'data-testid': 'ledger-more' },
    'Load older entries',
  );
  const ledgerNote = h('p', { class: 'muted', hidden: true }, 'No entries yet.');
  const ledger = h(
    'section',
    { class: 'card', 'aria-labelledby': 'ledger-title' },
    h('h2', { id: 'ledger-title', class: 'card-title' }, 'Ledger'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table', 'data-testid': 'ledger' },
        tableHead(['When', 'What', 'Description', { label: 'Credits', num: true }]),
        ledgerBody,
      ),
    ),
    ledgerNote,
    h('div', { class: 'form-actions' }, more),
  );
  wrap.append(header, summary, can('admin') ? grantForm() : null, ledger);

  let cursor = null;

  async function loadBalance() {
    const b = await api('/credits', { signal: ctx.signal });
    if (!ctx.isCurrent()) return;
    const stat = (label, value, testid, hint) =>
      h(
        'div',
        { class: 'stat card' },
        h('p', { class: 'stat-label' }, label),
        h('p', { class: 'stat-value', 'data-testid': testid }, formatNumber(value)),
        h('p', { class: 'hint' }, hint),
      );
    replaceChildren(
      summary,
      stat('Available', b.available, 'credits-available', 'What a new video may reserve'),
      stat('Held by running videos', b.reserved, 'credits-reserved', 'Given back or charged when they finish'),
      stat('Balance', b.balance, 'credits-balance', 'Granted, less what videos were charged'),
    );
  }

  function entryRow(e) {
    const amount = Number(e.amount);
    return h(
      'tr',
      { 'data-testid': 'ledger-row', 'data-kind': e.kind },
      h('td', null, time(e.createdAt)),
      h('td', null, h('span', { class: `chip chip-${e.kind}` }, KIND_LABELS[e.kind] || e.kind)),
      h(
        'td',
        null,
        e.description || '',
        e.reservationId
          ? h('span', { class: 'ledger-run' }, ' · ', h('a', { href: runHref(e.reservationId) }, 'run'))
          : null,
        e.metadata && e.metadata.actor && e.metadata.actor.name
          ? h('span', { class: 'muted' }, ` · by ${e.metadata.actor.name}`)
          : null,
      ),
      h(
        'td',
        { class: `num ${amount > 0 ? 'credit-in' : amount < 0 ? 'credit-out' : ''}` },
        amount > 0 ? `+${formatNumber(amount)}` : formatNumber(amount),
      ),
    );
  }

  async function loadLedger({ reset = false } = {}) {
    if (reset) cursor = null;
    const page = await api(`/credits/ledger${query({ limit: PAGE, cursor })}`, { signal: ctx.signal });
    if (!ctx.isCurrent()) return;
    const rows = (page.items || []).map(entryRow);
    if (reset) replaceChildren(ledgerBody, rows);
    else ledgerBody.append(...rows);
    cursor = page.nextCursor || null;
    more.hidden = !cursor;
    ledgerNote.hidden = ledgerBody.children.length > 0;
  }

  more.addEventListener('click', () => void runAction(more, { request: () => loadLedger(), busyLabel: 'Loading…' }));

  function grantForm() {
    const amount = h('input', {
      type: 'number',
      name: 'amount',
      min: 1,
      max: MAX_GRANT,
      step: 1,
      inputmode: 'numeric',
      required: true,
      'data-testid': 'grant-amount',
    });
    const note = h('input', { type: 'text', name: 'note', maxlength: 500, 'data-testid': 'grant-note' });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'grant-submit' }, 'Grant');
    const form = h(
      'form',
      { class: 'card stack', novalidate: true, 'data-testid': 'grant-form', 'aria-labelledby': 'grant-title' },
      h('h2', { id: 'grant-title', class: 'card-title' }, 'Grant credits'),
      h(
        'div',
        { class: 'row' },
        field({ label: 'Credits', name: 'amount', control: amount, hint: `1 to ${formatNumber(MAX_GRANT)}` }),
        field({ label: 'Note', name: 'note', control: note, optional: true, hint: 'Shown in the ledger.' }),
      ),
      h('div', { class: 'form-actions' }, submit),
    );
    onSubmit(form, async () => {
      const n = Number(amount.value);
      if (!Number.isInteger(n) || n < 1 || n > MAX_GRANT)
        throw clientError('amount', `Enter a whole number from 1 to ${formatNumber(MAX_GRANT)}.`);
      const body = { amount: n };
      if (note.value.trim()) body.note = note.value.trim();
      await busy(submit, () => api('/credits/grants', { method: 'POST', body }), 'Granting…');
      toast(`${formatNumber(n)} credits granted.`, 'success');
      form.reset();
      await Promise.all([loadBalance(), loadLedger({ reset: true })]);
    });
    return form;
  }

  try {
    await Promise.all([loadBalance(), loadLedger({ reset: true })]);
  } catch (err) {
    showPageError(ctx, err, wrap, header);
  }
}
