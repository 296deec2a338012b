/** Workspaces, users, sessions and API keys. Returns plain objects; secrets never leave as stored. */
import { Op } from 'sequelize';
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
    async touchApiKey(id: string): Promise<void> {
      await ApiKey.update({ lastUsedAt: new Date() }, { where: { id } });
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
