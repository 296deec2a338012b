/** A site's own name, language and country, from its title, meta tags and address. */
import { getCountries } from 'libphonenumber-js/max';
import { detect } from 'tinyld/light';

/** Title parts that name the page, not the business. */
const GENERIC =
  /^(?:home(?:page)?|home page|start(?:seite)?|accueil|inicio|benvenuti|welcome|willkommen|bienvenue|bienvenido|official (?:site|website)|sito ufficiale|contact(?: us)?|contatti|kontakt|about(?: us)?|chi siamo|über uns|impressum|team|blog|shop|news)$/i;
const MAX_NAME = 100;
const SEPARATOR = /\s+(?:[-–—:]|::|\/\/)\s+|\s*[|·•»]\s*/;

/**
 * The business's name from a page title: "Acme Plumbing | Home" → "Acme Plumbing". Of several parts, the one that
 * matches the hint or the domain wins, else the shortest non-generic one (the descriptive part is usually longer).
 */
export function nameFromTitle(title: string, domain: string | null, hint?: string): string | null {
  // An unclosed <title> swallows the markup after it, as it does in browsers: only the text before it is a title.
  const parts = title
    .split('<')[0]
    .split(SEPARATOR)
    .map((p) => p.trim())
    .filter((p) => p && p.length <= MAX_NAME && !GENERIC.test(p));
  if (parts.length <= 1) return parts[0] ?? null;
  const squash = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  const label = domain ? squash(domain.split('.')[0]) : '';
  const matches = (part: string, target: string) =>
    target.length >= 3 && (squash(part).includes(target) || target.includes(squash(part)));
  const hinted = hint ? parts.find((p) => matches(p, squash(hint))) : undefined;
  return hinted ?? parts.find((p) => matches(p, label)) ?? [...parts].sort((a, b) => a.length - b.length)[0];
}

/** The primary language subtag of a BCP 47 tag or locale (it-IT, en_GB, de), lower-cased; null when it is none. */
export function languageCode(tag: string | null | undefined): string | null {
  const primary = tag
    ?.trim()
    .split(/[-_,;\s]/)[0]
    .toLowerCase();
  return primary && /^[a-z]{2,3}$/.test(primary) ? primary : null;
}

/** The detector reads this much of a page's prose: enough to be sure, and its cost grows with the text. */
export const LANGUAGE_SAMPLE = 4000;
/** Below this many letters (a menu, a cookie banner) a guess is noise. */
const MIN_LANGUAGE_LETTERS = 80;

/** The language of a page's prose, for pages that do not declare one; null when there is too little to tell. */
export function detectLanguage(prose: string): string | null {
  const sample = prose.slice(0, LANGUAGE_SAMPLE);
  if ((sample.match(/\p{L}/gu)?.length ?? 0) < MIN_LANGUAGE_LETTERS) return null;
  return languageCode(detect(sample));
}

let countryNames: Map<string, string> | null = null;

/** ISO 3166 alpha-2 code for a code or a country name in English, Italian, German, French or Spanish; else null. */
export function countryCodeOf(country: string | null | undefined): string | null {
  const value = country?.trim();
  if (!value) return null;
  if (/^[a-z]{2}$/i.test(value))
    return getCountries().includes(value.toUpperCase() as never) ? value.toUpperCase() : null;
  if (!countryNames) {
    countryNames = new Map();
    for (const locale of ['en', 'it', 'de', 'fr', 'es']) {
      const names = new Intl.DisplayNames([locale], { type: 'region' });
      for (const code of getCountries()) {
        const name = names.of(code);
        if (name) countryNames.set(name.toLowerCase(), code);
      }
    }
  }
  return countryNames.get(value.toLowerCase()) ?? null;
}

/** Country-code top-level domains that name a country (.it, .de); .uk is GB. Generic ones (.io, .co) are left out. */
export function countryOfDomain(domain: string | null): string | null {
  const tld = domain?.slice(domain.lastIndexOf('.') + 1).toUpperCase();
  if (!tld || ['IO', 'CO', 'ME', 'TV', 'AI', 'FM', 'LY', 'SH', 'AC'].includes(tld)) return null;
  if (tld === 'UK') return 'GB';
  return tld.length === 2 && getCountries().includes(tld as never) ? tld : null;
}
