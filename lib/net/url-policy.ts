/**
 * The URL half of the web fetcher's SSRF rules, before any address is known: http and https only, no credentials,
 * ports 80 and 443 unless allow-listed. The allow-list also lets a host reach non-public addresses (a test's site
 * farm, an intranet CRM). Entries: `host` (its standard ports), `host:port`, `host:*` (any port); IPv6 in brackets.
 */

export interface AllowEntry {
  host: string;
  /** A port, '*' for any, undefined for the standard ports only. */
  port?: number | '*';
}

export interface UrlTarget {
  url: URL;
  /** The hostname without IPv6 brackets or a trailing dot, lower case. */
  host: string;
  port: number;
  /** An allow-list entry names this host and port: its addresses are not checked. */
  allowListed: boolean;
}

export type UrlVerdict = { ok: true; target: UrlTarget } | { ok: false; reason: string };

const STANDARD_PORTS = new Set([80, 443]);
const DEFAULT_PORT: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** Reads `CRAWLER_ALLOWED_HOSTS` entries; a malformed one throws, so a typo fails the boot instead of opening a hole. */
export function parseAllowList(entries: readonly string[]): AllowEntry[] {
  return entries.map((raw) => {
    const entry = raw.trim().toLowerCase();
    const bareV6 = !entry.startsWith('[') && entry.split(':').length > 2;
    const match = bareV6 ? [entry, entry] : /^\[?([^\]\s/:]+|[0-9a-f:.]+)\]?(?::(\d{1,5}|\*))?$/.exec(entry);
    const [host, port] = [match?.[1], match?.[2]];
    if (!host || (port !== undefined && port !== '*' && Number(port) > 65535))
      throw new Error(`not a host, host:port or host:* allow-list entry: "${raw}"`);
    return { host: normaliseHost(host), port: port === undefined ? undefined : port === '*' ? '*' : Number(port) };
  });
}

/** Checks a URL (the one asked for or a redirect's target) against the rules that need no DNS. */
export function checkUrl(raw: string | URL, allowList: readonly AllowEntry[]): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: `not a URL: ${String(raw).slice(0, 200)}` };
  }
  if (!(url.protocol in DEFAULT_PORT))
    return { ok: false, reason: `only http and https are fetched, not ${url.protocol}` };
  if (url.username || url.password) return { ok: false, reason: 'URLs with credentials are not fetched' };
  const host = normaliseHost(url.hostname);
  if (!host) return { ok: false, reason: 'the URL has no host' };
  const port = url.port ? Number(url.port) : DEFAULT_PORT[url.protocol];
  const allowListed = allowList.some(
    (e) => e.host === host && (e.port === '*' || e.port === port || (e.port === undefined && STANDARD_PORTS.has(port))),
  );
  if (!allowListed && !STANDARD_PORTS.has(port))
    return { ok: false, reason: `port ${port} is not fetched (only 80 and 443 unless the host is allow-listed)` };
  return { ok: true, target: { url, host, port, allowListed } };
}

function normaliseHost(host: string): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (!bare.includes(':')) return bare.toLowerCase();
  // IPv6 in its canonical (compressed) spelling, as the URL parser gives a URL's hostname.
  try {
    return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  } catch {
    return bare.toLowerCase();
  }
}
