/** The approval part of a launch form: whether a person must decide, how long to wait, and what happens then. */
import { clientError, field, h } from './dom.js';

const MAX_MINUTES = 43200;

/**
 * @param {{label: string, hint?: string, minutes?: number, rejectLabel?: string}} o label: what the checkbox asks;
 *   rejectLabel: the timeout choice that rejects, in the automation's terms
 * @returns {{el: HTMLElement, read: () => {error?: Error, value?: {required: boolean, timeoutSeconds: number, onTimeout: string}}}}
 */
export function approvalPolicyFields(o) {
  const required = h('input', {
    type: 'checkbox',
    id: 'launch-approval-required',
    name: 'approvalRequired',
    checked: true,
    'data-testid': 'launch-approval-required',
  });
  const timeout = h('input', {
    type: 'number',
    name: 'timeoutMinutes',
    min: 1,
    max: MAX_MINUTES,
    step: 1,
    value: String(o.minutes || 60),
    inputmode: 'numeric',
    'data-testid': 'launch-approval-timeout',
  });
  const onTimeout = h(
    'select',
    { name: 'onTimeout', 'data-testid': 'launch-approval-on-timeout' },
    h('option', { value: 'approve' }, 'Approve automatically'),
    h('option', { value: 'reject', selected: true }, o.rejectLabel || 'Reject (publish nothing)'),
    h('option', { value: 'fail' }, 'Fail the run'),
  );
  const approvalFields = h(
    'div',
    { class: 'row' },
    field({ label: 'Wait for a decision (minutes)', name: 'input.approval.timeoutSeconds', control: timeout }),
    field({ label: 'If nobody decides in time', name: 'input.approval.onTimeout', control: onTimeout }),
  );
  required.addEventListener('change', () => {
    timeout.disabled = !required.checked;
    onTimeout.disabled = !required.checked;
    approvalFields.classList.toggle('is-disabled', !required.checked);
  });

  const el = h(
    'fieldset',
    { class: 'fieldset', 'data-field': 'input.approval' },
    h('legend', null, 'Approval'),
    h(
      'div',
      { class: 'field field-check', 'data-field': 'input.approval.required' },
      required,
      h('label', { for: 'launch-approval-required' }, o.label),
    ),
    o.hint ? h('p', { class: 'hint' }, o.hint) : null,
    approvalFields,
  );

  const read = () => {
    const minutes = Number(timeout.value);
    if (required.checked && (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES)) {
      return {
        error: clientError(
          'input.approval.timeoutSeconds',
          'Enter a whole number of minutes between 1 and 43,200 (30 days).',
        ),
      };
    }
    return {
      value: required.checked
        ? { required: true, timeoutSeconds: minutes * 60, onTimeout: onTimeout.value }
        : { required: false, timeoutSeconds: minutes * 60 || 3600, onTimeout: onTimeout.value },
    };
  };
  return { el, read };
}
