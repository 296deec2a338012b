/**
 * Tokens of emailed links (invitations, password resets). A token is derived, not stored: HMAC-SHA256 of the
 * row's id under a key derived from the current secrets key (SECRETS_KEYS, lib/secrets). The database keeps only SHA-256 of the token, and workflow history only the
 * row's id, so neither a database dump nor a history export holds a usable link; and the activity that sends the
 * email derives the same token on every retry, so a resent email is byte-identical (same idempotency fingerprint).
 */
import { createHash, createHmac } from 'node:crypto';
import { loadSecretKeys, type SecretKeySource } from './secrets';

export type AccountTokenKind = 'invitation' | 'password-reset';

/**
 * The links' HMAC key: a subkey of the first (sealing) key of SECRETS_KEYS, so no extra secret to configure and the
 * encryption key itself is never used for anything else. Rotating SECRETS_KEYS invalidates links not yet used.
 */
export function accountTokenKey(config: SecretKeySource): Buffer {
  const [current] = loadSecretKeys(config);
  return createHmac('sha256', current.key).update('studioflow/account-link-tokens/v1').digest();
}

export function deriveAccountToken(secret: Buffer, kind: AccountTokenKind, id: string): string {
  return createHmac('sha256', secret).update(`studioflow/${kind}/${id}`).digest('base64url');
}

/** What the database stores and looks a presented token up by. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Links open the public UI pages; the token rides in the fragment, which browsers never send to a server. */
export function accountLink(publicUrl: string, kind: AccountTokenKind, token: string): string {
  const page = kind === 'invitation' ? 'accept-invitation' : 'reset-password';
  return `${publicUrl}/#/${page}/${token}`;
}
