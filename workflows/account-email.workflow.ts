/**
 * Account emails (invitations, password resets) and the account maintenance run. Only row ids and addresses enter
 * history: the activity derives each link's token from the id and sends the email itself (lib/account-tokens.ts).
 */
import { activitiesOn } from './activities-on';
import * as presets from './activity-options';

const { sendAccountEmail } = activitiesOn('main', presets.mail);
const { issuePasswordReset, purgeExpiredAccountData } = activitiesOn('main', presets.quick);

export interface AccountEmailInput {
  kind: 'invitation' | 'password-reset';
  /** The invitation's or the reset's id. */
  id: string;
}

/** Sends one invitation or reset email; a retried or replayed run sends it at most as the mail activity allows. */
export async function accountEmailWorkflow(input: AccountEmailInput) {
  return sendAccountEmail(input);
}

export interface PasswordResetInput {
  requestId: string;
  email: string;
}

/** Issues a reset for the address if it has an account, then mails the link; for an unknown address, nothing. */
export async function passwordResetWorkflow(input: PasswordResetInput) {
  const issued = await issuePasswordReset(input);
  if (!issued) return { sent: false as const };
  return sendAccountEmail({ kind: 'password-reset', id: input.requestId });
}

/** Started by the account maintenance Schedule (api/maintenance-schedule.ts). */
export async function accountMaintenanceWorkflow() {
  return purgeExpiredAccountData();
}
