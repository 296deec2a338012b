import type { BrandFields, BrandRecord, BrandRepository } from '../../db/repositories/brand.repository';
import type { PostRepository } from '../../db/repositories/post.repository';
import { logger } from '../../lib/logger';
import type { FileStorage } from '../../activities/storage';
import { z } from 'zod';
import { cursorInstant, decodeCursor, encodeCursor } from '../../lib/cursor';
import { NotFoundError, PayloadTooLargeError, ValidationError } from '../../lib/errors';
import { channelUrls } from '../../lib/channel-urls';
import { MAX_LOGO_BYTES } from '../../lib/brand-logo';

export type BrandView = BrandRecord & { channelUrl: string; feedUrl: string; logoUrl: string | null };

/** Logo formats a browser and Chromium both show; the file travels into reports inline, so it stays small. */
export const LOGO_TYPES: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
};
export { MAX_LOGO_BYTES };

export function createBrandService(
  brands: BrandRepository,
  posts: PostRepository,
  publicUrl: string,
  storage: FileStorage,
) {
  const view = (b: BrandRecord): BrandView => {
    const urls = channelUrls(publicUrl, b.slug);
    const logoUrl = b.logoKey ? `/api/v1/brands/${b.id}/logo?v=${encodeURIComponent(b.updatedAt)}` : null;
    return { ...b, channelUrl: urls.channel, feedUrl: urls.atom, logoUrl };
  };
  // Newest first: the position is the last item's (createdAt, id).
  const cursorOf = (b: BrandRecord) => encodeCursor('brands', { createdAt: b.createdAt, id: b.id });
  const parseCursor = (cursor: string) =>
    decodeCursor('brands', z.object({ createdAt: cursorInstant, id: z.uuid() }).strict(), cursor);

  return {
    async create(workspaceId: string, fields: BrandFields) {
      return view(await brands.create(workspaceId, fields));
    },
    async get(workspaceId: string, id: string) {
      const brand = await brands.get(workspaceId, id);
      if (!brand) throw new NotFoundError(`Brand ${id} not found`);
      return view(brand);
    },
    async list(workspaceId: string, options: { limit: number; cursor?: string }) {
      const page = await brands.list(workspaceId, {
        limit: options.limit,
        cursor: options.cursor ? parseCursor(options.cursor) : undefined,
      });
      const last = page.items[page.items.length - 1];
      return { items: page.items.map(view), nextCursor: page.hasMore && last ? cursorOf(last) : null };
    },
    async update(workspaceId: string, id: string, fields: Partial<BrandFields>) {
      const brand = await brands.update(workspaceId, id, fields);
      if (!brand) throw new NotFoundError(`Brand ${id} not found`);
      return view(brand);
    },
    async setLogo(workspaceId: string, id: string, data: Buffer, contentType: string | undefined) {
      const brand = await brands.get(workspaceId, id);
      if (!brand) throw new NotFoundError(`Brand ${id} not found`);
      const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
      const ext = LOGO_TYPES[type];
      if (!ext)
        throw new ValidationError('The logo must be a PNG, JPEG, WebP or SVG image', {
          errors: [{ field: 'body', message: `unsupported type ${type || '(none)'}` }],
        });
      if (data.byteLength === 0)
        throw new ValidationError('The logo is empty', { errors: [{ field: 'body', message: 'empty' }] });
      if (data.byteLength > MAX_LOGO_BYTES)
        throw new PayloadTooLargeError(`The logo is larger than ${MAX_LOGO_BYTES} bytes`);
      const key = `brands/${id}/logo.${ext}`;
      await storage.put(key, data, type);
      if (brand.logoKey && brand.logoKey !== key) await storage.delete(brand.logoKey);
      return view((await brands.update(workspaceId, id, { logoKey: key }))!);
    },

    async logo(workspaceId: string, id: string) {
      const brand = await brands.get(workspaceId, id);
      if (!brand) throw new NotFoundError(`Brand ${id} not found`);
      const data = brand.logoKey ? await storage.get(brand.logoKey) : null;
      if (!brand.logoKey || !data) throw new NotFoundError('The brand has no logo');
      const ext = brand.logoKey.split('.').pop()!;
      const type = Object.entries(LOGO_TYPES).find(([, e]) => e === ext)?.[0] ?? 'application/octet-stream';
      return { data, type };
    },

    async removeLogo(workspaceId: string, id: string) {
      const brand = await brands.get(workspaceId, id);
      if (!brand) throw new NotFoundError(`Brand ${id} not found`);
      if (brand.logoKey) {
        await brands.update(workspaceId, id, { logoKey: null });
        await storage.delete(brand.logoKey);
      }
    },

    async exists(workspaceId: string, id: string) {
      return (await brands.get(workspaceId, id)) !== null;
    },

    /**
     * Deletes the brand (its channel and posts go with it) and then the files its posts made public, so nothing of a
     * deleted brand stays reachable by URL. A file that cannot be deleted is logged and left for an operator.
     */
    async remove(workspaceId: string, id: string) {
      const brand = await brands.get(workspaceId, id);
      if (!brand) throw new NotFoundError(`Brand ${id} not found`);
      const keys = await posts.fileKeysOfBrand(id);
      if (brand.logoKey) keys.push(brand.logoKey);
      if (!(await brands.remove(workspaceId, id))) throw new NotFoundError(`Brand ${id} not found`);
      const results = await Promise.allSettled(keys.map((key) => storage.delete(key)));
      results.forEach((result, i) => {
        if (result.status === 'rejected')
          logger('brands').error('A deleted brand file could not be removed', { key: keys[i], err: result.reason });
      });
    },
  };
}

export type BrandService = ReturnType<typeof createBrandService>;
