/** What each platform is called and which settings turn it on, for messages and the docs. */
import type { ExternalPlatform } from './platform-client.port';

/** `connectable`: a brand can connect its own account there (issue 12); YouTube takes the deployment's keys only. */
export const PLATFORM_SETUP: Record<ExternalPlatform, { name: string; variables: string; connectable: boolean }> = {
  youtube: {
    name: 'YouTube',
    variables: 'YOUTUBE_ACCESS_TOKEN, or YOUTUBE_CLIENT_ID, YOUTUBE_CLIENT_SECRET and YOUTUBE_REFRESH_TOKEN',
    connectable: false,
  },
  facebook: { name: 'Facebook', variables: 'META_ACCESS_TOKEN and META_PAGE_ID', connectable: true },
  instagram: { name: 'Instagram', variables: 'META_ACCESS_TOKEN and META_IG_USER_ID', connectable: true },
  linkedin: { name: 'LinkedIn', variables: 'LINKEDIN_ACCESS_TOKEN and LINKEDIN_AUTHOR_URN', connectable: true },
  x: { name: 'X', variables: 'X_ACCESS_TOKEN', connectable: true },
  tiktok: { name: 'TikTok', variables: 'TIKTOK_ACCESS_TOKEN', connectable: true },
};
