/**
 * Google Places (New) results for a lead: the text query to send, the candidate that is the lead's business, and the
 * lead fields it fills. Pure: the client (activities/leads/places-client.ts) does the HTTP.
 *
 * A wrong match is worse than none (it would give the lead another business's phone and address), so a candidate is
 * accepted only when its website is the lead's, or, when either side has no website, when its name is close to the
 * lead's and its city agrees. A different website, city or country rejects it outright.
 */
import { countryCode, e164 } from './extract/phones';
import { countryCodeOf } from './extract/identity';
import type { LeadFields } from './lead-fields';
import { domainOrNull, normalizeWebsite } from './normalize';

/** `LocalizedText` of the Places API. */
export interface PlaceText {
  text: string;
  languageCode?: string;
}

export interface PlaceAddressComponent {
  longText: string;
  shortText?: string;
  types: string[];
  languageCode?: string;
}

/** The fields of a Place (v1) the lookup asks for: each is in the field mask, and absent when Google has no value. */
export interface GooglePlace {
  id: string;
  displayName?: PlaceText;
  formattedAddress?: string;
  addressComponents?: PlaceAddressComponent[];
  nationalPhoneNumber?: string;
  internationalPhoneNumber?: string;
  websiteUri?: string;
  primaryType?: string;
  primaryTypeDisplayName?: PlaceText;
  types?: string[];
  googleMapsUri?: string;
  rating?: number;
  userRatingCount?: number;
  /** OPERATIONAL, CLOSED_TEMPORARILY, CLOSED_PERMANENTLY. */
  businessStatus?: string;
}

/** The Place fields read below: the client's `X-Goog-FieldMask` is built from this list. */
export const PLACE_FIELDS = [
  'id',
  'displayName',
  'formattedAddress',
  'addressComponents',
  'nationalPhoneNumber',
  'internationalPhoneNumber',
  'websiteUri',
  'primaryType',
  'primaryTypeDisplayName',
  'types',
  'googleMapsUri',
  'rating',
  'userRatingCount',
  'businessStatus',
] as const satisfies readonly (keyof GooglePlace)[];

/** What the lookup knows of the lead. */
export interface PlaceLead {
  companyName: string | null;
  website: string | null;
  domain: string | null;
  city: string | null;
  country: string | null;
}

/** How alike two business names are, 0–1, at or above which a candidate without a website to confirm it is taken. */
export const NAME_MATCH = 0.6;
/** The same, when the lead has no city to confirm the candidate either. */
export const NAME_MATCH_WITHOUT_CITY = 0.8;
/** Two unconfirmed candidates this close in score are two businesses with one name: neither is taken. */
const AMBIGUOUS_MARGIN = 0.05;

/** The text query for a lead ("Atelier Lumière, Lyon"), or null when it has neither a name nor a domain. */
export function placesQuery(lead: PlaceLead): string | null {
  const what = lead.companyName?.trim() || leadDomain(lead);
  if (!what) return null;
  const city = lead.city?.trim();
  return city && !fold(what).includes(fold(city)) ? `${what}, ${city}` : what;
}

export interface PlaceVerdict {
  place: GooglePlace;
  /** Higher is better; comparable between candidates of one lead only. */
  score: number;
  /** The candidate's website is the lead's. */
  sameSite: boolean;
  /** Why the candidate is not the lead's business; absent when it is. */
  rejected?: string;
}

/** Judges one candidate against the lead. */
export function judgePlace(lead: PlaceLead, place: GooglePlace): PlaceVerdict {
  const verdict = (score: number, sameSite: boolean, rejected?: string): PlaceVerdict => ({
    place,
    score,
    sameSite,
    ...(rejected ? { rejected } : {}),
  });
  const domain = leadDomain(lead);
  const placeDomain = place.websiteUri ? ownDomain(place.websiteUri) : null;
  if (domain && placeDomain && !sameDomain(domain, placeDomain))
    return verdict(0, false, `its website is ${placeDomain}, not ${domain}`);
  const sameSite = Boolean(domain && placeDomain);

  const country = countryCodeOf(lead.country);
  const placeCountry = countryOf(place);
  if (country && placeCountry && country !== placeCountry)
    return verdict(0, sameSite, `it is in ${placeCountry}, not ${country}`);

  const cityAgrees = lead.city?.trim() ? cityMatches(lead.city, place) : null;
  if (cityAgrees === false) return verdict(0, sameSite, `it is not in ${lead.city!.trim()}`);

  const name = place.displayName?.text ?? '';
  const similarity = lead.companyName?.trim() ? nameSimilarity(lead.companyName, name) : null;
  if (!sameSite) {
    // Without the website to confirm it, the name must: closely when the city cannot confirm it either.
    if (similarity === null) return verdict(0, false, 'no name and no website to compare');
    const needed = cityAgrees ? NAME_MATCH : NAME_MATCH_WITHOUT_CITY;
    if (similarity < needed) return verdict(similarity, false, `its name "${name}" is too unlike the lead's`);
  }
  const closed = place.businessStatus && place.businessStatus !== 'OPERATIONAL' ? 0.05 : 0;
  const score = 0.5 * (similarity ?? 0.5) + (sameSite ? 0.4 : 0) + (cityAgrees ? 0.1 : 0) - closed;
  return verdict(score, sameSite);
}

export type PlaceChoice = { place: GooglePlace; sameSite: boolean } | { place: null; reason: string };

/** The lead's business among Google's candidates, or why none is. */
export function choosePlace(lead: PlaceLead, places: GooglePlace[]): PlaceChoice {
  if (places.length === 0) return { place: null, reason: 'Google found no place' };
  const verdicts = places.map((p) => judgePlace(lead, p));
  const accepted = verdicts.filter((v) => !v.rejected).sort((a, b) => b.score - a.score);
  const best = accepted[0];
  if (!best) return { place: null, reason: verdicts[0].rejected ?? 'no candidate matched' };
  const rival = accepted.find((v) => v !== best && !v.sameSite && v.place.id !== best.place.id);
  if (!best.sameSite && rival && best.score - rival.score < AMBIGUOUS_MARGIN)
    return {
      place: null,
      reason: `"${best.place.displayName?.text}" and "${rival.place.displayName?.text}" match alike`,
    };
  return { place: best.place, sameSite: best.sameSite };
}

export interface PlaceFields {
  placeId: string;
  fields: Partial<LeadFields>;
  mapsUrl: string | null;
  rating?: number;
  ratingCount?: number;
  businessStatus?: string;
}

/** The lead fields a place gives; only values Google has (a merge fills the lead's gaps with them). */
export function placeToLeadFields(place: GooglePlace): PlaceFields {
  const fields: Partial<LeadFields> = {};
  const name = place.displayName?.text?.trim();
  if (name) fields.companyName = name;
  // A profile on a shared host (a Facebook page) is not a website: its domain would key the lead as facebook.com.
  const website = place.websiteUri && ownDomain(place.websiteUri) ? cleanWebsite(place.websiteUri) : null;
  if (website) {
    fields.website = website;
    fields.domain = ownDomain(website);
  }
  if (place.formattedAddress?.trim()) fields.address = place.formattedAddress.trim();
  const city = cityOf(place);
  if (city) fields.city = city;
  const country = countryOf(place);
  if (country) fields.country = country;
  const category = place.primaryTypeDisplayName?.text?.trim() || typeLabel(place.primaryType);
  if (category) fields.category = category;
  const phone =
    (place.internationalPhoneNumber && e164(place.internationalPhoneNumber)) ||
    (place.nationalPhoneNumber && e164(place.nationalPhoneNumber, countryCode(country)));
  if (phone) fields.phones = [phone];
  return {
    placeId: place.id,
    fields,
    mapsUrl: place.googleMapsUri ?? null,
    ...(typeof place.rating === 'number' ? { rating: place.rating } : {}),
    ...(typeof place.userRatingCount === 'number' ? { ratingCount: place.userRatingCount } : {}),
    ...(place.businessStatus ? { businessStatus: place.businessStatus } : {}),
  };
}

/** ISO 3166 alpha-2 of the place's country component. */
export function countryOf(place: GooglePlace): string | null {
  const code = place.addressComponents?.find((c) => c.types.includes('country'))?.shortText?.toUpperCase();
  return code && /^[A-Z]{2}$/.test(code) ? code : null;
}

/** Where the place's city stands in its address: the locality, else the UK's postal town, else the municipality. */
const CITY_TYPES = ['locality', 'postal_town', 'administrative_area_level_3', 'sublocality'];

export function cityOf(place: GooglePlace): string | null {
  for (const type of CITY_TYPES) {
    const found = place.addressComponents?.find((c) => c.types.includes(type))?.longText?.trim();
    if (found) return found;
  }
  return null;
}

/**
 * Whether the lead's city is the place's, or null when the place says nothing of its city. Any component of the
 * address counts (a district, a province, a municipality), and so does its formatted address, so "Milano" agrees
 * with a place in Sesto San Giovanni, Città Metropolitana di Milano.
 */
function cityMatches(city: string, place: GooglePlace): boolean | null {
  const wanted = tokens(city).join(' ');
  if (!wanted) return null;
  const names = (place.addressComponents ?? [])
    .filter((c) => !c.types.includes('country') && !c.types.includes('postal_code'))
    .map((c) => c.longText);
  if (place.formattedAddress) names.push(place.formattedAddress);
  if (names.length === 0) return null;
  return names.some((n) => ` ${tokens(n).join(' ')} `.includes(` ${wanted} `));
}

/** Legal forms and filler words that say nothing about which business a name is. */
const NOISE = new Set(
  (
    'srl srls spa sas snc sapa ss sl slu sa sarl sasu eurl gmbh ag kg ug ohg ltd limited llc llp inc incorporated ' +
    'corp corporation co company plc bv nv ab oy as aps the di de del della la le les il lo of and und et e y & group'
  ).split(' '),
);

/** Lowercase words without accents ("Café Müller S.r.l." → cafe muller srl). */
function tokens(text: string): string[] {
  return fold(text)
    .replace(/\b([a-z])\.(?=[a-z]\.)/g, '$1')
    .replace(/\.(?=\s|$)/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * How alike two business names are, 0–1: all the words of the shorter name found in the longer one count as a near
 * match (Google adds the trade: "Rossi" → "Idraulica Rossi"), otherwise the overlap of letter pairs decides (spelling
 * and spacing differences: "Da Mario" → "DaMario's").
 */
export function nameSimilarity(a: string, b: string): number {
  const wa = tokens(a).filter((t) => !NOISE.has(t));
  const wb = tokens(b).filter((t) => !NOISE.has(t));
  if (wa.length === 0 || wb.length === 0) return 0;
  const [short, long] = wa.length <= wb.length ? [wa, wb] : [wb, wa];
  const inLong = short.filter((t) => long.includes(t)).length;
  // Rounded so that thresholds compare as written (2/3 of the way is 0.87, not 0.8666…).
  const round = (n: number) => Math.round(n * 100) / 100;
  if (inLong === short.length) return round(0.6 + (0.4 * short.length) / long.length);
  return round(Math.max(dice(wa.join(''), wb.join('')), inLong / long.length));
}

/** Sørensen–Dice coefficient of the strings' letter pairs. */
function dice(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const pairs = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) pairs.set(a.slice(i, i + 2), (pairs.get(a.slice(i, i + 2)) ?? 0) + 1);
  let shared = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const pair = b.slice(i, i + 2);
    const left = pairs.get(pair) ?? 0;
    if (left > 0) {
      shared++;
      pairs.set(pair, left - 1);
    }
  }
  return (2 * shared) / (a.length - 1 + b.length - 1);
}

/**
 * Hosts where many businesses have a page under one domain (facebook.com/acme, linktr.ee/acme): the domain says
 * nothing of which business it is, so it neither confirms nor refutes a candidate.
 */
const SHARED_HOSTS =
  /(?:^|\.)(?:facebook\.com|fb\.com|instagram\.com|linkedin\.com|twitter\.com|x\.com|tiktok\.com|youtube\.com|linktr\.ee|wa\.me|t\.me|goo\.gl|google\.[a-z.]+|yelp\.[a-z.]+|tripadvisor\.[a-z.]+|paginegialle\.it|pagesjaunes\.fr|gelbeseiten\.de)$/;

/** The domain of a business's own site; null for none, or for a page on a shared host. */
function ownDomain(urlOrDomain: string): string | null {
  const domain = domainOrNull(urlOrDomain);
  return domain && !SHARED_HOSTS.test(domain) ? domain : null;
}

function leadDomain(lead: PlaceLead): string | null {
  return (lead.domain && ownDomain(lead.domain)) || (lead.website && ownDomain(lead.website)) || null;
}

/** One site: the same domain, or one a subdomain of the other (shop.acme.it is acme.it's). */
function sameDomain(a: string, b: string): boolean {
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}

/** The website without the campaign parameters Google Business profiles often carry (utm_source=gmb). */
function cleanWebsite(uri: string): string | null {
  const website = normalizeWebsite(uri);
  if (typeof website !== 'string') return null;
  const url = new URL(website);
  for (const key of [...url.searchParams.keys()]) if (/^utm_/i.test(key)) url.searchParams.delete(key);
  return url.toString();
}

/** "italian_restaurant" → "Italian restaurant", for places without a display name of their type. */
function typeLabel(type: string | undefined): string | null {
  if (!type || !/^[a-z0-9_]+$/.test(type)) return null;
  const words = type.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
