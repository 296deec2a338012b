/**
 * Authentication (session cookie for the UI, `Authorization: Bearer sf_…` for integrators)
 * and role checks. Every handler after `authenticate` has `res.locals.principal`.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors';
import { roleAtLeast, type Role } from '../../lib/roles';
import type { AccountService, Principal } from '../services/account.service';

export const SESSION_COOKIE = 'sf_session';

export function authenticate(accounts: AccountService): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    let principal: Principal | null = null;
    if (header) {
      const [scheme, credential] = header.split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !credential)
        throw new UnauthorizedError('Use "Authorization: Bearer <API key>"');
      principal = await accounts.principalFromApiKey(credential);
      if (!principal) throw new UnauthorizedError('The API key is invalid or revoked');
    } else {
      const token = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
      if (token) principal = await accounts.principalFromSession(token);
      if (!principal) throw new UnauthorizedError('Log in or send an API key');
    }
    res.locals.principal = principal;
    res.locals.log = res.locals.log?.child({ workspaceId: principal.workspaceId, actor: principal.name });
    next();
  };
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
