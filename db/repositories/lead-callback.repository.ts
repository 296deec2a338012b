/**
 * The CRM callback of a workspace (`lead_callbacks`, migration 0012): where enriched leads are posted, and the
 * Standard Webhooks secret they are signed with, sealed at rest (lib/secrets) like webhook endpoint secrets.
 */
import { QueryTypes } from 'sequelize';
import { sealedContext, type SecretBox } from '../../lib/secrets';
import type { Database } from '../index';

export interface LeadCallbackRecord {
  url: string;
  enabled: boolean;
  updatedAt: string;
}

interface Row {
  url: string;
  secret: string;
  enabled: boolean;
  updated_at: Date;
}

const secretContext = (workspaceId: string) => sealedContext('lead_callbacks', 'secret', workspaceId);
const view = (r: Row): LeadCallbackRecord => ({
  url: r.url,
  enabled: r.enabled,
  updatedAt: new Date(r.updated_at).toISOString(),
});

export function createLeadCallbackRepository(db: Database, deps: { secrets: SecretBox }) {
  async function row(workspaceId: string): Promise<Row | null> {
    const [found] = await db.sequelize.query<Row>('SELECT * FROM lead_callbacks WHERE workspace_id = :workspaceId', {
      replacements: { workspaceId },
      type: QueryTypes.SELECT,
    });
    return found ?? null;
  }

  return {
    async get(workspaceId: string): Promise<LeadCallbackRecord | null> {
      const found = await row(workspaceId);
      return found ? view(found) : null;
    },

    /** The URL and the secret in clear, for signing; null when none is set or it is switched off. */
    async forDelivery(workspaceId: string): Promise<{ url: string; secret: string } | null> {
      const found = await row(workspaceId);
      if (!found || !found.enabled) return null;
      return { url: found.url, secret: deps.secrets.open(found.secret, secretContext(workspaceId)) };
    },

    /** Sets the URL (and the secret, when given: a new callback, or a rotation). */
    async put(
      workspaceId: string,
      fields: { url: string; enabled: boolean; secret?: string },
    ): Promise<LeadCallbackRecord> {
      const sealed = fields.secret === undefined ? null : deps.secrets.seal(fields.secret, secretContext(workspaceId));
      const [saved] = await db.sequelize.query<Row>(
        `INSERT INTO lead_callbacks (workspace_id, url, secret, enabled, created_at, updated_at)
         VALUES (:workspaceId, :url, :sealed, :enabled, now(), now())
         ON CONFLICT (workspace_id) DO UPDATE SET url = EXCLUDED.url, enabled = EXCLUDED.enabled,
           secret = COALESCE(:sealed, lead_callbacks.secret), updated_at = now()
         RETURNING *`,
        {
          replacements: { workspaceId, url: fields.url, enabled: fields.enabled, sealed },
          type: QueryTypes.SELECT,
        },
      );
      return view(saved);
    },

    async remove(workspaceId: string): Promise<boolean> {
      const [, count] = (await db.sequelize.query('DELETE FROM lead_callbacks WHERE workspace_id = :workspaceId', {
        replacements: { workspaceId },
      })) as [unknown, { rowCount?: number }];
      return (count?.rowCount ?? 0) > 0;
    },
  };
}

export type LeadCallbackRepository = ReturnType<typeof createLeadCallbackRepository>;
