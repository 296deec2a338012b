/**
 * The address half of the SSRF rules: the fetcher resolves a host itself, refuses it when any of its addresses is not
 * public (unless allow-listed), and hands the socket a lookup that answers only those checked addresses, so nothing
 * resolves the name a second time between the check and the connect (DNS rebinding).
 */
import dns from 'node:dns';
import { type LookupFunction } from 'node:net';
import { failure } from '../../lib/failures';
import { classifyAddress } from '../../lib/net/ip-ranges';
import { type UrlTarget } from '../../lib/net/url-policy';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address of a host name; injectable so tests can make a name resolve where they need it. */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (host) =>
  (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

const MISSING_NAME = new Set(['ENOTFOUND', 'ENODATA', 'ENONAME']);

/** The addresses the connection may use, all checked; throws `AddressRefused`, `DomainNotFound` or `SiteUnreachable`. */
export async function resolveTarget(target: UrlTarget, resolve: Resolver): Promise<ResolvedAddress[]> {
  const literal = classifyAddress(target.host);
  let addresses: ResolvedAddress[];
  if (literal.family) addresses = [{ address: target.host, family: literal.family }];
  else {
    try {
      addresses = await resolve(target.host);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (MISSING_NAME.has(code)) throw failure('DomainNotFound', `${target.host} does not resolve (${code})`);
      throw failure('SiteUnreachable', `${target.host} could not be resolved: ${(err as Error).message}`);
    }
    if (addresses.length === 0) throw failure('DomainNotFound', `${target.host} has no address`);
  }
  if (target.allowListed) return addresses;
  for (const { address } of addresses) {
    const { range, embedded } = classifyAddress(address);
    if (range !== 'public')
      throw failure(
        'AddressRefused',
        `${target.host} resolves to ${address}${embedded ? ` (carrying ${embedded})` : ''}, a ${range} address: not fetched`,
        { details: [{ host: target.host, address, range }] },
      );
  }
  return addresses;
}

/** A `lookup` for http.request that answers the checked addresses and never asks DNS. */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
    const usable = wanted ? addresses.filter((a) => a.family === wanted) : addresses;
    if (usable.length === 0) {
      const err: NodeJS.ErrnoException = new Error(`no checked IPv${wanted} address`);
      err.code = 'ENOTFOUND';
      callback(err, '', 0);
    } else if (options.all) (callback as (e: null, all: ResolvedAddress[]) => void)(null, [...usable]);
    else callback(null, usable[0].address, usable[0].family);
  };
}
