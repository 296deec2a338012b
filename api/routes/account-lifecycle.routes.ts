/**
 * Account lifecycle routes (docs/security.md#accounts). `publicAccountRouter` holds every unauthenticated one (sign-up,
 * accepting an invitation, password reset) so rate limits attach in one place; the others need a principal.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { ROLES } from '../../lib/roles';
import { ForbiddenError, NotFoundError } from '../../lib/errors';
import { principalOf, requireRole, SESSION_COOKIE } from '../middleware/auth';
import type { AccountLifecycleService } from '../services/account-lifecycle.service';
import type { TwoFactorService } from '../services/two-factor.service';
import { parse } from '../validation';
import { clientOf, sessionCookie } from './accounts.routes';

const password = z.string().min(10, 'must be at least 10 characters').max(200);
const token = z.string().trim().min(20).max(200).describe('The token from the emailed link');

export const signupSchema = z
  .object({
    workspaceName: z.string().trim().min(1).max(120),
    name: z.string().trim().min(1).max(120),
    email: z.email().max(254),
    password,
  })
  .strict();
export const acceptInvitationSchema = z
  .object({
    token,
    name: z.string().trim().min(1).max(120).optional().describe('Required for a new account'),
    password: password.describe("A new account's password, or the existing account's current one"),
  })
  .strict();
export const passwordResetRequestSchema = z.object({ email: z.email().max(254) }).strict();
export const passwordResetSchema = z.object({ token, password }).strict();
export const invitationSchema = z.object({ email: z.email().max(254), role: z.enum(ROLES) }).strict();
export const memberPatchSchema = z
  .object({
    role: z.enum(ROLES).optional(),
    disabled: z.boolean().optional().describe("true ends the member's sessions and keys and blocks log-in"),
  })
  .strict()
  .refine((v) => v.role !== undefined || v.disabled !== undefined, { message: 'give role or disabled' });

export const PASSWORD_RESET_ANSWER = {
  status: 'accepted',
  detail: 'If an account uses this address, a link to reset its password is on its way.',
};

/** Every unauthenticated account route. */
export function publicAccountRouter(
  lifecycle: AccountLifecycleService,
  options: { secureCookies: boolean; limit: (route: string) => RequestHandler },
): Router {
  const router = Router();
  const { limit } = options;

  router.get('/auth/signup', (_req, res) => {
    res.json({ enabled: lifecycle.signupEnabled() });
  });
  router.post('/auth/signup', limit('signup'), async (req, res) => {
    const input = parse(signupSchema, req.body);
    const { sessionToken, expiresAt, user, workspace } = await lifecycle.signup(input, clientOf(req));
    res
      .status(201)
      .cookie(SESSION_COOKIE, sessionToken, sessionCookie(options.secureCookies, expiresAt))
      .json({ user, workspace });
  });

  router.post('/auth/invitations/accept', limit('invitation-accept'), async (req, res) => {
    const input = parse(acceptInvitationSchema, req.body);
    const { sessionToken, expiresAt, user, workspace } = await lifecycle.acceptInvitation(input, clientOf(req));
    res.cookie(SESSION_COOKIE, sessionToken, sessionCookie(options.secureCookies, expiresAt)).json({ user, workspace });
  });

  router.post('/auth/password-reset', limit('password-reset'), async (req, res) => {
    const { email } = parse(passwordResetRequestSchema, req.body);
    await lifecycle.requestPasswordReset(email);
    res.status(202).json(PASSWORD_RESET_ANSWER);
  });
  router.post('/auth/password-reset/confirm', limit('password-reset-confirm'), async (req, res) => {
    await lifecycle.resetPassword(parse(passwordResetSchema, req.body));
    res.status(204).end();
  });
  return router;
}

/** A user's own sessions. API keys have none. */
export function ownSessionsRouter(lifecycle: AccountLifecycleService, options: { secureCookies: boolean }): Router {
  const router = Router();
  const user = (res: Parameters<typeof principalOf>[0]) => {
    const principal = principalOf(res);
    if (principal.kind !== 'user') throw new ForbiddenError('Sessions belong to users; log in to manage them');
    return principal;
  };
  router.get('/auth/sessions', async (_req, res) => {
    res.json({ items: await lifecycle.listSessions(user(res)) });
  });
  router.delete('/auth/sessions/:id', async (req, res) => {
    const id = parse(z.uuid(), req.params.id, 'id');
    // An API key has no sessions: any id is one it does not have (404, as for another user's session).
    if (principalOf(res).kind !== 'user') throw new NotFoundError(`Session ${id} not found`);
    const principal = user(res);
    await lifecycle.revokeSession(principal, id);
    if (id === principal.sessionId) res.clearCookie(SESSION_COOKIE, sessionCookie(options.secureCookies));
    res.status(204).end();
  });
  return router;
}

/** Workspace admins: invitations and members. */
export function membersRouter(lifecycle: AccountLifecycleService): Router {
  const router = Router();
  router.get('/invitations', requireRole('admin'), async (_req, res) => {
    res.json({ items: await lifecycle.listInvitations(principalOf(res).workspaceId) });
  });
  router.post('/invitations', requireRole('admin'), async (req, res) => {
    res.status(201).json(await lifecycle.invite(principalOf(res), parse(invitationSchema, req.body)));
  });
  router.delete('/invitations/:id', requireRole('admin'), async (req, res) => {
    await lifecycle.revokeInvitation(principalOf(res).workspaceId, parse(z.uuid(), req.params.id, 'id'));
    res.status(204).end();
  });
  router.patch('/users/:id', requireRole('admin'), async (req, res) => {
    const id = parse(z.uuid(), req.params.id, 'id');
    res.json(await lifecycle.updateMember(principalOf(res).workspaceId, id, parse(memberPatchSchema, req.body)));
  });
  router.delete('/users/:id', requireRole('admin'), async (req, res) => {
    await lifecycle.deleteMember(principalOf(res).workspaceId, parse(z.uuid(), req.params.id, 'id'));
    res.status(204).end();
  });
  return router;
}

export const twoFactorCodeSchema = z
  .object({ code: z.string().trim().min(6).max(32).describe('6-digit code, or a recovery code to turn it off') })
  .strict();

/** The caller's own TOTP two-factor (admins). */
export function twoFactorRouter(twoFactor: TwoFactorService): Router {
  const router = Router();
  router.get('/auth/two-factor', async (_req, res) => {
    res.json(await twoFactor.status(principalOf(res)));
  });
  router.post('/auth/two-factor/enrol', async (_req, res) => {
    res.status(201).json(await twoFactor.enrol(principalOf(res)));
  });
  router.post('/auth/two-factor/confirm', async (req, res) => {
    res.json(await twoFactor.confirm(principalOf(res), parse(twoFactorCodeSchema, req.body).code));
  });
  router.post('/auth/two-factor/disable', async (req, res) => {
    await twoFactor.disable(principalOf(res), parse(twoFactorCodeSchema, req.body).code);
    res.status(204).end();
  });
  return router;
}
