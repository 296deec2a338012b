/**
 * The guardrails of the launch form: up to 5 rows, each a metric, the direction that is worse and the largest change
 * against the control a winner may have on it (entered in %, sent as a fraction). Field names are the API's paths
 * (`guardrails.0.metric`) so its errors land next to the right control.
 */
import { clientError, field, h } from './dom.js';

export const MAX_GUARDRAILS = 5;

/** @returns {{el: HTMLElement, read: () => {value?: object[], error?: Error}}} */
export function guardrailFields() {
  let values = [];
  let rows = [];
  const list = h('div', { class: 'guardrail-rows', 'data-testid': 'guardrail-rows' });
  const add = h(
    'button',
    { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'guardrail-add' },
    'Add a guardrail',
  );
  add.addEventListener('click', () => {
    save();
    values.push({ metric: '', worseWhen: 'higher', maxChange: '10' });
    draw();
  });

  function save() {
    values = rows.map((r) => r.values());
  }

  function draw() {
    rows = values.map((v, i) => row(i, v));
    list.replaceChildren(...rows.map((r) => r.el));
    add.disabled = values.length >= MAX_GUARDRAILS;
  }

  function row(i, v) {
    const p = `guardrails.${i}`;
    const metric = h('input', {
      type: 'text',
      name: 'metric',
      maxlength: 40,
      value: v.metric,
      placeholder: 'e.g. unsubscribe',
      'data-testid': `guardrail-metric-${i}`,
    });
    const worse = h(
      'select',
      { name: 'worseWhen', 'data-testid': `guardrail-worse-${i}` },
      h('option', { value: 'higher', selected: v.worseWhen === 'higher' }, 'Higher is worse'),
      h('option', { value: 'lower', selected: v.worseWhen === 'lower' }, 'Lower is worse'),
    );
    const change = h('input', {
      type: 'number',
      name: 'maxChange',
      min: 0,
      max: 100,
      step: 'any',
      value: v.maxChange,
      'data-testid': `guardrail-change-${i}`,
    });
    const remove = h(
      'button',
      { type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': `guardrail-remove-${i}` },
      'Remove',
    );
    remove.addEventListener('click', () => {
      save();
      values.splice(i, 1);
      draw();
    });
    const el = h(
      'div',
      { class: 'row guardrail-row', 'data-field': p, 'data-testid': 'guardrail-row' },
      field({ label: 'Metric', name: `${p}.metric`, control: metric }),
      field({ label: 'Direction', name: `${p}.worseWhen`, control: worse }),
      field({
        label: 'Largest change allowed (%)',
        name: `${p}.maxChange`,
        control: change,
        hint: 'Relative to the control.',
      }),
      remove,
    );
    return { el, values: () => ({ metric: metric.value, worseWhen: worse.value, maxChange: change.value }) };
  }

  draw();
  return {
    el: h(
      'div',
      { class: 'guardrail-fields', 'data-field': 'guardrails' },
      list,
      h(
        'div',
        { class: 'form-actions' },
        add,
        h(
          'span',
          { class: 'muted small' },
          'Optional. A variant that moves a guardrail the wrong way by more than allowed cannot win.',
        ),
      ),
    ),
    read() {
      save();
      const errors = [];
      const guardrails = values.map((v, i) => {
        const pct = Number(v.maxChange);
        if (v.maxChange.trim() === '' || !Number.isFinite(pct))
          errors.push({ field: `guardrails.${i}.maxChange`, message: 'Enter a percentage, e.g. 10' });
        return { metric: v.metric.trim(), worseWhen: v.worseWhen, maxChange: pct / 100 };
      });
      return errors.length ? { error: clientError(errors) } : { value: guardrails };
    },
  };
}
