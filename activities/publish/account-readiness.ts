/**
 * "Can this brand publish on this platform now?", for the calendar (issue 12) and anything that plans publications:
 * the brand's channel always; a platform when the brand's connected account is connected with a token that is valid
 * or refreshable, else (no account there) when the deployment has the platform's keys. A flagged account is not
 * ready, and the reason says why, so an entry can be marked before its minute comes.
 *
 * `accountReady(brandId, platform)` has the shape of the calendar's `AccountReadiness` port
 * (lib/calendar/account-readiness.port.ts on main), so this replaces `deploymentAccountReadiness` there.
 */
import type { ConnectedAccountRepository } from '../../db/repositories/connected-account.repository';
import { isConnectablePlatform } from '../../lib/oauth/oauth-config';
import type { PublishConfig } from '../../lib/publish-config';
import type { VideoPlatform } from '../../lib/video/types';
import { PLATFORM_SETUP } from './setup';

export interface PlatformReadiness {
  accountReady(brandId: string, platform: VideoPlatform): Promise<{ ready: boolean; reason?: string }>;
}

/** Whether the deployment's own keys (env) publish on the platform. */
export function deploymentKeys(publish: PublishConfig, platform: VideoPlatform): boolean {
  switch (platform) {
    case 'local':
      return true;
    case 'youtube':
      return Boolean(publish.youtube?.accessToken || publish.youtube?.oauth);
    case 'facebook':
      return Boolean(publish.meta?.pageId);
    case 'instagram':
      return Boolean(publish.meta?.igUserId);
    default:
      return Boolean(publish[platform]);
  }
}

export function connectedAccountReadiness(deps: {
  accounts: Pick<ConnectedAccountRepository, 'readinessOfBrand'>;
  publish: PublishConfig;
}): PlatformReadiness {
  return {
    async accountReady(brandId, platform) {
      if (platform === 'local') return { ready: true };
      const name = PLATFORM_SETUP[platform].name;
      if (isConnectablePlatform(platform)) {
        const account = await deps.accounts.readinessOfBrand(brandId, platform);
        if (account.status !== 'not_connected') {
          if (account.ready) return { ready: true };
          const why = account.status === 'connected' ? 'its token expired and cannot be refreshed' : account.lastError;
          return { ready: false, reason: `${name} needs to be reconnected${why ? `: ${why}` : ''}` };
        }
      }
      if (deploymentKeys(deps.publish, platform)) return { ready: true };
      return { ready: false, reason: `${name} is not connected: connect the brand's account in its settings` };
    },
  };
}
