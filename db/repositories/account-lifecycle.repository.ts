/**
 * Account lifecycle: members (role, disable, delete), a user's own sessions, invitations, password resets, TOTP and
 * the purge of what expired. Secrets arrive here already hashed (or sealed) and never leave.
 */
import { Op, type Transaction } from 'sequelize';
import type { Role } from '../../lib/roles';
import type { Database } from '..';
import type { Invitation } from '../models/invitation.model';

export interface SessionRecord {
  id: string;
  createdAt: string;
  lastSeenAt: string | null;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
}

export interface InvitationRecord {
  id: string;
  workspaceId: string;
  email: string;
  role: Role;
  invitedBy: string | null;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

const invitation = (i: Invitation): InvitationRecord => ({
  id: i.id,
  workspaceId: i.workspaceId,
  email: i.email,
  role: i.role,
  invitedBy: i.invitedBy,
  expiresAt: i.expiresAt.toISOString(),
  acceptedAt: iso(i.acceptedAt),
  revokedAt: iso(i.revokedAt),
  createdAt: i.createdAt.toISOString(),
  status: i.acceptedAt
    ? 'accepted'
    : i.revokedAt
      ? 'revoked'
      : i.expiresAt.getTime() <= Date.now()
        ? 'expired'
        : 'pending',
});

export function createAccountLifecycleRepository(db: Database) {
  const { ApiKey, Invitation, PasswordReset, RecoveryCode, Session, User, Workspace } = db.models;
  const { sequelize } = db;

  /** Ends every way a user is signed in: their sessions and the API keys they created. */
  async function endAccess(userId: string, transaction: Transaction): Promise<void> {
    await Session.destroy({ where: { userId }, transaction });
    await ApiKey.update({ revokedAt: new Date() }, { where: { createdBy: userId, revokedAt: null }, transaction });
  }

  /** Admins of the workspace who can still log in, locked so two concurrent demotions cannot both pass. */
  async function activeAdmins(workspaceId: string, transaction: Transaction): Promise<string[]> {
    const rows = await User.findAll({
      where: { workspaceId, role: 'admin', disabledAt: null },
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    return rows.map((r) => r.id);
  }

  /** The member, locked after the admins, and whether they are its one active admin; null when not in the workspace. */
  async function lockMember(workspaceId: string, userId: string, transaction: Transaction) {
    const admins = await activeAdmins(workspaceId, transaction);
    const user = await User.findOne({ where: { id: userId, workspaceId }, transaction, lock: transaction.LOCK.UPDATE });
    return user ? { user, onlyAdmin: admins.length === 1 && admins[0] === user.id } : null;
  }

  return {
    /** Sign-up: a workspace and its first admin, both or neither. Returns ids; a taken email throws unique. */
    async createWorkspaceWithAdmin(
      workspaceName: string,
      admin: { email: string; name: string; passwordHash: string },
    ): Promise<{ workspaceId: string; userId: string }> {
      return sequelize.transaction(async (transaction) => {
        const w = await Workspace.create({ name: workspaceName }, { transaction });
        const u = await User.create(
          { ...admin, email: admin.email.toLowerCase(), workspaceId: w.id, role: 'admin' },
          { transaction },
        );
        return { workspaceId: w.id, userId: u.id };
      });
    },
    /** A new member from an invitation, inside the invitation's transaction. */
    async createMember(
      fields: { workspaceId: string; email: string; name: string; passwordHash: string; role: Role },
      transaction: Transaction,
    ): Promise<string> {
      const u = await User.create({ ...fields, email: fields.email.toLowerCase() }, { transaction });
      return u.id;
    },

    endAccess: (userId: string) => sequelize.transaction((t) => endAccess(userId, t)),

    /**
     * Changes a member: role and/or disabled. Either change ends the member's sessions and keys at once. Refuses to
     * leave the workspace without an active admin (`last-admin`).
     */
    async updateMember(
      workspaceId: string,
      userId: string,
      change: { role?: Role; disabled?: boolean },
    ): Promise<'not-found' | 'last-admin' | 'updated'> {
      return sequelize.transaction(async (transaction) => {
        const member = await lockMember(workspaceId, userId, transaction);
        if (!member) return 'not-found';
        const u = member.user;
        const staysAdmin = (change.role ?? u.role) === 'admin' && !(change.disabled ?? Boolean(u.disabledAt));
        if (member.onlyAdmin && !staysAdmin) return 'last-admin';
        const fields: Partial<{ role: Role; disabledAt: Date | null }> = {};
        if (change.role !== undefined) fields.role = change.role;
        if (change.disabled !== undefined) fields.disabledAt = change.disabled ? (u.disabledAt ?? new Date()) : null;
        await u.update(fields, { transaction });
        await endAccess(u.id, transaction);
        return 'updated';
      });
    },

    async deleteMember(workspaceId: string, userId: string): Promise<'not-found' | 'last-admin' | 'deleted'> {
      return sequelize.transaction(async (transaction) => {
        const member = await lockMember(workspaceId, userId, transaction);
        if (!member) return 'not-found';
        const u = member.user;
        if (member.onlyAdmin) return 'last-admin';
        await endAccess(u.id, transaction); // keys first: deleting the user only nulls their created_by
        await u.destroy({ transaction });
        return 'deleted';
      });
    },

    /** Moves an existing account into the workspace with the role an invitation gave (one workspace per account). */
    async moveUser(
      userId: string,
      workspaceId: string,
      role: Role,
      transaction: Transaction,
    ): Promise<'moved' | 'last-admin'> {
      const u = await User.findByPk(userId, { transaction, lock: transaction.LOCK.UPDATE });
      if (!u) throw new Error(`User ${userId} vanished`);
      if (u.workspaceId !== workspaceId && u.role === 'admin' && !u.disabledAt) {
        const admins = await activeAdmins(u.workspaceId, transaction);
        if (admins.length === 1) return 'last-admin';
      }
      await u.update({ workspaceId, role }, { transaction });
      await endAccess(u.id, transaction);
      return 'moved';
    },

    async listSessions(userId: string): Promise<SessionRecord[]> {
      const rows = await Session.findAll({
        where: { userId, expiresAt: { [Op.gt]: new Date() } },
        order: [['createdAt', 'DESC']],
      });
      return rows.map((s) => ({
        id: s.publicId,
        createdAt: s.createdAt.toISOString(),
        lastSeenAt: iso(s.lastSeenAt),
        expiresAt: s.expiresAt.toISOString(),
        userAgent: s.userAgent ?? null,
        ip: s.ip ?? null,
      }));
    },
    async revokeSession(userId: string, publicId: string): Promise<boolean> {
      return (await Session.destroy({ where: { userId, publicId } })) > 0;
    },
    /** Every session of the user but one (after a password change or 2FA change). */
    async revokeOtherSessions(userId: string, keepPublicId?: string): Promise<number> {
      const where = keepPublicId ? { userId, publicId: { [Op.ne]: keepPublicId } } : { userId };
      return Session.destroy({ where });
    },

    async createInvitation(fields: {
      workspaceId: string;
      email: string;
      role: Role;
      tokenHash: string;
      invitedBy: string | null;
      expiresAt: Date;
      id: string;
    }): Promise<InvitationRecord> {
      return invitation(await Invitation.create({ ...fields, email: fields.email.toLowerCase() }));
    },
    async getInvitation(id: string): Promise<InvitationRecord | null> {
      const i = await Invitation.findByPk(id);
      return i ? invitation(i) : null;
    },
    async listInvitations(workspaceId: string): Promise<InvitationRecord[]> {
      const rows = await Invitation.findAll({ where: { workspaceId }, order: [['createdAt', 'DESC']], limit: 200 });
      return rows.map(invitation);
    },
    async revokeInvitation(workspaceId: string, id: string): Promise<boolean> {
      const [count] = await Invitation.update(
        { revokedAt: new Date() },
        { where: { id, workspaceId, revokedAt: null, acceptedAt: null } },
      );
      return count > 0;
    },
    /**
     * Takes a pending invitation by its token hash inside `work`, which gets the invitation and a transaction. The
     * row is locked and marked accepted in the same transaction, so a token is used once even under concurrency.
     */
    async acceptInvitation<T>(
      tokenHash: string,
      work: (i: InvitationRecord, transaction: Transaction) => Promise<{ userId: string; result: T }>,
    ): Promise<{ outcome: 'invalid' } | { outcome: 'accepted'; result: T }> {
      return sequelize.transaction(async (transaction) => {
        const row = await Invitation.findOne({ where: { tokenHash }, transaction, lock: transaction.LOCK.UPDATE });
        if (!row || row.acceptedAt || row.revokedAt || row.expiresAt.getTime() <= Date.now())
          return { outcome: 'invalid' as const };
        const { userId, result } = await work(invitation(row), transaction);
        await row.update({ acceptedAt: new Date(), acceptedBy: userId }, { transaction });
        return { outcome: 'accepted' as const, result };
      });
    },

    /** Idempotent on `id` (the request's id): a retried activity finds the row it wrote. */
    async createPasswordReset(fields: { id: string; userId: string; tokenHash: string; expiresAt: Date }) {
      await PasswordReset.findOrCreate({ where: { id: fields.id }, defaults: fields });
    },
    async getPasswordReset(id: string) {
      const r = await PasswordReset.findByPk(id);
      return r ? { id: r.id, userId: r.userId, expiresAt: r.expiresAt, usedAt: r.usedAt ?? null } : null;
    },
    /** Uses a reset token once: marks it used, sets the password, ends every session. */
    async usePasswordReset(tokenHash: string, passwordHash: string): Promise<string | null> {
      return sequelize.transaction(async (transaction) => {
        const r = await PasswordReset.findOne({ where: { tokenHash }, transaction, lock: transaction.LOCK.UPDATE });
        if (!r || r.usedAt || r.expiresAt.getTime() <= Date.now()) return null;
        const u = await User.findByPk(r.userId, { transaction });
        if (!u || u.disabledAt) return null;
        await r.update({ usedAt: new Date() }, { transaction });
        await u.update({ passwordHash }, { transaction });
        await Session.destroy({ where: { userId: u.id }, transaction });
        // Other outstanding links of this user die with the password they were meant to replace.
        await PasswordReset.update({ usedAt: new Date() }, { where: { userId: u.id, usedAt: null }, transaction });
        return u.id;
      });
    },

    /** Accepts a TOTP time step once: true only when it is later than every step accepted before. */
    async claimTotpStep(userId: string, step: number): Promise<boolean> {
      const [count] = await User.update(
        { totpLastStep: String(step) },
        {
          where: {
            id: userId,
            [Op.or]: [{ totpLastStep: null }, { totpLastStep: { [Op.lt]: String(step) } }],
          },
        },
      );
      return count > 0;
    },

    async setTotpSecret(userId: string, sealed: string | null): Promise<void> {
      await User.update({ totpSecret: sealed, totpEnabledAt: null, totpLastStep: null }, { where: { id: userId } });
      await RecoveryCode.destroy({ where: { userId } });
    },
    async getTotp(userId: string): Promise<{ sealed: string | null; enabledAt: Date | null } | null> {
      const u = await User.findByPk(userId);
      return u ? { sealed: u.totpSecret ?? null, enabledAt: u.totpEnabledAt ?? null } : null;
    },
    async enableTotp(userId: string, codeHashes: string[]): Promise<void> {
      await sequelize.transaction(async (transaction) => {
        await RecoveryCode.destroy({ where: { userId }, transaction });
        await RecoveryCode.bulkCreate(
          codeHashes.map((codeHash) => ({ userId, codeHash })),
          { transaction },
        );
        await User.update({ totpEnabledAt: new Date() }, { where: { id: userId }, transaction });
      });
    },
    async disableTotp(userId: string): Promise<void> {
      await sequelize.transaction(async (transaction) => {
        await RecoveryCode.destroy({ where: { userId }, transaction });
        await User.update({ totpSecret: null, totpEnabledAt: null }, { where: { id: userId }, transaction });
      });
    },
    /** Spends a recovery code: true once per code. */
    async useRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
      const [count] = await RecoveryCode.update({ usedAt: new Date() }, { where: { userId, codeHash, usedAt: null } });
      return count > 0;
    },
    async countRecoveryCodes(userId: string): Promise<number> {
      return RecoveryCode.count({ where: { userId, usedAt: null } });
    },

    /**
     * Deletes what can no longer be used: expired sessions, expired or used reset tokens, and invitations that
     * expired, were revoked or accepted more than `keepDays` ago (kept that long so admins see what happened).
     */
    async purgeExpired(now: Date, keepDays = 7) {
      const cutoff = new Date(now.getTime() - keepDays * 86_400_000);
      const sessions = await Session.destroy({ where: { expiresAt: { [Op.lte]: now } } });
      const passwordResets = await PasswordReset.destroy({
        where: { [Op.or]: [{ expiresAt: { [Op.lte]: now } }, { usedAt: { [Op.ne]: null } }] },
      });
      const invitations = await Invitation.destroy({
        where: {
          [Op.or]: [
            { expiresAt: { [Op.lte]: cutoff } },
            { acceptedAt: { [Op.lte]: cutoff } },
            { revokedAt: { [Op.lte]: cutoff } },
          ],
        },
      });
      return { sessions, passwordResets, invitations };
    },
  };
}

export type AccountLifecycleRepository = ReturnType<typeof createAccountLifecycleRepository>;
