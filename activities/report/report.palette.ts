/** The report's colours: the brand palette plus the tones print needs (a legible strong shade, a pale tint). */
import type { BrandColors } from '../../lib/social';
import {
  contrastRatio,
  INK,
  legibleOnWhite,
  mixColors,
  normalizeHexColor,
  resolvePalette,
  WHITE,
} from '../../lib/html';

export interface ReportPalette {
  primary: string;
  secondary: string;
  accent: string;
  /** The primary, deepened until small text in it reads on white (4.5:1). */
  strong: string;
  /** A pale wash of the primary for panels. */
  tint: string;
  /** Text on a primary-coloured badge. */
  onPrimary: string;
  /** Text over the cover's primary→secondary gradient. */
  onHero: string;
}

/** Brand colours validated (invalid ones fall back to defaults) and the derived tones the report needs. */
export function reportPalette(colors: Partial<BrandColors> | null | undefined): ReportPalette {
  const base = resolvePalette(colors ?? undefined);
  const primary = base.primary;
  const accent = normalizeHexColor(colors?.accent) ?? base.secondary;
  return {
    primary,
    secondary: base.secondary,
    accent,
    strong: legibleOnWhite(primary, 4.5),
    tint: mixColors(primary, WHITE, 0.92),
    onPrimary: contrastRatio(WHITE, primary) >= contrastRatio(INK, primary) ? WHITE : INK,
    onHero: base.ink,
  };
}
