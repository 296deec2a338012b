import type { FileStorage } from './file-storage.port';

const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  svg: 'image/svg+xml',
};

/**
 * A stored image as a `data:` URL, for templates that render without network access (report covers, video frames).
 * Null when there is no key, the file is missing, its extension is not an image, or it is larger than `maxBytes`
 * (it travels inside workflow payloads).
 */
export async function imageDataUrl(storage: FileStorage, key: string | null, maxBytes: number): Promise<string | null> {
  if (!key) return null;
  const type = IMAGE_TYPES[key.split('.').pop()?.toLowerCase() ?? ''];
  const data = type ? await storage.get(key) : null;
  if (!type || !data || data.byteLength > maxBytes) return null;
  return `data:${type};base64,${data.toString('base64')}`;
}
