/** Email addresses from a page's text, links and Cloudflare-protected spans: de-obfuscated, validated, filtered. */
import { safeDecode } from './decode';

const LOCAL = "[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*";
const DOMAIN = '(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,24}';
const EMAIL = new RegExp(`^${LOCAL}@${DOMAIN}$`, 'i');
/** The domain after an @, bounded so a long run of address-like characters cannot make the scan backtrack. */
const DOMAIN_AFTER_AT = /^(?:[a-z0-9-]{1,63}\.){1,8}[a-z]{2,24}/i;
const LOCAL_CHAR = /[a-z0-9._%+-]/i;

/** Bracketed "at" and "dot" as people write them to fool harvesters: info [at] example [dot] com, info(at)example.com. */
const AT = /\s*(?:\[\s*at\s*\]|\(\s*at\s*\)|\{\s*at\s*\}|<\s*at\s*>)\s*/gi;
const DOT = /\s*(?:\[\s*dot\s*\]|\(\s*dot\s*\)|\{\s*dot\s*\}|<\s*dot\s*>)\s*/gi;
/** Plain words ("info at example dot com") only when both are spelled out, so prose ("meet us at noon.") stays. */
const SPELLED = /\b([a-z0-9._%+-]{1,64}) at ([a-z0-9-]{1,63}(?: dot [a-z0-9-]{1,63}){1,4})\b/gi;
/** Fullwidth and small commercial at signs, which render as @ but are not. */
const AT_LOOKALIKES = /[\uff20\ufe6b]/g;

/** File names with a resolution suffix (logo@2x.png) look like addresses. */
const FILE_TLDS = new Set(
  'png jpg jpeg gif svg webp avif ico bmp tif tiff css js mjs json map xml pdf mp4 webm woff woff2 ttf eot'.split(' '),
);
/** Reserved example and documentation domains (RFC 2606) and the addresses of error trackers and site builders. */
const RESERVED_DOMAINS =
  /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost|domain\.com|yourdomain\.com|email\.com|sentry\.io|sentry-next\.wixpress\.com|wixpress\.com|sentry\.wixpress\.com)$/;
const SAMPLE_LOCALS = /^(?:your-?(?:name|email)|name|email|user(?:name)?|someone|john\.?doe|jane\.?doe)$/;
/** Error trackers put a hex key in the local part (e.g. 32 hex digits before @o123.ingest.sentry.io). */
const HEX_KEY = /^[0-9a-f]{24,}$/;

/** Lower-cased and checked, or null for anything that is not a deliverable-looking, real address. */
export function cleanEmail(raw: string): string | null {
  const email = raw
    .trim()
    .replace(/^mailto:/i, '')
    .replace(/^[<("'[]+|[>)"'\].,;:]+$/g, '')
    .toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) return null;
  const [local, domain] = email.split('@');
  if (local.length > 64 || local.startsWith('.') || local.endsWith('.')) return null;
  const tld = domain.slice(domain.lastIndexOf('.') + 1);
  if (FILE_TLDS.has(tld) || RESERVED_DOMAINS.test(domain)) return null;
  if (SAMPLE_LOCALS.test(local) || HEX_KEY.test(local)) return null;
  return email;
}

/** Undoes the common spelled-out forms; applied to text before searching it. */
export function deobfuscate(text: string): string {
  return text
    .replace(AT_LOOKALIKES, '@')
    .replace(AT, '@')
    .replace(DOT, '.')
    .replace(SPELLED, (_, local: string, domain: string) => `${local}@${domain.replace(/ dot /gi, '.')}`);
}

/** Addresses in text, found from each @ outwards: a regex scan from every position would be quadratic on long words. */
export function emailsInText(text: string): string[] {
  const clean = deobfuscate(text);
  const found: string[] = [];
  for (let at = clean.indexOf('@'); at !== -1; at = clean.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && at - start < 64 && LOCAL_CHAR.test(clean[start - 1])) start -= 1;
    // Punctuation before the address ("Mail:.info@…", "--info@…") is not part of it.
    while (start < at && /[.-]/.test(clean[start])) start += 1;
    const domain = start < at ? DOMAIN_AFTER_AT.exec(clean.slice(at + 1, at + 256)) : null;
    const email = domain && cleanEmail(`${clean.slice(start, at)}@${domain[0]}`);
    if (email) found.push(email);
  }
  return found;
}

/** The addresses of a `mailto:` link (several may be listed, with a query after them). */
export function emailsInMailto(href: string): string[] {
  const match = /^\s*mailto:([^?#]*)/i.exec(href);
  if (!match) return [];
  return safeDecode(match[1])
    .split(/[,;]/)
    .map((part) => cleanEmail(deobfuscate(part)))
    .filter((e): e is string => e !== null);
}

/** Cloudflare's email protection: the first byte is a key XORed into every following byte of the UTF-8 address. */
export function decodeCfEmail(hex: string): string | null {
  if (!/^(?:[0-9a-f]{2}){2,}$/i.test(hex) || hex.length > 1024) return null;
  const bytes = hex.match(/../g)!.map((h) => parseInt(h, 16));
  const key = bytes[0];
  const decoded = Buffer.from(bytes.slice(1).map((b) => b ^ key)).toString('utf8');
  return cleanEmail(decoded);
}
