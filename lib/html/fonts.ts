/** Font stacks of the templates: only locally installed families, so a render never fetches a font. */

export const SANS_STACK = "'Liberation Sans', 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif";
/** The report prints in DejaVu first: its wider glyph coverage suits long documents. */
export const PRINT_SANS_STACK = "'DejaVu Sans', 'Liberation Sans', 'Helvetica Neue', Arial, sans-serif";
export const SERIF_STACK = "'DejaVu Serif', 'Liberation Serif', Georgia, serif";

/** Only a family name made of safe characters reaches the CSS; the fallback stack always follows it. */
export function fontStack(fontFamily: unknown, fallback = SANS_STACK): string {
  const name = typeof fontFamily === 'string' ? fontFamily.trim() : '';
  return /^[\p{L}\p{N} _-]{1,64}$/u.test(name) ? `'${name}', ${fallback}` : fallback;
}
