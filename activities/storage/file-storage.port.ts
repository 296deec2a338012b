import { failure } from '../../lib/failures';

/** What a stored file looks like to the rest of the product: enough to link it and to check it later. */
export interface StoredFile {
  key: string;
  url: string;
  bytes: number;
  contentType: string;
  /** Hex SHA-256 of the content, so a publish step can prove it sends what was rendered. */
  sha256: string;
}

/**
 * Port for binary files (images, audio, video). Keys are relative POSIX paths such as
 * `brands/<brandId>/posts/<postId>/image.png`; the embedded default is a local folder, S3 is the cloud provider.
 */
export interface FileStorage {
  readonly name: string;
  /** Writes (or overwrites) the whole file; readers never observe a partial write. */
  put(key: string, data: Buffer, contentType: string): Promise<StoredFile>;
  /** The content, or null when there is no file under the key. */
  get(key: string): Promise<Buffer | null>;
  exists(key: string): Promise<boolean>;
  /** Idempotent: deleting a missing file succeeds. */
  delete(key: string): Promise<void>;
  publicUrl(key: string): string;
  /** Connectivity/readiness probe; throws when the storage cannot be written. */
  check(): Promise<void>;
}

const MAX_KEY_LENGTH = 512;
// Control characters would corrupt URLs and logs; the rest of Unicode is allowed.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** Why a key is unacceptable, or null when it is a safe relative POSIX path. */
export function storageKeyProblem(key: unknown): string | null {
  if (typeof key !== 'string' || key.length === 0) return 'must be a non-empty string';
  if (key.length > MAX_KEY_LENGTH) return `must be at most ${MAX_KEY_LENGTH} characters`;
  if (key.includes('\\')) return 'must not contain backslashes';
  if (key.startsWith('/') || /^[a-zA-Z]:/.test(key)) return 'must be relative';
  if (CONTROL_CHARS.test(key)) return 'must not contain control characters';
  const segments = key.split('/');
  if (segments.some((s) => s === '..')) return 'must not contain ".." segments';
  if (segments.some((s) => s === '' || s === '.')) return 'must not contain empty or "." segments';
  return null;
}

export function isValidStorageKey(key: unknown): key is string {
  return storageKeyProblem(key) === null;
}

/** Throws a non-retryable `InvalidInput` failure: retrying a bad key can never succeed. */
export function assertValidStorageKey(key: unknown): asserts key is string {
  const problem = storageKeyProblem(key);
  if (problem !== null) {
    throw failure('InvalidInput', `Invalid storage key ${JSON.stringify(key)}: ${problem}`);
  }
}
