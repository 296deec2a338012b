/**
 * #/account (every user): one's own sessions (revoke any, at once) and, for admins, TOTP two-factor: enrol (the
 * otpauth:// link and the key to type in), confirm with the first code, recovery codes shown once, turn off.
 */
import { api } from './api.js';
import {
  actionButton,
  busy,
  copyButton,
  emptyState,
  field,
  h,
  onSubmit,
  replaceChildren,
  spinner,
  time,
  toast,
} from './dom.js';
import { codeInput } from './code-input.js';
import { pageHeader, settingsCard } from './layout.js';
import { loadInto } from './load.js';
import { secretRow } from './secret.js';
import { dataTable } from './table.js';

/** A short name for a user agent; the full string is in the title. */
function browserName(ua) {
  if (!ua) return 'Unknown browser';
  const found = /(Edg|OPR|Firefox|HeadlessChrome|Chrome|Safari)\/([\d.]+)/.exec(ua);
  const os = /Windows|Mac OS X|Android|iPhone|iPad|Linux/.exec(ua);
  return found ? `${found[1]} ${found[2].split('.')[0]}${os ? ` on ${os[0]}` : ''}` : ua.slice(0, 60);
}

function sessionsCard(ctx) {
  const list = h('div', null, spinner());
  const refresh = () => loadInto(ctx, list, '/auth/sessions', draw);
  function draw(items) {
    replaceChildren(
      list,
      items.length === 0
        ? emptyState('No sessions', null)
        : dataTable(['Browser', 'Address', 'Signed in', 'Last seen', ''], items.map(sessionRow), {
            testid: 'session-list',
            wrap: true,
          }),
    );
  }
  function sessionRow(s) {
    const revoke = actionButton(
      { class: 'btn btn-small btn-danger-outline', 'data-testid': 'session-revoke' },
      s.current ? 'Log out here' : 'Revoke',
      () => ({
        request: () => api(`/auth/sessions/${s.id}`, { method: 'DELETE' }),
        then: () => {
          if (s.current) {
            location.reload();
            return;
          }
          toast('Session revoked.', 'success');
          return refresh();
        },
      }),
    );
    return h(
      'tr',
      { 'data-testid': 'session-row' },
      h(
        'td',
        null,
        h('span', { title: s.userAgent || '' }, browserName(s.userAgent)),
        s.current ? h('span', { class: 'chip', 'data-testid': 'session-current' }, ' this session') : null,
      ),
      h('td', null, s.ip || 'unknown'),
      h('td', null, time(s.createdAt)),
      h('td', null, s.lastSeenAt ? time(s.lastSeenAt) : ''),
      h('td', { class: 'actions' }, revoke),
    );
  }
  void refresh();
  return settingsCard(
    {
      key: 'sessions',
      title: 'Your sessions',
      description: 'Where you are signed in. Revoking a session signs it out at once.',
    },
    list,
  );
}

function codeForm({ label, testid, hint, send }) {
  const code = codeInput(`${testid}-code`);
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': `${testid}-submit` }, label);
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    field({ label: 'Code', name: 'code', control: code, hint }),
    submit,
  );
  onSubmit(form, () => busy(submit, () => send(code.value.trim())));
  return form;
}

function twoFactorCard(ctx) {
  const body = h('div', null, spinner());
  const refresh = () => loadInto(ctx, body, '/auth/two-factor', draw, (status) => status);
  function showRecoveryCodes(codes) {
    replaceChildren(
      body,
      h(
        'div',
        { class: 'secret', role: 'status', 'data-testid': 'recovery-codes' },
        h(
          'p',
          null,
          h('strong', null, 'Two-factor is on.'),
          ' Keep these recovery codes somewhere safe: each works once, and you will not see them again.',
        ),
        h('pre', { class: 'mono' }, codes.join('\n')),
        copyButton(codes.join('\n'), 'Copy codes'),
      ),
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => void refresh() }, 'Done'),
    );
  }
  function draw(status) {
    if (!status.available && !status.enabled) {
      replaceChildren(body, h('p', { class: 'muted' }, 'Two-factor is for admins of a workspace.'));
      return;
    }
    if (status.enabled) {
      replaceChildren(
        body,
        h('p', { 'data-testid': 'two-factor-on' }, `On. ${status.recoveryCodesLeft} recovery codes left.`),
        codeForm({
          label: 'Turn off',
          testid: 'two-factor-disable',
          hint: 'A current code or a recovery code.',
          send: async (code) => {
            await api('/auth/two-factor/disable', { method: 'POST', body: { code } });
            toast('Two-factor is off.', 'success');
            await refresh();
          },
        }),
      );
      return;
    }
    const start = actionButton(
      { class: 'btn btn-primary', 'data-testid': 'two-factor-enrol' },
      'Set up two-factor',
      () => ({
        request: () => api('/auth/two-factor/enrol', { method: 'POST' }),
        then: (enrolment) =>
          replaceChildren(
            body,
            h(
              'p',
              null,
              'Add this account to your authenticator app: open the link on the device, or type the key in.',
            ),
            h(
              'p',
              null,
              h('a', { href: enrolment.otpauthUri, 'data-testid': 'otpauth-link' }, 'Open in authenticator app'),
            ),
            secretRow(enrolment.secret, 'totp-secret'),
            codeForm({
              label: 'Confirm',
              testid: 'two-factor-confirm',
              hint: 'The 6-digit code the app shows now.',
              send: async (code) => {
                const confirmed = await api('/auth/two-factor/confirm', { method: 'POST', body: { code } });
                showRecoveryCodes(confirmed.recoveryCodes);
              },
            }),
          ),
      }),
    );
    replaceChildren(
      body,
      h('p', { class: 'muted' }, 'Off. With it on, log-in also asks for a code from your phone.'),
      start,
    );
  }
  void refresh();
  return settingsCard({ key: 'two-factor', title: 'Two-factor authentication' }, body);
}

export function renderAccount(ctx) {
  ctx.main.appendChild(
    h(
      'div',
      { class: 'page' },
      pageHeader({ title: 'Your account', description: 'Sessions and sign-in security.' }),
      sessionsCard(ctx),
      twoFactorCard(ctx),
    ),
  );
}
