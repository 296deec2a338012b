/**
 * Account activities: issue a password reset, send an invitation or reset email, purge what expired. The email's
 * token is derived from the row id here (lib/account-tokens.ts) and never returned, so it stays out of history.
 * Sending goes through the mail activity's `sendEmail` (called in this activity's context), keyed by the row, so a
 * retry after a crash resends the same message at most (docs/mail.md) and a finished send is never repeated.
 */
import { log } from '@temporalio/activity';
import type { AccountRepository } from '../../db/repositories/account.repository';
import type { AccountLifecycleRepository } from '../../db/repositories/account-lifecycle.repository';
import { accountLink, deriveAccountToken, hashToken, type AccountTokenKind } from '../../lib/account-tokens';
import { cleanPublicLine, escapeHtml } from '../../lib/html';
import type { MailActivities } from '../mail';
import { failure } from '../../lib/failures';

export interface AccountActivityDeps {
  accounts: AccountRepository;
  lifecycle: AccountLifecycleRepository;
  sendEmail: MailActivities['sendEmail'];
  /** The links' HMAC key (lib/account-tokens.ts `accountTokenKey`). */
  tokenKey: () => Buffer;
  publicUrl: string;
  passwordResetTtlMinutes: number;
}

interface Email {
  to: string;
  subject: string;
  lines: string[];
  link: string;
  action: string;
}

function render(email: Email) {
  const text = [...email.lines, '', `${email.action}: ${email.link}`, ''].join('\n');
  const html =
    email.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n') +
    `\n<p><a href="${escapeHtml(email.link)}">${escapeHtml(email.action)}</a></p>`;
  return { to: [email.to], subject: cleanPublicLine(email.subject), text, html };
}

export function createAccountActivities(deps: AccountActivityDeps) {
  const link = (kind: AccountTokenKind, id: string) =>
    accountLink(deps.publicUrl, kind, deriveAccountToken(deps.tokenKey(), kind, id));

  async function invitationEmail(id: string): Promise<Email | string> {
    const invitation = await deps.lifecycle.getInvitation(id);
    if (!invitation) return 'the invitation no longer exists';
    if (invitation.status !== 'pending') return `the invitation is ${invitation.status}`;
    const workspace = await deps.accounts.getWorkspace(invitation.workspaceId);
    const inviter = invitation.invitedBy ? await deps.accounts.getUser(invitation.invitedBy) : null;
    const workspaceName = cleanPublicLine(workspace?.name ?? 'a workspace');
    return {
      to: invitation.email,
      subject: `You are invited to ${workspaceName} on Studioflow`,
      lines: [
        `${cleanPublicLine(inviter?.name ?? 'An admin')} invited you to join ${workspaceName} on Studioflow as ${invitation.role}.`,
        `The invitation expires at ${invitation.expiresAt} (UTC). If you did not expect it, ignore this email.`,
      ],
      link: link('invitation', id),
      action: 'Accept the invitation',
    };
  }

  async function resetEmail(id: string): Promise<Email | string> {
    const reset = await deps.lifecycle.getPasswordReset(id);
    if (!reset) return 'the reset no longer exists';
    if (reset.usedAt) return 'the reset was used';
    if (reset.expiresAt.getTime() <= Date.now()) return 'the reset expired';
    const user = await deps.accounts.getUser(reset.userId);
    if (!user || user.disabledAt) return 'the account is gone or disabled';
    return {
      to: user.email,
      subject: 'Reset your Studioflow password',
      lines: [
        'Someone (we hope you) asked to reset the password of this Studioflow account.',
        `The link works once and expires at ${reset.expiresAt.toISOString()} (UTC). If you did not ask, ignore this email: your password stays as it is.`,
      ],
      link: link('password-reset', id),
      action: 'Choose a new password',
    };
  }

  return {
    /**
     * Records a reset for the address when it has an active account. Idempotent on `requestId` (the row's id), so a
     * retry finds the row it wrote. Returns whether there is an email to send.
     */
    async issuePasswordReset(input: { requestId: string; email: string }): Promise<boolean> {
      const user = await deps.accounts.findUserByEmail(input.email);
      if (!user || user.disabledAt) return false;
      await deps.lifecycle.createPasswordReset({
        id: input.requestId,
        userId: user.id,
        tokenHash: hashToken(deriveAccountToken(deps.tokenKey(), 'password-reset', input.requestId)),
        expiresAt: new Date(Date.now() + deps.passwordResetTtlMinutes * 60_000),
      });
      return true;
    },

    /** Sends the invitation or reset email for a row; a row that can no longer be used is skipped, not failed. */
    async sendAccountEmail(input: { kind: AccountTokenKind; id: string }) {
      if (input.kind !== 'invitation' && input.kind !== 'password-reset')
        throw failure('InvalidInput', `Unknown account email ${String(input.kind)}`);
      const email = input.kind === 'invitation' ? await invitationEmail(input.id) : await resetEmail(input.id);
      if (typeof email === 'string') {
        log.info('Account email not sent', { kind: input.kind, id: input.id, reason: email });
        return { sent: false as const, reason: email };
      }
      const sent = await deps.sendEmail({
        idempotencyKey: `account-email/${input.kind}/${input.id}`,
        ...render(email),
      });
      return { sent: true as const, messageId: sent.messageId, deduplicated: sent.deduplicated };
    },

    /** The maintenance schedule's one step. */
    async purgeExpiredAccountData() {
      const purged = await deps.lifecycle.purgeExpired(new Date());
      log.info('Purged expired account data', purged);
      return purged;
    },
  };
}

export type AccountActivities = ReturnType<typeof createAccountActivities>;
