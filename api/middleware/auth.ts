/**
 * Authentication (session cookie for the UI, `Authorization: Bearer sf_…` for integrators)
 * and role checks. Every handler after `authenticate` has `res.locals.principal`.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors';
import { roleAtLeast, type Role } from '../../lib/roles';
import type { AccountService, Principal } from '../services/account.service';

export const SESSION_COOKIE = 'sf_session';

/** The principal a request's credential stands for; throws 401 when there is none. */
async function resolvePrincipal(accounts: AccountService, req: Request): Promise<Principal> {
  const header = req.get('authorization');
  if (header) {
    const [scheme, credential] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !credential)
      throw new UnauthorizedError('Use "Authorization: Bearer <API key>"');
    const principal = await accounts.principalFromApiKey(credential);
    if (!principal) throw new UnauthorizedError('The API key is invalid or revoked');
    return principal;
  }
  const token = (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
  const principal = typeof token === 'string' && token ? await accounts.principalFromSession(token) : null;
  if (!principal) throw new UnauthorizedError('Log in or send an API key');
  return principal;
}

export function authenticate(accounts: AccountService): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const principal = await resolvePrincipal(accounts, req);
    res.locals.principal = principal;
    // Long-lived responses (event streams) re-check the same credential while they run.
    res.locals.reauthenticate = async (): Promise<boolean> => {
      const again = await resolvePrincipal(accounts, req).catch((err: unknown) => {
        if (err instanceof UnauthorizedError) return null;
        throw err;
      });
      return again !== null && again.id === principal.id && again.workspaceId === principal.workspaceId;
    };
    res.locals.log = res.locals.log?.child({ workspaceId: principal.workspaceId, actor: principal.name });
    next();
  };
}

/** Re-checks the request's credential (see `authenticate`). */
export function stillAuthenticated(res: Response): Promise<boolean> {
  const check = res.locals.reauthenticate as (() => Promise<boolean>) | undefined;
  return check ? check() : Promise.resolve(false);
}

export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw new UnauthorizedError('Not authenticated');
  return principal;
}

/** Admits callers whose role is at least `role` (viewer < editor < admin). */
export function requireRole(role: Role): RequestHandler {
  return (_req, res, next) => {
    const principal = principalOf(res);
    if (!roleAtLeast(principal.role, role))
      throw new ForbiddenError(`This needs the ${role} role; you are ${principal.role}`);
    next();
  };
}
