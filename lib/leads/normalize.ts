/**
 * Normal forms of the values leads are deduplicated on: a domain (lowercase, punycode, no `www.`) and an email
 * (trimmed, lowercase). Pure: the import, the API and the enrichment merge all key leads the same way.
 */
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';

/** Why a value has no normal form; shown next to the row and column it came from. */
export type Refusal = { refused: string };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** Hosts that name the machine itself or a private network, never a business's site. */
const LOCAL_NAMES = /(?:^|\.)(?:localhost|local|localdomain|internal|invalid|test|example|home\.arpa)$/;

/** The host of a website or bare domain (`https://www.Café.it/x` → `xn--caf-dma.it`), or why it has none. */
export function normalizeDomain(input: string): string | Refusal {
  const text = input.trim();
  if (!text) return { refused: 'empty' };
  if (text.length > 2048) return { refused: 'longer than 2048 characters' };
  let host: string;
  try {
    // A scheme without an authority (mailto:, javascript:) names no site; host:port does not count as one.
    if (/^[a-z][a-z0-9+.-]*:(?!\/\/|\d)/i.test(text)) return { refused: 'not an http(s) address' };
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text.replace(/^\/\//, '')}`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { refused: 'not an http(s) address' };
    if (url.username) return { refused: 'an address with credentials, not a website' };
    host = url.hostname;
  } catch {
    return { refused: 'not a website address' };
  }
  if (host.startsWith('[') || isIP(host)) return { refused: 'an IP address, not a domain' };
  const ascii = domainToASCII(host.replace(/\.$/, '')).toLowerCase();
  if (!ascii) return { refused: 'not a valid domain name' };
  if (isIP(ascii)) return { refused: 'an IP address, not a domain' };
  const domain = ascii.replace(/^www\d*\./, '');
  if (LOCAL_NAMES.test(domain)) return { refused: 'a local host name, not a public domain' };
  const labels = domain.split('.');
  if (labels.length < 2 || domain.length > 253 || !labels.every((l) => LABEL.test(l)))
    return { refused: 'not a valid domain name' };
  if (/^\d+$/.test(labels[labels.length - 1])) return { refused: 'an IP address, not a domain' };
  return domain;
}

/** The domain, or null when there is none (the extraction's form: it only compares sites). */
export function domainOrNull(urlOrHost: string): string | null {
  const domain = normalizeDomain(urlOrHost);
  return typeof domain === 'string' ? domain : null;
}

/** The site to visit for a website cell: the scheme kept when given, https assumed otherwise. */
export function normalizeWebsite(input: string): string | Refusal {
  const domain = normalizeDomain(input);
  if (typeof domain !== 'string') return domain;
  const text = input.trim();
  const url = new URL(/^https?:\/\//i.test(text) ? text : `https://${text}`);
  url.hash = '';
  return url.toString();
}

// Deliberately loose (RFC 5322 allows far more): one @, no spaces, a dotted domain part.
const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

export function normalizeEmail(input: string): string | Refusal {
  const text = input.trim().replace(/^mailto:/i, '');
  if (!text) return { refused: 'empty' };
  if (text.length > 320 || !EMAIL.test(text)) return { refused: 'not an email address' };
  const at = text.lastIndexOf('@');
  const domain = domainToASCII(text.slice(at + 1).toLowerCase());
  if (!domain) return { refused: 'the domain of the address is not valid' };
  return `${text.slice(0, at).toLowerCase()}@${domain}`;
}

/** A phone as written, trimmed of separators it does not need; E.164 comes later, with the country hint. */
export function normalizePhone(input: string): string | Refusal {
  const text = input
    .trim()
    .replace(/^tel:/i, '')
    .replace(/[\s.\-/()]+/g, ' ')
    .trim();
  const digits = text.replace(/\D/g, '');
  if (!text) return { refused: 'empty' };
  if (!/^\+?[\d ]+$/.test(text) || digits.length < 5 || digits.length > 17) return { refused: 'not a phone number' };
  return text.startsWith('+') ? `+${digits}` : digits;
}

/** A cell holding several values (`a@x.it; b@x.it`). */
export function splitList(cell: string): string[] {
  return cell
    .split(/[;,|\n]+|\s{2,}/)
    .map((v) => v.trim())
    .filter(Boolean);
}

export const isRefusal = (v: unknown): v is Refusal => typeof v === 'object' && v !== null && 'refused' in v;
