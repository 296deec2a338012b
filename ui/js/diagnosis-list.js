/** The Diagnosis tab of a brand: its diagnoses (newest first) with progress and score; start, continue, delete. */
import { api, brandPath, isQuiet } from './api.js';
import {
  actionButton,
  emptyState,
  errorBox,
  formatScore,
  h,
  icon,
  replaceChildren,
  runAction,
  spinner,
  statusBadge,
  time,
} from './dom.js';
import { diagnosisHref, loadQuestionnaire } from './diagnosis.js';
import { tabCard } from './layout.js';
import { newReportHref } from './reports.js';
import { can } from './state.js';
import { ACTIONS, dataTable } from './table.js';

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

  create.addEventListener(
    'click',
    () =>
      void runAction(create, {
        request: () =>
          api(brandPath(brand.id, 'diagnoses'), {
            method: 'POST',
            body: copyBox.checked && items.length > 0 ? { copyFrom: items[0].id } : {},
          }),
        busyLabel: 'Starting…',
        then: (created) => ctx.navigate(diagnosisHref(brand.id, created.id)),
      }),
  );

  replaceChildren(
    panel,
    tabCard(
      {
        key: 'diagnoses',
        title: 'Diagnosis',
        description:
          'Five steps on identity, audience, market, channels and performance. A completed diagnosis is scored and feeds the report.',
        actions: editable ? h('div', { class: 'page-actions section-actions' }, copyField, create) : null,
      },
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
      dataTable(['Started', 'Status', 'Steps', { label: 'Overall', num: true }, 'Updated', ACTIONS], items.map(row), {
        testid: 'diagnosis-table',
        caption: 'Diagnoses, newest first',
      }),
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
      const del = actionButton(
        { class: 'btn btn-small btn-danger-outline', 'data-testid': 'diagnosis-delete' },
        'Delete',
        () => ({
          confirm: {
            title: 'Delete this diagnosis?',
            message: complete
              ? 'Its answers and scores are removed. A diagnosis a report was made from is kept.'
              : 'The draft and its answers are removed.',
            confirm: 'Delete diagnosis',
            danger: true,
          },
          request: () => api(brandPath(brand.id, 'diagnoses', d.id), { method: 'DELETE' }),
          busyLabel: 'Deleting…',
          done: 'Diagnosis deleted.',
          then: load,
        }),
      );
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
