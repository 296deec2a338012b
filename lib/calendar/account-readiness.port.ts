/**
 * The port the calendar asks whether a brand can publish on a target: the account connected and its token valid.
 *
 * - `connectedAccountReadiness` is what runs: the brand's channel always; a platform when the brand's connected account
 *   is connected with a token that is valid or refreshable, else (no account there) when the deployment has the
 *   platform's keys. A flagged account is not ready, and the reason says why, so an entry is marked before its minute.
 * - `deploymentAccountReadiness` answers from the deployment's own configuration alone (lib/publish-config.ts).
 */
import type { EntryTarget } from './entry';
import { isConnectablePlatform, type ConnectablePlatform } from '../oauth/oauth-config';
import { deploymentKeys, type PublishConfig } from '../publish-config';

export interface AccountReadiness {
  accountReady(brandId: string, platform: EntryTarget): Promise<{ ready: boolean; reason?: string }>;
}

/** What the connected-account repository answers for a brand's platform (`readinessOfBrand`). */
export interface ConnectedAccountState {
  status: 'not_connected' | 'connected' | 'reconnect_needed' | 'revoked';
  ready: boolean;
  lastError?: string | null;
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

const notConnected = (platform: EntryTarget) => ({
  ready: false,
  reason: `${NAMES[platform]} is not connected: connect the brand's account in its settings`,
});

export function deploymentAccountReadiness(publish: PublishConfig): AccountReadiness {
  return {
    async accountReady(_brandId, platform) {
      return deploymentKeys(publish, platform) ? { ready: true } : notConnected(platform);
    },
  };
}

export function connectedAccountReadiness(deps: {
  accounts: { readinessOfBrand(brandId: string, platform: ConnectablePlatform): Promise<ConnectedAccountState> };
  publish: PublishConfig;
}): AccountReadiness {
  const deployment = deploymentAccountReadiness(deps.publish);
  return {
    async accountReady(brandId, platform) {
      if (isConnectablePlatform(platform)) {
        const account = await deps.accounts.readinessOfBrand(brandId, platform);
        if (account.status !== 'not_connected') {
          if (account.ready) return { ready: true };
          const why = account.status === 'connected' ? 'its token expired and cannot be refreshed' : account.lastError;
          return { ready: false, reason: `${NAMES[platform]} needs to be reconnected${why ? `: ${why}` : ''}` };
        }
      }
      return deployment.accountReady(brandId, platform);
    },
  };
}
