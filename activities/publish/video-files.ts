/**
 * Reading the rendered video for publishing and copying it (with its poster and subtitles) under `posts/…`, the only
 * stored files the API serves to anyone (`PUBLIC_FILE_PREFIXES`, lib/file-keys.ts).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { FileStorage } from '../storage';
import type { RenderedVideo } from '../../lib/video/types';
import { failure } from '../../lib/failures';

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.vtt': 'text/vtt',
  '.srt': 'application/x-subrip',
};

export const contentTypeOf = (key: string): string =>
  CONTENT_TYPES[path.posix.extname(key).toLowerCase()] ?? 'application/octet-stream';

/** The rendered MP4, proven to be what was rendered (size and SHA-256). */
export async function readRenderedVideo(storage: FileStorage, video: RenderedVideo): Promise<Buffer> {
  const data = await storage.get(video.video.key);
  if (!data) throw failure('NotFound', `The rendered video ${video.video.key} is missing`);
  const sha256 = createHash('sha256').update(data).digest('hex');
  if (data.byteLength !== video.video.bytes || sha256 !== video.video.sha256) {
    throw failure(
      'InvalidInput',
      `The stored video ${video.video.key} is not the one rendered (${data.byteLength} bytes, sha256 ${sha256.slice(0, 12)}…)`,
    );
  }
  return data;
}

/**
 * Copies `from` to `to` unless `to` is already there (puts are atomic, so a present file is complete): a retry after
 * a crash copies only what is missing. `data` skips reading `from` again when the caller has it.
 */
export async function copyOnce(storage: FileStorage, from: string, to: string, data?: Buffer): Promise<void> {
  if (await storage.exists(to)) return;
  const content = data ?? (await storage.get(from));
  if (!content) throw failure('NotFound', `The rendered file ${from} is missing`);
  await storage.put(to, content, contentTypeOf(to));
}

/** The public keys of a video post's files: `posts/<postId>/video.mp4`, `thumbnail.<ext>`, `subtitles.vtt`. */
export function publicVideoKeys(folder: string, video: RenderedVideo) {
  const thumbnailExt = path.posix.extname(video.thumbnail.key).toLowerCase() || '.jpg';
  return {
    video: `posts/${folder}/video.mp4`,
    thumbnail: `posts/${folder}/thumbnail${thumbnailExt}`,
    subtitles: `posts/${folder}/subtitles.vtt`,
  };
}
