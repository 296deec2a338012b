/**
 * A social post's stored images as the platform clients read them: the PNG's bytes, and public copies under `posts/`
 * (PNG, or JPEG for TikTok) for platforms that pull images themselves. Copies are named by the publication, not by
 * the brand, and made once, so a retry reuses them.
 */
import type { FileStorage } from '../storage';
import { pngToJpeg } from './image-jpeg';
import type { ImageSource } from './platform-client.port';
import { copyOnce } from './video-files';
import { failure } from '../../lib/failures';

export interface PostImageFiles {
  storage: FileStorage;
  ffmpegPath?: string;
  signal: AbortSignal;
}

/** The image at `key`; its public copies are `posts/<folder>/<name>.png|jpg`. */
export async function postImageSource(
  files: PostImageFiles,
  key: string,
  folder: string,
  name: string,
): Promise<ImageSource> {
  const { storage } = files;
  const data = await storage.get(key);
  if (!data) throw failure('NotFound', `The post image ${key} is missing`);
  let publicUrl: string | undefined;
  let publicJpegUrl: string | undefined;
  return {
    data,
    bytes: data.byteLength,
    contentType: 'image/png',
    async publicUrl() {
      if (publicUrl) return publicUrl;
      const copy = `posts/${folder}/${name}.png`;
      await copyOnce(storage, key, copy, data);
      return (publicUrl = storage.publicUrl(copy));
    },
    async publicJpegUrl() {
      if (publicJpegUrl) return publicJpegUrl;
      const copy = `posts/${folder}/${name}.jpg`;
      if (!(await storage.exists(copy)))
        await storage.put(copy, await pngToJpeg(files.ffmpegPath ?? 'ffmpeg', data, files.signal), 'image/jpeg');
      return (publicJpegUrl = storage.publicUrl(copy));
    },
  };
}
