/** The business a page describes in schema.org terms: JSON-LD first, microdata and `<address>` after. */
import { collapse } from '../../text/text-blocks';
import { countryCodeOf } from './identity';

export interface PostalAddress {
  street: string | null;
  postalCode: string | null;
  city: string | null;
  region: string | null;
  /** As the page writes it (a code or a name). */
  country: string | null;
  /** The address on one line, as a reader would write it. */
  text: string;
}

export interface Business {
  name: string | null;
  description: string | null;
  emails: string[];
  phones: string[];
  sameAs: string[];
  address: PostalAddress | null;
}

/** schema.org types that describe a business (a few of LocalBusiness's many subtypes by name; the rest by shape). */
const BUSINESS_TYPES = new Set(
  'organization localbusiness corporation ngo store onlinestore onlinebusiness restaurant cafeorcoffeeshop bakery barorpub foodestablishment professionalservice legalservice attorney dentist physician medicalbusiness medicalclinic hotel lodgingbusiness healthandbeautybusiness beautysalon hairsalon dayspa automotivebusiness autorepair homeandconstructionbusiness plumber electrician realestateagent travelagency brewery winery sportsactivitylocation exercisegym educationalorganization'.split(
    ' ',
  ),
);
const NOT_BUSINESS = new Set(
  'website webpage breadcrumblist person product offer event imageobject searchaction article blogposting'.split(' '),
);
const MAX_NODES = 2000;
const MAX_DEPTH = 12;

type Node = Record<string, unknown>;

/** The first business node of the page's JSON-LD blocks; malformed blocks are skipped. */
export function businessFromJsonLd(blocks: readonly string[]): Business | null {
  for (const block of blocks) {
    let data: unknown;
    try {
      data = JSON.parse(block.trim().replace(/^<!--|-->$/g, ''));
    } catch {
      continue;
    }
    const node = findBusiness(data);
    if (node) return toBusiness(node);
  }
  return null;
}

function findBusiness(root: unknown): Node | null {
  const queue: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  let fallback: Node | null = null;
  for (let seen = 0; queue.length && seen < MAX_NODES; seen += 1) {
    const { value, depth } = queue.shift()!;
    if (depth > MAX_DEPTH || value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (const item of value) queue.push({ value: item, depth: depth + 1 });
      continue;
    }
    const node = value as Node;
    const types = strings(node['@type']).map((t) => t.toLowerCase().replace(/^https?:\/\/schema\.org\//, ''));
    if (types.some((t) => BUSINESS_TYPES.has(t))) return node;
    // Unlisted LocalBusiness subtypes (Florist, Locksmith…) still carry a name and an address or phone.
    if (
      !fallback &&
      types.length &&
      !types.some((t) => NOT_BUSINESS.has(t)) &&
      text(node.name) &&
      (node.address || node.telephone)
    )
      fallback = node;
    for (const key of ['@graph', 'mainEntity', 'publisher', 'provider', 'brand', 'author', 'about'])
      if (key in node) queue.push({ value: node[key], depth: depth + 1 });
  }
  return fallback;
}

function toBusiness(node: Node): Business {
  // Larger organisations list their lines as contact points (sales, support).
  const points = (Array.isArray(node.contactPoint) ? node.contactPoint : [node.contactPoint]).filter(
    (p): p is Node => p !== null && typeof p === 'object',
  );
  return {
    name: text(node.name) || text(node.legalName),
    description: text(node.description),
    emails: [node, ...points].flatMap((n) => strings(n.email)),
    phones: [node, ...points].flatMap((n) => strings(n.telephone)),
    sameAs: strings(node.sameAs),
    address: postalAddress(Array.isArray(node.address) ? node.address[0] : node.address),
  };
}

function postalAddress(value: unknown): PostalAddress | null {
  if (typeof value === 'string') return value.trim() ? addressFromText(value) : null;
  if (!value || typeof value !== 'object') return null;
  const node = value as Node;
  const country = node.addressCountry;
  return addressFromParts({
    street: text(node.streetAddress),
    postalCode: text(node.postalCode),
    city: text(node.addressLocality),
    region: text(node.addressRegion),
    country: text(country) || (country && typeof country === 'object' ? text((country as Node).name) : null),
  });
}

/** Microdata properties (itemprop) as the page scan collected them. */
export function addressFromMicrodata(props: readonly { prop: string; value: string }[]): PostalAddress | null {
  const first = (name: string) => props.find((p) => p.prop === name)?.value || null;
  const parts = {
    street: first('streetAddress'),
    postalCode: first('postalCode'),
    city: first('addressLocality'),
    region: first('addressRegion'),
    country: first('addressCountry'),
  };
  return parts.street || parts.city ? addressFromParts(parts) : null;
}

function addressFromParts(parts: Omit<PostalAddress, 'text'>): PostalAddress | null {
  const locality = [parts.postalCode, parts.city].filter(Boolean).join(' ');
  const line = [parts.street, locality, parts.region, parts.country].filter(Boolean).join(', ');
  return line ? { ...parts, text: line } : null;
}

/**
 * An address written as text (`<address>`, a JSON-LD string): the city is read after a European-style postal
 * code ("20121 Milano", "D-10115 Berlin"), the country from a last part that names one ("…, Italia"); the rest
 * stays text.
 */
export function addressFromText(raw: string): PostalAddress | null {
  const line = collapse(raw).slice(0, 300);
  if (!line) return null;
  const match = /(?:^|[\s,])(?:[A-Z]{1,2}-)?(\d{4,5})\s+([\p{Lu}][\p{L}'.-]*(?:\s[\p{Lu}][\p{L}'.-]*)?)/u.exec(line);
  const last = line.split(',').at(-1)!.trim();
  return {
    street: null,
    postalCode: match?.[1] ?? null,
    city: match?.[2] ?? null,
    region: null,
    country: countryCodeOf(last) && last.length > 2 ? last : null,
    text: line,
  };
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return collapse(value) || null;
  if (Array.isArray(value)) return text(value[0]);
  return null;
}

function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
}
