/**
 * Authentication (session cookie for the UI, `Authorization: Bearer sf_…` for integrators)
 * and role checks. Every handler after `authenticate` has `res.locals.principal`.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors';
import { roleAtLeast, type Role } from '../../lib/roles';
import { addLogFields } from '../request-log';
import type { AccountService, Principal } from '../services/account.service';

export const SESSION_COOKIE = 'sf_session';

/** The API key's principal from an `Authorization` header; throws 401 for any other scheme or an unknown key. */
export async function principalFromAuthorization(accounts: AccountService, header: string): Promise<Principal> {
  const [scheme, credential] = header.split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !credential)
    throw new UnauthorizedError('Use "Authorization: Bearer <API key>"');
  const principal = await accounts.principalFromApiKey(credential);
  if (!principal) throw new UnauthorizedError('The API key is invalid or revoked');
  return principal;
}

/** The principal a request's credential stands for; throws 401 when there is none. */
async function resolvePrincipal(accounts: AccountService, req: Request): Promise<Principal> {
  const header = req.get('authorization');
  if (header) return principalFromAuthorization(accounts, header);
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
    addLogFields(res, { workspaceId: principal.workspaceId, actor: principal.name });
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
    assertRole(principalOf(res), role);
    next();
  };
}

/** Throws 403 unless the principal's role is at least `role`. */
export function assertRole(principal: Principal, role: Role): void {
  if (!roleAtLeast(principal.role, role))
    throw new ForbiddenError(`This needs the ${role} role; you are ${principal.role}`);
}
