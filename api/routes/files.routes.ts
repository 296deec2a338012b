/**
 * Stored files by key. Public media (`posts/`, `videos/`) at `/files/<key>` for anyone; drafts
 * (`drafts/<workspaceId>/…`) at `/api/v1/files/<key>` for members of that workspace only, so a post's image is not
 * public before it is approved (issue 8). Keys are validated against traversal; local files keep range requests
 * (video seeking); remote storage (S3) is proxied, so file URLs are the same whatever the provider.
 */
import path from 'node:path';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { assertValidStorageKey, resolveStoragePath } from '../../activities/storage';
import type { FileStorage } from '../../activities/storage/file-storage.port';
import { draftWorkspaceOf, isPublicFileKey } from '../../lib/file-keys';
import { NotFoundError } from '../../lib/errors';
import { principalOf } from '../middleware/auth';

interface FileRouteOptions {
  storage: FileStorage;
  /** Folder of the local provider. */
  filesDir: string;
}

const keyOf = (req: Request) => (req.params as { key: string[] }).key.join('/');

async function sendStoredFile(
  options: FileRouteOptions,
  key: string,
  cache: string,
  res: Response,
  next: NextFunction,
): Promise<void> {
  const { storage } = options;
  if (storage.name !== 'local') {
    try {
      assertValidStorageKey(key);
    } catch {
      throw new NotFoundError('No such file');
    }
    const data = await storage.get(key);
    if (!data) throw new NotFoundError('No such file');
    res
      .type(path.extname(key) || 'application/octet-stream')
      .set('Cache-Control', cache)
      .send(data);
    return;
  }
  let file: string;
  try {
    file = resolveStoragePath(options.filesDir, key);
  } catch {
    throw new NotFoundError('No such file');
  }
  res.set('Cache-Control', cache);
  res.sendFile(file, { dotfiles: 'deny', cacheControl: false }, (err) => {
    if (err)
      next(
        (err as NodeJS.ErrnoException).code === 'ENOENT' || (err as { status?: number }).status === 404
          ? new NotFoundError('No such file')
          : err,
      );
  });
}

/** `/files/<key>`: published media, for anyone. */
export function publicFilesRouter(options: FileRouteOptions): Router {
  const router = Router();
  router.get('/files/*key', async (req, res, next) => {
    const key = keyOf(req);
    if (!isPublicFileKey(key)) throw new NotFoundError('No such file');
    await sendStoredFile(options, key, 'public, max-age=3600', res, next);
  });
  return router;
}

/** `/api/v1/files/<key>` (after authentication): a workspace's drafts, for its members. */
export function draftFilesRouter(options: FileRouteOptions): Router {
  const router = Router();
  router.get('/files/*key', async (req, res, next) => {
    const key = keyOf(req);
    // Another workspace's draft answers exactly like a missing file.
    if (draftWorkspaceOf(key) !== principalOf(res).workspaceId) throw new NotFoundError('No such file');
    await sendStoredFile(options, key, 'private, no-store', res, next);
  });
  return router;
}
