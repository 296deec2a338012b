/** The ideal customer profile per workspace (brandId null) or per brand. */
import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { readLeadProfile, type LeadProfile } from '../../lib/leads/profile';
import type { Database } from '../index';

export interface LeadProfileRecord {
  brandId: string | null;
  profile: LeadProfile;
  updatedAt: string | null;
}

export function createLeadProfileRepository(db: Database) {
  const { LeadProfileRow } = db.models;
  return {
    /** The stored profile, or null when none was written. */
    async get(workspaceId: string, brandId: string | null): Promise<LeadProfileRecord | null> {
      const row = await LeadProfileRow.findOne({ where: { workspaceId, brandId } });
      return row ? { brandId, profile: readLeadProfile(row.profile), updatedAt: row.updatedAt.toISOString() } : null;
    },

    /** One statement, so two editors saving at once both succeed (the last one wins). */
    async put(workspaceId: string, brandId: string | null, profile: LeadProfile): Promise<LeadProfileRecord> {
      const target =
        brandId === null
          ? '(workspace_id) WHERE brand_id IS NULL'
          : '(workspace_id, brand_id) WHERE brand_id IS NOT NULL';
      const [row] = await db.sequelize.query<{ updated_at: Date }>(
        `INSERT INTO lead_profiles (id, workspace_id, brand_id, profile, created_at, updated_at)
         VALUES (:id, :workspaceId, :brandId, CAST(:profile AS jsonb), now(), now())
         ON CONFLICT ${target} DO UPDATE SET profile = EXCLUDED.profile, updated_at = EXCLUDED.updated_at
         RETURNING updated_at`,
        {
          replacements: { id: randomUUID(), workspaceId, brandId, profile: JSON.stringify(profile) },
          type: QueryTypes.SELECT,
        },
      );
      return { brandId, profile, updatedAt: new Date(row.updated_at).toISOString() };
    },
  };
}

export type LeadProfileRepository = ReturnType<typeof createLeadProfileRepository>;
