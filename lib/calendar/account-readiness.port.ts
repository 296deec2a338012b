/**
 * The port the calendar asks whether a brand can publish on a target: the account connected and its token valid.
 * `deploymentAccountReadiness` answers from the deployment's own configuration: the brand's local channel is always
 * there, and a platform is ready when the deployment has its keys (lib/publish-config.ts). A per-brand implementation
 * (connected accounts and their tokens) takes its place without the calendar changing.
 */
import type { EntryTarget } from './entry';
import type { PublishConfig } from '../publish-config';

export interface AccountReadiness {
  accountReady(brandId: string, platform: EntryTarget): Promise<{ ready: boolean; reason?: string }>;
}

const NAMES: Record<EntryTarget, string> = {
  local: 'The brand channel',
  youtube: 'YouTube',
  facebook: 'Facebook',
  instagram: 'Instagram',
  linkedin: 'LinkedIn',
  x: 'X',
  tiktok: 'TikTok',
};

export function deploymentAccountReadiness(publish: PublishConfig): AccountReadiness {
  const configured: Record<EntryTarget, boolean> = {
    local: true,
    youtube: Boolean(publish.youtube?.accessToken || publish.youtube?.oauth),
    facebook: Boolean(publish.meta?.pageId),
    instagram: Boolean(publish.meta?.igUserId),
    linkedin: Boolean(publish.linkedin),
    x: Boolean(publish.x),
    tiktok: Boolean(publish.tiktok),
  };
  return {
    async accountReady(_brandId, platform) {
      if (configured[platform]) return { ready: true };
      return { ready: false, reason: `${NAMES[platform]} is not connected: no account or token for it` };
    },
  };
}
