/**
 * Issue 8, account lifecycle, against the real API, Temporal, PostgreSQL and an SMTP sink: sign-up on and off,
 * invitations (accept, expired, reused, existing account), role changes and disabling that end sessions and keys at
 * once, one's own sessions, password reset, the maintenance schedule, the credit self-grant cap, and TOTP two-factor.
 */
import { randomUUID } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { ensureMaintenanceSchedule } from '../../api/maintenance-schedule';
import { startServer, stopServer } from '../../api/server';
import { Session } from '../../db';
import { loadConfig } from '../../lib/config';
import { startSmtpSink, type SmtpSink } from '../../lib/smtp-sink';
import { startTestStack, waitFor, type TestStack } from '../support/harness';

let stack: TestStack;
let sink: SmtpSink;
const WRITE = { 'x-requested-with': 'studioflow' };

beforeAll(async () => {
  sink = await startSmtpSink({ port: 0 });
  stack = await startTestStack('sec-accounts', {
    workers: ['main'],
    env: { SMTP_HOST: sink.host, SMTP_PORT: String(sink.port), CREDIT_SELF_GRANT_CAP: '100' },
  });
});
afterAll(async () => {
  await stack?.stop();
  await sink?.close();
});

const cookieOf = (res: { headers: Headers }) => res.headers.get('set-cookie')!.split(';')[0];

async function login(email: string, password: string, code?: string) {
  const res = await stack.request('POST', '/api/v1/auth/login', { email, password, code }, { key: null });
  return { res, cookie: res.status === 200 ? cookieOf(res) : '' };
}

/** A request with a session cookie instead of an API key. */
const asCookie = (cookie: string, method: string, path: string, body?: unknown) =>
  stack.request(method, path, body, { key: null, headers: { cookie, ...WRITE } });

const email = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.test`;

/** The token in the link of the latest email to `to`. */
async function tokenFromMail(to: string, kind: 'accept-invitation' | 'reset-password') {
  const mail = await sink.waitFor((m) => m.envelope.to.includes(to) && (m.text ?? '').includes(kind), 30_000);
  const match = new RegExp(`#/${kind}/([A-Za-z0-9_-]+)`).exec(mail.text ?? '');
  expect(match).not.toBeNull();
  return { token: match![1], mail };
}

async function member(role: 'admin' | 'editor' | 'viewer') {
  const address = email(role);
  const password = `pw-${randomUUID()}`;
  const res = await stack.request('POST', '/api/v1/users', { email: address, name: 'Member', password, role });
  expect(res.status).toBe(201);
  return { id: res.body.id as string, email: address, password };
}

describe('sign-up', () => {
  it('creates a workspace and its admin, logged in, when enabled', async () => {
    expect((await stack.request('GET', '/api/v1/auth/signup', undefined, { key: null })).body).toEqual({
      enabled: true,
    });
    const address = email('founder');
    const res = await stack.request(
      'POST',
      '/api/v1/auth/signup',
      { workspaceName: 'Founders', name: 'Founder', email: address, password: 'correct horse battery' },
      { key: null },
    );
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email: address, role: 'admin', instanceAdmin: false });
    expect(res.body.workspace.id).not.toBe(stack.workspaceId);
    const me = await asCookie(cookieOf(res), 'GET', '/api/v1/auth/me');
    expect(me.body.workspace.name).toBe('Founders');

    const again = await stack.request(
      'POST',
      '/api/v1/auth/signup',
      { workspaceName: 'Twice', name: 'F', email: address.toUpperCase(), password: 'correct horse battery' },
      { key: null },
    );
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([{ field: 'email', message: 'already in use' }]);
    const weak = await stack.request(
      'POST',
      '/api/v1/auth/signup',
      { workspaceName: 'W', name: 'F', email: email('weak'), password: 'short' },
      { key: null },
    );
    expect(weak.status).toBe(400);
    expect(weak.body.errors[0].field).toBe('password');
  });

  it('is a 404 when disabled, and off by default in production', async () => {
    const config = loadConfig({ ...stack.env, SIGNUP_ENABLED: 'false', API_PORT: '0' });
    const off = await startServer({ config, db: stack.db, temporal: stack.client }, { port: 0, host: '127.0.0.1' });
    try {
      const address = email('closed');
      const res = await fetch(`${off.url}/api/v1/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ workspaceName: 'No', name: 'No', email: address, password: 'correct horse battery' }),
      });
      expect(res.status).toBe(404);
      expect(await (await fetch(`${off.url}/api/v1/auth/signup`)).json()).toEqual({ enabled: false });
      expect((await login(address, 'correct horse battery')).res.status).toBe(401);
    } finally {
      await stopServer(off);
    }
    const production = {
      NODE_ENV: 'production',
      SECRETS_KEYS: `prod:${Buffer.alloc(32, 7).toString('base64')}`,
    };
    expect(loadConfig(production).accounts.signupEnabled).toBe(false);
    expect(loadConfig({ ...production, SIGNUP_ENABLED: 'true' }).accounts.signupEnabled).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).accounts.signupEnabled).toBe(true);
  });
});

describe('invitations', () => {
  it('emails a link that sets a password, joins with the role, and works once', async () => {
    const address = email('invitee');
    const created = await stack.request('POST', '/api/v1/invitations', { email: address, role: 'editor' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: address, role: 'editor', status: 'pending' });
    expect(JSON.stringify(created.body)).not.toMatch(/token/i);
    const { token, mail } = await tokenFromMail(address, 'accept-invitation');

    // Only the id travels through Temporal: the link's token is not in the workflow's history.
    const history = await stack.client.workflow.getHandle(`account-email/invitation/${created.body.id}`).fetchHistory();
    expect(JSON.stringify(history)).not.toContain(token);
    expect(mail.subject).toContain('You are invited to');

    const accepted = await stack.request(
      'POST',
      '/api/v1/auth/invitations/accept',
      { token, name: 'Ivy', password: 'a new long password' },
      { key: null },
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body.user).toMatchObject({ email: address, role: 'editor', workspaceId: stack.workspaceId });
    expect((await asCookie(cookieOf(accepted), 'GET', '/api/v1/auth/me')).body.user.role).toBe('editor');
    expect((await login(address, 'a new long password')).res.status).toBe(200);

    const reused = await stack.request(
      'POST',
      '/api/v1/auth/invitations/accept',
      { token, name: 'Ivy', password: 'another long password' },
      { key: null },
    );
    expect(reused.status).toBe(400);
    expect(reused.body.errors).toEqual([{ field: 'token', message: 'invalid, expired or already used' }]);
    const listed = await stack.request('GET', '/api/v1/invitations');
    expect(listed.body.items.find((i: { id: string }) => i.id === created.body.id).status).toBe('accepted');
  });

  it('refuses an expired or revoked invitation', async () => {
    const address = email('late');
    const created = await stack.request('POST', '/api/v1/invitations', { email: address, role: 'viewer' });
    const { token } = await tokenFromMail(address, 'accept-invitation');
    await stack.db.sequelize.query(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = :id`, {
      replacements: { id: created.body.id },
    });
    const body = { token, name: 'Late', password: 'a new long password' };
    expect((await stack.request('POST', '/api/v1/auth/invitations/accept', body, { key: null })).status).toBe(400);

    const other = email('revoked');
    const second = await stack.request('POST', '/api/v1/invitations', { email: other, role: 'viewer' });
    const { token: revokedToken } = await tokenFromMail(other, 'accept-invitation');
    expect((await stack.request('DELETE', `/api/v1/invitations/${second.body.id}`)).status).toBe(204);
    const res = await stack.request(
      'POST',
      '/api/v1/auth/invitations/accept',
      { ...body, token: revokedToken },
      { key: null },
    );
    expect(res.status).toBe(400);
    expect((await login(other, body.password)).res.status).toBe(401);
  });

  it('lets an existing account join with its password, and escapes the workspace name in the email', async () => {
    const address = email('mover');
    const signup = await stack.request(
      'POST',
      '/api/v1/auth/signup',
      { workspaceName: 'Old <b>place</b>', name: 'Mover', email: address, password: 'movers password 1' },
      { key: null },
    );
    const oldCookie = cookieOf(signup);
    // The sign-up admin invites a colleague: the email's HTML carries the workspace name escaped.
    const colleague = email('colleague');
    expect(
      (await asCookie(oldCookie, 'POST', '/api/v1/invitations', { email: colleague, role: 'viewer' })).status,
    ).toBe(201);
    const { mail } = await tokenFromMail(colleague, 'accept-invitation');
    expect(mail.html).toContain('Old &lt;b&gt;place&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>place</b>');

    await stack.request('POST', '/api/v1/invitations', { email: address, role: 'editor' });
    const { token } = await tokenFromMail(address, 'accept-invitation');
    // The last admin of a workspace cannot leave it.
    const blocked = await stack.request(
      'POST',
      '/api/v1/auth/invitations/accept',
      { token, password: 'movers password 1' },
      { key: null },
    );
    expect(blocked.status).toBe(409);
    const colleagueUser = await asCookie(oldCookie, 'POST', '/api/v1/users', {
      email: email('heir'),
      name: 'Heir',
      password: 'heirs password 12',
      role: 'admin',
    });
    expect(colleagueUser.status).toBe(201);
    const wrong = await stack.request(
      'POST',
      '/api/v1/auth/invitations/accept',
      { token, password: 'not the password' },
      { key: null },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.errors[0].field).toBe('password');
    const joined = await stack.request(
      'POST',
      '/api/v1/auth/invitations/accept',
      { token, password: 'movers password 1' },
      { key: null },
    );
    expect(joined.status).toBe(200);
    expect(joined.body.user).toMatchObject({ workspaceId: stack.workspaceId, role: 'editor' });
    expect((await asCookie(oldCookie, 'GET', '/api/v1/auth/me')).status).toBe(401);
  });
});

describe('members', () => {
  it('a role change ends the member’s sessions and keys at once', async () => {
    const m = await member('admin');
    const { cookie } = await login(m.email, m.password);
    const key = await asCookie(cookie, 'POST', '/api/v1/api-keys', { name: 'theirs', role: 'admin' });
    expect(key.status).toBe(201);
    expect((await stack.request('GET', '/api/v1/users', undefined, { key: key.body.key })).status).toBe(200);

    const changed = await stack.request('PATCH', `/api/v1/users/${m.id}`, { role: 'editor' });
    expect(changed.status).toBe(200);
    expect(changed.body.role).toBe('editor');
    expect((await asCookie(cookie, 'GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await stack.request('GET', '/api/v1/runs', undefined, { key: key.body.key })).status).toBe(401);
    const again = await login(m.email, m.password);
    expect(again.res.body.user.role).toBe('editor');
  });

  it('disabling ends sessions and keys and blocks log-in; deleting removes the member', async () => {
    const m = await member('admin');
    const { cookie } = await login(m.email, m.password);
    const key = await asCookie(cookie, 'POST', '/api/v1/api-keys', { name: 'theirs', role: 'viewer' });
    expect((await stack.request('PATCH', `/api/v1/users/${m.id}`, { disabled: true })).status).toBe(200);
    expect((await asCookie(cookie, 'GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await stack.request('GET', '/api/v1/runs', undefined, { key: key.body.key })).status).toBe(401);
    expect((await login(m.email, m.password)).res.status).toBe(401);

    expect((await stack.request('PATCH', `/api/v1/users/${m.id}`, { disabled: false })).status).toBe(200);
    expect((await login(m.email, m.password)).res.status).toBe(200);
    expect((await stack.request('DELETE', `/api/v1/users/${m.id}`)).status).toBe(204);
    expect((await login(m.email, m.password)).res.status).toBe(401);
    expect((await stack.request('DELETE', `/api/v1/users/${m.id}`)).status).toBe(404);
  });

  it('keeps one active admin, refuses editors, and hides other workspaces’ members', async () => {
    const signup = await stack.request(
      'POST',
      '/api/v1/auth/signup',
      { workspaceName: 'Solo', name: 'Solo', email: email('solo'), password: 'solo password 12' },
      { key: null },
    );
    const cookie = cookieOf(signup);
    const self = await asCookie(cookie, 'PATCH', `/api/v1/users/${signup.body.user.id}`, { role: 'viewer' });
    expect(self.status).toBe(409);
    expect(self.body.errors[0].field).toBe('role');
    const leave = await asCookie(cookie, 'DELETE', `/api/v1/users/${signup.body.user.id}`);
    expect(leave.status).toBe(409);
    expect(leave.body.errors[0].field).toBe('id');
    const m = await member('viewer');
    expect((await asCookie(cookie, 'PATCH', `/api/v1/users/${m.id}`, { disabled: true })).status).toBe(404);
    expect(
      (await stack.request('PATCH', `/api/v1/users/${m.id}`, { role: 'admin' }, { key: stack.keys.editor })).status,
    ).toBe(403);
    const empty = await stack.request('PATCH', `/api/v1/users/${m.id}`, {});
    expect(empty.status).toBe(400);
  });
});

describe('own sessions', () => {
  it('lists the caller’s sessions, marks the current one, and revokes another at once', async () => {
    const m = await member('viewer');
    const first = await login(m.email, m.password);
    const second = await login(m.email, m.password);
    const listed = await asCookie(first.cookie, 'GET', '/api/v1/auth/sessions');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(2);
    const current = listed.body.items.filter((s: { current: boolean }) => s.current);
    expect(current).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(first.cookie.split('=')[1]);
    const other = listed.body.items.find((s: { current: boolean }) => !s.current);
    expect((await asCookie(first.cookie, 'DELETE', `/api/v1/auth/sessions/${other.id}`)).status).toBe(204);
    expect((await asCookie(second.cookie, 'GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await asCookie(first.cookie, 'GET', '/api/v1/auth/me')).status).toBe(200);

    // Another user's session id is not found; API keys have no sessions.
    const admin = await login(stack.admin.email, stack.admin.password);
    expect((await asCookie(admin.cookie, 'DELETE', `/api/v1/auth/sessions/${current[0].id}`)).status).toBe(404);
    expect((await stack.request('GET', '/api/v1/auth/sessions')).status).toBe(403);
    expect((await stack.request('DELETE', `/api/v1/auth/sessions/${current[0].id}`)).status).toBe(404);
  });
});

describe('password reset', () => {
  it('answers the same for unknown addresses, emails a single-use link, and ends sessions', async () => {
    const m = await member('editor');
    const { cookie } = await login(m.email, m.password);
    const known = await stack.request('POST', '/api/v1/auth/password-reset', { email: m.email }, { key: null });
    const unknownAddress = email('nobody');
    const unknown = await stack.request(
      'POST',
      '/api/v1/auth/password-reset',
      { email: unknownAddress },
      { key: null },
    );
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);

    const { token } = await tokenFromMail(m.email, 'reset-password');
    // The unknown address's workflow ends without sending anything.
    const queue = stack.config.temporal.taskQueues.main;
    await waitFor('both reset workflows to close', async () => {
      const closed: unknown[] = [];
      for await (const wf of stack.client.workflow.list({
        query: `WorkflowType = 'passwordResetWorkflow' AND TaskQueue = '${queue}' AND ExecutionStatus = 'Completed'`,
      }))
        closed.push(wf);
      return closed.length >= 2;
    });
    expect(sink.messages().filter((msg) => msg.envelope.to.includes(unknownAddress))).toHaveLength(0);

    const reset = await stack.request(
      'POST',
      '/api/v1/auth/password-reset/confirm',
      { token, password: 'brand new password' },
      { key: null },
    );
    expect(reset.status).toBe(204);
    expect((await asCookie(cookie, 'GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await login(m.email, m.password)).res.status).toBe(401);
    expect((await login(m.email, 'brand new password')).res.status).toBe(200);
    const reused = await stack.request(
      'POST',
      '/api/v1/auth/password-reset/confirm',
      { token, password: 'yet another password' },
      { key: null },
    );
    expect(reused.status).toBe(400);
    expect(reused.body.errors[0].field).toBe('token');
  });

  it('refuses an expired link', async () => {
    const m = await member('viewer');
    sink.clear();
    await stack.request('POST', '/api/v1/auth/password-reset', { email: m.email }, { key: null });
    const { token } = await tokenFromMail(m.email, 'reset-password');
    await stack.db.sequelize.query(
      `UPDATE password_resets SET expires_at = now() - interval '1 second'
        WHERE user_id = :id`,
      { replacements: { id: m.id } },
    );
    const res = await stack.request(
      'POST',
      '/api/v1/auth/password-reset/confirm',
      { token, password: 'too late password' },
      { key: null },
    );
    expect(res.status).toBe(400);
    expect((await login(m.email, m.password)).res.status).toBe(200);
  });
});

describe('maintenance schedule', () => {
  it('is created once and purges expired sessions when it runs', async () => {
    const options = { taskQueue: stack.config.temporal.taskQueues.main, intervalMinutes: 60 };
    const first = await ensureMaintenanceSchedule(stack.client, options);
    const second = await ensureMaintenanceSchedule(stack.client, { ...options, intervalMinutes: 30 });
    expect(first.created).toBe(true);
    expect(second).toEqual({ scheduleId: first.scheduleId, created: false });
    const handle = stack.client.schedule.getHandle(first.scheduleId);
    try {
      const described = await handle.describe();
      expect(described.spec.intervals?.[0].every).toBe(30 * 60_000);

      const expiredId = `expired-${randomUUID()}`.padEnd(64, 'x').slice(0, 64);
      await Session.create({ id: expiredId, userId: stack.admin.id, expiresAt: new Date(Date.now() - 1000) });
      const live = await login(stack.admin.email, stack.admin.password);
      await handle.trigger();
      await waitFor('the expired session to be purged', async () => !(await Session.findByPk(expiredId)), 30_000);
      expect((await asCookie(live.cookie, 'GET', '/api/v1/auth/me')).status).toBe(200);
    } finally {
      await handle.delete();
    }
  });
});

describe('credit self-grant cap', () => {
  it('caps what workspace admins grant their own workspace; an instance admin is not capped', async () => {
    expect((await stack.request('POST', '/api/v1/credits/grants', { amount: 60 })).status).toBe(201);
    const over = await stack.request('POST', '/api/v1/credits/grants', { amount: 50 });
    expect(over.status).toBe(403);
    expect(over.body).toMatchObject({ cap: 100, selfGranted: 60 });
    expect(over.body.errors).toEqual([{ field: 'amount', message: 'at most 40 more' }]);
    const adminSession = await login(stack.admin.email, stack.admin.password);
    expect((await asCookie(adminSession.cookie, 'POST', '/api/v1/credits/grants', { amount: 41 })).status).toBe(403);
    expect((await asCookie(adminSession.cookie, 'POST', '/api/v1/credits/grants', { amount: 40 })).status).toBe(201);
    expect((await stack.request('POST', '/api/v1/credits/grants', { amount: 1 })).status).toBe(403);

    const operator = await member('admin');
    await stack.db.sequelize.query('UPDATE users SET instance_admin = true WHERE id = :id', {
      replacements: { id: operator.id },
    });
    const session = await login(operator.email, operator.password);
    const big = await asCookie(session.cookie, 'POST', '/api/v1/credits/grants', { amount: 5000 });
    expect(big.status).toBe(201);
    expect(big.body.balance.balance).toBe(5100);
  });
});

describe('two-factor (TOTP)', () => {
  it('enrols an admin with a sealed secret, asks for the code at log-in, and spends recovery codes once', async () => {
    const m = await member('admin');
    const { cookie } = await login(m.email, m.password);
    const enrol = await asCookie(cookie, 'POST', '/api/v1/auth/two-factor/enrol');
    expect(enrol.status).toBe(201);
    expect(enrol.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Studioflow:.+\?.*secret=/);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrol.body.secret) });
    // Sealed at rest: the column holds neither the secret nor anything but the sealed format.
    const [[row]] = (await stack.db.sequelize.query('SELECT totp_secret FROM users WHERE id = :id', {
      replacements: { id: m.id },
    })) as [{ totp_secret: string }[], unknown];
    expect(row.totp_secret).toMatch(/^enc:v1:/);
    expect(row.totp_secret).not.toContain(enrol.body.secret);

    // Not on until a code confirms it.
    expect((await login(m.email, m.password)).res.status).toBe(200);
    let bad = 0;
    while (totp.validate({ token: String(bad).padStart(6, '0'), window: 1 }) !== null) bad++;
    const wrong = await asCookie(cookie, 'POST', '/api/v1/auth/two-factor/confirm', {
      code: String(bad).padStart(6, '0'),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.errors).toEqual([{ field: 'code', message: 'does not match' }]);
    const confirmed = await asCookie(cookie, 'POST', '/api/v1/auth/two-factor/confirm', { code: totp.generate() });
    expect(confirmed.status).toBe(200);
    const codes: string[] = confirmed.body.recoveryCodes;
    expect(codes).toHaveLength(10);
    const [[stored]] = (await stack.db.sequelize.query(
      "SELECT string_agg(code_hash, ',') AS hashes FROM recovery_codes WHERE user_id = :id",
      { replacements: { id: m.id } },
    )) as [{ hashes: string }[], unknown];
    for (const code of codes) expect(stored.hashes).not.toContain(code);

    const noCode = await login(m.email, m.password);
    expect(noCode.res.status).toBe(401);
    expect(noCode.res.body).toMatchObject({
      twoFactorRequired: true,
      errors: [{ field: 'code', message: 'required' }],
    });
    expect((await login(m.email, 'wrong password', totp.generate())).res.status).toBe(401);
    // The confirming code's step is spent: the next step's code (inside the ±1 window) logs in, once.
    const next = totp.generate({ timestamp: Date.now() + 30_000 });
    const withCode = await login(m.email, m.password, next);
    expect(withCode.res.status).toBe(200);
    expect((await login(m.email, m.password, next)).res.status).toBe(401);

    const recovery = await login(m.email, m.password, codes[0].toUpperCase());
    expect(recovery.res.status).toBe(200);
    expect((await login(m.email, m.password, codes[0])).res.status).toBe(401);
    const status = await asCookie(withCode.cookie, 'GET', '/api/v1/auth/two-factor');
    expect(status.body).toMatchObject({ enabled: true, recoveryCodesLeft: 9 });

    // Turning it off needs a code too.
    expect(
      (await asCookie(withCode.cookie, 'POST', '/api/v1/auth/two-factor/disable', { code: codes[0] })).status,
    ).toBe(401);
    expect(
      (await asCookie(withCode.cookie, 'POST', '/api/v1/auth/two-factor/disable', { code: codes[1] })).status,
    ).toBe(204);
    expect((await login(m.email, m.password)).res.status).toBe(200);
  });

  it('is for admins signed in as themselves', async () => {
    const m = await member('editor');
    const { cookie } = await login(m.email, m.password);
    expect((await asCookie(cookie, 'POST', '/api/v1/auth/two-factor/enrol')).status).toBe(403);
    expect((await stack.request('POST', '/api/v1/auth/two-factor/enrol')).status).toBe(403);
  });
});

describe('OpenAPI', () => {
  it('documents every account route', async () => {
    const doc = (await stack.request('GET', '/api/v1/openapi.json', undefined, { key: null })).body;
    const routes: [string, string][] = [
      ['/auth/signup', 'get'],
      ['/auth/signup', 'post'],
      ['/auth/invitations/accept', 'post'],
      ['/auth/password-reset', 'post'],
      ['/auth/password-reset/confirm', 'post'],
      ['/auth/sessions', 'get'],
      ['/auth/sessions/{id}', 'delete'],
      ['/auth/two-factor', 'get'],
      ['/auth/two-factor/enrol', 'post'],
      ['/auth/two-factor/confirm', 'post'],
      ['/auth/two-factor/disable', 'post'],
      ['/invitations', 'get'],
      ['/invitations', 'post'],
      ['/invitations/{id}', 'delete'],
      ['/users/{id}', 'patch'],
      ['/users/{id}', 'delete'],
    ];
    for (const [path, method] of routes)
      expect({ path, method, documented: !!doc.paths[path]?.[method] }).toEqual({
        path,
        method,
        documented: true,
      });
    expect(doc.paths['/auth/login'].post.requestBody.content['application/json'].schema.properties.code).toBeDefined();
  });
});
