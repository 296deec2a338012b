/**
 * Where the keys come from. `SECRETS_KEYS` = `id:base64key,id:base64key` (first one seals, all open).
 * In development and tests without it, one key is generated once into DATA_DIR/secrets.keys (mode 0600);
 * production refuses to start without it (lib/config.ts says so at boot).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KEY_ID, SecretBoxError, type SecretKey, type SecretKeys } from './secret-box';

export const KEYS_FILE = 'secrets.keys';

/** Parses `id:base64key,…`; the messages name the entry by position, never echo key material. */
export function parseSecretKeys(spec: string): SecretKey[] {
  const entries = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const keys = entries.map((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    if (!KEY_ID.test(id))
      throw new SecretBoxError(`entry ${index + 1} must be id:base64key with an id of letters, digits, "_" or "-"`);
    const material = entry.slice(colon + 1);
    const key = Buffer.from(material, /[-_]/.test(material) ? 'base64url' : 'base64');
    if (key.length !== 32) throw new SecretBoxError(`key "${id}" must be 32 bytes of base64 (openssl rand -base64 32)`);
    return { id, key };
  });
  if (keys.length === 0) throw new SecretBoxError('no key given');
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new SecretBoxError('key ids must be unique');
  return keys;
}

/** A new key entry, `id:base64key`, for SECRETS_KEYS or the development key file. */
export function generateKeyEntry(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

export interface SecretKeySource {
  env: 'development' | 'test' | 'production';
  dataDir: string;
  secrets: { keys?: string };
}

/** The keys from configuration, or the development key file (created on first use). */
export function loadSecretKeys(config: SecretKeySource): SecretKeys {
  if (config.secrets.keys) return parseSecretKeys(config.secrets.keys);
  if (config.env === 'production')
    throw new SecretBoxError('SECRETS_KEYS is required in production (id:base64key, see docs/deployment.md)');
  const file = path.join(config.dataDir, KEYS_FILE);
  fs.mkdirSync(config.dataDir, { recursive: true });
  if (!fs.existsSync(file)) {
    // Written aside, then linked into place: link fails if another process won the race, and then both read
    // the same key; nobody ever reads a half-written file.
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(tmp, `${generateKeyEntry('dev')}\n`, { flag: 'wx', mode: 0o600 });
    try {
      fs.linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.unlinkSync(tmp);
    }
  }
  // A copied or restored file may have lost its mode: the key is for this user only.
  if (fs.statSync(file).mode & 0o077) fs.chmodSync(file, 0o600);
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!text) throw new SecretBoxError(`${file} is empty; delete it only if nothing was sealed with it`);
  return parseSecretKeys(text);
}
