/**
 * The 5-step diagnosis wizard. It resumes at the first step not yet completed; "Save draft" keeps a step's answers
 * without finishing it, "Next" saves the whole step (the API names each invalid answer, shown next to its
 * question), "Complete" on the last step scores the diagnosis and `show`s it.
 */
import { api, ApiError, brandPath, isQuiet } from './api.js';
import { busy, h, icon, replaceChildren, toast } from './dom.js';
import { diagnosisHeader } from './diagnosis-view.js';
import { questionControl } from './questions.js';
import { can } from './state.js';

export function renderWizard(ctx, wrap, crumbs, brand, initial, form, show) {
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

  const drawHeader = () => replaceChildren(header, diagnosisHeader(brand, diagnosis));

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
