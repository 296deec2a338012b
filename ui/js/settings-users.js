/** The users section of #/settings: who logs in to this workspace, and adding one with a password. */
import { api } from './api.js';
import { busy, field, h, onSubmit, stackForm, time, toast } from './dom.js';
import { roleSelect } from './roles.js';
import { listSection } from './settings-section.js';

export function usersSection(ctx, id) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'off', 'data-testid': 'user-email' });
  const name = h('input', {
    type: 'text',
    name: 'name',
    maxlength: 120,
    autocomplete: 'off',
    'data-testid': 'user-name-input',
  });
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'new-password',
    minlength: 10,
    'data-testid': 'user-password',
  });
  const role = roleSelect('editor', { described: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Add user');
  const form = stackForm(
    [
      [field({ label: 'Email', name: 'email', control: email }), field({ label: 'Name', name: 'name', control: name })],
      [
        field({ label: 'Password', name: 'password', control: password, hint: 'At least 10 characters.' }),
        field({ label: 'Role', name: 'role', control: role }),
      ],
    ],
    submit,
  );
  const section = listSection(ctx, {
    id,
    title: 'Users',
    description: 'People who log in to this workspace.',
    path: '/users',
    empty: ['No users', null],
    columns: ['Name', 'Email', 'Role', 'Added'],
    row: (u) =>
      h(
        'tr',
        { 'data-testid': 'user-row' },
        h('td', null, u.name),
        h('td', null, u.email),
        h('td', null, h('span', { class: 'chip' }, u.role)),
        h('td', null, time(u.createdAt)),
      ),
    formTitle: 'Add a user',
    form,
  });

  onSubmit(form, async () => {
    const created = await busy(
      submit,
      () =>
        api('/users', {
          method: 'POST',
          body: { email: email.value.trim(), name: name.value.trim(), password: password.value, role: role.value },
        }),
      'Adding…',
    );
    toast(`${created.name || created.email} can now log in.`, 'success');
    form.reset();
    await section.refresh();
  });
  return section.el;
}
