/** Brands and their channels, always scoped to a workspace. Returns plain objects. */
import { UniqueConstraintError } from 'sequelize';
import type { Brand, BrandColors } from '../models/brand.model';
import type { Database } from '../index';
import { newestFirst, newestFirstPage, type NewestFirstCursor } from './paging';

export interface BrandRecord {
  id: string;
  workspaceId: string;
  name: string;
  slug: string;
  slogan: string | null;
  mission: string | null;
  vision: string | null;
  category: string | null;
  voice: string | null;
  website: string | null;
  keywords: string[];
  /** Themes the calendar's daily generation takes topics from in turn (its keywords when empty). */
  contentPillars: string[];
  colors: BrandColors;
  fontFamily: string | null;
  logoKey: string | null;
  createdAt: string;
  updatedAt: string;
}

export type BrandFields = Omit<
  BrandRecord,
  'id' | 'workspaceId' | 'slug' | 'createdAt' | 'updatedAt' | 'contentPillars'
> & {
  contentPillars?: string[];
};

export interface ChannelRecord {
  id: string;
  brandId: string;
  kind: string;
  title: string;
}

const toRecord = (b: Brand): BrandRecord => ({
  id: b.id,
  workspaceId: b.workspaceId,
  name: b.name,
  slug: b.slug,
  slogan: b.slogan,
  mission: b.mission,
  vision: b.vision,
  category: b.category,
  voice: b.voice,
  website: b.website,
  keywords: b.keywords,
  contentPillars: b.contentPillars,
  colors: b.colors,
  fontFamily: b.fontFamily,
  logoKey: b.logoKey,
  createdAt: b.createdAt.toISOString(),
  updatedAt: b.updatedAt.toISOString(),
});

export function slugify(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return base || 'brand';
}

export function createBrandRepository(db: Database) {
  const { Brand, Channel } = db.models;
  return {
    async create(workspaceId: string, fields: BrandFields): Promise<BrandRecord> {
      const base = slugify(fields.name);
      // Slugs are public (channel URLs): add a suffix until one is free.
      for (let n = 1; ; n += 1) {
        const slug = n === 1 ? base : `${base}-${n}`;
        try {
          return await db.sequelize.transaction(async (transaction) => {
            const brand = await Brand.create({ ...fields, workspaceId, slug }, { transaction });
            await Channel.create({ workspaceId, brandId: brand.id, kind: 'local', title: brand.name }, { transaction });
            return toRecord(brand);
          });
        } catch (err) {
          if (err instanceof UniqueConstraintError && n < 50) continue;
          throw err;
        }
      }
    },

    async get(workspaceId: string, id: string): Promise<BrandRecord | null> {
      const brand = await Brand.findOne({ where: { id, workspaceId } });
      return brand ? toRecord(brand) : null;
    },

    async getBySlug(slug: string): Promise<BrandRecord | null> {
      const brand = await Brand.findOne({ where: { slug } });
      return brand ? toRecord(brand) : null;
    },

    /** Newest first; the cursor is the last item's `createdAt|id`. */
    async list(workspaceId: string, options: { limit: number; cursor?: NewestFirstCursor }) {
      const rows = await Brand.findAll(newestFirst({ workspaceId }, options));
      return newestFirstPage(rows, options.limit, toRecord);
    },

    async update(workspaceId: string, id: string, fields: Partial<BrandFields>): Promise<BrandRecord | null> {
      const brand = await Brand.findOne({ where: { id, workspaceId } });
      if (!brand) return null;
      await brand.update(fields);
      if (fields.name) await Channel.update({ title: fields.name }, { where: { brandId: id, kind: 'local' } });
      return toRecord(brand);
    },

    async remove(workspaceId: string, id: string): Promise<boolean> {
      return (await Brand.destroy({ where: { id, workspaceId } })) > 0;
    },

    async localChannel(brandId: string): Promise<ChannelRecord | null> {
      const channel = await Channel.findOne({ where: { brandId, kind: 'local' } });
      return channel ? { id: channel.id, brandId: channel.brandId, kind: channel.kind, title: channel.title } : null;
    },
  };
}

export type BrandRepository = ReturnType<typeof createBrandRepository>;
