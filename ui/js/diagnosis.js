/**
 * #/brands/<id>/diagnosis/<diagnosisId>: the 5-step diagnosis wizard. It resumes at the first step not yet
 * completed; "Save draft" keeps a step's answers without finishing it, "Next" saves the whole step (the API names
 * each invalid answer, shown next to its question), "Complete" on the last step scores the diagnosis. A completed
 * diagnosis is read-only: its scores and answers.
 */
import { api, ApiError, brandPath, isQuiet } from './api.js';
import {
  busy,
  confirmDialog,
  errorBox,
  formatDateTime,
  h,
  icon,
  replaceChildren,
  spinner,
  statusBadge,
  time,
  toast,
} from './dom.js';
import { scoresView } from './diagnosis-scores.js';
import { answerText, questionControl } from './questions.js';
import { newReportHref } from './reports.js';
import { can } from './state.js';

let questionnaire = null;

/** The questionnaire the API serves; it only changes with a deploy, so it is loaded once. */
export async function loadQuestionnaire(signal) {
  if (!questionnaire) questionnaire = await api('/diagnosis/questionnaire', { signal });
  return questionnaire;
}

export const diagnosisHref = (brandId, diagnosisId) =>
  `#/brands/${encodeURIComponent(brandId)}/diagnosis/${encodeURIComponent(diagnosisId)}`;

export async function renderDiagnosis(ctx) {
  const [brandId, diagnosisId] = ctx.params;
  const wrap = h('div', { class: 'page narrow-wide diagnosis-page' });
  const crumbs = h(
    'nav',
    { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
    h('a', { href: `#/brands/${encodeURIComponent(brandId)}?tab=diagnosis` }, icon('back'), 'Brand'),
  );
  wrap.append(crumbs, spinner('Loading the diagnosis…'));
  ctx.main.appendChild(wrap);

  let brand, diagnosis, form;
  try {
    [brand, diagnosis, form] = await Promise.all([
      api(brandPath(brandId), { signal: ctx.signal }),
      api(brandPath(brandId, 'diagnoses', diagnosisId), { signal: ctx.signal }),
      loadQuestionnaire(ctx.signal),
    ]);
  } catch (err) {
    if (isQuiet(err)) throw err;
    replaceChildren(
      wrap,
      crumbs,
      h(
        'h1',
        null,
        err instanceof ApiError && err.status === 404 ? 'Diagnosis not found' : 'Could not load the diagnosis',
      ),
      errorBox(err, () => ctx.navigate(location.hash)),
    );
    return;
  }
  if (!ctx.isCurrent()) return;
  replaceChildren(crumbs.firstChild, icon('back'), brand.name);
  ctx.setTitle(`Diagnosis · ${brand.name}`);
  const show = (d) => {
    if (d.status === 'complete') renderCompleted(ctx, wrap, crumbs, brand, d, form);
    else renderWizard(ctx, wrap, crumbs, brand, d, form, show);
  };
  show(diagnosis);
}

function pageHeader(brand, d) {
  return h(
    'header',
    { class: 'page-header' },
    h(
      'div',
      null,
      h(
        'div',
        { class: 'title-row' },
        h('h1', null, 'Brand diagnosis'),
        statusBadge(d.status, { 'data-testid': 'diagnosis-status' }),
      ),
      h(
        'p',
        { class: 'muted' },
        d.status === 'complete'
          ? ['Completed ', formatDateTime(d.completedAt), ' for ', brand.name]
          : [`${brand.name} · started `, time(d.createdAt), ' · last saved ', time(d.updatedAt)],
      ),
    ),
  );
}

// ---------- the wizard ----------

function renderWizard(ctx, wrap, crumbs, brand, initial, form, show) {
  const editable = can('editor');
  const steps = form.steps;
  let diagnosis = initial;
  const answers = { ...(initial.answers || {}) };
  const dirty = new Set();
  const firstOpen = steps.findIndex((s) => !diagnosis.completedSteps.includes(s.id));
  let index = firstOpen === -1 ? steps.length - 1 : firstOpen;
  let controls = new Map();

  const header = h('div');
  const stepper = h('ol', { class: 'stepper', 'aria-label': 'Diagnosis steps', 'data-testid': 'stepper' });
  const panel = h('section', { class: 'card wizard-card', 'aria-labelledby': 'step-title' });
  replaceChildren(wrap, crumbs, header, stepper, panel);

  const drawHeader = () => replaceChildren(header, pageHeader(brand, diagnosis));

  const drawStepper = () => {
    replaceChildren(
      stepper,
      steps.map((step, i) => {
        const done = diagnosis.completedSteps.includes(step.id);
        const state = i === index ? 'current' : done ? 'complete' : 'upcoming';
        const button = h(
          'button',
          {
            type: 'button',
            class: 'stepper-button',
            'aria-current': i === index ? 'step' : null,
            'data-testid': 'stepper-step',
            'data-step': step.id,
            'data-state': state,
            'data-complete': done ? 'true' : 'false',
          },
          h(
            'span',
            { class: 'stepper-mark', 'aria-hidden': 'true' },
            done && i !== index ? icon('check') : String(i + 1),
          ),
          h(
            'span',
            { class: 'stepper-text' },
            h('span', { class: 'stepper-title' }, step.title),
            h(
              'span',
              { class: 'stepper-state' },
              dirty.has(step.id) ? 'Unsaved changes' : done ? 'Complete' : i === index ? 'In progress' : 'Not started',
            ),
          ),
        );
        button.addEventListener('click', () => void goTo(i));
        return h('li', { class: `stepper-item is-${state}` }, button);
      }),
    );
  };

  const stepAnswers = (step) => {
    const out = {};
    for (const q of step.questions) {
      const value = controls.has(q.id) ? controls.get(q.id).get() : answers[q.id];
      if (value !== undefined) out[q.id] = value;
    }
    return out;
  };

  const alertSlot = h('div');
  const status = h('p', { class: 'wizard-status muted', role: 'status', 'data-testid': 'wizard-status' });

  const drawStep = ({ focus = false } = {}) => {
    const step = steps[index];
    controls = new Map();
    const list = h('div', { class: 'questions' });
    step.questions.forEach((q, i) => {
      const control = questionControl(q, answers[q.id], {
        number: i + 1,
        readOnly: !editable,
        onChange: () => {
          const value = control.get();
          if (value === undefined) delete answers[q.id];
          else answers[q.id] = value;
          control.clearError();
          if (!dirty.has(step.id)) {
            dirty.add(step.id);
            drawStepper();
          }
          status.textContent = 'Unsaved changes';
        },
      });
      controls.set(q.id, control);
      list.appendChild(control.el);
    });

    const last = index === steps.length - 1;
    const back = h(
      'button',
      { type: 'button', class: 'btn btn-ghost', disabled: index === 0, 'data-testid': 'diagnosis-back' },
      icon('back'),
      'Back',
    );
    const draft = h(
      'button',
      { type: 'button', class: 'btn btn-secondary', 'data-testid': 'diagnosis-save-draft' },
      'Save draft',
    );
    const next = h(
      'button',
      { type: 'submit', class: 'btn btn-primary', 'data-testid': last ? 'diagnosis-complete' : 'diagnosis-next' },
      last ? 'Complete diagnosis' : 'Next',
    );
    back.addEventListener('click', () => void goTo(index - 1));
    draft.addEventListener('click', () => void saveDraft(draft));
    const stepForm = h(
      'form',
      { class: 'stack', novalidate: true, 'data-testid': 'diagnosis-form', 'data-step': step.id },
      alertSlot,
      list,
      editable
        ? h('div', { class: 'form-actions wizard-actions' }, back, draft, status, next)
        : h(
            'div',
            { class: 'form-actions wizard-actions' },
            back,
            h('p', { class: 'muted' }, 'Editors answer the questions.'),
          ),
    );
    stepForm.addEventListener('submit', (event) => {
      event.preventDefault();
      if (last) void complete(next);
      else void saveStep(next);
    });
    status.textContent = dirty.has(step.id) ? 'Unsaved changes' : '';
    replaceChildren(alertSlot);

    replaceChildren(
      panel,
      h(
        'div',
        { class: 'wizard-head' },
        h('p', { class: 'eyebrow eyebrow-muted' }, `Step ${index + 1} of ${steps.length}`),
        h('h2', { id: 'step-title', class: 'card-title', tabindex: '-1' }, step.title),
        h('p', { class: 'muted' }, step.description),
      ),
      stepForm,
    );
    if (!editable) next.hidden = true;
    if (focus) {
      panel.scrollIntoView({ block: 'start' });
      panel.querySelector('#step-title').focus({ preventScroll: true });
    }
  };

  /** Shows the API's errors next to their questions; focuses the first. True when some were placed. */
  const showAnswerErrors = (err) => {
    replaceChildren(alertSlot);
    const placed = [];
    const rest = [];
    for (const fe of err instanceof ApiError ? err.errors : []) {
      const id = fe.question || (fe.field.startsWith('answers.') ? fe.field.slice('answers.'.length) : null);
      const control = id ? controls.get(id) : null;
      if (control) {
        control.showError(fe.message);
        placed.push(control);
      } else rest.push(fe);
    }
    alertSlot.appendChild(
      h(
        'div',
        { class: 'alert alert-error form-alert', role: 'alert', 'data-testid': 'form-error' },
        h(
          'strong',
          null,
          placed.length > 0
            ? `${placed.length} answer${placed.length === 1 ? ' needs' : 's need'} attention.`
            : err instanceof ApiError
              ? err.title
              : 'Something went wrong',
        ),
        placed.length === 0 ? h('span', null, ` ${err.message}`) : null,
        rest.length > 0
          ? h(
              'ul',
              null,
              rest.map((fe) => h('li', null, fe.message)),
            )
          : null,
      ),
    );
    if (placed.length > 0) placed[0].focus();
    else alertSlot.scrollIntoView({ block: 'nearest' });
    return placed.length > 0;
  };

  const clearAnswerErrors = () => {
    replaceChildren(alertSlot);
    for (const control of controls.values()) control.clearError();
  };

  const put = (step, partial) =>
    api(brandPath(brand.id, 'diagnoses', diagnosis.id, 'steps', step.id), {
      method: 'PUT',
      body: { answers: stepAnswers(step), partial },
    });

  const saved = (next, step) => {
    diagnosis = next;
    dirty.delete(step.id);
    drawHeader();
  };

  /** A 409 means someone completed the diagnosis meanwhile: show it as it is now. */
  const conflict = async (err) => {
    if (!(err instanceof ApiError && err.status === 409)) return false;
    toast(err.message, 'info');
    show(await api(brandPath(brand.id, 'diagnoses', diagnosis.id), { signal: ctx.signal }));
    return true;
  };

  async function saveDraft(button) {
    const step = steps[index];
    clearAnswerErrors();
    try {
      saved(await busy(button, () => put(step, true), 'Saving…'), step);
      drawStepper();
      status.textContent = `Draft saved ${new Date().toLocaleTimeString()}`;
      toast('Draft saved.', 'success');
    } catch (err) {
      if (isQuiet(err) || (await conflict(err))) return;
      showAnswerErrors(err);
    }
  }

  async function saveStep(button) {
    const step = steps[index];
    clearAnswerErrors();
    try {
      saved(await busy(button, () => put(step, false), 'Saving…'), step);
      index += 1;
      drawStepper();
      drawStep({ focus: true });
    } catch (err) {
      if (isQuiet(err) || (await conflict(err))) return;
      showAnswerErrors(err);
    }
  }

  /** Moving between steps keeps what was typed: a changed step is saved as a draft first. */
  async function goTo(target) {
    if (target === index || target < 0 || target >= steps.length) return;
    const step = steps[index];
    if (editable && dirty.has(step.id)) {
      clearAnswerErrors();
      try {
        saved(await put(step, true), step);
      } catch (err) {
        if (isQuiet(err) || (await conflict(err))) return;
        showAnswerErrors(err);
        return;
      }
    }
    index = target;
    drawStepper();
    drawStep({ focus: true });
  }

  async function complete(button) {
    const step = steps[index];
    clearAnswerErrors();
    try {
      const done = await busy(
        button,
        async () => {
          saved(await put(step, false), step);
          return api(brandPath(brand.id, 'diagnoses', diagnosis.id, 'complete'), { method: 'POST' });
        },
        'Scoring…',
      );
      toast('Diagnosis complete.', 'success');
      show(done);
      window.scrollTo({ top: 0 });
    } catch (err) {
      if (isQuiet(err) || (await conflict(err))) return;
      drawStepper();
      // Completing names questions of earlier steps: open the first step with a problem.
      const ids =
        err instanceof ApiError
          ? err.errors.map((fe) => fe.question || fe.field.replace(/^(answers|steps)\./, ''))
          : [];
      const target = steps.findIndex((s) => ids.some((id) => id === s.id || id.startsWith(`${s.id}.`)));
      if (target !== -1 && target !== index) {
        index = target;
        drawStepper();
        drawStep({ focus: true });
      }
      showAnswerErrors(err);
    }
  }

  drawHeader();
  drawStepper();
  drawStep();
}

// ---------- a completed diagnosis ----------

function renderCompleted(ctx, wrap, crumbs, brand, d, form) {
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
    const copy = h(
      'button',
      { type: 'button', class: 'btn btn-secondary', 'data-testid': 'diagnosis-copy' },
      'New diagnosis from these answers',
    );
    copy.addEventListener('click', async () => {
      const ok = await confirmDialog({
        title: 'Start a new diagnosis?',
        message: 'A new draft starts with these answers; change what has changed and complete it again.',
        confirm: 'Start draft',
      });
      if (!ok) return;
      try {
        const created = await busy(copy, () =>
          api(brandPath(brand.id, 'diagnoses'), { method: 'POST', body: { copyFrom: d.id } }),
        );
        ctx.navigate(diagnosisHref(brand.id, created.id));
      } catch (err) {
        if (!isQuiet(err)) toast(err.message, 'error');
      }
    });
    actions.push(copy);
  }

  replaceChildren(
    wrap,
    crumbs,
    pageHeader(brand, d),
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
