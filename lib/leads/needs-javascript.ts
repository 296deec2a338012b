/**
 * Whether a page fetched without a browser needs JavaScript to show its content, so the crawler renders it in
 * Chromium (docs/lead-extraction.md, "JavaScript pages"). Pure: it reads the HTML as fetched and what extraction
 * already found in it.
 *
 * A page with no script is never flagged: nothing would change in a browser, however short it is. Otherwise it is
 * flagged when, with little readable text, it shows what single-page apps ship: an empty mount point (`#root`,
 * `#app`, `#__next`, `<app-root>`…) or a `<noscript>` that talks about JavaScript; or when it has almost no text
 * at all and extraction found no email or phone in it. A rich page with a noscript banner is not flagged: its content
 * is there already.
 */
import { HtmlTooDeepError, htmlToText, type HtmlTap } from '../text/html-text';

export type JavaScriptReason = 'empty-app-root' | 'noscript-asks-for-javascript' | 'almost-no-text';

export interface JavaScriptVerdict {
  needed: boolean;
  /** The rule that flagged the page; null when it is not flagged. */
  reason: JavaScriptReason | null;
  /** Words of readable text (scripts, styles, noscript and the title left out). */
  words: number;
  /** Scripts the page would run: external or inline JavaScript (JSON-LD is data, not code). */
  scripts: number;
}

/** What extraction found in the same page: contact details mean its content is readable as fetched. */
export interface FoundOnPage {
  emails: number;
  phones: number;
}

/** Below this many words, an app shell's signs decide. */
export const FEW_WORDS = 120;
/** Below this many words and no contact detail, a page with scripts has shown nothing yet. */
export const ALMOST_NO_WORDS = 20;

/** Ids frameworks mount into: Create React App and Vite (root, app), Next.js, Nuxt, Gatsby, Angular Universal. */
const APP_ROOT_IDS = /^(?:root|app|react-root|app-root|main-app|__next|__nuxt|___gatsby|q-app|svelte)$/i;
/** Custom elements that are an app's root (Angular's default selector). */
const APP_ROOT_TAGS = new Set(['app-root']);
/** Elements whose text a reader never sees. */
const UNSEEN = new Set('script style noscript template title svg math canvas iframe object'.split(' '));
const JAVASCRIPT = /java\s*script|\bJS\b/i;

interface OpenRoot {
  depth: number;
  chars: number;
}

export function needsJavaScript(html: string, found: FoundOnPage = { emails: 0, phones: 0 }): JavaScriptVerdict {
  let depth = 0;
  let unseenAt = -1;
  let noscriptAt = -1;
  let words = 0;
  let scripts = 0;
  let noscriptText = '';
  let emptyRoot = false;
  const roots: OpenRoot[] = [];

  const tap: HtmlTap = {
    onopentag(name, attributes) {
      const at = depth++;
      if (name === 'script') {
        const type = attributes.type?.trim().toLowerCase() ?? '';
        if (!type || type === 'module' || type.includes('javascript') || type.includes('ecmascript')) scripts++;
      }
      if (name === 'noscript' && noscriptAt === -1) noscriptAt = at;
      if (UNSEEN.has(name) && unseenAt === -1) unseenAt = at;
      if (APP_ROOT_TAGS.has(name) || APP_ROOT_IDS.test(attributes.id?.trim() ?? ''))
        roots.push({ depth: at, chars: 0 });
    },
    ontext(data) {
      if (noscriptAt !== -1) noscriptText += data;
      if (unseenAt !== -1) return;
      const text = data.trim();
      if (!text) return;
      words += text.split(/\s+/).length;
      for (const root of roots) root.chars += text.length;
    },
    onclosetag() {
      const at = --depth;
      if (unseenAt === at) unseenAt = -1;
      if (noscriptAt === at) noscriptAt = -1;
      while (roots.length && roots[roots.length - 1].depth >= at) if (roots.pop()!.chars === 0) emptyRoot = true;
    },
  };

  try {
    htmlToText(html, tap);
  } catch (err) {
    // Markup nested too deep: judge what was read before the refusal.
    if (!(err instanceof HtmlTooDeepError)) throw err;
  }

  const verdict = (reason: JavaScriptReason | null): JavaScriptVerdict => ({
    needed: reason !== null,
    reason,
    words,
    scripts,
  });
  if (scripts === 0) return verdict(null);
  if (words < FEW_WORDS && emptyRoot) return verdict('empty-app-root');
  if (words < FEW_WORDS && JAVASCRIPT.test(noscriptText)) return verdict('noscript-asks-for-javascript');
  if (words < ALMOST_NO_WORDS && found.emails + found.phones === 0) return verdict('almost-no-text');
  return verdict(null);
}
