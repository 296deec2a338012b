/** A brand's colours made safe to render: validated, completed, and with text colours that stay readable. */
import type { BrandColors } from '../social';
import { contrastRatio, INK, mixColors, mostReadable, normalizeHexColor, WHITE, worstContrast } from './colour';

export const DEFAULT_COLORS = { primary: '#4F46E5', secondary: '#DB2777', background: '#FFFFFF' } as const;

export interface BrandPalette {
  primary: string;
  secondary: string;
  accent: string;
  background: string;
  /** Text over the primary→secondary gradient. */
  ink: string;
  /** Text on the accent-coloured badge. */
  onAccent: string;
  /** Text on the background-coloured logo chip. */
  onBackground: string;
}

/** Validates the brand colours, fills gaps from the brand's own primary, and picks readable text colours. */
export function resolvePalette(colors: Partial<BrandColors> | undefined): BrandPalette {
  const given = normalizeHexColor(colors?.primary);
  const primary = given ?? DEFAULT_COLORS.primary;
  // Without a secondary, a deeper shade of the primary keeps the card on brand.
  const secondary =
    normalizeHexColor(colors?.secondary) ?? (given ? mixColors(given, INK, 0.45) : DEFAULT_COLORS.secondary);
  const background = normalizeHexColor(colors?.background) ?? DEFAULT_COLORS.background;
  const gradient = [primary, mixColors(primary, secondary, 0.5), secondary];
  const text = normalizeHexColor(colors?.text);
  // Large text needs 3:1 (WCAG AA); a brand text colour that fails it is replaced, not obeyed.
  const ink = text && worstContrast(text, gradient) >= 3 ? text : mostReadable([WHITE, INK], gradient);
  const accent = normalizeHexColor(colors?.accent) ?? ink;
  const onAccent = contrastRatio(primary, accent) >= 4.5 ? primary : mostReadable([WHITE, INK], [accent]);
  const onBackground = contrastRatio(primary, background) >= 3 ? primary : mostReadable([WHITE, INK], [background]);
  return { primary, secondary, accent, background, ink, onAccent, onBackground };
}
