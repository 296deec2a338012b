/**
 * Narration as the voice should say it: numbers, dates, times, money, percentages, units and abbreviations written
 * out in words of the narration's language ("25% on 3 × 250 ml until 12/03/2026" → "twenty-five percent on three
 * by two hundred fifty millilitres until twelve March two thousand twenty-six"). The voice speaks this text and the
 * length estimate counts it, so the two agree where a written form is short and its spoken form long. Subtitles keep
 * the written text. Pure (n2words is pure too), so workflows may import it.
 */
import * as ar from 'n2words/ar-SA';
import * as cs from 'n2words/cs-CZ';
import * as da from 'n2words/da-DK';
import * as de from 'n2words/de-DE';
import * as el from 'n2words/el-GR';
import * as en from 'n2words/en-US';
import * as es from 'n2words/es-ES';
import * as fi from 'n2words/fi-FI';
import * as fr from 'n2words/fr-FR';
import * as hi from 'n2words/hi-IN';
import * as hu from 'n2words/hu-HU';
import * as id from 'n2words/id-ID';
import * as it from 'n2words/it-IT';
import * as ja from 'n2words/ja-JP';
import * as ko from 'n2words/ko-KR';
import * as nb from 'n2words/nb-NO';
import * as nl from 'n2words/nl-NL';
import * as pl from 'n2words/pl-PL';
import * as pt from 'n2words/pt-PT';
import * as ro from 'n2words/ro-RO';
import * as ru from 'n2words/ru-RU';
import * as sv from 'n2words/sv-SE';
import * as tr from 'n2words/tr-TR';
import * as uk from 'n2words/uk-UA';
import * as vi from 'n2words/vi-VN';
import * as zh from 'n2words/zh-Hans-CN';

import { PHRASING, UNIT_SYMBOLS, type Unit } from './speech-phrasing';

interface Numerals {
  toCardinal(value: string): string;
  toOrdinal(value: string): string;
}

/** Number words by primary language (n2words); a language without an entry keeps its digits for the voice to read. */
const NUMERALS: Record<string, Numerals> = {
  ar,
  cs,
  da,
  de,
  el,
  en,
  es,
  fi,
  fr,
  hi,
  hu,
  id,
  it,
  ja,
  ko,
  nb,
  no: nb,
  nl,
  pl,
  pt,
  ro,
  ru,
  sv,
  tr,
  uk,
  vi,
  zh,
};

/** Languages that write `3,5` for three and a half (and `1.000` or `1 000` for a thousand). */
const DECIMAL_COMMA = new Set([
  'ar',
  'cs',
  'da',
  'de',
  'el',
  'es',
  'fi',
  'fr',
  'hu',
  'id',
  'it',
  'nb',
  'no',
  'nl',
  'pl',
  'pt',
  'ro',
  'ru',
  'sv',
  'tr',
  'uk',
  'vi',
]);

/** The languages whose numbers, dates, times, money, units and abbreviations are all written out. */
export const SPEECH_LANGUAGES = Object.keys(PHRASING);

/** `pt-BR` → `pt`. */
export function primaryLanguage(language: string): string {
  return language.trim().toLowerCase().split(/[-_]/)[0] || 'en';
}

/** A written number: digits grouped by thousands (`1,000`, `1.000`, `1 000` where the comma is the decimal mark). */
function digitsPattern(lang: string): string {
  const groups = DECIMAL_COMMA.has(lang) ? String.raw`[,.\u00a0\u202f ]` : String.raw`[,\u00a0\u202f]`;
  return String.raw`\d{1,3}(?:${groups}\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?`;
}
/** Digits not glued to a word of an alphabet (`MP3`, `B2B` stay); beside Han or kana they are numbers. */
const NOT_AFTER_WORD = String.raw`(?<![\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\d])`;

/**
 * A written number as digits with a dot for decimals, by the language's habits: `1,000.5` in English, `1.000,5` or
 * `1 000,5` in French; `3,5` is three and a half where the comma is the decimal mark, `1,000` a thousand elsewhere.
 */
export function parseWrittenNumber(written: string, language: string): string {
  const decimal = DECIMAL_COMMA.has(primaryLanguage(language)) ? ',' : '.';
  const other = decimal === ',' ? '.' : ',';
  const s = written.replace(/[\u00a0\u202f ]/g, '');
  const parts = s.split(/[.,]/);
  if (parts.length === 1) return s;
  const marks = s.replace(/\d/g, '');
  // Both marks: the last one is the decimal point, whichever the language prefers.
  if (marks.includes(',') && marks.includes('.')) {
    const at = Math.max(s.lastIndexOf(','), s.lastIndexOf('.'));
    return `${s.slice(0, at).replace(/[.,]/g, '')}.${s.slice(at + 1)}`;
  }
  // One kind of mark: repeated, or the language's grouping mark before three digits, it groups thousands.
  const grouping = parts.length > 2 || (marks[0] === other && parts.every((g, i) => i === 0 || g.length === 3));
  return grouping ? parts.join('') : `${parts[0]}.${parts[1]}`;
}

function cardinal(n: Numerals, digits: string): string {
  try {
    return n.toCardinal(digits);
  } catch {
    return digits;
  }
}

const isPlural = (digits: string) => digits !== '1';
/** Abbreviations of "number", which are words of their own elsewhere ("no.", "n."). */
const NUMBER_SIGN = /^(?:no|nr|n|núm)\.$|^n[°º]$/i;

/**
 * Writes out what a voice reads badly or at a length the words do not show. Unknown languages keep their digits
 * (the voice reads them); the rest of the text is left as written.
 */
export function speechText(text: string, language = 'en'): string {
  const lang = primaryLanguage(language);
  const n = NUMERALS[lang];
  const p = PHRASING[lang];
  let s = text.replace(/\s+/g, ' ').trim();
  if (!n) return s;
  const say = (written: string) => cardinal(n, parseWrittenNumber(written, lang));
  const DIGITS = digitsPattern(lang);

  if (p) {
    // Abbreviations first: their dots would otherwise read as sentence ends or decimals.
    for (const [abbr, words] of Object.entries(p.abbreviations)) {
      const escaped = abbr.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      // "No." is "number" only before one: "Say no." stays.
      const after = NUMBER_SIGN.test(abbr) ? '(?=\\s?\\d)' : '(?![\\p{L}])';
      s = s.replace(new RegExp(`(?<![\\p{L}])${escaped}${after}`, 'giu'), words);
    }
    s = s.replace(/(?<=\s|^)&(?=\s)/g, p.and);
    // Dates: 2026-03-12, 12/03/2026, 12.03.2026 (day first, as most of the world writes them).
    const date = (d: string, m: string, y: string) => {
      const month = p.months[Number(m) - 1];
      return month ? `${say(d)} ${month} ${say(y)}` : `${say(d)} ${say(m)} ${say(y)}`;
    };
    s = s.replace(/\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g, (_, y: string, m: string, d: string) => date(d, m, y));
    s = s.replace(/\b(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\b/g, (all, d: string, m: string, y: string) =>
      Number(m) >= 1 && Number(m) <= 12 && Number(d) >= 1 && Number(d) <= 31 ? date(d, m, y) : all,
    );
    // Times: 10:30, 9:00.
    s = s.replace(/\b([01]?\d|2[0-3]):([0-5]\d)\b/g, (_, h: string, m: string) =>
      m === '00' ? `${say(h)} ${p.oclock}` : `${say(h)} ${say(String(Number(m)))}`,
    );
    // Money: €25, $1,000, 25 €, 25€.
    s = s.replace(
      new RegExp(`([€$£])\\s?(${DIGITS})`, 'gu'),
      (_, c: '€' | '$' | '£', v: string) => `${say(v)} ${p.currency[c]}`,
    );
    s = s.replace(
      new RegExp(`(${DIGITS})\\s?([€$£])`, 'gu'),
      (_, v: string, c: '€' | '$' | '£') => `${say(v)} ${p.currency[c]}`,
    );
    s = s.replace(new RegExp(`(${DIGITS})\\s?%`, 'gu'), (_, v: string) => `${say(v)} ${p.percent}`);
    // 3 × 250, 2x4.
    s = s.replace(new RegExp(`(${DIGITS})\\s?[x×]\\s?(?=\\d)`, 'gu'), (_, v: string) => `${say(v)} ${p.by} `);
    // Ranges: 3–5, 10-20 (a hyphen only between bare numbers).
    s = s.replace(new RegExp(`(${DIGITS})\\s?[–—-]\\s?(?=\\d)`, 'gu'), (_, v: string) => `${say(v)} ${p.to} `);
    // Units after a number: 250 ml, 5km, 20 °C.
    const unitPattern = UNIT_SYMBOLS.map((u: Unit) => u.replace(/[/]/g, '\\/')).join('|');
    s = s.replace(new RegExp(`(${DIGITS})\\s?(${unitPattern})(?![\\p{L}\\d])`, 'gu'), (_, v: string, u: string) => {
      const digits = parseWrittenNumber(v, lang);
      const name = p.units[u] ?? u;
      // "1 metre", not "1 metres", in English; other languages keep the form above.
      const unit = lang === 'en' && !isPlural(digits) ? name.replace(/s$/, '') : name;
      return `${cardinal(n, digits)} ${unit}`;
    });
    // Ordinals: 1st, 2e, 3º.
    if (p.ordinal) {
      s = s.replace(/(?<![\p{L}\d])(\d+)(\p{L}{1,3}|º|ª)(?![\p{L}\d])/gu, (all, v: string, suffix: string) => {
        if (!p.ordinal!.test(suffix)) return all;
        try {
          return n.toOrdinal(v);
        } catch {
          return all;
        }
      });
    }
  }
  s = s.replace(new RegExp(`${NOT_AFTER_WORD}(${DIGITS})`, 'gu'), (_, v: string) => say(v));
  return s.replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------------------------
// How long it takes to say

/**
 * Han and kana are written without spaces; about one and a half of them are spoken in the time of an English word,
 * so a Chinese or Japanese narration is not counted as one enormous word.
 */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const CJK_CHARS_PER_WORD = 1.5;
/** A spoken word: letters and digits, an apostrophe inside ("don't") keeps it whole; hyphens part it. */
const SPOKEN_WORD = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*/gu;
/**
 * A word longer than this is spoken like several ("Donaudampfschifffahrtsgesellschaft" takes espeak-ng as long as
 * five or six ordinary words): it counts one word per `LETTERS_PER_WORD` letters.
 */
const LONG_WORD = 12;
const LETTERS_PER_WORD = 6;

/**
 * The narration's length in ordinary spoken words, after `speechText`: what the speaking rate (words per minute)
 * divides. Plain prose counts its words; numbers count the words they are said in, long compounds count by letters.
 */
export function spokenWords(text: string, language = 'en'): number {
  const key = `${language}\u0000${text}`;
  const known = counted.get(key);
  if (known !== undefined) return known;
  // The sizing asks about the same sentences again and again while it tries variants.
  if (counted.size >= COUNTED_MAX) counted.clear();
  const words = countSpoken(speechText(text, language));
  counted.set(key, words);
  return words;
}

const counted = new Map<string, number>();
const COUNTED_MAX = 5_000;

function countSpoken(spoken: string): number {
  const cjk = spoken.match(CJK)?.length ?? 0;
  let words = cjk / CJK_CHARS_PER_WORD;
  for (const word of spoken.replace(CJK, ' ').match(SPOKEN_WORD) ?? []) {
    const letters = [...word].length;
    words += letters > LONG_WORD ? letters / LETTERS_PER_WORD : 1;
  }
  return words;
}
