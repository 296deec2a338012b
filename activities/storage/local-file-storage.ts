import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { assertValidStorageKey, type FileStorage, type StoredFile } from './file-storage.port';
import { filePath } from '../../lib/file-keys';
import { failure } from '../../lib/failures';

export interface LocalFileStorageOptions {
  /** Folder that holds every file; the API serves it at `/files`. */
  rootDir: string;
  /** Public origin of the API, e.g. `http://localhost:3000` (a trailing slash is ignored). */
  publicBaseUrl: string;
}

/**
 * Absolute path of `key` under `rootDir`. Throws `InvalidInput` for keys that could escape the root,
 * so the API's static route can use it directly on untrusted input.
 */
export function resolveStoragePath(rootDir: string, key: string): string {
  assertValidStorageKey(key);
  const root = path.resolve(rootDir);
  const full = path.resolve(root, ...key.split('/'));
  const relative = path.relative(root, full);
  // Belt and braces after key validation: the resolved path must stay strictly inside the root.
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw failure('InvalidInput', `Storage key ${JSON.stringify(key)} escapes the storage root`);
  }
  return full;
}

/**
 * The browser-facing URL of a stored file, whatever the provider: the API serves public keys at
 * `<publicBaseUrl>/files/<key>` and drafts to their workspace at `<publicBaseUrl>/api/v1/files/<key>` (from the
 * folder, or proxied from object storage), each segment URL-encoded. See lib/file-keys.ts.
 */
export function filesPublicUrl(publicBaseUrl: string, key: string): string {
  assertValidStorageKey(key);
  const baseUrl = publicBaseUrl.replace(/\/+$/, '');
  return `${baseUrl}${filePath(key)}${key.split('/').map(encodeURIComponent).join('/')}`;
}

export function createLocalFileStorage({ rootDir, publicBaseUrl }: LocalFileStorageOptions): FileStorage {
  const root = path.resolve(rootDir);
  const publicUrl = (key: string): string => filesPublicUrl(publicBaseUrl, key);

  return {
    name: 'local',

    async put(key, data, contentType) {
      const target = resolveStoragePath(root, key);
      await writeFileAtomically(target, data);
      const stored: StoredFile = {
        key,
        url: publicUrl(key),
        bytes: data.byteLength,
        contentType,
        sha256: createHash('sha256').update(data).digest('hex'),
      };
      return stored;
    },

    async get(key) {
      try {
        return await fs.readFile(resolveStoragePath(root, key));
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },

    async exists(key) {
      try {
        return (await fs.stat(resolveStoragePath(root, key))).isFile();
      } catch (err) {
        if (isMissing(err)) return false;
        throw err;
      }
    },

    async delete(key) {
      await fs.rm(resolveStoragePath(root, key), { force: true });
    },

    publicUrl,

    async check() {
      await fs.mkdir(root, { recursive: true });
      const probe = path.join(root, `.check-${randomUUID()}`);
      await fs.writeFile(probe, 'ok');
      await fs.rm(probe, { force: true });
    },
  };
}

/**
 * Writes to a temp file in the same folder, flushes it, then renames it over the target. rename() is atomic
 * within one file system, so readers (and a crash) see either the old file or the complete new one.
 */
async function writeFileAtomically(target: string, data: Buffer): Promise<void> {
  const dir = path.dirname(target);
  await fs.mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(target)}.${randomUUID()}.tmp`);
  try {
    const handle = await fs.open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
  await syncDirectory(dir);
}

/** Makes the rename itself durable; some file systems refuse to fsync a directory, which is harmless. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Durability hint only.
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
