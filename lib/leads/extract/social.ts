/** A link to a social network, reduced to the canonical URL of the profile it names; share and intent links are not profiles. */
import { safeDecode } from './decode';

export const SOCIAL_NETWORKS = ['linkedin', 'instagram', 'facebook', 'x', 'tiktok', 'youtube', 'pinterest'] as const;
export type SocialNetwork = (typeof SOCIAL_NETWORKS)[number];

export interface SocialProfile {
  network: SocialNetwork;
  url: string;
}

const HANDLE = /^[a-z0-9._-]{1,100}$/i;
/** First path segments that are pages of the network itself, never an account. */
const RESERVED: Record<Exclude<SocialNetwork, 'linkedin' | 'youtube' | 'tiktok'>, Set<string>> = {
  instagram: new Set(
    'p reel reels tv stories explore accounts about developer legal direct sharer share web'.split(' '),
  ),
  facebook: new Set(
    'sharer sharer.php share share.php dialog plugins tr login login.php home.php watch events groups hashtag photo.php photos story.php permalink.php privacy policies help marketplace gaming l.php'.split(
      ' ',
    ),
  ),
  x: new Set(
    'intent share home search hashtag i explore login signup settings messages notifications tos privacy'.split(' '),
  ),
  pinterest: new Set('pin search ideas explore login today'.split(' ')),
};

export function socialProfile(href: string): SocialProfile | null {
  let url: URL;
  try {
    url = new URL(href.trim().replace(/^\/\//, 'https://'));
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const hostname = url.hostname.toLowerCase();
  // www., m. and language subdomains (it.linkedin.com, de-de.facebook.com) name the same site.
  const host =
    hostname.split('.').length > 2 ? hostname.replace(/^(?:www|m|mobile|[a-z]{2}(?:-[a-z]{2})?)\./, '') : hostname;
  const parts = url.pathname
    .split('/')
    .filter(Boolean)
    .map((p) => safeDecode(p));
  const first = parts[0]?.toLowerCase() ?? '';

  if (host === 'linkedin.com') {
    if (!['company', 'in', 'school', 'showcase'].includes(first) || !parts[1] || !HANDLE.test(parts[1])) return null;
    return { network: 'linkedin', url: `https://www.linkedin.com/${first}/${parts[1].toLowerCase()}` };
  }
  if (host === 'instagram.com') return handleProfile('instagram', 'https://www.instagram.com/', parts);
  if (host === 'facebook.com' || host === 'fb.com') {
    if (first === 'profile.php') {
      const id = url.searchParams.get('id');
      return id && /^\d+$/.test(id)
        ? { network: 'facebook', url: `https://www.facebook.com/profile.php?id=${id}` }
        : null;
    }
    if (first === 'pages' && parts.length >= 3 && /^\d+$/.test(parts[2]))
      return { network: 'facebook', url: `https://www.facebook.com/${parts[2]}` };
    return handleProfile('facebook', 'https://www.facebook.com/', parts);
  }
  if (host === 'twitter.com' || host === 'x.com') return handleProfile('x', 'https://x.com/', parts);
  if (host === 'tiktok.com') {
    const handle = /^@([a-z0-9._]{2,24})$/i.exec(parts[0] ?? '');
    return handle ? { network: 'tiktok', url: `https://www.tiktok.com/@${handle[1].toLowerCase()}` } : null;
  }
  if (host === 'youtube.com') return youtubeChannel(parts);
  if (/^pinterest\.(?:com|[a-z]{2}|co\.uk|com\.[a-z]{2})$/.test(host))
    return handleProfile('pinterest', 'https://www.pinterest.com/', parts);
  return null;
}

function handleProfile(network: keyof typeof RESERVED, base: string, parts: string[]): SocialProfile | null {
  const handle = parts[0];
  if (!handle || !HANDLE.test(handle) || RESERVED[network].has(handle.toLowerCase())) return null;
  // A profile's sub-pages (/acme/about, /acme/photos) still name it; a post (/acme/status/123) names it too.
  return { network, url: `${base}${handle.toLowerCase()}` };
}

function youtubeChannel(parts: string[]): SocialProfile | null {
  const [first = '', second = ''] = parts;
  const handle = /^@([a-z0-9._-]{3,30})$/i.exec(first);
  if (handle) return { network: 'youtube', url: `https://www.youtube.com/@${handle[1].toLowerCase()}` };
  // Channel ids are case-sensitive; custom and legacy user names are not.
  if (first === 'channel' && /^UC[\w-]{22}$/.test(second))
    return { network: 'youtube', url: `https://www.youtube.com/channel/${second}` };
  if ((first === 'c' || first === 'user') && HANDLE.test(second))
    return { network: 'youtube', url: `https://www.youtube.com/${first}/${second.toLowerCase()}` };
  return null;
}
