/** A completed diagnosis, read-only: its scores, its answers, and what to make of it next. */
import { api, brandPath } from './api.js';
import { actionButton, h, icon, replaceChildren } from './dom.js';
import { scoresView } from './diagnosis-scores.js';
import { diagnosisHeader, diagnosisHref } from './diagnosis-view.js';
import { answerText } from './questions.js';
import { newReportHref } from './reports.js';
import { can } from './state.js';

export function renderCompleted(ctx, wrap, crumbs, brand, d, form) {
  const actions = [];
  if (can('editor')) {
    actions.push(
      h(
        'a',
        { class: 'btn btn-primary', href: newReportHref(brand.id, d.id), 'data-testid': 'diagnosis-new-report' },
        icon('launch'),
        'Create a report from it',
      ),
    );
    const copy = actionButton(
      { class: 'btn btn-secondary', 'data-testid': 'diagnosis-copy' },
      'New diagnosis from these answers',
      () => ({
        confirm: {
          title: 'Start a new diagnosis?',
          message: 'A new draft starts with these answers; change what has changed and complete it again.',
          confirm: 'Start draft',
        },
        request: () => api(brandPath(brand.id, 'diagnoses'), { method: 'POST', body: { copyFrom: d.id } }),
        then: (created) => ctx.navigate(diagnosisHref(brand.id, created.id)),
      }),
    );
    actions.push(copy);
  }

  replaceChildren(
    wrap,
    crumbs,
    diagnosisHeader(brand, d),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'scores-title' },
      h('h2', { id: 'scores-title', class: 'card-title' }, 'Scores'),
      d.scores ? scoresView(d.scores) : h('p', { class: 'muted' }, 'This diagnosis has no scores.'),
      actions.length > 0 ? h('div', { class: 'form-actions scores-actions' }, actions) : null,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'answers-title', 'data-testid': 'diagnosis-answers' },
      h('h2', { id: 'answers-title', class: 'card-title' }, 'Answers'),
      form.steps.map((step, i) =>
        h(
          'div',
          { class: 'answers-step' },
          h('h3', null, `${i + 1}. ${step.title}`),
          h(
            'dl',
            { class: 'answers' },
            step.questions.map((q) => {
              const text = answerText(q, d.answers[q.id]);
              return h(
                'div',
                { class: 'answer-row', 'data-question': q.id },
                h('dt', null, q.prompt),
                h('dd', { class: text ? null : 'muted' }, text || 'Not answered'),
              );
            }),
          ),
        ),
      ),
    ),
  );
}
