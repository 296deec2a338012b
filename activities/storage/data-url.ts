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
/**
 * The brand with its logo inlined for a template: the stored logo (`logoKey`) read now, at render time, rather than
 * carried through workflow history as a data URL. Runs recorded before logos travelled by key carry `logoDataUrl`
 * already; it is kept.
 */
export async function withLogoDataUrl<B extends { logoKey?: string | null; logoDataUrl?: string | null }>(
  storage: FileStorage,
  brand: B,
  maxBytes: number,
): Promise<B> {
  if (brand.logoDataUrl || !brand.logoKey) return brand;
  return { ...brand, logoDataUrl: await imageDataUrl(storage, brand.logoKey, maxBytes) };
}

export async function imageDataUrl(storage: FileStorage, key: string | null, maxBytes: number): Promise<string | null> {
  if (!key) return null;
  const type = IMAGE_TYPES[key.split('.').pop()?.toLowerCase() ?? ''];
  const data = type ? await storage.get(key) : null;
  if (!type || !data || data.byteLength > maxBytes) return null;
  return `data:${type};base64,${data.toString('base64')}`;
}
