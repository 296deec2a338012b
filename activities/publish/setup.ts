/** What each platform is called and which settings turn it on, for messages and the docs. */
import type { ExternalPlatform } from './platform-client.port';

export const PLATFORM_SETUP: Record<ExternalPlatform, { name: string; variables: string }> = {
  youtube: {
    name: 'YouTube',
    variables: 'YOUTUBE_ACCESS_TOKEN, or YOUTUBE_CLIENT_ID, YOUTUBE_CLIENT_SECRET and YOUTUBE_REFRESH_TOKEN',
  },
  facebook: { name: 'Facebook', variables: 'META_ACCESS_TOKEN and META_PAGE_ID' },
  instagram: { name: 'Instagram', variables: 'META_ACCESS_TOKEN and META_IG_USER_ID' },
  linkedin: { name: 'LinkedIn', variables: 'LINKEDIN_ACCESS_TOKEN and LINKEDIN_AUTHOR_URN' },
  x: { name: 'X', variables: 'X_ACCESS_TOKEN' },
  tiktok: { name: 'TikTok', variables: 'TIKTOK_ACCESS_TOKEN' },
};
