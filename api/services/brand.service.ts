import type { BrandFields, BrandRecord, BrandRepository } from '../../db/repositories/brand.repository';
import { NotFoundError, ValidationError } from '../../lib/errors';
import { channelUrls } from '../../activities/social/social.activities';

export type BrandView = BrandRecord & { channelUrl: string; feedUrl: string };

export function createBrandService(brands: BrandRepository, publicUrl: string) {
  const view = (b: BrandRecord): BrandView => {
    const urls = channelUrls(publicUrl, b.slug);
    return { ...b, channelUrl: urls.channel, feedUrl: urls.atom };
  };
  const cursorOf = (b: BrandRecord) => Buffer.from(`${b.createdAt}|${b.id}`).toString('base64url');
  const parseCursor = (cursor: string) => {
    const [createdAt, id] = Buffer.from(cursor, 'base64url').toString().split('|');
    if (!createdAt || !id || Number.isNaN(Date.parse(createdAt))) {
      throw new ValidationError('cursor is not valid', {
        errors: [{ field: 'cursor', message: 'not a cursor from this API' }],
      });
    }
    return { createdAt, id };
  };

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
    async remove(workspaceId: string, id: string) {
      if (!(await brands.remove(workspaceId, id))) throw new NotFoundError(`Brand ${id} not found`);
    },
  };
}

export type BrandService = ReturnType<typeof createBrandService>;
