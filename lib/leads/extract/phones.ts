/** Phone numbers from tel: links and labelled text, normalised to E.164 with libphonenumber's full metadata. */
import { safeDecode } from './decode';
import { findNumbers, isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** Words that introduce a phone number, in the languages leads are most often written in. */
const PHONE_LABEL =
  /(?:\bt[ée]lf?\b|phone|telef|t[ée]l[ée]ph|\bfon\b|\bcell|mobil|handy|whats ?app|\bcall\b|\bruf\b|\bchiama|llam|ligue|☎|📞|📱)/giu;
/** Where a number may stand: after a label, or written with a +. */
const CANDIDATE = new RegExp(`${PHONE_LABEL.source}|\\+\\s?\\d`, 'iu');
/** Seven or more digits and separators in a row: the cheap test that rules out most lines first. */
const DIGIT_RUN = /\d[\d\s()./-]{5,}\d/;
const FAX_LABEL = /(?:\bfax\b|telefax)/giu;
/** How far before a number its label may stand ("Telefono / Phone: "). */
const LABEL_WINDOW = 32;
const MAX_LINE = 4000;

export function countryCode(country: string | null | undefined): CountryCode | undefined {
  const given = country?.trim().toUpperCase();
  // The United Kingdom's top-level domain and common abbreviation is not its ISO code.
  const code = given === 'UK' ? 'GB' : given;
  return code && isSupportedCountry(code) ? code : undefined;
}

/** The E.164 form of a `tel:` link's number, or null when it is not a valid number. */
export function phoneFromTel(href: string, country?: CountryCode): string | null {
  const match = /^\s*tel:([^?#;]*)/i.exec(href);
  if (!match) return null;
  return e164(safeDecode(match[1]), country);
}

export function e164(raw: string, country?: CountryCode): string | null {
  if (raw.length > 64) return null;
  // A number written 0039… or 0049… is international, whatever the country hint says.
  const text = raw.trim().replace(/^00(?=[1-9])/, '+');
  const number = parsePhoneNumberFromString(text, country);
  return number?.isValid() ? number.number : null;
}

/**
 * Numbers written in text. Digits are everywhere on a page (dates, prices, VAT and order numbers), so a number
 * counts only when a phone label stands just before it (nothing but punctuation between), or when it is written in
 * international form (+39 …) with no fax label just before it.
 */
export function phonesInText(text: string, country?: CountryCode): string[] {
  const found: string[] = [];
  for (const line of candidateLines(text)) {
    for (const hit of findNumbers(line, { defaultCountry: country, v2: true })) {
      const label = labelBefore(line.slice(Math.max(0, hit.startsAt - LABEL_WINDOW), hit.startsAt));
      const international = /^(?:\+|00)/.test(line.slice(hit.startsAt, hit.endsAt));
      if (label === 'fax' || (label === null && !international)) continue;
      if (hit.number.isValid()) found.push(hit.number.number);
    }
  }
  return found;
}

/** The lines that may hold a number: a run of digits, and a label or a +digit. */
function candidateLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.slice(0, MAX_LINE))
    .filter((line) => DIGIT_RUN.test(line) && CANDIDATE.test(line));
}

/** The label that introduces the text's end, if no other number stands between them. */
function labelBefore(before: string): 'phone' | 'fax' | null {
  let best: { end: number; kind: 'phone' | 'fax' } | null = null;
  for (const [re, kind] of [
    [PHONE_LABEL, 'phone'],
    [FAX_LABEL, 'fax'],
  ] as const) {
    for (const m of before.matchAll(re)) {
      const end = m.index + m[0].length;
      if (!best || end >= best.end) best = { end, kind };
    }
  }
  if (!best || /\d/.test(before.slice(best.end))) return null;
  return best.kind;
}
