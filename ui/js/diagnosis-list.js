/** The Diagnosis tab of a brand: its diagnoses (newest first) with progress and score; start, continue, delete. */
import { api, brandPath, isQuiet } from './api.js';
import {
  busy,
  confirmDialog,
  emptyState,
  errorBox,
  formatScore,
  h,
  icon,
  replaceChildren,
  spinner,
  statusBadge,
  time,
  toast,
} from './dom.js';
import { diagnosisHref, loadQuestionnaire } from './diagnosis.js';
import { newReportHref } from './reports.js';
import { can } from './state.js';

export function renderDiagnosisSection(ctx, brand, panel) {
  const editable = can('editor');
  const listSlot = h('div', { class: 'table-wrap' }, spinner('Loading diagnoses…'));
  const copyBox = h('input', { type: 'checkbox', id: 'diagnosis-copy-latest', 'data-testid': 'diagnosis-copy-latest' });
  const copyField = h(
    'div',
    { class: 'field-check', hidden: true },
    copyBox,
    h('label', { for: 'diagnosis-copy-latest' }, 'Start from the latest answers'),
  );
  const create = h(
    'button',
    { type: 'button', class: 'btn btn-primary', 'data-testid': 'diagnosis-new' },
    icon('launch'),
    'New diagnosis',
  );
  let items = [];
  let stepCount = 5;

  create.addEventListener('click', async () => {
    const body = copyBox.checked && items.length > 0 ? { copyFrom: items[0].id } : {};
    try {
      const created = await busy(
        create,
        () => api(brandPath(brand.id, 'diagnoses'), { method: 'POST', body }),
        'Starting…',
      );
      ctx.navigate(diagnosisHref(brand.id, created.id));
    } catch (err) {
      if (!isQuiet(err)) toast(err.message, 'error');
    }
  });

  replaceChildren(
    panel,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'diagnoses-title', 'data-testid': 'diagnoses' },
      h(
        'div',
        { class: 'section-head' },
        h(
          'div',
          null,
          h('h2', { id: 'diagnoses-title', class: 'card-title' }, 'Diagnosis'),
          h(
            'p',
            { class: 'muted' },
            'Five steps on identity, audience, market, channels and performance. A completed diagnosis is scored and feeds the report.',
          ),
        ),
        editable ? h('div', { class: 'page-actions section-actions' }, copyField, create) : null,
      ),
      listSlot,
    ),
  );

  async function load() {
    try {
      const [data, form] = await Promise.all([
        api(brandPath(brand.id, 'diagnoses'), { signal: ctx.signal }),
        loadQuestionnaire(ctx.signal),
      ]);
      if (!ctx.isCurrent()) return;
      items = data.items || [];
      stepCount = form.steps.length;
      copyField.hidden = items.length === 0;
      draw();
    } catch (err) {
      if (isQuiet(err)) return;
      replaceChildren(
        listSlot,
        errorBox(err, () => void load()),
      );
    }
  }

  function draw() {
    if (items.length === 0) {
      replaceChildren(
        listSlot,
        emptyState(
          'No diagnosis yet',
          editable
            ? 'Answer the questionnaire in five steps; you can save a draft and come back.'
            : 'Editors can start one.',
        ),
      );
      return;
    }
    replaceChildren(
      listSlot,
      h(
        'table',
        { class: 'table', 'data-testid': 'diagnosis-table' },
        h('caption', { class: 'visually-hidden' }, 'Diagnoses, newest first'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'Started'),
            h('th', { scope: 'col' }, 'Status'),
            h('th', { scope: 'col' }, 'Steps'),
            h('th', { scope: 'col', class: 'num' }, 'Overall'),
            h('th', { scope: 'col' }, 'Updated'),
            h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
          ),
        ),
        h('tbody', null, items.map(row)),
      ),
    );
  }

  function row(d) {
    const done = d.completedSteps.length;
    const complete = d.status === 'complete';
    const actions = [
      h(
        'a',
        {
          class: ['btn', 'btn-small', complete ? 'btn-secondary' : 'btn-primary'],
          href: diagnosisHref(brand.id, d.id),
          'data-testid': 'diagnosis-open',
        },
        complete ? 'View' : editable ? 'Continue' : 'View draft',
      ),
    ];
    if (complete && editable)
      actions.push(
        ' ',
        h('a', { class: 'btn btn-small btn-ghost', href: newReportHref(brand.id, d.id) }, 'New report'),
      );
    if (editable) {
      const del = h(
        'button',
        { type: 'button', class: 'btn btn-small btn-danger-outline', 'data-testid': 'diagnosis-delete' },
        'Delete',
      );
      del.addEventListener('click', async () => {
        const ok = await confirmDialog({
          title: 'Delete this diagnosis?',
          message: complete
            ? 'Its answers and scores are removed. A diagnosis a report was made from is kept.'
            : 'The draft and its answers are removed.',
          confirm: 'Delete diagnosis',
          danger: true,
        });
        if (!ok) return;
        try {
          await busy(del, () => api(brandPath(brand.id, 'diagnoses', d.id), { method: 'DELETE' }), 'Deleting…');
          toast('Diagnosis deleted.', 'success');
          await load();
        } catch (err) {
          if (!isQuiet(err)) toast(err.message, 'error');
        }
      });
      actions.push(' ', del);
    }
    return h(
      'tr',
      { 'data-testid': 'diagnosis-row', 'data-diagnosis-id': d.id, 'data-status': d.status },
      h('td', null, time(d.createdAt)),
      h('td', null, statusBadge(d.status)),
      h(
        'td',
        null,
        h(
          'span',
          { class: 'progress-cell' },
          h('progress', {
            max: stepCount,
            value: done,
            'aria-label': `${done} of ${stepCount} steps completed`,
          }),
          h('span', { class: 'nowrap', 'data-testid': 'diagnosis-steps' }, `${done}/${stepCount}`),
        ),
      ),
      h('td', { class: 'num', 'data-testid': 'diagnosis-overall' }, formatScore(d.overall)),
      h('td', null, complete ? time(d.completedAt) : time(d.updatedAt)),
      h('td', { class: 'cell-actions' }, actions),
    );
  }

  void load();
}
