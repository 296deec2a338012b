/**
 * #/members (admin): the workspace's members (role, disable, remove — each ends their sessions and keys at once)
 * and invitations (invite by email with a role, revoke).
 */
import { api, isQuiet } from './api.js';
import {
  busy,
  clearErrors,
  confirmDialog,
  emptyState,
  errorBox,
  field,
  h,
  replaceChildren,
  showErrors,
  spinner,
  time,
  toast,
} from './dom.js';
import { session } from './state.js';

const ROLES = ['viewer', 'editor', 'admin'];

function table(headers, rows) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          headers.map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h('tbody', null, rows),
    ),
  );
}

/** Runs a write after an optional confirmation; reports the outcome and refreshes. */
async function act(button, { confirm, request, done, refresh }) {
  if (confirm && !(await confirmDialog({ ...confirm, danger: true }))) return;
  try {
    await busy(button, request);
    toast(done, 'success');
  } catch (err) {
    if (!isQuiet(err)) toast(err.message, 'error');
  }
  await refresh();
}

async function load(ctx, target, path, draw) {
  try {
    const data = await api(path, { signal: ctx.signal });
    if (ctx.isCurrent()) draw(data.items || []);
  } catch (err) {
    if (!isQuiet(err))
      replaceChildren(
        target,
        errorBox(err, () => void load(ctx, target, path, draw)),
      );
  }
}

function membersCard(ctx) {
  const list = h('div', null, spinner());
  const refresh = () => load(ctx, list, '/users', draw);
  const me = session && session.user ? session.user.id : null;
  function draw(items) {
    replaceChildren(
      list,
      items.length === 0
        ? emptyState('No members', null)
        : table(
            ['Name', 'Email', 'Role', 'Status', ''],
            items.map((u) => {
              const role = h(
                'select',
                { name: 'role', 'aria-label': `Role of ${u.email}`, 'data-testid': 'member-role' },
                ROLES.map((r) => h('option', { value: r, selected: r === u.role }, r)),
              );
              role.addEventListener('change', () =>
                act(role, {
                  request: () => api(`/users/${u.id}`, { method: 'PATCH', body: { role: role.value } }),
                  done: `${u.email} is now ${role.value}; their sessions and keys ended.`,
                  refresh,
                }),
              );
              const toggle = h(
                'button',
                { type: 'button', class: 'btn btn-small btn-ghost', 'data-testid': 'member-toggle' },
                u.disabledAt ? 'Enable' : 'Disable',
              );
              toggle.addEventListener('click', () =>
                act(toggle, {
                  confirm: u.disabledAt
                    ? null
                    : {
                        title: `Disable ${u.email}?`,
                        message:
                          'They are signed out everywhere at once, their API keys are revoked, and they cannot log in.',
                        confirm: 'Disable',
                      },
                  request: () => api(`/users/${u.id}`, { method: 'PATCH', body: { disabled: !u.disabledAt } }),
                  done: u.disabledAt ? `${u.email} can log in again.` : `${u.email} is disabled.`,
                  refresh,
                }),
              );
              const remove = h(
                'button',
                { type: 'button', class: 'btn btn-small btn-danger-outline', 'data-testid': 'member-remove' },
                'Remove',
              );
              remove.addEventListener('click', () =>
                act(remove, {
                  confirm: {
                    title: `Remove ${u.email}?`,
                    message: 'Their account is deleted, their sessions end and their API keys are revoked.',
                    confirm: 'Remove',
                  },
                  request: () => api(`/users/${u.id}`, { method: 'DELETE' }),
                  done: `${u.email} was removed.`,
                  refresh,
                }),
              );
              return h(
                'tr',
                { 'data-testid': 'member-row' },
                h('td', null, u.name, u.id === me ? h('span', { class: 'muted' }, ' (you)') : null),
                h('td', null, u.email),
                h('td', null, role),
                h('td', null, u.disabledAt ? h('span', { class: 'chip' }, 'disabled') : 'active'),
                h('td', { class: 'actions' }, toggle, ' ', remove),
              );
            }),
          ),
    );
  }
  void refresh();
  return h(
    'section',
    { class: 'card settings-section', 'aria-labelledby': 'members-title', 'data-testid': 'members' },
    h('h2', { class: 'card-title', id: 'members-title' }, 'Members'),
    h('p', { class: 'muted' }, 'A change of role, disabling or removing ends that person’s sessions and keys at once.'),
    list,
  );
}

function invitationsCard(ctx) {
  const list = h('div', null, spinner());
  const refresh = () => load(ctx, list, '/invitations', draw);
  function draw(items) {
    replaceChildren(
      list,
      items.length === 0
        ? emptyState('No invitations yet', null)
        : table(
            ['Email', 'Role', 'Status', 'Expires', ''],
            items.map((i) => {
              const revoke =
                i.status === 'pending'
                  ? h('button', { type: 'button', class: 'btn btn-small btn-danger-outline' }, 'Revoke')
                  : null;
              revoke?.addEventListener('click', () =>
                act(revoke, {
                  confirm: {
                    title: `Revoke the invitation to ${i.email}?`,
                    message: 'The link stops working.',
                    confirm: 'Revoke',
                  },
                  request: () => api(`/invitations/${i.id}`, { method: 'DELETE' }),
                  done: 'Invitation revoked.',
                  refresh,
                }),
              );
              return h(
                'tr',
                { 'data-testid': 'invitation-row' },
                h('td', null, i.email),
                h('td', null, h('span', { class: 'chip' }, i.role)),
                h('td', { 'data-testid': 'invitation-status' }, i.status),
                h('td', null, time(i.expiresAt)),
                h('td', { class: 'actions' }, revoke),
              );
            }),
          ),
    );
  }
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'off', 'data-testid': 'invite-email' });
  const role = h(
    'select',
    { name: 'role', 'data-testid': 'invite-role' },
    ROLES.map((r) => h('option', { value: r, selected: r === 'editor' }, r)),
  );
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'invite-send' }, 'Invite');
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    h(
      'div',
      { class: 'row' },
      field({ label: 'Email', name: 'email', control: email }),
      field({ label: 'Role', name: 'role', control: role }),
    ),
    h('div', { class: 'form-actions' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      const sent = await busy(submit, () =>
        api('/invitations', { method: 'POST', body: { email: email.value.trim(), role: role.value } }),
      );
      toast(`Invitation emailed to ${sent.email}.`, 'success');
      form.reset();
      await refresh();
    } catch (err) {
      if (!isQuiet(err)) showErrors(form, err);
    }
  });
  void refresh();
  return h(
    'section',
    { class: 'card settings-section', 'aria-labelledby': 'invitations-title', 'data-testid': 'invitations' },
    h('h2', { class: 'card-title', id: 'invitations-title' }, 'Invitations'),
    h('p', { class: 'muted' }, 'Invite by email; the link works once and expires. Inviting again resends it.'),
    form,
    list,
  );
}

export function renderMembers(ctx) {
  ctx.main.appendChild(
    h(
      'div',
      { class: 'page' },
      h(
        'header',
        { class: 'page-header' },
        h('div', null, h('h1', null, 'Members'), h('p', { class: 'muted' }, 'Who belongs to this workspace.')),
      ),
      invitationsCard(ctx),
      membersCard(ctx),
    ),
  );
}
