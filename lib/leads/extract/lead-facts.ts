import { type TextBlock } from '../../text/text-blocks';
import { domainOrNull } from '../normalize';
import { decodeCfEmail, emailsInMailto, emailsInText, cleanEmail } from './emails';
import { rankFollowLinks, type FollowLink } from './follow-links';
import {
  countryCodeOf,
  countryOfDomain,
  detectLanguage,
  LANGUAGE_SAMPLE,
  languageCode,
  nameFromTitle,
} from './identity';
import { scanPage, type PageScan } from './page-scan';
import { countryCode, e164, phoneFromTel, phonesInText } from './phones';
import { socialProfile, type SocialNetwork } from './social';
import {
  addressFromMicrodata,
  addressFromText,
  businessFromJsonLd,
  type Business,
  type PostalAddress,
} from './structured-data';
import { detectTechnologies, type Technology } from './technologies';

/** A fact and the URL of the page it was read from. */
export interface Sourced<T> {
  value: T;
  source: string;
}

export interface LeadFacts {
  name: Sourced<string> | null;
  description: Sourced<string> | null;
  /** Primary language subtag (it, en): as the page declares it, else detected from its prose. */
  language: Sourced<string> | null;
  /** Lower-cased, validated. */
  emails: Sourced<string>[];
  /** E.164. */
  phones: Sourced<string>[];
  /** Canonical profile URLs. */
  socials: (Sourced<string> & { network: SocialNetwork })[];
  address: Sourced<PostalAddress> | null;
  city: Sourced<string> | null;
  /** ISO 3166 alpha-2. */
  country: Sourced<string> | null;
  technologies: (Sourced<string> & { category: Technology['category'] })[];
  /** Same-site pages not fetched yet that likely hold contact details, best first. */
  followLinks: FollowLink[];
  /** Pages whose markup was refused part-way (nested too deep): what was read before the refusal still counts. */
  truncatedPages: string[];
}

export interface LeadPage {
  url: string;
  html: string;
}

export interface LeadHints {
  /** ISO 3166 alpha-2, for numbers written in national form. */
  country?: string;
  /** The name the lead was imported with, to pick the right part of a page title. */
  name?: string;
}

interface ReadPage {
  url: string;
  scan: PageScan;
  business: Business | null;
}

const MAX_DESCRIPTION = 500;
/** Six words or more, with punctuation somewhere: a sentence rather than a row of links. */
const SENTENCE = /^(?=.*[.!?,;:])(?:\S+\s+){5,}\S/s;
/** A first paragraph shorter than this is a slogan or a cookie notice rather than a description. */
const MIN_PARAGRAPH = 40;

/**
 * The facts about a business that its pages state, the home page first. Pure and deterministic: the same pages give
 * the same facts in the same order; each fact keeps the first page that stated it.
 */
export function extractLeadFacts(pages: readonly LeadPage[], hints: LeadHints = {}): LeadFacts {
  const read: ReadPage[] = pages.map(({ url, html }) => {
    const scan = scanPage(html);
    return { url, scan, business: businessFromJsonLd(scan.jsonLd) };
  });
  const domain = pages.length ? domainOrNull(pages[0].url) : null;
  const address =
    firstOf(read, (p) => p.business?.address ?? addressFromMicrodata(p.scan.microdata)) ??
    firstOf(read, (p) => (p.scan.addresses[0] ? addressFromText(p.scan.addresses[0]) : null));
  const countryOfAddress = address ? countryCodeOf(address.value.country) : null;
  const phoneCountry =
    countryCode(hints.country) ?? countryCode(countryOfAddress) ?? countryCode(countryOfDomain(domain));

  return {
    name: nameOf(read, domain, hints.name),
    description: descriptionOf(read),
    language:
      firstOf(read, (p) => languageCode(p.scan.lang)) ??
      firstOf(read, (p) => languageCode(p.scan.meta.get('content-language') ?? p.scan.meta.get('og:locale'))) ??
      firstOf(read, (p) => detectLanguage(prose(p.scan.blocks))),
    emails: collect(read, (p) => [
      ...p.scan.links.flatMap((l) => emailsInMailto(l.href)),
      ...p.scan.cfEmails.map(decodeCfEmail),
      ...(p.business?.emails ?? []).map(cleanEmail),
      ...p.scan.microdata.filter((m) => m.prop === 'email').map((m) => cleanEmail(m.value)),
      ...emailsInText(p.scan.text),
    ]),
    phones: collect(read, (p) => [
      ...p.scan.links.map((l) => phoneFromTel(l.href, phoneCountry)),
      ...(p.business?.phones ?? []).map((t) => e164(t, phoneCountry)),
      ...p.scan.microdata.filter((m) => m.prop === 'telephone').map((m) => e164(m.value, phoneCountry)),
      ...phonesInText(p.scan.text, phoneCountry),
    ]),
    socials: dedupe(
      read.flatMap((p) =>
        [...p.scan.links.map((l) => l.href), ...(p.business?.sameAs ?? [])]
          .map(socialProfile)
          .filter((s) => s !== null)
          .map((s) => ({ value: s.url, network: s.network, source: p.url })),
      ),
    ),
    address,
    city: address?.value.city ? { value: address.value.city, source: address.source } : null,
    country: countryOfAddress && address ? { value: countryOfAddress, source: address.source } : null,
    technologies: dedupe(
      read.flatMap((p) =>
        detectTechnologies(p.scan.meta.get('generator') ?? null, p.scan.resources, p.scan.inlineScripts).map((t) => ({
          value: t.name,
          category: t.category,
          source: p.url,
        })),
      ),
    ),
    followLinks: rankFollowLinks(
      read.flatMap((p) => p.scan.links.map((l) => ({ href: l.href, text: l.text, source: p.url }))),
      pages.map((p) => p.url),
    ),
    truncatedPages: read.filter((p) => p.scan.truncated).map((p) => p.url),
  };
}

function nameOf(read: ReadPage[], domain: string | null, hint?: string): Sourced<string> | null {
  return (
    firstOf(read, (p) => p.scan.meta.get('og:site_name') ?? null) ??
    firstOf(read, (p) => p.business?.name ?? null) ??
    firstOf(read, (p) => p.scan.meta.get('application-name') ?? null) ??
    firstOf(read, (p) => (p.scan.title ? nameFromTitle(p.scan.title, domain, hint) : null))
  );
}

function descriptionOf(read: ReadPage[]): Sourced<string> | null {
  const fact =
    firstOf(read, (p) => p.scan.meta.get('description') ?? null) ??
    firstOf(read, (p) => p.scan.meta.get('og:description') ?? null) ??
    firstOf(read, (p) => p.business?.description ?? null) ??
    firstOf(
      read,
      (p) => p.scan.blocks.find((b) => b.kind === 'paragraph' && b.text.length >= MIN_PARAGRAPH)?.text ?? null,
    );
  return fact && { value: shorten(fact.value, MAX_DESCRIPTION), source: fact.source };
}

/** Paragraphs that read as sentences: menus, buttons and brand names mislead a language detector. */
function prose(blocks: readonly TextBlock[]): string {
  let text = '';
  for (const block of blocks) {
    if (text.length >= LANGUAGE_SAMPLE) break;
    const sentence = block.text.slice(0, LANGUAGE_SAMPLE);
    if (block.kind === 'paragraph' && SENTENCE.test(sentence)) text += `${sentence}\n`;
  }
  return text;
}

function firstOf<T>(read: ReadPage[], pick: (page: ReadPage) => T | null | undefined): Sourced<T> | null {
  for (const page of read) {
    const value = pick(page);
    if (value !== null && value !== undefined && value !== '') return { value, source: page.url };
  }
  return null;
}

function collect(read: ReadPage[], values: (page: ReadPage) => (string | null)[]): Sourced<string>[] {
  return dedupe(
    read.flatMap((p) =>
      values(p)
        .filter((v) => v !== null)
        .map((value) => ({ value, source: p.url })),
    ),
  );
}

/** The first of each value, in order. */
function dedupe<T extends Sourced<string>>(facts: T[]): T[] {
  const seen = new Set<string>();
  return facts.filter((f) => !seen.has(f.value) && seen.add(f.value));
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  return `${cut.slice(0, cut.lastIndexOf(' ') > max / 2 ? cut.lastIndexOf(' ') : cut.length)}…`;
}
