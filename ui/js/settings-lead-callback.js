/**
 * The CRM callback section of #/settings: where each enriched lead is posted, signed with Standard Webhooks. The
 * signing secret is shown once, when the callback is created and when it is rotated.
 */
import { api, ApiError } from './api.js';
import { actionButton, busy, field, h, onSubmit, replaceChildren, spinner, stackForm, time, toast } from './dom.js';
import { settingsCard } from './layout.js';
import { secretBox } from './secret.js';

export function leadCallbackSection(_ctx, id) {
  const reveal = h('div');
  const status = h('div', null, spinner());
  const url = h('input', {
    type: 'url',
    name: 'url',
    maxlength: 2048,
    placeholder: 'https://crm.example.com/hooks/studioflow',
    'data-testid': 'lead-callback-url',
  });
  const enabled = h('input', {
    type: 'checkbox',
    id: 'lead-callback-enabled',
    name: 'enabled',
    checked: true,
    'data-testid': 'lead-callback-enabled',
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'lead-callback-save' }, 'Save');
  const form = stackForm(
    [
      field({ label: 'Callback URL', name: 'url', control: url }),
      h(
        'div',
        { class: 'field-check' },
        enabled,
        h('label', { for: 'lead-callback-enabled' }, 'Post enriched leads to it'),
      ),
    ],
    submit,
  );

  const showSecret = (secret) =>
    replaceChildren(reveal, secretBox('Signing secret:', secret, 'Copy it now — it is not shown again.'));

  function draw(callback) {
    if (!callback) {
      replaceChildren(status, h('p', { class: 'muted', 'data-testid': 'lead-callback-none' }, 'No CRM callback yet.'));
      return;
    }
    url.value = callback.url;
    enabled.checked = callback.enabled;
    const rotate = actionButton(
      { class: 'btn btn-small', 'data-testid': 'lead-callback-rotate' },
      'New secret',
      () => ({
        confirm: {
          title: 'Make a new signing secret?',
          message: 'The current secret stops signing at once; update your CRM with the new one.',
          confirm: 'Make a new secret',
        },
        request: () => api('/lead-callback/secret', { method: 'POST' }),
        then: (rotated) => showSecret(rotated.secret),
      }),
    );
    const remove = actionButton({ class: 'btn btn-small btn-danger-outline' }, 'Remove', () => ({
      confirm: {
        title: 'Remove the CRM callback?',
        message: 'Enriched leads will no longer be posted.',
        confirm: 'Remove',
        danger: true,
      },
      request: () => api('/lead-callback', { method: 'DELETE' }),
      done: 'CRM callback removed.',
      then: () => {
        url.value = '';
        replaceChildren(reveal);
        draw(null);
      },
    }));
    replaceChildren(
      status,
      h(
        'p',
        { 'data-testid': 'lead-callback-current' },
        callback.enabled ? h('span', { class: 'chip chip-ok' }, 'On') : h('span', { class: 'chip' }, 'Off'),
        ' ',
        h('code', { class: 'mono break' }, callback.url),
        h('span', { class: 'muted' }, ' · saved ', time(callback.updatedAt)),
      ),
      h('div', { class: 'form-actions lead-callback-actions' }, rotate, remove),
    );
  }

  onSubmit(form, async () => {
    const saved = await busy(
      submit,
      () => api('/lead-callback', { method: 'PUT', body: { url: url.value.trim(), enabled: enabled.checked } }),
      'Saving…',
    );
    if (saved.secret) showSecret(saved.secret);
    else toast('CRM callback saved.', 'success');
    draw(saved);
  });

  api('/lead-callback').then(draw, (err) => {
    if (err instanceof ApiError && err.status === 404) draw(null);
    else replaceChildren(status, h('p', { class: 'error' }, err.message));
  });

  return settingsCard(
    {
      key: id,
      title: 'CRM callback',
      description:
        'Each lead an enrichment run finishes is POSTed here as {"type": "lead.enriched", "data": …}, signed with Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). The webhook-id is the same on every retry of one lead’s run.',
      anchor: true,
    },
    reveal,
    status,
    form,
  );
}
