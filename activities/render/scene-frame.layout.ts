/** What a scene frame shows and where: the layouts, the safe areas around the text and the type sizes. */
import type { Scene, VideoBrand, VideoFormat } from '../../lib/video/types';
import { subtitleBand } from '../../lib/video/subtitle-placement';

export const SCENE_LAYOUTS = ['title', 'point', 'stat', 'quote', 'cta'] as const;
/**
 * - `title`: the opening card, with the logo and the brand name;
 * - `point`: a numbered point;
 * - `stat`: a figure set huge ("73 %", "3×", "$20") above the rest of the text;
 * - `quote`: a quotation or proof card;
 * - `cta`: the end card with the brand name, the slogan and the call to action.
 */
export type SceneLayout = (typeof SCENE_LAYOUTS)[number];

/** What a frame uses of the brand; nulls and absent values mean the same. */
export type SceneFrameBrand = Pick<VideoBrand, 'name' | 'colors'> &
  Partial<Pick<VideoBrand, 'slogan' | 'fontFamily' | 'logoDataUrl'>>;

export type SceneFrameScene = Pick<Scene, 'index' | 'onScreenText' | 'visual'>;

export interface SceneFrameStyle {
  /** Overrides the layout chosen from the scene's position and visual description. */
  layout?: SceneLayout;
  /**
   * A generated background as `data:image/(png|jpeg|webp);base64,...`, shown under a brand-coloured veil so the text
   * stays readable. Anything else is ignored.
   */
  backgroundDataUrl?: string;
}

export interface SceneFrameInput {
  brand: SceneFrameBrand;
  scene: SceneFrameScene;
  /** Scenes in the video; the scene's `index` is its 0-based position among them. */
  sceneCount: number;
  format: VideoFormat;
  style?: SceneFrameStyle;
}

/** Share of the frame's height, at the bottom, kept free of text for the subtitles burned in at render. */
export const SUBTITLE_BAND: Record<VideoFormat, number> = {
  vertical: subtitleBand('vertical'),
  horizontal: subtitleBand('horizontal'),
};

export interface FrameInsets {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/**
 * Where the on-screen text may go, in pixels from each edge. Vertical: below the status bar and tabs (~10 %), left of
 * the like/comment/share column (~13 %), above the subtitle band. Horizontal: title-safe margins above the band.
 */
export const TEXT_SAFE_AREA: Record<VideoFormat, FrameInsets> = {
  vertical: { top: 372, right: 150, bottom: Math.ceil(1920 * SUBTITLE_BAND.vertical) + 40, left: 96 },
  horizontal: { top: 184, right: 150, bottom: Math.ceil(1080 * SUBTITLE_BAND.horizontal) + 40, left: 150 },
};

/** The progress bar and brand line above the text. */
export const CHROME: Record<VideoFormat, { top: number; left: number; right: number }> = {
  vertical: { top: 208, left: 96, right: 150 },
  horizontal: { top: 72, left: 150, right: 150 },
};

const QUOTES = '"\'“”‘’«»„‹›';
/** Text that opens with a quotation mark. */
const QUOTED = new RegExp(`^\\s*[${QUOTES}]`);
const LEADING_QUOTES = new RegExp(`^[${QUOTES}\\s]+`);
const TRAILING_QUOTES = new RegExp(`[${QUOTES}\\s]+$`);

export function stripQuotes(text: string): string {
  return text.replace(LEADING_QUOTES, '').replace(TRAILING_QUOTES, '');
}

/**
 * A leading figure and the text after it: "73% of buyers..." → ["73%", "of buyers..."]. Only figures that read as a
 * statistic (a unit, a currency, a sign, or a stat-like visual) qualify, so "3 ways to..." stays a point.
 */
export function splitFigure(text: string, visual = ''): { figure: string; rest: string } | null {
  const match =
    /^([+\-−~≈]?\s?[$€£¥]?\s?\d{1,3}(?:[.,\u202f\u00a0 ]\d{3})*(?:[.,]\d+)?\s?(?:%|×|x|k|K|M|B|bn|\+|[$€£¥])?)(?=[\s:–—,-]|$)[\s:–—,-]*([\s\S]+)$/u.exec(
      text.trim(),
    );
  if (!match) return null;
  const figure = match[1].trim();
  const rest = match[2].trim();
  if (!rest || [...figure].length > 9) return null;
  const unit = /[%×$€£¥+]|\d\s?(?:x|k|K|M|B|bn)$|^[-−~≈]/u.test(figure);
  const statVisual = /\b(stat|statistic|figure|number|percent|percentage|chart|graph|data|counter)s?\b/i.test(visual);
  return unit || statVisual ? { figure, rest } : null;
}

const QUOTE_VISUAL =
  /\b(quote|quotation|testimonial|review|customer|client|proof|social proof|rating|stars|endorsement|says)\b/i;

/**
 * The layout for a scene, deterministic from its position and what it shows: the first scene is the title card, the
 * last the call to action; in between, quoted text or a testimonial-like visual makes a quote card, a leading figure
 * a stat card, anything else a numbered point.
 */
export function chooseSceneLayout(scene: SceneFrameScene, sceneCount: number): SceneLayout {
  const count = Math.max(1, Math.floor(sceneCount));
  if (scene.index <= 0) return 'title';
  if (count > 1 && scene.index >= count - 1) return 'cta';
  const text = scene.onScreenText ?? '';
  const visual = scene.visual ?? '';
  if (QUOTED.test(text) || QUOTE_VISUAL.test(visual)) return 'quote';
  if (splitFigure(text, visual)) return 'stat';
  return 'point';
}

export interface Metrics {
  /** Headline size limits per layout: [max, min]. */
  headline: Record<SceneLayout, [number, number]>;
  figure: [number, number];
  number: number;
  brandLine: number;
  eyebrow: number;
  chipLarge: number;
  chipSmall: number;
  progress: number;
  slogan: [number, number];
  brandName: [number, number];
}

export const METRICS: Record<VideoFormat, Metrics> = {
  vertical: {
    headline: { title: [150, 56], point: [132, 52], stat: [84, 40], quote: [104, 44], cta: [92, 42] },
    figure: [340, 120],
    number: 190,
    brandLine: 30,
    eyebrow: 32,
    chipLarge: 168,
    chipSmall: 64,
    progress: 8,
    slogan: [44, 30],
    brandName: [80, 44],
  },
  horizontal: {
    headline: { title: [132, 52], point: [112, 48], stat: [88, 40], quote: [100, 40], cta: [80, 40] },
    figure: [300, 110],
    number: 300,
    brandLine: 28,
    eyebrow: 28,
    chipLarge: 136,
    chipSmall: 58,
    progress: 7,
    slogan: [38, 26],
    brandName: [76, 40],
  },
};

/** First size guess from the text length (bold sans: ~0.56em a character, 1.08 line height); the script refines it. */
export function guessSize(text: string, area: number, [max, min]: [number, number]): number {
  const chars = Math.max([...text].length, 1);
  const guess = Math.sqrt(area / (chars * 0.58 * 1.08)) * 1.1;
  return Math.round(Math.min(max, Math.max(min, guess)));
}
