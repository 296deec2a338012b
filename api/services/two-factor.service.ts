/**
 * Optional TOTP two-factor for admins (RFC 6238 via otpauth: SHA-1, 6 digits, 30 s, ±1 step). The secret is sealed
 * with lib/secrets (context `users.totp_secret:<userId>`); recovery codes are random and stored as SHA-256 only.
 * Enrolment is two steps: `enrol` stores a sealed secret and shows it once, `confirm` turns 2FA on when the app's
 * first code matches and returns the recovery codes (shown once).
 */
import { createHash, randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import type { AccountRepository, UserCredentials } from '../../db/repositories/account.repository';
import type { AccountLifecycleRepository } from '../../db/repositories/account-lifecycle.repository';
import { ConflictError, ForbiddenError, UnauthorizedError } from '../../lib/errors';
import { sealedContext, type SecretBox } from '../../lib/secrets';
import type { Principal } from './account.service';

const ISSUER = 'Studioflow';
const RECOVERY_CODES = 10;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

const context = (userId: string) => sealedContext('users', 'totp_secret', userId);
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
/** Dashes, spaces and case do not matter when a code is typed back. */
const normaliseRecovery = (code: string) => code.replace(/[\s-]/g, '').toLowerCase();

function recoveryCode(): string {
  const chars = Array.from(randomBytes(10), (b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

const totpFor = (label: string, base32: string) =>
  new OTPAuth.TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: OTPAuth.Secret.fromBase32(base32),
  });

export function createTwoFactorService(deps: {
  repo: AccountLifecycleRepository;
  accountRepo: AccountRepository;
  /** Opened lazily: a deployment that never enrols needs no key to start. */
  box: () => SecretBox;
}) {
  const { repo, accountRepo } = deps;

  async function currentTotp(userId: string, email: string) {
    const stored = await repo.getTotp(userId);
    if (!stored?.sealed) return null;
    return {
      totp: totpFor(email, deps.box().open(stored.sealed, context(userId))),
      enabled: Boolean(stored.enabledAt),
    };
  }

  /** Valid now (±1 step) and for a step later than any accepted before: a seen code cannot be replayed. */
  async function acceptOnce(userId: string, totp: OTPAuth.TOTP, token: string): Promise<boolean> {
    const delta = totp.validate({ token, window: 1 });
    if (delta === null) return false;
    return repo.claimTotpStep(userId, totp.counter() + delta);
  }

  /** A TOTP code (6 digits) or an unused recovery code, which is spent. */
  async function check(user: { id: string; email: string }, code: string): Promise<boolean> {
    const trimmed = code.trim();
    if (/^\d{6}$/.test(trimmed)) {
      const current = await currentTotp(user.id, user.email);
      return current !== null && acceptOnce(user.id, current.totp, trimmed);
    }
    return repo.useRecoveryCode(user.id, sha256(normaliseRecovery(trimmed)));
  }

  async function userOf(principal: Principal) {
    if (principal.kind !== 'user') throw new ForbiddenError('Two-factor belongs to users; log in to manage it');
    const user = await accountRepo.getUser(principal.id);
    if (!user) throw new UnauthorizedError('Not authenticated');
    return user;
  }

  return {
    /** The log-in check (account.service `secondFactor`). */
    verify: (user: UserCredentials, code: string) => check(user, code),

    async status(principal: Principal) {
      const user = await userOf(principal);
      return {
        enabled: user.twoFactorEnabled,
        recoveryCodesLeft: user.twoFactorEnabled ? await repo.countRecoveryCodes(user.id) : 0,
        available: user.role === 'admin',
      };
    },

    /** Step 1: a new secret, sealed at rest, shown once as an otpauth:// URI (for a QR code) and as base32. */
    async enrol(principal: Principal) {
      const user = await userOf(principal);
      if (user.role !== 'admin') throw new ForbiddenError('Two-factor is for admins');
      if (user.twoFactorEnabled)
        throw new ConflictError('Two-factor is already on; turn it off first to enrol a new device');
      const secret = new OTPAuth.Secret({ size: 20 });
      await repo.setTotpSecret(user.id, deps.box().seal(secret.base32, context(user.id)));
      return { secret: secret.base32, otpauthUri: totpFor(user.email, secret.base32).toString() };
    },

    /** Step 2: the app's first code turns two-factor on; returns the recovery codes, shown once. */
    async confirm(principal: Principal, code: string) {
      const user = await userOf(principal);
      const current = await currentTotp(user.id, user.email);
      if (!current) throw new ConflictError('Enrol first', { errors: [{ field: 'code', message: 'enrol first' }] });
      if (current.enabled) throw new ConflictError('Two-factor is already on');
      if (!(await acceptOnce(user.id, current.totp, code.trim())))
        throw new UnauthorizedError('The code does not match; check the device clock and try the current code', {
          errors: [{ field: 'code', message: 'does not match' }],
        });
      const codes = Array.from({ length: RECOVERY_CODES }, recoveryCode);
      await repo.enableTotp(
        user.id,
        codes.map((c) => sha256(normaliseRecovery(c))),
      );
      return { enabled: true, recoveryCodes: codes };
    },

    /** Turns two-factor off; needs a current code or a recovery code, so a stolen session alone cannot. */
    async disable(principal: Principal, code: string) {
      const user = await userOf(principal);
      if (!user.twoFactorEnabled) throw new ConflictError('Two-factor is not on');
      if (!(await check(user, code)))
        throw new UnauthorizedError('The code is not valid', { errors: [{ field: 'code', message: 'not valid' }] });
      await repo.disableTotp(user.id);
    },
  };
}

export type TwoFactorService = ReturnType<typeof createTwoFactorService>;
