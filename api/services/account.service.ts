/** Log-in, sessions, API keys and users. Secrets are random, shown once and stored hashed. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { UniqueConstraintError } from 'sequelize';
import type { AccountRepository, UserCredentials, UserRecord } from '../../db/repositories/account.repository';
import { ConflictError, NotFoundError, UnauthorizedError } from '../../lib/errors';
import { logger } from '../../lib/logger';
import { createApiKeyCache, createApiKeyUsage, type StoredApiKey } from './api-key-cache';

/** Thrown when the password was right but the account asks for a second factor. */
export class SecondFactorRequiredError extends UnauthorizedError {
  constructor(detail = 'Enter the code from your authenticator app, or a recovery code') {
    super(detail, { errors: [{ field: 'code', message: 'required' }], extra: { twoFactorRequired: true } });
  }
}
import type { Role } from '../../lib/roles';

export interface Principal {
  workspaceId: string;
  role: Role;
  kind: 'user' | 'apiKey' | 'webhook';
  id: string;
  /** Shown in run histories (who approved) and logs. */
  name: string;
  /** Operates the instance (users only): may grant credits beyond the workspace cap. */
  instanceAdmin?: boolean;
  /** The public id of the session a user principal came with (their session list marks it current). */
  sessionId?: string;
}

/** Checks a second factor at log-in (TOTP or a recovery code); absent, no user has one. */
export type SecondFactorCheck = (user: UserCredentials, code: string) => Promise<boolean>;

export interface ClientInfo {
  userAgent?: string;
  ip?: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const BCRYPT_ROUNDS = 10;
/** API keys look like `sf_<12 chars>_<32 chars>`: recognisable in logs and secret scanners. */
const API_KEY = /^sf_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{32,64})$/;

const token = (bytes: number) => randomBytes(bytes).toString('base64url');
const alnum = (length: number) => {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
};

export function createAccountService(
  repo: AccountRepository,
  options: {
    sessionTtlHours: number;
    secondFactor?: SecondFactorCheck;
    /** How long a verified API key is trusted without reading it again (api-key-cache.ts); 0 reads every time. */
    apiKeyCacheTtlMs?: number;
    /** How often the keys' `last_used_at` is written. */
    apiKeyUsageFlushMs?: number;
  },
) {
  const keyCache = createApiKeyCache({ ttlMs: options.apiKeyCacheTtlMs ?? 15_000 });
  repo.onApiKeysChanged(() => keyCache.clear());
  const log = logger('accounts');
  const keyUsage = createApiKeyUsage({
    intervalMs: options.apiKeyUsageFlushMs ?? 30_000,
    write: (ids) => repo.touchApiKeys(ids),
    onError: (err) => log.warn('Recording API key use failed', { err }),
  });

  async function storedApiKey(prefix: string): Promise<StoredApiKey | null> {
    const cached = keyCache.get(prefix);
    if (cached) return cached;
    const since = keyCache.generation();
    const found = await repo.findApiKeyByPrefix(prefix);
    if (found && !found.revokedAt) keyCache.set(prefix, found, since);
    return found;
  }

  const userPrincipal = (u: UserRecord, sessionId?: string): Principal => ({
    workspaceId: u.workspaceId,
    role: u.role,
    kind: 'user',
    id: u.id,
    name: u.email,
    instanceAdmin: u.instanceAdmin,
    sessionId,
  });

  return {
    async login(
      email: string,
      password: string,
      extra: { code?: string; client?: ClientInfo } = {},
    ): Promise<{ sessionToken: string; expiresAt: Date; user: UserRecord }> {
      const found = await repo.findUserByEmail(email);
      // Compare against a dummy hash when the user does not exist, so timing does not reveal accounts.
      const ok = await bcrypt.compare(
        password,
        found?.passwordHash ?? '$2b$10$IVjmhcDtaB6fo646R8KSdePakWbYiVfu6whvdZZpQnZuq8n7KrNwG',
      );
      // A disabled account answers like a wrong password: its state is for its admins to know.
      if (!found || !ok || found.disabledAt) throw new UnauthorizedError('Email or password is incorrect');
      if (found.twoFactorEnabled) {
        if (!extra.code) throw new SecondFactorRequiredError();
        if (!options.secondFactor || !(await options.secondFactor(found, extra.code)))
          throw new SecondFactorRequiredError('The code is not valid; enter a current one or an unused recovery code');
      }
      const { passwordHash: _omit, totpSecret: _secret, ...user } = found;
      return { ...(await this.startSession(user.id, extra.client)), user };
    },

    /** A new session for a user who proved who they are (log-in, sign-up, an accepted invitation). */
    async startSession(userId: string, client: ClientInfo = {}): Promise<{ sessionToken: string; expiresAt: Date }> {
      const sessionToken = token(32);
      const expiresAt = new Date(Date.now() + options.sessionTtlHours * 3600_000);
      await repo.createSession(sha256(sessionToken), userId, expiresAt, client);
      return { sessionToken, expiresAt };
    },

    async logout(sessionToken: string): Promise<void> {
      await repo.deleteSession(sha256(sessionToken));
    },

    async principalFromSession(sessionToken: string): Promise<Principal | null> {
      const user = await repo.findSessionUser(sha256(sessionToken));
      return user ? userPrincipal(user, user.sessionId) : null;
    },

    async principalFromApiKey(key: string): Promise<Principal | null> {
      const match = API_KEY.exec(key);
      if (!match) return null;
      const found = await storedApiKey(`sf_${match[1]}`);
      if (!found || found.revokedAt) return null;
      const expected = Buffer.from(found.secretHash, 'hex');
      const actual = Buffer.from(sha256(match[2]), 'hex');
      if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
      // Written in batches off the request path: a write per request would dominate a busy integration.
      keyUsage.record(found.id);
      return {
        workspaceId: found.workspaceId,
        role: found.role,
        kind: 'apiKey',
        id: found.id,
        name: `api-key:${found.name}`,
      };
    },

    async createApiKey(principal: Principal, name: string, role: Role) {
      const prefix = `sf_${alnum(12)}`;
      const secret = token(32);
      const record = await repo.createApiKey({
        workspaceId: principal.workspaceId,
        name,
        prefix,
        secretHash: sha256(secret),
        role,
        createdBy: principal.kind === 'user' ? principal.id : null,
      });
      return { ...record, key: `${prefix}_${secret}` };
    },

    async listApiKeys(workspaceId: string) {
      // The list shows when each key was last used: write what this process has collected first.
      await keyUsage.flush();
      return repo.listApiKeys(workspaceId);
    },

    /** Writes the pending key use and stops the timer (server shutdown). */
    close: () => keyUsage.close(),

    async revokeApiKey(workspaceId: string, id: string): Promise<void> {
      if (!(await repo.revokeApiKey(workspaceId, id))) throw new NotFoundError(`API key ${id} not found`);
    },

    async createUser(
      workspaceId: string,
      fields: { email: string; name: string; password: string; role: Role; instanceAdmin?: boolean },
    ): Promise<UserRecord> {
      try {
        return await repo.createUser({
          workspaceId,
          email: fields.email,
          name: fields.name,
          role: fields.role,
          instanceAdmin: fields.instanceAdmin ?? false,
          passwordHash: await bcrypt.hash(fields.password, BCRYPT_ROUNDS),
        });
      } catch (err) {
        if (err instanceof UniqueConstraintError)
          throw new ConflictError(`A user with email ${fields.email} already exists`, {
            errors: [{ field: 'email', message: 'already in use' }],
          });
        throw err;
      }
    },

    listUsers: (workspaceId: string) => repo.listUsers(workspaceId),
    getUser: (id: string) => repo.getUser(id),
    getWorkspace: (id: string) => repo.getWorkspace(id),

    /** First start on an empty database: one workspace and its admin. */
    async bootstrap(options: { workspaceName: string; adminEmail: string; adminPassword?: string }) {
      if ((await repo.countUsers()) > 0) return null;
      const workspace = await repo.createWorkspace(options.workspaceName);
      const password = options.adminPassword ?? alnum(16);
      const user = await this.createUser(workspace.id, {
        email: options.adminEmail,
        name: 'Admin',
        password,
        role: 'admin',
        // The first admin operates the instance (credits beyond the workspace cap, docs/security.md#accounts).
        instanceAdmin: true,
      });
      return { workspace, user, password };
    },

    async createWorkspaceWithAdmin(name: string, admin: { email: string; name: string; password: string }) {
      const workspace = await repo.createWorkspace(name);
      const user = await this.createUser(workspace.id, { ...admin, role: 'admin' });
      return { workspace, user };
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
