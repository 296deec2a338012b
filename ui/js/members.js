/**
 * #/members (admin): the workspace's members (role, disable, remove — each ends their sessions and keys at once)
 * and invitations (invite by email with a role, revoke).
 */
import { api } from './api.js';
import {
  actionButton,
  busy,
  emptyState,
  field,
  h,
  onSubmit,
  replaceChildren,
  runAction,
  spinner,
  stackForm,
  time,
  toast,
} from './dom.js';
import { pageHeader, settingsCard } from './layout.js';
import { loadInto } from './load.js';
import { roleSelect } from './roles.js';
import { session } from './state.js';
import { dataTable } from './table.js';

/**
 * A member's write for runAction, after an optional confirmation; the list is drawn again even when it fails, so a
 * role select shows what the server kept.
 */
function act({ confirm, request, done, refresh }) {
  return {
    confirm: confirm ? { ...confirm, danger: true } : null,
    request,
    done,
    then: refresh,
    onError: (err) => {
      toast(err.message, 'error');
      void refresh();
    },
  };
}

function membersCard(ctx) {
  const list = h('div', null, spinner());
  const refresh = () => loadInto(ctx, list, '/users', draw);
  const me = session && session.user ? session.user.id : null;
  function draw(items) {
    replaceChildren(
      list,
      items.length === 0
        ? emptyState('No members', null)
        : dataTable(['Name', 'Email', 'Role', 'Status', ''], items.map(memberRow), { wrap: true }),
    );
  }
  function memberRow(u) {
    const role = roleSelect(u.role, { 'aria-label': `Role of ${u.email}`, 'data-testid': 'member-role' });
    role.addEventListener('change', () =>
      runAction(
        role,
        act({
          request: () => api(`/users/${u.id}`, { method: 'PATCH', body: { role: role.value } }),
          done: `${u.email} is now ${role.value}; their sessions and keys ended.`,
          refresh,
        }),
      ),
    );
    const toggle = actionButton(
      { class: 'btn btn-small btn-ghost', 'data-testid': 'member-toggle' },
      u.disabledAt ? 'Enable' : 'Disable',
      () =>
        act({
          confirm: u.disabledAt
            ? null
            : {
                title: `Disable ${u.email}?`,
                message: 'They are signed out everywhere at once, their API keys are revoked, and they cannot log in.',
                confirm: 'Disable',
              },
          request: () => api(`/users/${u.id}`, { method: 'PATCH', body: { disabled: !u.disabledAt } }),
          done: u.disabledAt ? `${u.email} can log in again.` : `${u.email} is disabled.`,
          refresh,
        }),
    );
    const remove = actionButton(
      { class: 'btn btn-small btn-danger-outline', 'data-testid': 'member-remove' },
      'Remove',
      () =>
        act({
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
  }
  void refresh();
  return settingsCard(
    {
      key: 'members',
      title: 'Members',
      description: 'A change of role, disabling or removing ends that person’s sessions and keys at once.',
    },
    list,
  );
}

function invitationsCard(ctx) {
  const list = h('div', null, spinner());
  const refresh = () => loadInto(ctx, list, '/invitations', draw);
  function draw(items) {
    replaceChildren(
      list,
      items.length === 0
        ? emptyState('No invitations yet', null)
        : dataTable(['Email', 'Role', 'Status', 'Expires', ''], items.map(invitationRow), { wrap: true }),
    );
  }
  function invitationRow(i) {
    const revoke =
      i.status === 'pending'
        ? actionButton({ class: 'btn btn-small btn-danger-outline' }, 'Revoke', () =>
            act({
              confirm: {
                title: `Revoke the invitation to ${i.email}?`,
                message: 'The link stops working.',
                confirm: 'Revoke',
              },
              request: () => api(`/invitations/${i.id}`, { method: 'DELETE' }),
              done: 'Invitation revoked.',
              refresh,
            }),
          )
        : null;
    return h(
      'tr',
      { 'data-testid': 'invitation-row' },
      h('td', null, i.email),
      h('td', null, h('span', { class: 'chip' }, i.role)),
      h('td', { 'data-testid': 'invitation-status' }, i.status),
      h('td', null, time(i.expiresAt)),
      h('td', { class: 'actions' }, revoke),
    );
  }
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'off', 'data-testid': 'invite-email' });
  const role = roleSelect('editor', { 'data-testid': 'invite-role' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'invite-send' }, 'Invite');
  const form = stackForm(
    [[field({ label: 'Email', name: 'email', control: email }), field({ label: 'Role', name: 'role', control: role })]],
    submit,
  );
  onSubmit(form, async () => {
    const sent = await busy(submit, () =>
      api('/invitations', { method: 'POST', body: { email: email.value.trim(), role: role.value } }),
    );
    toast(`Invitation emailed to ${sent.email}.`, 'success');
    form.reset();
    await refresh();
  });
  void refresh();
  return settingsCard(
    {
      key: 'invitations',
      title: 'Invitations',
      description: 'Invite by email; the link works once and expires. Inviting again resends it.',
    },
    form,
    list,
  );
}

export function renderMembers(ctx) {
  ctx.main.appendChild(
    h(
      'div',
      { class: 'page' },
      pageHeader({ title: 'Members', description: 'Who belongs to this workspace.' }),
      invitationsCard(ctx),
      membersCard(ctx),
    ),
  );
}
