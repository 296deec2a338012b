import { Router, type CookieOptions, type Request } from 'express';
import { z } from 'zod';
import { ROLES } from '../../lib/roles';
import { authenticate, principalOf, requireRole, SESSION_COOKIE } from '../middleware/auth';
import type { RateLimits } from '../middleware/rate-limit';
import type { AccountService } from '../services/account.service';
import { parse } from '../validation';

export const loginSchema = z
  .object({
    email: z.email(),
    password: z.string().min(1).max(200),
    code: z
      .string()
      .trim()
      .min(6)
      .max(32)
      .optional()
      .describe('The authenticator code (6 digits) or a recovery code, when two-factor is on'),
  })
  .strict();
export const createApiKeySchema = z
  .object({ name: z.string().trim().min(1).max(120), role: z.enum(ROLES).default('editor') })
  .strict();
export const createUserSchema = z
  .object({
    email: z.email(),
    name: z.string().trim().min(1).max(120),
    password: z.string().min(10, 'must be at least 10 characters').max(200),
    role: z.enum(ROLES),
  })
  .strict();

export interface AccountRouteOptions {
  secureCookies: boolean;
  temporalUiUrl: string;
  namespace: string;
  limits: RateLimits;
}

/** The session cookie's attributes (log-in, sign-up, accepted invitations). */
export const sessionCookie = (secure: boolean, expires?: Date): CookieOptions => ({
  httpOnly: true,
  sameSite: 'lax',
  secure,
  path: '/',
  expires,
});

/** What a user's session list shows to recognise a session. */
export const clientOf = (req: Request) => ({ userAgent: req.get('user-agent'), ip: req.ip });

/** Log-in is public; everything else here needs a principal. */
export function authRouter(accounts: AccountService, options: AccountRouteOptions): Router {
  const router = Router();
  const cookie = (expires?: Date) => sessionCookie(options.secureCookies, expires);

  router.post('/auth/login', options.limits.publicAuth('login'), async (req, res) => {
    const { email, password, code } = parse(loginSchema, req.body);
    const { sessionToken, expiresAt, user } = await options.limits.login(req, res, email, () =>
      accounts.login(email, password, { code, client: clientOf(req) }),
    );
    const workspace = await accounts.getWorkspace(user.workspaceId);
    res.cookie(SESSION_COOKIE, sessionToken, cookie(expiresAt)).json({ user, workspace });
  });

  router.post('/auth/logout', async (req, res) => {
    const token = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (token) await accounts.logout(token);
    res.clearCookie(SESSION_COOKIE, cookie()).status(204).end();
  });

  router.get('/auth/me', authenticate(accounts), async (_req, res) => {
    const principal = principalOf(res);
    const workspace = await accounts.getWorkspace(principal.workspaceId);
    const user =
      principal.kind === 'user'
        ? await accounts.getUser(principal.id)
        : { id: principal.id, email: null, name: principal.name, role: principal.role };
    res.json({ user, workspace, temporalUiUrl: options.temporalUiUrl, namespace: options.namespace });
  });
  return router;
}

export function accountsRouter(accounts: AccountService): Router {
  const router = Router();
  router.get('/api-keys', requireRole('admin'), async (_req, res) => {
    res.json({ items: await accounts.listApiKeys(principalOf(res).workspaceId) });
  });
  router.post('/api-keys', requireRole('admin'), async (req, res) => {
    const { name, role } = parse(createApiKeySchema, req.body);
    res.status(201).json(await accounts.createApiKey(principalOf(res), name, role));
  });
  router.delete('/api-keys/:id', requireRole('admin'), async (req, res) => {
    await accounts.revokeApiKey(principalOf(res).workspaceId, parse(z.uuid(), req.params.id, 'id'));
    res.status(204).end();
  });
  router.get('/users', requireRole('admin'), async (_req, res) => {
    res.json({ items: await accounts.listUsers(principalOf(res).workspaceId) });
  });
  router.post('/users', requireRole('admin'), async (req, res) => {
    res.status(201).json(await accounts.createUser(principalOf(res).workspaceId, parse(createUserSchema, req.body)));
  });
  return router;
}
