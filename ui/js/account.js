/**
 * #/account (every user): one's own sessions (revoke any, at once) and, for admins, TOTP two-factor: enrol (the
 * otpauth:// link and the key to type in), confirm with the first code, recovery codes shown once, turn off.
 */
import { api, isQuiet } from './api.js';
import {
  busy,
  clearErrors,
  copyButton,
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

/** A short name for a user agent; the full string is in the title. */
function browserName(ua) {
  if (!ua) return 'Unknown browser';
  const found = /(Edg|OPR|Firefox|HeadlessChrome|Chrome|Safari)\/([\d.]+)/.exec(ua);
  const os = /Windows|Mac OS X|Android|iPhone|iPad|Linux/.exec(ua);
  return found ? `${found[1]} ${found[2].split('.')[0]}${os ? ` on ${os[0]}` : ''}` : ua.slice(0, 60);
}

function sessionsCard(ctx) {
  const list = h('div', null, spinner());
  async function refresh() {
    try {
      const { items } = await api('/auth/sessions', { signal: ctx.signal });
      if (ctx.isCurrent()) draw(items);
    } catch (err) {
      if (!isQuiet(err))
        replaceChildren(
          list,
          errorBox(err, () => void refresh()),
        );
    }
  }
  function draw(items) {
    replaceChildren(
      list,
      items.length === 0
        ? emptyState('No sessions', null)
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table', 'data-testid': 'session-list' },
              h(
                'thead',
                null,
                h(
                  'tr',
                  null,
                  ['Browser', 'Address', 'Signed in', 'Last seen', ''].map((t) => h('th', { scope: 'col' }, t)),
                ),
              ),
              h(
                'tbody',
                null,
                items.map((s) => {
                  const revoke = h(
                    'button',
                    { type: 'button', class: 'btn btn-small btn-danger-outline', 'data-testid': 'session-revoke' },
                    s.current ? 'Log out here' : 'Revoke',
                  );
                  revoke.addEventListener('click', async () => {
                    try {
                      await busy(revoke, () => api(`/auth/sessions/${s.id}`, { method: 'DELETE' }));
                      if (s.current) {
                        location.reload();
                        return;
                      }
                      toast('Session revoked.', 'success');
                      await refresh();
                    } catch (err) {
                      if (!isQuiet(err)) toast(err.message, 'error');
                    }
                  });
                  return h(
                    'tr',
                    { 'data-testid': 'session-row' },
                    h(
                      'td',
                      null,
                      h('span', { title: s.userAgent || '' }, browserName(s.userAgent)),
                      s.current
                        ? h('span', { class: 'chip', 'data-testid': 'session-current' }, ' this session')
                        : null,
                    ),
                    h('td', null, s.ip || 'unknown'),
                    h('td', null, time(s.createdAt)),
                    h('td', null, s.lastSeenAt ? time(s.lastSeenAt) : ''),
                    h('td', { class: 'actions' }, revoke),
                  );
                }),
              ),
            ),
          ),
    );
  }
  void refresh();
  return h(
    'section',
    { class: 'card settings-section', 'aria-labelledby': 'sessions-title', 'data-testid': 'sessions' },
    h('h2', { class: 'card-title', id: 'sessions-title' }, 'Your sessions'),
    h('p', { class: 'muted' }, 'Where you are signed in. Revoking a session signs it out at once.'),
    list,
  );
}

function codeForm({ label, testid, hint, send }) {
  const code = h('input', {
    type: 'text',
    name: 'code',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    maxlength: 32,
    'data-testid': `${testid}-code`,
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': `${testid}-submit` }, label);
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    field({ label: 'Code', name: 'code', control: code, hint }),
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      await busy(submit, () => send(code.value.trim()));
    } catch (err) {
      if (!isQuiet(err)) showErrors(form, err);
    }
  });
  return form;
}

function twoFactorCard(ctx) {
  const body = h('div', null, spinner());
  async function refresh() {
    try {
      const status = await api('/auth/two-factor', { signal: ctx.signal });
      if (ctx.isCurrent()) draw(status);
    } catch (err) {
      if (!isQuiet(err))
        replaceChildren(
          body,
          errorBox(err, () => void refresh()),
        );
    }
  }
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
    const start = h(
      'button',
      { type: 'button', class: 'btn btn-primary', 'data-testid': 'two-factor-enrol' },
      'Set up two-factor',
    );
    start.addEventListener('click', async () => {
      try {
        const enrolment = await busy(start, () => api('/auth/two-factor/enrol', { method: 'POST' }));
        replaceChildren(
          body,
          h('p', null, 'Add this account to your authenticator app: open the link on the device, or type the key in.'),
          h(
            'p',
            null,
            h('a', { href: enrolment.otpauthUri, 'data-testid': 'otpauth-link' }, 'Open in authenticator app'),
          ),
          h(
            'div',
            { class: 'secret-row' },
            h('code', { class: 'mono secret-value', 'data-testid': 'totp-secret' }, enrolment.secret),
            copyButton(enrolment.secret),
          ),
          codeForm({
            label: 'Confirm',
            testid: 'two-factor-confirm',
            hint: 'The 6-digit code the app shows now.',
            send: async (code) => {
              const confirmed = await api('/auth/two-factor/confirm', { method: 'POST', body: { code } });
              showRecoveryCodes(confirmed.recoveryCodes);
            },
          }),
        );
      } catch (err) {
        if (!isQuiet(err)) toast(err.message, 'error');
      }
    });
    replaceChildren(
      body,
      h('p', { class: 'muted' }, 'Off. With it on, log-in also asks for a code from your phone.'),
      start,
    );
  }
  void refresh();
  return h(
    'section',
    { class: 'card settings-section', 'aria-labelledby': 'two-factor-title', 'data-testid': 'two-factor' },
    h('h2', { class: 'card-title', id: 'two-factor-title' }, 'Two-factor authentication'),
    body,
  );
}

export function renderAccount(ctx) {
  ctx.main.appendChild(
    h(
      'div',
      { class: 'page' },
      h(
        'header',
        { class: 'page-header' },
        h('div', null, h('h1', null, 'Your account'), h('p', { class: 'muted' }, 'Sessions and sign-in security.')),
      ),
      sessionsCard(ctx),
      twoFactorCard(ctx),
    ),
  );
}
