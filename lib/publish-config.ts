/**
 * The publishing settings: which platforms are configured and with what. Pure parsing, so lib/config.ts can embed the
 * result as `config.publish`; activities/publish builds the clients from it.
 */
import { z } from 'zod';

export const TIKTOK_PRIVACY_LEVELS = [
  'PUBLIC_TO_EVERYONE',
  'MUTUAL_FOLLOW_FRIENDS',
  'FOLLOWER_OF_CREATOR',
  'SELF_ONLY',
] as const;
export type TikTokPrivacyLevel = (typeof TIKTOK_PRIVACY_LEVELS)[number];

export interface PublishConfig {
  /** Per API request (PUBLISH_TIMEOUT_MS, default 30 s). */
  timeoutMs: number;
  /** Per uploaded chunk (PUBLISH_UPLOAD_TIMEOUT_MS, default 5 min). */
  uploadTimeoutMs: number;
  /** Between processing-status polls (PUBLISH_POLL_INTERVAL_MS, default 5 s). */
  pollIntervalMs: number;
  /** How long one attempt waits for a platform to process an upload (PUBLISH_PROCESSING_TIMEOUT_MS, default 10 min). */
  processingTimeoutMs: number;
  /**
   * Each platform's API roots and options, set or not its deployment token: a brand's connected account publishes
   * through them (activities/publish/account-clients.ts).
   */
  endpoints?: {
    meta: { graphBaseUrl: string; videoBaseUrl: string; apiVersion: string };
    linkedin: { baseUrl: string; version: string };
    x: { apiBaseUrl: string; uploadBaseUrl: string };
    tiktok: { baseUrl: string; privacyLevel: TikTokPrivacyLevel };
  };
  youtube?: {
    baseUrl: string;
    /** A fixed access token (expires within the hour; for trials), or `oauth` to refresh one. */
    accessToken?: string;
    oauth?: { tokenUrl: string; clientId: string; clientSecret: string; refreshToken: string };
    privacyStatus: 'public' | 'unlisted' | 'private';
    categoryId: string;
    chunkBytes?: number;
  };
  meta?: {
    accessToken: string;
    pageId?: string;
    igUserId?: string;
    graphBaseUrl: string;
    videoBaseUrl: string;
    apiVersion: string;
  };
  linkedin?: { accessToken: string; authorUrn: string; baseUrl: string; version: string };
  x?: { accessToken: string; apiBaseUrl: string; uploadBaseUrl: string; chunkBytes?: number };
  tiktok?: { accessToken: string; baseUrl: string; privacyLevel: TikTokPrivacyLevel; chunkBytes?: number };
}

const text = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const url = (fallback: string) => z.url().default(fallback);
const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The publishing variables; every one is optional. */
export const publishEnvSchema = z.object({
  PUBLISH_TIMEOUT_MS: ms(30_000),
  PUBLISH_UPLOAD_TIMEOUT_MS: ms(300_000),
  PUBLISH_POLL_INTERVAL_MS: ms(5_000),
  PUBLISH_PROCESSING_TIMEOUT_MS: ms(600_000),

  YOUTUBE_ACCESS_TOKEN: text,
  YOUTUBE_CLIENT_ID: text,
  YOUTUBE_CLIENT_SECRET: text,
  YOUTUBE_REFRESH_TOKEN: text,
  YOUTUBE_OAUTH_TOKEN_URL: url('https://oauth2.googleapis.com/token'),
  YOUTUBE_API_BASE_URL: url('https://www.googleapis.com'),
  YOUTUBE_PRIVACY_STATUS: z.enum(['public', 'unlisted', 'private']).default('public'),
  YOUTUBE_CATEGORY_ID: z.string().regex(/^\d+$/).default('22'),

  META_ACCESS_TOKEN: text,
  META_PAGE_ID: text,
  META_IG_USER_ID: text,
  META_GRAPH_BASE_URL: url('https://graph.facebook.com'),
  META_GRAPH_VIDEO_BASE_URL: url('https://graph-video.facebook.com'),
  META_GRAPH_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/)
    .default('v23.0'),

  LINKEDIN_ACCESS_TOKEN: text,
  LINKEDIN_AUTHOR_URN: z
    .string()
    .regex(/^urn:li:(organization|person):\S+$/, 'must be urn:li:organization:<id> or urn:li:person:<id>')
    .optional(),
  LINKEDIN_API_BASE_URL: url('https://api.linkedin.com'),
  LINKEDIN_VERSION: z
    .string()
    .regex(/^\d{6}$/)
    .default('202506'),

  X_ACCESS_TOKEN: text,
  X_API_BASE_URL: url('https://api.x.com'),
  X_UPLOAD_BASE_URL: url('https://api.x.com'),

  TIKTOK_ACCESS_TOKEN: text,
  TIKTOK_API_BASE_URL: url('https://open.tiktokapis.com'),
  TIKTOK_PRIVACY_LEVEL: z.enum(TIKTOK_PRIVACY_LEVELS).default('PUBLIC_TO_EVERYONE'),
});

/** Reads the publishing settings; throws on a malformed value or a platform configured by halves. */
export function publishConfigFromEnv(env: Record<string, string | undefined>): PublishConfig {
  const parsed = publishEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid publishing settings: ${problems}`);
  }
  const e = parsed.data;
  const missing = (platform: string, needed: Record<string, string | undefined>) => {
    const absent = Object.entries(needed)
      .filter(([, value]) => !value)
      .map(([name]) => name);
    if (absent.length) throw new Error(`${platform} is half configured: also set ${absent.join(', ')}`);
  };

  const config: PublishConfig = {
    timeoutMs: e.PUBLISH_TIMEOUT_MS,
    uploadTimeoutMs: e.PUBLISH_UPLOAD_TIMEOUT_MS,
    pollIntervalMs: e.PUBLISH_POLL_INTERVAL_MS,
    processingTimeoutMs: e.PUBLISH_PROCESSING_TIMEOUT_MS,
    endpoints: {
      meta: {
        graphBaseUrl: e.META_GRAPH_BASE_URL,
        videoBaseUrl: e.META_GRAPH_VIDEO_BASE_URL,
        apiVersion: e.META_GRAPH_API_VERSION,
      },
      linkedin: { baseUrl: e.LINKEDIN_API_BASE_URL, version: e.LINKEDIN_VERSION },
      x: { apiBaseUrl: e.X_API_BASE_URL, uploadBaseUrl: e.X_UPLOAD_BASE_URL },
      tiktok: { baseUrl: e.TIKTOK_API_BASE_URL, privacyLevel: e.TIKTOK_PRIVACY_LEVEL },
    },
  };

  const googleOAuth = [e.YOUTUBE_CLIENT_ID, e.YOUTUBE_CLIENT_SECRET, e.YOUTUBE_REFRESH_TOKEN];
  if (googleOAuth.some(Boolean))
    missing('YouTube', {
      YOUTUBE_CLIENT_ID: e.YOUTUBE_CLIENT_ID,
      YOUTUBE_CLIENT_SECRET: e.YOUTUBE_CLIENT_SECRET,
      YOUTUBE_REFRESH_TOKEN: e.YOUTUBE_REFRESH_TOKEN,
    });
  if (e.YOUTUBE_ACCESS_TOKEN || googleOAuth.every(Boolean)) {
    config.youtube = {
      baseUrl: e.YOUTUBE_API_BASE_URL,
      accessToken: e.YOUTUBE_ACCESS_TOKEN,
      oauth: googleOAuth.every(Boolean)
        ? {
            tokenUrl: e.YOUTUBE_OAUTH_TOKEN_URL,
            clientId: e.YOUTUBE_CLIENT_ID!,
            clientSecret: e.YOUTUBE_CLIENT_SECRET!,
            refreshToken: e.YOUTUBE_REFRESH_TOKEN!,
          }
        : undefined,
      privacyStatus: e.YOUTUBE_PRIVACY_STATUS,
      categoryId: e.YOUTUBE_CATEGORY_ID,
    };
  }

  if (e.META_ACCESS_TOKEN || e.META_PAGE_ID || e.META_IG_USER_ID) {
    missing('Meta', { META_ACCESS_TOKEN: e.META_ACCESS_TOKEN });
    if (!e.META_PAGE_ID && !e.META_IG_USER_ID)
      throw new Error('Meta is half configured: also set META_PAGE_ID (Facebook) and/or META_IG_USER_ID (Instagram)');
    config.meta = {
      accessToken: e.META_ACCESS_TOKEN!,
      pageId: e.META_PAGE_ID,
      igUserId: e.META_IG_USER_ID,
      graphBaseUrl: e.META_GRAPH_BASE_URL,
      videoBaseUrl: e.META_GRAPH_VIDEO_BASE_URL,
      apiVersion: e.META_GRAPH_API_VERSION,
    };
  }

  if (e.LINKEDIN_ACCESS_TOKEN || e.LINKEDIN_AUTHOR_URN) {
    missing('LinkedIn', { LINKEDIN_ACCESS_TOKEN: e.LINKEDIN_ACCESS_TOKEN, LINKEDIN_AUTHOR_URN: e.LINKEDIN_AUTHOR_URN });
    config.linkedin = {
      accessToken: e.LINKEDIN_ACCESS_TOKEN!,
      authorUrn: e.LINKEDIN_AUTHOR_URN!,
      baseUrl: e.LINKEDIN_API_BASE_URL,
      version: e.LINKEDIN_VERSION,
    };
  }

  if (e.X_ACCESS_TOKEN)
    config.x = { accessToken: e.X_ACCESS_TOKEN, apiBaseUrl: e.X_API_BASE_URL, uploadBaseUrl: e.X_UPLOAD_BASE_URL };

  if (e.TIKTOK_ACCESS_TOKEN)
    config.tiktok = {
      accessToken: e.TIKTOK_ACCESS_TOKEN,
      baseUrl: e.TIKTOK_API_BASE_URL,
      privacyLevel: e.TIKTOK_PRIVACY_LEVEL,
    };

  return config;
}

/** Whether the deployment's own keys (env) publish on the platform; the brand's channel needs none. */
export function deploymentKeys(publish: PublishConfig, platform: string): boolean {
  switch (platform) {
    case 'local':
      return true;
    case 'youtube':
      return Boolean(publish.youtube?.accessToken || publish.youtube?.oauth);
    case 'facebook':
      return Boolean(publish.meta?.pageId);
    case 'instagram':
      return Boolean(publish.meta?.igUserId);
    case 'linkedin':
      return Boolean(publish.linkedin);
    case 'x':
      return Boolean(publish.x);
    case 'tiktok':
      return Boolean(publish.tiktok);
    default:
      return false;
  }
}
