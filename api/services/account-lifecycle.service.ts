/**
 * Account lifecycle use cases (docs/security.md#accounts): sign-up, invitations, members (role, disable, delete),
 * one's own sessions, password reset. Emails are sent by durable workflows that carry only row ids; the link's token
 * is derived from the id (lib/account-tokens.ts), so it never enters workflow history.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import bcrypt from 'bcryptjs';
import { UniqueConstraintError } from 'sequelize';
import type { AccountRepository } from '../../db/repositories/account.repository';
import type { AccountLifecycleRepository } from '../../db/repositories/account-lifecycle.repository';
import { deriveAccountToken, hashToken } from '../../lib/account-tokens';
import { ConflictError, NotFoundError, UnauthorizedError, ValidationError } from '../../lib/errors';
import type { Role } from '../../lib/roles';
import type { accountEmailWorkflow, passwordResetWorkflow } from '../../workflows/account-email.workflow';
import type { AccountService, ClientInfo, Principal } from './account.service';

const BCRYPT_ROUNDS = 10;

export interface AccountLifecycleOptions {
  signupEnabled: boolean;
  invitationTtlHours: number;
  /** The links' HMAC key (lib/account-tokens.ts `accountTokenKey`), read when first needed. */
  tokenKey: () => Buffer;
  taskQueue: string;
}

const emailTaken = (email: string) =>
  new ConflictError(`A user with email ${email} already exists`, {
    errors: [{ field: 'email', message: 'already in use' }],
  });

const invalidToken = (field = 'token') =>
  new ValidationError('This link is invalid, expired or already used; ask for a new one', {
    errors: [{ field, message: 'invalid, expired or already used' }],
  });

export function createAccountLifecycleService(deps: {
  repo: AccountLifecycleRepository;
  accountRepo: AccountRepository;
  accounts: AccountService;
  temporal: Client;
  options: AccountLifecycleOptions;
}) {
  const { repo, accountRepo, accounts, temporal, options } = deps;

  const startInvitationEmail = (id: string) =>
    temporal.workflow.start<typeof accountEmailWorkflow>('accountEmailWorkflow', {
      taskQueue: options.taskQueue,
      workflowId: `account-email/invitation/${id}`,
      args: [{ kind: 'invitation', id }],
    });

  return {
    signupEnabled: () => options.signupEnabled,

    /** Creates a workspace and its admin and logs them in. A disabled sign-up is a 404, as if the route were absent. */
    async signup(input: { workspaceName: string; name: string; email: string; password: string }, client: ClientInfo) {
      if (!options.signupEnabled) throw new NotFoundError('Sign-up is not enabled on this instance');
      let ids: { workspaceId: string; userId: string };
      try {
        ids = await repo.createWorkspaceWithAdmin(input.workspaceName, {
          email: input.email,
          name: input.name,
          passwordHash: await bcrypt.hash(input.password, BCRYPT_ROUNDS),
        });
      } catch (err) {
        if (err instanceof UniqueConstraintError) throw emailTaken(input.email);
        throw err;
      }
      const session = await accounts.startSession(ids.userId, client);
      return {
        ...session,
        user: await accountRepo.getUser(ids.userId),
        workspace: await accountRepo.getWorkspace(ids.workspaceId),
      };
    },

    /**
     * Invites an address with a role. A pending invitation for the same address is revoked first, so inviting again
     * is how an admin resends. The email goes out from a workflow keyed by the invitation id.
     */
    async invite(principal: Principal, input: { email: string; role: Role }) {
      const email = input.email.toLowerCase();
      const existing = await accountRepo.findUserByEmail(email);
      if (existing?.workspaceId === principal.workspaceId)
        throw new ConflictError(`${email} is already a member of this workspace`, {
          errors: [{ field: 'email', message: 'already a member' }],
        });
      for (const pending of await repo.listInvitations(principal.workspaceId))
        if (pending.email === email && pending.status === 'pending')
          await repo.revokeInvitation(principal.workspaceId, pending.id);
      const id = randomUUID();
      const invitation = await repo.createInvitation({
        id,
        workspaceId: principal.workspaceId,
        email,
        role: input.role,
        tokenHash: hashToken(deriveAccountToken(options.tokenKey(), 'invitation', id)),
        invitedBy: principal.kind === 'user' ? principal.id : null,
        expiresAt: new Date(Date.now() + options.invitationTtlHours * 3600_000),
      });
      try {
        await startInvitationEmail(id);
      } catch (err) {
        // No email, no invitation: the admin sees the error and invites again.
        await repo.revokeInvitation(principal.workspaceId, id);
        throw err;
      }
      return invitation;
    },

    listInvitations: (workspaceId: string) => repo.listInvitations(workspaceId),

    async revokeInvitation(workspaceId: string, id: string) {
      if (!(await repo.revokeInvitation(workspaceId, id)))
        throw new NotFoundError(`No pending invitation ${id} in this workspace`);
    },

    /**
     * Accepts an invitation by its token. A new address sets a name and password; an address that already has an
     * account proves it with that account's password and moves into the inviting workspace (one workspace per
     * account). Either way the invitation is used once, in the same transaction, and the invitee is logged in.
     */
    async acceptInvitation(input: { token: string; name?: string; password: string }, client: ClientInfo) {
      const passwordHash = await bcrypt.hash(input.password, BCRYPT_ROUNDS);
      const accepted = await repo.acceptInvitation(hashToken(input.token), async (invitation, transaction) => {
        const existing = await accountRepo.findUserByEmail(invitation.email);
        if (existing) {
          if (existing.disabledAt || !(await bcrypt.compare(input.password, existing.passwordHash)))
            throw new UnauthorizedError(`Enter the current password of ${invitation.email} to join with it`, {
              errors: [{ field: 'password', message: 'not the password of the existing account' }],
            });
          const moved = await repo.moveUser(existing.id, invitation.workspaceId, invitation.role, transaction);
          if (moved === 'last-admin')
            throw new ConflictError('You are the only admin of your current workspace; name another admin first', {
              errors: [{ field: 'token', message: 'the account is the last admin of its workspace' }],
            });
          return { userId: existing.id, result: existing.id };
        }
        if (!input.name)
          throw new ValidationError('A new account needs a name', {
            errors: [{ field: 'name', message: 'required for a new account' }],
          });
        try {
          const userId = await repo.createMember(
            {
              workspaceId: invitation.workspaceId,
              email: invitation.email,
              name: input.name,
              passwordHash,
              role: invitation.role,
            },
            transaction,
          );
          return { userId, result: userId };
        } catch (err) {
          // The address signed up between the lookup and the insert: join with that account instead.
          if (err instanceof UniqueConstraintError) throw emailTaken(invitation.email);
          throw err;
        }
      });
      if (accepted.outcome === 'invalid') throw invalidToken();
      const user = await accountRepo.getUser(accepted.result);
      const session = await accounts.startSession(accepted.result, client);
      return { ...session, user, workspace: user ? await accountRepo.getWorkspace(user.workspaceId) : null };
    },

    async updateMember(workspaceId: string, userId: string, change: { role?: Role; disabled?: boolean }) {
      const outcome = await repo.updateMember(workspaceId, userId, change);
      if (outcome === 'not-found') throw new NotFoundError(`User ${userId} not found`);
      if (outcome === 'last-admin')
        throw new ConflictError('The workspace needs at least one active admin', {
          errors: [{ field: change.role !== undefined ? 'role' : 'disabled', message: 'would leave no active admin' }],
        });
      return accountRepo.getUser(userId);
    },

    async deleteMember(workspaceId: string, userId: string) {
      const outcome = await repo.deleteMember(workspaceId, userId);
      if (outcome === 'not-found') throw new NotFoundError(`User ${userId} not found`);
      if (outcome === 'last-admin')
        throw new ConflictError('The workspace needs at least one active admin', {
          errors: [{ field: 'id', message: 'the last active admin' }],
        });
    },

    async listSessions(principal: Principal) {
      const items = await repo.listSessions(principal.id);
      return items.map((s) => ({ ...s, current: s.id === principal.sessionId }));
    },

    async revokeSession(principal: Principal, id: string) {
      if (!(await repo.revokeSession(principal.id, id))) throw new NotFoundError(`Session ${id} not found`);
    },

    /**
     * Starts the reset workflow whatever the address: the answer and the work done here are the same whether or not
     * an account exists. The workflow's activity looks the address up and sends nothing when there is none.
     */
    async requestPasswordReset(email: string) {
      const requestId = randomUUID();
      await temporal.workflow.start<typeof passwordResetWorkflow>('passwordResetWorkflow', {
        taskQueue: options.taskQueue,
        workflowId: `password-reset/${requestId}`,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        args: [{ requestId, email: email.toLowerCase() }],
      });
    },

    /** Sets a new password with a reset token: once, before it expires; every session of the user ends. */
    async resetPassword(input: { token: string; password: string }) {
      const userId = await repo.usePasswordReset(
        hashToken(input.token),
        await bcrypt.hash(input.password, BCRYPT_ROUNDS),
      );
      if (!userId) throw invalidToken();
    },
  };
}

export type AccountLifecycleService = ReturnType<typeof createAccountLifecycleService>;
