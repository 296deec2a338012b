/**
 * The escaping part of the HTML-render kit, for every text the product shows outside the app: channel pages, Atom/RSS
 * feeds, emails, PDFs and rendered images. Captions, titles and slogans come from users, webhooks and models, so they
 * are hostile until they pass here. Pure (no I/O), so templates, activities and workflows may all import it.
 *
 * Two steps, always in this order:
 * 1. `cleanPublicText` removes what no document should carry: characters XML 1.0 forbids (C0 controls but tab, LF
 *    and CR; U+FFFE/U+FFFF), C1 controls, lone surrogates (half an emoji, invalid in UTF-8), and the bidi embeddings,
 *    overrides and isolates that reorder the text around them ("Trojan Source"). Directional marks (LRM, RLM, ALM)
 *    do not reorder anything and stay, as right-to-left text needs them.
 * 2. `escapeHtml` / `escapeXml` turn the markup characters into entities. Text is never put into CDATA: an entity
 *    cannot be closed early by a `]]>` in the text, a CDATA section can.
 */

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/g;

/** The text with every character removed that a public document must not carry (see the file comment). */
export function cleanPublicText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(CONTROL, '').replace(LONE_SURROGATE, '').replace(BIDI_CONTROL, '');
}

/** One line of text (a subject, a title, a header): cleaned, line breaks and tabs folded into spaces, trimmed. */
export function cleanPublicLine(value: unknown): string {
  return cleanPublicText(value)
    .replace(/[\t\r\n\u2028\u2029]+/g, ' ')
    .trim();
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML element content or a quoted attribute value. */
export function escapeHtml(value: unknown): string {
  return cleanPublicText(value).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Text for XML element content or a quoted attribute value (the same five entities are valid in XML). */
export const escapeXml = escapeHtml;

/** Escaped text with its line breaks kept as `<br>`. */
export function escapeHtmlLines(value: unknown): string {
  return escapeHtml(String(value ?? '').replace(/\r\n?/g, '\n')).replace(/\n/g, '<br>');
}
