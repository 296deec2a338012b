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
