/**
 * The registry: builds one client per platform whose credentials are configured. A platform without them is simply
 * absent (publishing there fails with `ProviderMisconfigured`, naming the settings); a platform with half its
 * settings fails the boot instead, so a typo never silently turns a platform off.
 *
 * The settings themselves are parsed in lib/publish-config.ts (re-exported here for callers of this module).
 */
import { refreshingToken, staticToken } from './http';
import { createLinkedInClient } from './linkedin';
import { createFacebookClient, createInstagramClient } from './meta';
import type { PublishClients } from './platform-client.port';
import { createTikTokClient } from './tiktok';
import { createXClient } from './x';
import { createYouTubeClient } from './youtube';
import type { PublishConfig } from '../../lib/publish-config';

export {
  publishConfigFromEnv,
  publishEnvSchema,
  TIKTOK_PRIVACY_LEVELS,
  type PublishConfig,
  type TikTokPrivacyLevel,
} from '../../lib/publish-config';

export function createPublishClientsFromConfig(cfg: PublishConfig): PublishClients {
  const { timeoutMs, uploadTimeoutMs, pollIntervalMs, processingTimeoutMs } = cfg;
  const clients: PublishClients = {};

  if (cfg.youtube) {
    const { oauth, accessToken } = cfg.youtube;
    if (!oauth && !accessToken) throw new Error('YouTube needs an access token or OAuth refresh settings');
    clients.youtube = createYouTubeClient({
      baseUrl: cfg.youtube.baseUrl,
      auth: oauth ? refreshingToken({ provider: 'YouTube', ...oauth, timeoutMs }) : staticToken(accessToken!),
      privacyStatus: cfg.youtube.privacyStatus,
      categoryId: cfg.youtube.categoryId,
      chunkBytes: cfg.youtube.chunkBytes,
      timeoutMs,
      uploadTimeoutMs,
      resumeDelayMs: pollIntervalMs,
    });
  }

  if (cfg.meta) {
    const meta = {
      graphBaseUrl: cfg.meta.graphBaseUrl,
      videoBaseUrl: cfg.meta.videoBaseUrl,
      apiVersion: cfg.meta.apiVersion,
      auth: staticToken(cfg.meta.accessToken),
      timeoutMs,
      uploadTimeoutMs,
      pollIntervalMs,
      processingTimeoutMs,
    };
    if (cfg.meta.pageId) clients.facebook = createFacebookClient({ ...meta, pageId: cfg.meta.pageId });
    if (cfg.meta.igUserId) clients.instagram = createInstagramClient({ ...meta, igUserId: cfg.meta.igUserId });
  }

  if (cfg.linkedin)
    clients.linkedin = createLinkedInClient({
      baseUrl: cfg.linkedin.baseUrl,
      version: cfg.linkedin.version,
      auth: staticToken(cfg.linkedin.accessToken),
      authorUrn: cfg.linkedin.authorUrn,
      timeoutMs,
      uploadTimeoutMs,
      pollIntervalMs,
      processingTimeoutMs,
    });

  if (cfg.x)
    clients.x = createXClient({
      apiBaseUrl: cfg.x.apiBaseUrl,
      uploadBaseUrl: cfg.x.uploadBaseUrl,
      auth: staticToken(cfg.x.accessToken),
      chunkBytes: cfg.x.chunkBytes,
      timeoutMs,
      uploadTimeoutMs,
      pollIntervalMs,
      processingTimeoutMs,
    });

  if (cfg.tiktok)
    clients.tiktok = createTikTokClient({
      baseUrl: cfg.tiktok.baseUrl,
      auth: staticToken(cfg.tiktok.accessToken),
      privacyLevel: cfg.tiktok.privacyLevel,
      chunkBytes: cfg.tiktok.chunkBytes,
      timeoutMs,
      uploadTimeoutMs,
      pollIntervalMs,
      processingTimeoutMs,
    });

  return clients;
}
