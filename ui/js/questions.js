/**
 * One diagnosis question as form controls, by type (lib/diagnosis/questionnaire.ts): a 1–5 scale with its labels,
 * single choice (radios), multiple choice (checkboxes; an `exclusive` option stands alone), or text with a live
 * character count. Each question is a `[data-question]` block that shows its own error.
 */
import { h, nextId } from './dom.js';

/**
 * @param {object} q the question
 * @param {unknown} value its saved answer
 * @param {{number: number, readOnly?: boolean, onChange?: () => void}} o
 * @returns {{el: HTMLElement, get: () => unknown, focus: () => void, showError: (message: string) => void, clearError: () => void}}
 */
export function questionControl(q, value, o) {
  const promptId = nextId('q');
  const errorId = `${promptId}-error`;
  const onChange = o.onChange || (() => {});
  const prompt = (tag, attrs = {}) =>
    h(
      tag,
      { class: 'question-prompt', id: promptId, ...attrs },
      h('span', { class: 'question-number', 'aria-hidden': 'true' }, String(o.number)),
      h('span', null, q.prompt, q.required ? null : h('span', { class: 'optional' }, ' (optional)')),
    );

  let body;
  let group = null;
  let get;
  let textarea = null;

  if (q.type === 'text') {
    textarea = h('textarea', {
      id: `${promptId}-input`,
      name: q.id,
      rows: 4,
      maxlength: q.maxLength,
      readOnly: o.readOnly,
      value: typeof value === 'string' ? value : '',
      'data-testid': `answer-${q.id}`,
    });
    const counter = h('span', { class: 'counter', 'data-testid': `counter-${q.id}`, 'aria-live': 'polite' });
    const count = () => {
      const length = textarea.value.trim().length;
      counter.textContent = `${length} / ${q.maxLength} characters${q.minLength ? ` · at least ${q.minLength}` : ''}`;
      counter.classList.toggle('under', length > 0 && length < q.minLength);
      counter.classList.toggle('over', length > q.maxLength);
    };
    textarea.setAttribute('aria-describedby', `${promptId}-count`);
    counter.id = `${promptId}-count`;
    textarea.addEventListener('input', () => {
      count();
      onChange();
    });
    count();
    body = [prompt('label', { for: textarea.id }), textarea, h('p', { class: 'hint' }, counter)];
    get = () => {
      const text = textarea.value.trim();
      return text ? textarea.value : undefined;
    };
  } else {
    const multiple = q.type === 'choice' && q.multiple;
    const options =
      q.type === 'scale'
        ? q.labels.map((label, i) => ({ id: String(q.min + i), label, number: q.min + i }))
        : q.options.map((opt) => ({ ...opt }));
    const selected = new Set(
      Array.isArray(value) ? value.map(String) : value === undefined || value === null ? [] : [String(value)],
    );
    const inputs = options.map((opt) =>
      h('input', {
        type: multiple ? 'checkbox' : 'radio',
        name: `${q.id}-${promptId}`,
        value: opt.id,
        checked: selected.has(opt.id),
        disabled: o.readOnly,
        'data-testid': `answer-${q.id}-${opt.id}`,
      }),
    );
    group = h('div', {
      role: multiple ? 'group' : 'radiogroup',
      'aria-labelledby': promptId,
      class: q.type === 'scale' ? 'scale' : ['options', multiple ? 'options-multiple' : null],
    });
    options.forEach((opt, i) => {
      if (q.type === 'scale') {
        group.appendChild(
          h(
            'label',
            { class: 'scale-option' },
            inputs[i],
            h(
              'span',
              { class: 'scale-body' },
              h('span', { class: 'scale-number' }, String(opt.number)),
              h('span', { class: 'scale-label' }, opt.label),
            ),
          ),
        );
      } else {
        group.appendChild(
          h(
            'label',
            { class: ['option', opt.exclusive ? 'option-exclusive' : null] },
            inputs[i],
            h(
              'span',
              { class: 'option-label' },
              opt.label,
              multiple && opt.exclusive ? h('span', { class: 'option-note' }, ' · on its own') : null,
            ),
          ),
        );
      }
    });
    if (multiple) {
      // An exclusive option ("None", "We don't know") clears the others, and the others clear it.
      group.addEventListener('change', (event) => {
        const changed = event.target;
        if (!changed.checked) return;
        const exclusive = options.find((opt) => opt.id === changed.value).exclusive;
        inputs.forEach((input, i) => {
          if (input !== changed && (exclusive || options[i].exclusive)) input.checked = false;
        });
      });
    }
    group.addEventListener('change', onChange);
    body = [prompt('p'), multiple ? h('p', { class: 'hint' }, 'Select all that apply.') : null, group];
    get = () => {
      const checked = inputs.filter((input) => input.checked).map((input) => input.value);
      if (multiple) return checked.length > 0 ? checked : undefined;
      if (checked.length === 0) return undefined;
      return q.type === 'scale' ? Number(checked[0]) : checked[0];
    };
  }

  const el = h(
    'div',
    {
      class: ['question', `question-${q.type}`],
      'data-question': q.id,
      'data-field': `answers.${q.id}`,
      'data-testid': 'question',
    },
    body,
  );
  const target = group || textarea;

  const clearError = () => {
    const existing = el.querySelector(':scope > .field-error');
    if (existing) existing.remove();
    el.classList.remove('has-error');
    target.removeAttribute('aria-invalid');
    const described = (target.getAttribute('aria-describedby') || '').split(' ').filter((id) => id && id !== errorId);
    if (described.length) target.setAttribute('aria-describedby', described.join(' '));
    else target.removeAttribute('aria-describedby');
  };

  return {
    el,
    get,
    focus() {
      const control = group ? group.querySelector('input:checked') || group.querySelector('input') : textarea;
      control.focus();
      el.scrollIntoView({ block: 'center' });
    },
    showError(message) {
      clearError();
      el.classList.add('has-error');
      el.appendChild(
        h('p', { class: 'field-error', id: errorId, 'data-testid': 'field-error', 'data-error-for': q.id }, message),
      );
      target.setAttribute('aria-invalid', 'true');
      const described = target.getAttribute('aria-describedby');
      target.setAttribute('aria-describedby', described ? `${described} ${errorId}` : errorId);
    },
    clearError,
  };
}

/** An answer in words, for the read-only view of a completed diagnosis. */
export function answerText(q, value) {
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0))
    return null;
  if (q.type === 'scale') return `${value} of ${q.max} — ${q.labels[Number(value) - q.min] || ''}`.trim();
  if (q.type === 'choice') {
    const ids = Array.isArray(value) ? value : [value];
    return ids.map((id) => (q.options.find((opt) => opt.id === id) || { label: id }).label).join(', ');
  }
  return String(value);
}
