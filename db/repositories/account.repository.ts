/** Workspaces, users, sessions and API keys. Returns plain objects; secrets never leave as stored. */
import { Op, type Transaction } from 'sequelize';
import type { Role } from '../../lib/roles';
import type { ApiKey } from '../models/api-key.model';
import type { User } from '../models/user.model';
import type { Database } from '../index';

export interface WorkspaceRecord {
  id: string;
  name: string;
}

export interface UserRecord {
  id: string;
  workspaceId: string;
  email: string;
  name: string;
  role: Role;
  disabledAt: string | null;
  instanceAdmin: boolean;
  twoFactorEnabled: boolean;
  createdAt: string;
}

/** What log-in needs besides the public record; never returned by the API. */
export interface UserCredentials extends UserRecord {
  passwordHash: string;
  totpSecret: string | null;
}

export interface ApiKeyRecord {
  id: string;
  workspaceId: string;
  name: string;
  prefix: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const user = (u: User): UserRecord => ({
  id: u.id,
  workspaceId: u.workspaceId,
  email: u.email,
  name: u.name,
  role: u.role,
  disabledAt: u.disabledAt ? u.disabledAt.toISOString() : null,
  instanceAdmin: u.instanceAdmin ?? false,
  twoFactorEnabled: Boolean(u.totpEnabledAt),
  createdAt: u.createdAt.toISOString(),
});
const apiKey = (k: ApiKey): ApiKeyRecord => ({
  id: k.id,
  workspaceId: k.workspaceId,
  name: k.name,
  prefix: k.prefix,
  role: k.role,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt ? k.lastUsedAt.toISOString() : null,
  revokedAt: k.revokedAt ? k.revokedAt.toISOString() : null,
});

/**
 * Listeners of every connection in this process: sequelize binds the model classes to the last connection made (see
 * db/index.ts), so a write runs that connection's hooks whichever repository made it.
 */
const apiKeyListeners = new Set<() => void>();
const watched = new WeakSet<Database['sequelize']>();

function watchApiKeys(db: Database): void {
  if (watched.has(db.sequelize)) return;
  watched.add(db.sequelize);
  const notify = () => apiKeyListeners.forEach((listener) => listener());
  const usageOnly = (fields: unknown) =>
    Array.isArray(fields) && fields.every((f) => f === 'lastUsedAt' || f === 'updatedAt');
  const changed = (options: { transaction?: Transaction | null }) => {
    notify();
    options.transaction?.afterCommit(notify);
  };
  const isApiKey = (model: unknown) => (model as { tableName?: string } | undefined)?.tableName === 'api_keys';
  const bulk = (options: { model?: unknown; fields?: unknown; transaction?: Transaction | null }) => {
    if (isApiKey(options.model) && !usageOnly(options.fields)) changed(options);
  };
  const single = (instance: unknown, options: { fields?: unknown; transaction?: Transaction | null }) => {
    if (isApiKey((instance as { constructor?: unknown }).constructor) && !usageOnly(options.fields)) changed(options);
  };
  // Universal hooks, on the connection: they see every model's writes, whichever code makes them.
  db.sequelize.addHook('afterBulkUpdate', bulk);
  db.sequelize.addHook('afterBulkDestroy', bulk);
  db.sequelize.addHook('afterUpdate', single);
  db.sequelize.addHook('afterDestroy', single);
}

export function createAccountRepository(db: Database) {
  const { ApiKey, Session, User, Workspace } = db.models;
  return {
    async createWorkspace(name: string): Promise<WorkspaceRecord> {
      const w = await Workspace.create({ name });
      return { id: w.id, name: w.name };
    },
    async getWorkspace(id: string): Promise<WorkspaceRecord | null> {
      const w = await Workspace.findByPk(id);
      return w ? { id: w.id, name: w.name } : null;
    },
    async countUsers(): Promise<number> {
      return User.count();
    },

    async createUser(fields: {
      workspaceId: string;
      email: string;
      name: string;
      passwordHash: string;
      role: Role;
      instanceAdmin?: boolean;
    }): Promise<UserRecord> {
      return user(await User.create({ ...fields, email: fields.email.toLowerCase() }));
    },
    async findUserByEmail(email: string): Promise<UserCredentials | null> {
      const u = await User.findOne({ where: { email: email.toLowerCase() } });
      return u ? { ...user(u), passwordHash: u.passwordHash, totpSecret: u.totpSecret ?? null } : null;
    },
    async getUser(id: string): Promise<UserRecord | null> {
      const u = await User.findByPk(id);
      return u ? user(u) : null;
    },
    async listUsers(workspaceId: string): Promise<UserRecord[]> {
      return (await User.findAll({ where: { workspaceId }, order: [['createdAt', 'ASC']] })).map(user);
    },

    async createSession(
      id: string,
      userId: string,
      expiresAt: Date,
      client: { userAgent?: string; ip?: string } = {},
    ): Promise<void> {
      await Session.create({
        id,
        userId,
        expiresAt,
        userAgent: client.userAgent?.slice(0, 300) ?? null,
        ip: client.ip?.slice(0, 64) ?? null,
        lastSeenAt: new Date(),
      });
    },
    /** The session's user, unless the session expired or the user is disabled. */
    async findSessionUser(id: string): Promise<(UserRecord & { sessionId: string }) | null> {
      const s = await Session.findOne({ where: { id, expiresAt: { [Op.gt]: new Date() } } });
      if (!s) return null;
      const u = await this.getUser(s.userId);
      if (!u || u.disabledAt) return null;
      // Recorded at most once a minute, as for API keys: a write per request would dominate.
      if (!s.lastSeenAt || Date.now() - s.lastSeenAt.getTime() > 60_000)
        await Session.update({ lastSeenAt: new Date() }, { where: { id } });
      return { ...u, sessionId: s.publicId };
    },
    async deleteSession(id: string): Promise<void> {
      await Session.destroy({ where: { id } });
    },

    async createApiKey(fields: {
      workspaceId: string;
      name: string;
      prefix: string;
      secretHash: string;
      role: Role;
      createdBy: string | null;
    }): Promise<ApiKeyRecord> {
      return apiKey(await ApiKey.create(fields));
    },
    async findApiKeyByPrefix(prefix: string): Promise<(ApiKeyRecord & { secretHash: string }) | null> {
      const k = await ApiKey.findOne({ where: { prefix } });
      return k ? { ...apiKey(k), secretHash: k.secretHash } : null;
    },
    /** Records the use of keys, in one statement (api/services/api-key-cache.ts batches them). */
    async touchApiKeys(ids: string[]): Promise<void> {
      if (ids.length > 0) await ApiKey.update({ lastUsedAt: new Date() }, { where: { id: ids } });
    },
    /**
     * Calls `listener` whenever this process changes `api_keys` other than their use (a revocation here, or a member's
     * keys ended in account-lifecycle.repository.ts): at once, and again after the transaction commits, so a cache
     * cannot keep a row read between the two.
     */
    onApiKeysChanged(listener: () => void): void {
      apiKeyListeners.add(listener);
      watchApiKeys(db);
    },
    async listApiKeys(workspaceId: string): Promise<ApiKeyRecord[]> {
      return (await ApiKey.findAll({ where: { workspaceId }, order: [['createdAt', 'DESC']] })).map(apiKey);
    },
    async revokeApiKey(workspaceId: string, id: string): Promise<boolean> {
      const [count] = await ApiKey.update({ revokedAt: new Date() }, { where: { id, workspaceId, revokedAt: null } });
      return count > 0;
    },
  };
}

export type AccountRepository = ReturnType<typeof createAccountRepository>;
