/** The colours of a scene frame: a gradient of one brand colour with a glow of the other, and readable text on it. */
import {
  contrastRatio,
  INK,
  mixColors,
  mostReadable,
  normalizeHexColor,
  resolvePalette,
  WHITE,
  worstContrast,
} from '../../lib/html';
import type { SceneFrameBrand, SceneLayout } from './scene-frame.layout';

/** The first candidate readable as large text (3:1) over every stop, else the more readable of white and ink. */
function readable(candidates: (string | null)[], stops: string[]): string {
  const fit = candidates.find((c): c is string => c !== null && worstContrast(c, stops) >= 3);
  return fit ?? mostReadable([WHITE, INK], stops);
}

export interface FrameColors {
  /** Background gradient stops, first at the top-left corner. */
  stops: [string, string, string];
  /** The soft light in the other brand colour that sits on the gradient. */
  glow: string;
  /** Text colour over the stops. */
  ink: string;
  /** Numbers, figures, quotation marks and the active progress segment. */
  highlight: string;
  /** The call-to-action block and the text on it. */
  button: string;
  onButton: string;
  /** The logo chip and the monogram on it. */
  chip: string;
  onChip: string;
}

/** How strongly the glow tints the gradient where it is brightest. */
export const GLOW_ALPHA = 0.45;

interface Card {
  stops: [string, string, string];
  glow: string;
  ink: string;
}

/**
 * A gradient of `base` into its own deep shade, lit by a glow of `other`, with a text colour readable (3:1) over all
 * of it. Light colours stay light (dark text) and dark ones deepen (white text); a mid-tone that neither reads well on
 * is moved towards the side that works, and a glow that would spoil the contrast is toned down, then dropped.
 */
function shadeCard(base: string, other: string, shade: number, text: string | null): Card {
  const light = contrastRatio(INK, base) > contrastRatio(WHITE, base);
  let card: Card = { stops: [base, base, base], glow: base, ink: INK };
  for (const move of [0, 0.15, 0.3, 0.45, 0.6, 0.8]) {
    const start = mixColors(base, light ? WHITE : INK, move);
    const stops: [string, string, string] = light
      ? [start, mixColors(start, INK, shade * 0.25), mixColors(start, INK, shade * 0.45)]
      : [start, mixColors(start, INK, shade), mixColors(start, INK, shade + 0.22)];
    for (const glow of [other, mixColors(other, start, 0.5), start]) {
      const lit = stops.map((stop) => mixColors(stop, glow, GLOW_ALPHA));
      const ink = readable([text], [...stops, ...lit]);
      card = { stops, glow, ink };
      if (worstContrast(ink, [...stops, ...lit]) >= 3) return card;
    }
  }
  return card;
}

/**
 * Colours for one layout. Each card is a gradient of one brand colour into its own shade, lit by a glow of the other
 * (two hues mixed along a gradient turn muddy): the title card in the primary, the cards in between in a deeper
 * primary (so the secondary and accent stand out on them), the end card in the secondary. Text colours keep 3:1 over
 * every stop and over the glow (WCAG large text); a brand text colour that fails it is replaced.
 */
export function frameColors(colors: SceneFrameBrand['colors'] | undefined, layout: SceneLayout): FrameColors {
  const palette = resolvePalette(colors ?? undefined);
  const { primary, secondary, background } = palette;
  const accent = normalizeHexColor(colors?.accent);
  const text = normalizeHexColor(colors?.text);
  const [base, other, shade] =
    layout === 'title'
      ? [primary, secondary, 0.2]
      : layout === 'cta'
        ? [secondary, primary, 0.2]
        : [primary, secondary, 0.4];
  const { stops, glow, ink } = shadeCard(base, other, shade, text);
  const highlight = readable([accent, other, mixColors(other, WHITE, 0.45), mixColors(other, INK, 0.45), ink], stops);
  const button = accent ?? (layout === 'cta' ? background : other);
  const onButton = readable([contrastRatio(primary, button) >= 4.5 ? primary : null], [button]);
  const onChip = readable([contrastRatio(primary, background) >= 3 ? primary : null], [background]);
  return { stops, glow, ink, highlight, button, onButton, chip: background, onChip };
}
