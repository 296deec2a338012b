import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';

/** Hosts that name the machine itself or a private network, never a business's site. */
const LOCAL_NAMES = /(?:^|\.)(?:localhost|local|localdomain|internal|invalid|test|example|home\.arpa)$/;

/**
 * The registrable-looking host of a site, for deduplicating leads: lower-cased, IDN in punycode, without `www.`,
 * port, path or trailing dot. Null for anything that is not a public DNS name (IP addresses, localhost, single
 * labels, malformed input).
 */
export function normalizeDomain(urlOrHost: string): string | null {
  const host = hostOf(urlOrHost.trim());
  if (!host) return null;
  // Bracketed IPv6, and hosts WHATWG would read as IPv4 in any notation (0x7f.1, 2130706433).
  if (host.startsWith('[') || isIP(host)) return null;
  const ascii = domainToASCII(host.replace(/\.$/, ''));
  if (!ascii || isIP(ascii)) return null;
  const domain = ascii.replace(/^www\d*\./, '');
  const labels = domain.split('.');
  if (labels.length < 2 || labels.some((l) => !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l))) return null;
  if (/^\d+$/.test(labels[labels.length - 1]) || LOCAL_NAMES.test(domain)) return null;
  return domain;
}

function hostOf(input: string): string | null {
  // A scheme without an authority (mailto:, javascript:) names no site; host:port does not count as one.
  if (!input || /^[a-z][a-z0-9+.-]*:(?!\/\/|\d)/i.test(input)) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : `http://${input.replace(/^\/\//, '')}`;
  try {
    const url = new URL(withScheme);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username) return null;
    return url.hostname.toLowerCase();
  } catch {
    return null;
  }
}
