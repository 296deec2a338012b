/**
 * Authenticated encryption of secrets kept at rest (webhook secrets, platform tokens, TOTP seeds).
 * AES-256-GCM, a fresh 12-byte IV per value, and the value's place (`table.column:rowId`) as additional
 * data, so a sealed value copied to another row or column no longer opens.
 *
 *   enc:v1:<keyId>:<base64url(iv | ciphertext | tag)>
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface SecretKey {
  /** Short name written into every sealed value, so any configured key can open it later. */
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

/** The first key seals; every key opens. */
export type SecretKeys = readonly SecretKey[];

export interface SecretBox {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
  isSealed(value: string): boolean;
}

/** Thrown when a value cannot be opened; never carries the value itself. */
export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const SEALED = /^enc:v1:([A-Za-z0-9_-]{1,32}):([A-Za-z0-9_-]+)$/;

/** The context of a sealed column value: where it lives, so it cannot be moved. */
export function sealedContext(table: string, column: string, rowId: string): string {
  return `${table}.${column}:${rowId}`;
}

/** The id of the key that sealed `value`, or undefined when it is not sealed. */
export function sealedKeyId(value: string): string | undefined {
  return SEALED.exec(value)?.[1];
}

export function createSecretBox(keys: SecretKeys): SecretBox & { readonly keyId: string } {
  if (keys.length === 0) throw new SecretBoxError('At least one secret key is required');
  const byId = new Map<string, Buffer>();
  for (const { id, key } of keys) {
    if (!KEY_ID.test(id)) throw new SecretBoxError(`Secret key id "${id}" must be 1-32 letters, digits, "_" or "-"`);
    if (key.length !== 32) throw new SecretBoxError(`Secret key "${id}" must be 32 bytes, not ${key.length}`);
    if (byId.has(id)) throw new SecretBoxError(`Secret key id "${id}" appears twice`);
    byId.set(id, Buffer.from(key));
  }
  const current = keys[0];

  return {
    keyId: current.id,
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', byId.get(current.id)!, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const packed = Buffer.concat([iv, body, cipher.getAuthTag()]);
      return `${PREFIX}${current.id}:${packed.toString('base64url')}`;
    },
    open(sealed, context) {
      const m = SEALED.exec(sealed);
      if (!m) throw new SecretBoxError('The value is not sealed');
      const key = byId.get(m[1]);
      if (!key) throw new SecretBoxError(`The value was sealed with key "${m[1]}", which is not configured`);
      const packed = Buffer.from(m[2], 'base64url');
      if (packed.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('The sealed value is truncated');
      const decipher = createDecipheriv('aes-256-gcm', key, packed.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(packed.subarray(packed.length - TAG_BYTES));
      try {
        const body = packed.subarray(IV_BYTES, packed.length - TAG_BYTES);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        // GCM says only "unable to authenticate": a wrong key, a wrong context, or a tampered value.
        throw new SecretBoxError(`The sealed value does not open with key "${m[1]}" in this context`);
      }
    },
    isSealed(value) {
      return SEALED.test(value);
    },
  };
}
