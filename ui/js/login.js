/** #/login: email + password (+ a two-factor code when the account asks); the API sets an HTTP-only cookie. */
import { api } from './api.js';
import { authCard } from './auth-card.js';
import { codeInput } from './code-input.js';
import { busy, clearErrors, field, h, showErrors } from './dom.js';

export function renderLogin(ctx) {
  const email = h('input', {
    type: 'email',
    name: 'email',
    autocomplete: 'username',
    required: true,
    'data-testid': 'login-email',
  });
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'current-password',
    required: true,
    'data-testid': 'login-password',
  });
  // Shown once the API says the account has two-factor on.
  const code = codeInput('login-code');
  const codeField = field({
    label: 'Authentication code',
    name: 'code',
    control: code,
    hint: 'The 6 digits from your authenticator app, or a recovery code.',
  });
  codeField.hidden = true;
  const submit = h(
    'button',
    { type: 'submit', class: 'btn btn-primary btn-block', 'data-testid': 'login-submit' },
    'Log in',
  );

  const form = h(
    'form',
    { class: 'stack', novalidate: true, 'aria-labelledby': 'login-title' },
    field({ label: 'Email', name: 'email', control: email }),
    field({ label: 'Password', name: 'password', control: password }),
    codeField,
    submit,
  );
  const links = h(
    'p',
    { class: 'muted' },
    h('a', { href: '#/forgot-password', 'data-testid': 'forgot-link' }, 'Forgot your password?'),
  );
  void api('/auth/signup', { signal: ctx.signal, expect401: true })
    .then(({ enabled }) => {
      if (enabled)
        links.append(' · ', h('a', { href: '#/signup', 'data-testid': 'signup-link' }, 'Create a workspace'));
    })
    .catch(() => {});

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    if (!email.value.trim() || !password.value) {
      showErrors(form, new Error('Enter your email and password.'));
      (email.value.trim() ? password : email).focus();
      return;
    }
    try {
      await busy(
        submit,
        () =>
          api('/auth/login', {
            method: 'POST',
            body: {
              email: email.value.trim(),
              password: password.value,
              ...(codeField.hidden || !code.value.trim() ? {} : { code: code.value.trim() }),
            },
            expect401: true,
          }),
        'Logging in…',
      );
      await ctx.loggedIn();
    } catch (err) {
      if (err && err.name === 'AbortError') return;
      showErrors(form, err);
      if (err && err.problem && err.problem.twoFactorRequired) {
        codeField.hidden = false;
        code.value = '';
        code.focus();
        return;
      }
      password.select();
      password.focus();
    }
  });

  ctx.main.appendChild(
    authCard(
      {
        title: 'Log in',
        titleId: 'login-title',
        intro: 'Launch marketing automations, approve what they write and watch every step live.',
      },
      form,
      links,
    ),
  );
  email.focus();
}
