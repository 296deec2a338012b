import type { BrandRecord, BrandRepository } from '../../db/repositories/brand.repository';
import { NotFoundError } from '../../lib/errors';
import type { Principal } from '../services/account.service';
import type { PreparedRun } from './automation';

/** The brand an automation's input names, in the caller's workspace; another workspace's id is a 404 on the field. */
export async function requireBrand(
  brands: BrandRepository,
  principal: Principal,
  brandId: string,
): Promise<BrandRecord> {
  const brand = await brands.get(principal.workspaceId, brandId);
  if (!brand)
    throw new NotFoundError(`Brand ${brandId} not found`, {
      errors: [{ field: 'input.brandId', message: 'no such brand in this workspace' }],
    });
  return brand;
}

/**
 * The brand lookups of run starts, remembered for a few seconds per (workspace, brand): a busy integration starting
 * runs for one brand reads it once, not once a start. Only found brands are kept, so a wrong or foreign id is a 404
 * every time. A brand deleted within the TTL may still start a run; its workflow's first step then fails on the missing
 * brand (`brand-missing`), as for a brand deleted right after any start.
 */
export function cachedBrandLookups(
  brands: BrandRepository,
  options: { ttlMs: number; maxEntries?: number; now?: () => number },
): BrandRepository {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 5_000;
  const found = new Map<string, { brand: BrandRecord; expiresAt: number }>();
  return {
    ...brands,
    async get(workspaceId: string, id: string): Promise<BrandRecord | null> {
      const key = `${workspaceId}/${id}`;
      const hit = found.get(key);
      if (hit && hit.expiresAt > now()) return hit.brand;
      found.delete(key);
      const brand = await brands.get(workspaceId, id);
      if (brand && options.ttlMs > 0) {
        if (found.size >= maxEntries) found.delete(found.keys().next().value as string);
        found.set(key, { brand, expiresAt: now() + options.ttlMs });
      }
      return brand;
    },
  };
}

/** A run about one brand: business id `<automation>/<brandId>/<requestId>`, tagged with the brand. */
export function brandRun(
  automation: string,
  workflowType: string,
  brandId: string,
  requestId: string,
  input: unknown,
): PreparedRun {
  return { workflowType, workflowId: `${automation}/${brandId}/${requestId}`, args: [input], brandId };
}
