/** The brand facts a video's script and frames use, loaded once per run on the main queue. */
import type { BrandRepository } from '../../db/repositories/brand.repository';
import type { VideoBrand } from '../../lib/video/types';
import { failure } from '../../lib/failures';

export function createVideoBrandActivities(deps: { brands: BrandRepository }) {
  const { brands } = deps;
  return {
    async loadVideoBrand(ref: { workspaceId: string; brandId: string }): Promise<VideoBrand> {
      const brand = await brands.get(ref.workspaceId, ref.brandId);
      if (!brand) throw failure('NotFound', `Brand ${ref.brandId} was not found`);
      return {
        id: brand.id,
        name: brand.name,
        slug: brand.slug,
        slogan: brand.slogan,
        mission: brand.mission,
        category: brand.category,
        keywords: brand.keywords,
        colors: brand.colors,
        fontFamily: brand.fontFamily,
        logoKey: brand.logoKey,
      };
    },
  };
}

export type VideoBrandActivities = ReturnType<typeof createVideoBrandActivities>;
