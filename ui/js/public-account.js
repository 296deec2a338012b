/**
 * Public account pages: #/signup, #/accept-invitation/<token>, #/forgot-password, #/reset-password/<token>.
 * Tokens arrive in the URL fragment (never sent to a server by the browser) and are posted once.
 */
import { api } from './api.js';
import { authCard } from './auth-card.js';
import { busy, clearErrors, clientError, field, h, showErrors } from './dom.js';

function card(ctx, title, intro, ...content) {
  ctx.main.appendChild(authCard({ title, intro }, ...content));
}

const input = (name, type, testid, extra = {}) => h('input', { type, name, 'data-testid': testid, ...extra });

/** A form that posts `body()` and then calls `done(result)`; API field errors land next to their fields. */
function accountForm({ fields, label, busyLabel, testid, submit: send, done }) {
  const button = h('button', { type: 'submit', class: 'btn btn-primary btn-block', 'data-testid': testid }, label);
  const form = h('form', { class: 'stack', novalidate: true }, ...fields, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      const result = await busy(button, send, busyLabel);
      await done(result, form);
    } catch (err) {
      if (err && err.name === 'AbortError') return;
      showErrors(form, err);
    }
  });
  return form;
}

const backToLogin = () => h('p', { class: 'muted' }, h('a', { href: '#/login' }, 'Back to log in'));

export async function renderSignup(ctx) {
  const { enabled } = await api('/auth/signup', { signal: ctx.signal, expect401: true });
  if (!enabled) {
    card(ctx, 'Sign-up is closed', 'Ask an admin of your workspace for an invitation.', backToLogin());
    return;
  }
  const workspaceName = input('workspaceName', 'text', 'signup-workspace', { maxlength: 120 });
  const name = input('name', 'text', 'signup-name', { autocomplete: 'name', maxlength: 120 });
  const email = input('email', 'email', 'signup-email', { autocomplete: 'username' });
  const password = input('password', 'password', 'signup-password', { autocomplete: 'new-password' });
  const form = accountForm({
    fields: [
      field({ label: 'Workspace name', name: 'workspaceName', control: workspaceName }),
      field({ label: 'Your name', name: 'name', control: name }),
      field({ label: 'Email', name: 'email', control: email }),
      field({ label: 'Password', name: 'password', control: password, hint: 'At least 10 characters.' }),
    ],
    label: 'Create workspace',
    busyLabel: 'Creating…',
    testid: 'signup-submit',
    submit: () =>
      api('/auth/signup', {
        method: 'POST',
        expect401: true,
        body: {
          workspaceName: workspaceName.value.trim(),
          name: name.value.trim(),
          email: email.value.trim(),
          password: password.value,
        },
      }),
    done: () => ctx.loggedIn(),
  });
  card(ctx, 'Create a workspace', 'You will be its admin and can invite your team.', form, backToLogin());
  workspaceName.focus();
}

export function renderAcceptInvitation(ctx) {
  const token = ctx.params[0];
  const mode = { existing: false };
  const name = input('name', 'text', 'invite-name', { autocomplete: 'name', maxlength: 120 });
  const password = input('password', 'password', 'invite-password', { autocomplete: 'new-password' });
  const nameField = field({ label: 'Your name', name: 'name', control: name });
  const passwordField = field({
    label: 'Choose a password',
    name: 'password',
    control: password,
    hint: 'At least 10 characters.',
  });
  const toggle = h('input', { type: 'checkbox', name: 'existing', 'data-testid': 'invite-existing' });
  toggle.addEventListener('change', () => {
    mode.existing = toggle.checked;
    nameField.hidden = mode.existing;
    passwordField.querySelector('label').textContent = mode.existing ? 'Your current password' : 'Choose a password';
    password.autocomplete = mode.existing ? 'current-password' : 'new-password';
  });
  const form = accountForm({
    fields: [
      h('label', { class: 'checkbox' }, toggle, ' I already have a Studioflow account with this address'),
      nameField,
      passwordField,
      // Where an error about the link itself (expired, used) is shown.
      h('div', { 'data-field': 'token' }),
    ],
    label: 'Join the workspace',
    busyLabel: 'Joining…',
    testid: 'invite-submit',
    submit: () =>
      api('/auth/invitations/accept', {
        method: 'POST',
        expect401: true,
        body: { token, password: password.value, ...(mode.existing ? {} : { name: name.value.trim() }) },
      }),
    done: () => ctx.loggedIn(),
  });
  card(
    ctx,
    'Accept your invitation',
    'Set a password to join, or join with the account you already have (it moves to this workspace).',
    form,
  );
  name.focus();
}

export function renderForgotPassword(ctx) {
  const email = input('email', 'email', 'forgot-email', { autocomplete: 'username' });
  const form = accountForm({
    fields: [field({ label: 'Email', name: 'email', control: email })],
    label: 'Email me a link',
    busyLabel: 'Sending…',
    testid: 'forgot-submit',
    submit: () => {
      if (!email.value.trim()) throw clientError('email', 'Enter your email.');
      return api('/auth/password-reset', { method: 'POST', expect401: true, body: { email: email.value.trim() } });
    },
    done: (answer, f) => {
      f.replaceWith(
        h('div', { class: 'alert alert-info', role: 'status', 'data-testid': 'forgot-sent' }, answer.detail),
      );
    },
  });
  card(
    ctx,
    'Forgot your password?',
    'We will email you a link that works once, for a short time.',
    form,
    backToLogin(),
  );
  email.focus();
}

export function renderResetPassword(ctx) {
  const token = ctx.params[0];
  const password = input('password', 'password', 'reset-password', { autocomplete: 'new-password' });
  const form = accountForm({
    fields: [
      field({ label: 'New password', name: 'password', control: password, hint: 'At least 10 characters.' }),
      h('div', { 'data-field': 'token' }),
    ],
    label: 'Set the new password',
    busyLabel: 'Saving…',
    testid: 'reset-submit',
    submit: () =>
      api('/auth/password-reset/confirm', {
        method: 'POST',
        expect401: true,
        body: { token, password: password.value },
      }),
    done: (_result, f) => {
      f.replaceWith(
        h(
          'div',
          { class: 'alert alert-success', role: 'status', 'data-testid': 'reset-done' },
          'Your password is changed and every session has ended. ',
          h('a', { href: '#/login' }, 'Log in'),
        ),
      );
    },
  });
  card(ctx, 'Choose a new password', null, form);
  password.focus();
}
