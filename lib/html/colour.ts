/** Colour maths shared by every template: `#RRGGBB` parsing, mixing, WCAG contrast and readable text colours. */

export const WHITE = '#FFFFFF';
/** The dark text colour of every template (slate 900). */
export const INK = '#0F172A';

type Rgb = [number, number, number];

/** `#RRGGBB` for a valid 3/4/6/8-digit hex colour (alpha dropped: a brand colour is opaque), else null. */
export function normalizeHexColor(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^#?([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(value.trim());
  if (!match) return null;
  const hex = match[1];
  const rgb = hex.length <= 4 ? [...hex.slice(0, 3)].map((c) => c + c).join('') : hex.slice(0, 6);
  return `#${rgb.toUpperCase()}`;
}

function toRgb(hex: string): Rgb {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex(rgb: Rgb): string {
  return `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`.toUpperCase();
}

/** Blend of two `#RRGGBB` colours; `weightOfB` 0 gives `a`, 1 gives `b`. */
export function mixColors(a: string, b: string, weightOfB: number): string {
  const [x, y] = [toRgb(a), toRgb(b)];
  return toHex([0, 1, 2].map((i) => x[i] + (y[i] - x[i]) * weightOfB) as Rgb);
}

/** `rgba(r, g, b, alpha)` of a `#RRGGBB` colour, for CSS. */
export function rgba(hex: string, alpha: number): string {
  return `rgba(${toRgb(hex).join(', ')}, ${alpha})`;
}

/** WCAG relative luminance. */
function luminance(hex: string): number {
  const [r, g, b] = toRgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The lowest contrast of `color` against any of the backgrounds it may sit on. */
export const worstContrast = (color: string, against: string[]) =>
  Math.min(...against.map((c) => contrastRatio(color, c)));

/** The candidate that stays most readable over every background it may sit on (the first one on a tie). */
export function mostReadable(candidates: string[], backgrounds: string[]): string {
  return candidates.reduce((best, c) => (worstContrast(c, backgrounds) > worstContrast(best, backgrounds) ? c : best));
}

/** The colour itself when it reads on white (3:1, enough for lines and large text), else a deeper shade of it. */
export function legibleOnWhite(hex: string, minContrast = 3): string {
  for (let w = 0; w <= 1.0001; w += 0.1) {
    const c = mixColors(hex, INK, w);
    if (contrastRatio(c, WHITE) >= minContrast) return c;
  }
  return INK;
}
