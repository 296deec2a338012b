/**
 * The workspace's CRM callback: where enriched leads are posted, signed with a Standard Webhooks secret that the API
 * makes and shows once (on creation and on rotation), like an inbound webhook endpoint's.
 */
import { randomBytes } from 'node:crypto';
import type { LeadCallbackRepository } from '../../db/repositories/lead-callback.repository';
import { NotFoundError, ValidationError } from '../../lib/errors';
import { checkUrl, parseAllowList } from '../../lib/net/url-policy';

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

export function createLeadCallbackService(deps: {
  callbacks: LeadCallbackRepository;
  allowedHosts: readonly string[];
}) {
  const allowList = parseAllowList(deps.allowedHosts);

  /** Refused now rather than at the first lead: what the crawler would refuse before resolving (schemes, literals). */
  function requireFetchableUrl(url: string) {
    const verdict = checkUrl(url, allowList);
    if (!verdict.ok)
      throw new ValidationError('The callback URL cannot be used', {
        errors: [{ field: 'url', message: verdict.reason }],
      });
  }

  return {
    async get(workspaceId: string) {
      const found = await deps.callbacks.get(workspaceId);
      if (!found) throw new NotFoundError('No CRM callback is set');
      return found;
    },

    /** Creates (with a new secret, returned once) or updates the URL and switch. */
    async put(workspaceId: string, fields: { url: string; enabled: boolean }) {
      requireFetchableUrl(fields.url);
      const existing = await deps.callbacks.get(workspaceId);
      if (existing) return { created: false, callback: await deps.callbacks.put(workspaceId, fields) };
      const secret = newSecret();
      return { created: true, callback: { ...(await deps.callbacks.put(workspaceId, { ...fields, secret })), secret } };
    },

    /** A new secret, returned once; the old one stops signing at once. */
    async rotateSecret(workspaceId: string) {
      const existing = await deps.callbacks.get(workspaceId);
      if (!existing) throw new NotFoundError('No CRM callback is set');
      const secret = newSecret();
      return {
        ...(await deps.callbacks.put(workspaceId, { url: existing.url, enabled: existing.enabled, secret })),
        secret,
      };
    },

    async remove(workspaceId: string) {
      if (!(await deps.callbacks.remove(workspaceId))) throw new NotFoundError('No CRM callback is set');
    },
  };
}

export type LeadCallbackService = ReturnType<typeof createLeadCallbackService>;
