/**
 * Which addresses the web fetcher may connect to: only global unicast. Everything else (loopback, private, shared
 * CGNAT space, link-local with the cloud metadata service, multicast, documentation and reserved blocks) is refused,
 * and an IPv6 form that carries an IPv4 address (mapped, NAT64, 6to4) is judged by the address it carries.
 */

export type AddressRange =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved'
  | 'invalid';

export interface AddressClass {
  range: AddressRange;
  family?: 4 | 6;
  /** The IPv4 address an IPv6 form carries (::ffff:a.b.c.d, 64:ff9b::a.b.c.d, 2002:…), which decided the range. */
  embedded?: string;
}

interface Block<T> {
  base: T;
  bits: number;
  range: AddressRange;
}

// First match wins: the more specific blocks come first.
const V4_BLOCKS: Block<number>[] = [
  ['255.255.255.255', 32, 'broadcast'],
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
].map(([base, bits, range]) => ({
  base: parseIpv4(base as string)!,
  bits: bits as number,
  range: range as AddressRange,
}));

/** IPv6 blocks that carry an IPv4 address in their low 32 bits (6to4 carries it in bits 16–48). */
const V6_CARRIERS: { base: bigint; bits: number; v4At: number }[] = [
  { base: v6('::ffff:0:0'), bits: 96, v4At: 0 },
  { base: v6('64:ff9b::'), bits: 96, v4At: 0 },
  { base: v6('2002::'), bits: 16, v4At: 80 },
];

const V6_BLOCKS: Block<bigint>[] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::', 96, 'reserved'], // IPv4-compatible, deprecated
  ['64:ff9b:1::', 48, 'private'], // local-use NAT64
  ['100::', 64, 'reserved'], // discard-only
  ['2001::', 32, 'reserved'], // Teredo
  ['2001:db8::', 32, 'documentation'],
  ['fc00::', 7, 'private'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'private'], // site-local, deprecated
  ['ff00::', 8, 'multicast'],
  ['2000::', 3, 'public'],
].map(([base, bits, range]) => ({ base: v6(base as string), bits: bits as number, range: range as AddressRange }));

/** The range of an address as DNS or a URL gives it (`[::1]`, `fe80::1%eth0` accepted); unparsable is `invalid`. */
export function classifyAddress(address: string): AddressClass {
  const v4 = parseIpv4(address);
  if (v4 !== undefined) return { family: 4, range: classifyV4(v4) };
  const value = parseIpv6(address);
  if (value === undefined) return { range: 'invalid' };
  for (const carrier of V6_CARRIERS) {
    if (!inBlock128(value, carrier.base, carrier.bits)) continue;
    const inner = Number((value >> BigInt(carrier.v4At)) & 0xffffffffn);
    return { family: 6, range: classifyV4(inner), embedded: formatIpv4(inner) };
  }
  // Outside 2000::/3 nothing is global unicast today.
  const block = V6_BLOCKS.find((b) => inBlock128(value, b.base, b.bits));
  return { family: 6, range: block?.range ?? 'reserved' };
}

export const isPublicAddress = (address: string): boolean => classifyAddress(address).range === 'public';

function classifyV4(value: number): AddressRange {
  const block = V4_BLOCKS.find((b) => value >>> (32 - b.bits) === b.base >>> (32 - b.bits));
  return block?.range ?? 'public';
}

function inBlock128(value: bigint, base: bigint, bits: number): boolean {
  const shift = BigInt(128 - bits);
  return value >> shift === base >> shift;
}

/** Canonical dotted quads only: DNS and the WHATWG URL parser never give anything else. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

/** An IPv6 address as a 128-bit integer; brackets and a zone id are ignored, a dotted IPv4 tail is read. */
export function parseIpv6(text: string): bigint | undefined {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const lastColon = s.lastIndexOf(':');
  if (lastColon < 0) return undefined;
  if (s.includes('.', lastColon)) {
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

function v6(text: string): bigint {
  const value = parseIpv6(text);
  if (value === undefined) throw new Error(`bad IPv6 constant ${text}`);
  return value;
}
