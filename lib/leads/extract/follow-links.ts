/** Same-site pages worth a visit after the home page, best first, for the crawler's bounded follow-up. */
import { domainOrNull } from '../normalize';
import { safeDecode } from './decode';

export type FollowKind = 'contact' | 'impressum' | 'about' | 'team';

export interface FollowLink {
  url: string;
  kind: FollowKind;
  /** The page it was found on. */
  source: string;
}

/** Most useful first: a contact page and a legal notice name the email, phone and address. */
const KINDS: { kind: FollowKind; words: RegExp }[] = [
  { kind: 'contact', words: /contact|kontakt|contatt|contacto|contato|nous-contacter|get-in-touch|reach-us/ },
  { kind: 'impressum', words: /impressum|imprint|legal-notice|mentions-legales|note-legali|aviso-legal|colofon/ },
  {
    kind: 'about',
    words: /about|ueber-uns|uber-uns|über-uns|chi-siamo|qui-sommes-nous|quienes-somos|sobre-nos|azienda|over-ons/,
  },
  { kind: 'team', words: /team|staff|people|squadra|equipe|equipo/ },
];
const SKIP = /\.(?:pdf|jpe?g|png|gif|svg|webp|zip|docx?|xlsx?|mp4|mp3)$/i;
export const MAX_FOLLOW_LINKS = 8;

export function rankFollowLinks(
  links: readonly { href: string; text: string; source: string }[],
  visited: readonly string[],
): FollowLink[] {
  const seen = new Set(visited.map(withoutHash));
  const ranked: (FollowLink & { rank: number })[] = [];
  for (const link of links) {
    let url: URL;
    try {
      url = new URL(link.href, link.source);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    if (!sameSite(link.source, url) || SKIP.test(url.pathname)) continue;
    const key = withoutHash(url.href);
    if (seen.has(key)) continue;
    const words = `${safeDecode(url.pathname)} ${link.text}`.toLowerCase().replace(/[\s_]+/g, '-');
    const index = KINDS.findIndex((k) => k.words.test(words));
    if (index === -1) continue;
    seen.add(key);
    // Shallow paths first within a kind: /contact before /blog/2021/contact-us-for-a-quote.
    const depth = url.pathname.split('/').filter(Boolean).length;
    ranked.push({ url: key, kind: KINDS[index].kind, source: link.source, rank: index * 100 + depth });
  }
  return ranked
    .sort((a, b) => a.rank - b.rank)
    .slice(0, MAX_FOLLOW_LINKS)
    .map(({ url, kind, source }) => ({ url, kind, source }));
}

/** Same registrable domain (www. or not); a host with no public domain (an IP, an intranet name) only matches itself. */
function sameSite(source: string, url: URL): boolean {
  const site = domainOrNull(source);
  if (site) return domainOrNull(url.hostname) === site;
  try {
    return new URL(source).host === url.host;
  } catch {
    return false;
  }
}

function withoutHash(href: string): string {
  try {
    const url = new URL(href);
    url.hash = '';
    return url.href;
  } catch {
    return href;
  }
}
