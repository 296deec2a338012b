/** The API keys section of #/settings: keys are stored hashed, so a new key is shown once. */
import { api } from './api.js';
import { busy, field, h, onSubmit, replaceChildren, time } from './dom.js';
import { roleSelect } from './roles.js';
import { secretBox } from './secret.js';
import { confirmedAction, listSection } from './settings-section.js';

export function apiKeysSection(ctx, id) {
  const reveal = h('div');
  const name = h('input', {
    type: 'text',
    name: 'name',
    maxlength: 120,
    placeholder: 'e.g. CRM sync',
    'data-testid': 'api-key-name',
  });
  const role = roleSelect('editor', { described: true, 'data-testid': 'api-key-role' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create key');
  const form = h(
    'form',
    { class: 'inline-form', novalidate: true },
    field({ label: 'Name', name: 'name', control: name }),
    field({ label: 'Role', name: 'role', control: role }),
    h('div', { class: 'form-actions' }, submit),
  );
  const section = listSection(ctx, {
    id,
    title: 'API keys',
    description:
      'For scripts and integrations: send “Authorization: Bearer <key>”. Keys are stored hashed; you see each key once.',
    path: '/api-keys',
    empty: ['No API keys', 'Create one to call the API from a script.'],
    columns: ['Name', 'Key', 'Role', 'Created', 'Last used', 'Status', ''],
    row: keyRow,
    formTitle: 'New key',
    form,
    reveal,
  });

  onSubmit(form, async () => {
    const created = await busy(
      submit,
      () => api('/api-keys', { method: 'POST', body: { name: name.value.trim(), role: role.value } }),
      'Creating…',
    );
    replaceChildren(
      reveal,
      secretBox(`Key for “${created.name}”:`, created.key, 'Copy it now — it is not shown again.'),
    );
    name.value = '';
    await section.refresh();
  });
  return section.el;
}

function keyRow(k, refresh) {
  const revoke = k.revokedAt
    ? null
    : confirmedAction({
        label: 'Revoke',
        dialog: {
          title: `Revoke “${k.name}”?`,
          message: 'Anything using this key stops working immediately.',
          confirm: 'Revoke key',
        },
        request: () => api(`/api-keys/${encodeURIComponent(k.id)}`, { method: 'DELETE' }),
        done: 'Key revoked.',
        refresh,
      });
  return h(
    'tr',
    { 'data-testid': 'api-key-row' },
    h('td', null, k.name),
    h('td', null, h('code', { class: 'mono' }, `${k.prefix}…`)),
    h('td', null, h('span', { class: 'chip' }, k.role)),
    h('td', null, time(k.createdAt)),
    h('td', null, k.lastUsedAt ? time(k.lastUsedAt) : h('span', { class: 'muted' }, 'Never')),
    h(
      'td',
      null,
      k.revokedAt
        ? h('span', { class: 'chip chip-danger' }, 'Revoked')
        : h('span', { class: 'chip chip-ok' }, 'Active'),
    ),
    h('td', { class: 'cell-actions' }, revoke),
  );
}
