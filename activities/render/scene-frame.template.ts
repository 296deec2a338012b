/**
 * One still frame per video scene (issue 4, step "visuals"): a slide of a short-video deck in the brand's colours,
 * with the scene's on-screen text set large inside the safe area. Pure and self-contained: the HTML references nothing
 * on the network (a CSP forbids it), uses the system fonts, and marks itself `data-ready` once the text is fitted.
 *
 * The bottom 22 % of every frame stays free of text for the subtitles burned in at render; vertical frames also keep
 * clear of the platform UI (status and tabs on top, the action column on the right).
 */
import { VIDEO_FORMATS, type Scene, type VideoBrand, type VideoFormat } from '../../lib/video/types';
import { subtitleBand } from '../../lib/video/subtitle-placement';
import { escapeHtml } from '../../lib/public-text';
import { contrastRatio, normalizeHexColor, resolvePalette, safeLogoDataUrl } from './post-image.template';
import { templateCsp } from './template-csp';

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
const CHROME: Record<VideoFormat, { top: number; left: number; right: number }> = {
  vertical: { top: 208, left: 96, right: 150 },
  horizontal: { top: 72, left: 150, right: 150 },
};

const WHITE = '#FFFFFF';
const INK = '#0F172A';
const FONT_STACK = "'Liberation Sans', 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif";
const SERIF_STACK = "'DejaVu Serif', 'Liberation Serif', Georgia, serif";
const MAX_TEXT = 220;

// ---------------------------------------------------------------------------------------------------------------
// Colours
// ---------------------------------------------------------------------------------------------------------------

type Rgb = [number, number, number];

function toRgb(hex: string): Rgb {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function mix(a: string, b: string, weightOfB: number): string {
  const [x, y] = [toRgb(a), toRgb(b)];
  const rgb = [0, 1, 2].map((i) => Math.round(x[i] + (y[i] - x[i]) * weightOfB));
  return `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`.toUpperCase();
}

function rgba(hex: string, alpha: number): string {
  return `rgba(${toRgb(hex).join(', ')}, ${alpha})`;
}

const worstContrast = (color: string, against: string[]) => Math.min(...against.map((c) => contrastRatio(color, c)));

/** The first candidate readable as large text (3:1) over every stop, else the more readable of white and ink. */
function readable(candidates: (string | null)[], stops: string[]): string {
  const fit = candidates.find((c): c is string => c !== null && worstContrast(c, stops) >= 3);
  if (fit) return fit;
  return worstContrast(WHITE, stops) >= worstContrast(INK, stops) ? WHITE : INK;
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
    const start = mix(base, light ? WHITE : INK, move);
    const stops: [string, string, string] = light
      ? [start, mix(start, INK, shade * 0.25), mix(start, INK, shade * 0.45)]
      : [start, mix(start, INK, shade), mix(start, INK, shade + 0.22)];
    for (const glow of [other, mix(other, start, 0.5), start]) {
      const lit = stops.map((stop) => mix(stop, glow, GLOW_ALPHA));
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
  const highlight = readable([accent, other, mix(other, WHITE, 0.45), mix(other, INK, 0.45), ink], stops);
  const button = accent ?? (layout === 'cta' ? background : other);
  const onButton = readable([contrastRatio(primary, button) >= 4.5 ? primary : null], [button]);
  const onChip = readable([contrastRatio(primary, background) >= 3 ? primary : null], [background]);
  return { stops, glow, ink, highlight, button, onButton, chip: background, onChip };
}

// ---------------------------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------------------------

/** Trims, drops control characters (keeping newlines), folds blank lines and caps the length. */
function cleanText(value: string | null | undefined, max: number): string {
  const text = (value ?? '')
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n')
    .trim();
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

function fontStack(fontFamily: string | null | undefined): string {
  const name = (fontFamily ?? '').trim();
  return /^[\p{L}\p{N} _-]{1,64}$/u.test(name) ? `'${name}', ${FONT_STACK}` : FONT_STACK;
}

const QUOTES = '"\'“”‘’«»„‹›';
const QUOTED = new RegExp(`^\\s*[${QUOTES}]`);
const LEADING_QUOTES = new RegExp(`^[${QUOTES}\\s]+`);
const TRAILING_QUOTES = new RegExp(`[${QUOTES}\\s]+$`);

function stripQuotes(text: string): string {
  return text.replace(LEADING_QUOTES, '').replace(TRAILING_QUOTES, '');
}

/** Monogram for brands without a logo: first letters of the first two words. */
function initials(name: string): string {
  const words = name.match(/[\p{L}\p{N}]+/gu) ?? [];
  const letters = words.length > 1 ? words.slice(0, 2).map((w) => [...w][0]) : [...(words[0] ?? '')].slice(0, 2);
  return letters.join('').toUpperCase() || '•';
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

// ---------------------------------------------------------------------------------------------------------------
// Sizes
// ---------------------------------------------------------------------------------------------------------------

interface Metrics {
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

const METRICS: Record<VideoFormat, Metrics> = {
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
function guessSize(text: string, area: number, [max, min]: [number, number]): number {
  const chars = Math.max([...text].length, 1);
  const guess = Math.sqrt(area / (chars * 0.58 * 1.08)) * 1.1;
  return Math.round(Math.min(max, Math.max(min, guess)));
}

// ---------------------------------------------------------------------------------------------------------------
// Fit script and CSP
// ---------------------------------------------------------------------------------------------------------------

/**
 * Shrinks every `[data-fit]` element together until the copy fits its box (height, and width for long words), then
 * marks the document ready. Static text: its hash goes into the CSP so no other script can run.
 */
const FIT_SCRIPT = `(function () {
  var root = document.documentElement;
  function fit() {
    var box = document.getElementById('content');
    var copy = document.getElementById('copy');
    var items = Array.prototype.slice.call(document.querySelectorAll('[data-fit]'));
    function wide(el) { return el.scrollWidth > el.clientWidth + 1; }
    function tall() { return copy.offsetHeight > box.clientHeight || copy.scrollWidth > box.clientWidth + 1; }
    function overflows() { return tall() || items.some(wide); }
    function shrink(el) {
      var size = parseFloat(el.style.fontSize), min = parseFloat(el.getAttribute('data-min'));
      var next = Math.max(min, size - Math.max(2, size * 0.05));
      el.style.fontSize = next + 'px';
      return next < size;
    }
    for (var step = 0; step < 80 && overflows(); step++) {
      // A word too long for its line shrinks only its own text; copy too tall for the box shrinks all of it.
      var tooWide = items.filter(wide);
      var moved = (tooWide.length ? tooWide : items).map(shrink).some(Boolean);
      if (!moved && tooWide.length) moved = items.map(shrink).some(Boolean);
      if (!moved) break;
    }
    if (overflows()) {
      // A word longer than the line at the smallest size: break it rather than let it run out of the box.
      items.forEach(function (el) { el.classList.add('break'); });
      if (overflows()) root.setAttribute('data-overflow', 'true');
    }
    root.setAttribute('data-ready', 'true');
  }
  var fonts = document.fonts ? document.fonts.ready : Promise.resolve();
  fonts.then(fit, fit);
})();`;

const CSP = templateCsp(FIT_SCRIPT);

const BACKGROUND_DATA_URL = /^data:image\/(png|jpeg|webp);base64,[a-z0-9+/]+=*$/i;

/** Only a base64 PNG, JPEG or WebP data URL; anything else (a URL, SVG with scripts) is refused. */
export function safeBackgroundDataUrl(value: string | undefined): string | null {
  return value && BACKGROUND_DATA_URL.test(value) ? value : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Markup
// ---------------------------------------------------------------------------------------------------------------

function arrowIcon(size: number): string {
  return (
    `<svg class="icon" width="${size}" height="${size}" viewBox="0 0 24 24" fill="none" stroke="currentColor" ` +
    `stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">` +
    `<path d="M5 12h14M13 6l6 6-6 6"/></svg>`
  );
}

/** Text the fit script may shrink, from `size` down to `min` pixels. */
function fitted(tag: string, id: string, text: string, size: number, min: number): string {
  return `<${tag} id="${id}" data-fit data-min="${min}" style="font-size: ${size}px">${escapeHtml(text)}</${tag}>`;
}

function progress(index: number, count: number): string {
  if (count <= 12) {
    const segments = Array.from({ length: count }, (_, i) => {
      const state = i < index ? 'done' : i === index ? 'current' : 'upcoming';
      return `<span class="seg ${state}"></span>`;
    });
    return `<div class="progress" aria-hidden="true">${segments.join('')}</div>`;
  }
  const share = ((index + 1) / count) * 100;
  return `<div class="progress" aria-hidden="true"><span class="seg upcoming"><span class="fill" style="width: ${share.toFixed(2)}%"></span></span></div>`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A 1080×1920 or 1920×1080 frame for one scene; pure, self-contained HTML with no network references. */
export function renderSceneFrameHtml(input: SceneFrameInput): string {
  const format: VideoFormat = input.format === 'horizontal' ? 'horizontal' : 'vertical';
  const vertical = format === 'vertical';
  const { width, height } = VIDEO_FORMATS[format];
  const m = METRICS[format];
  const safe = TEXT_SAFE_AREA[format];
  const chrome = CHROME[format];
  const count = Math.max(1, Math.floor(Number(input.sceneCount) || 1));
  const index = Math.min(Math.max(0, Math.floor(Number(input.scene?.index) || 0)), count - 1);
  const scene: SceneFrameScene = { ...input.scene, index };
  const requested: SceneLayout =
    input.style?.layout && SCENE_LAYOUTS.includes(input.style.layout)
      ? input.style.layout
      : chooseSceneLayout(scene, count);
  const raw = cleanText(input.scene?.onScreenText, MAX_TEXT);
  const stat = requested === 'stat' ? splitFigure(raw, input.scene?.visual ?? '') : null;
  // A stat card needs a figure to set large; without one the text is a point.
  const layout: SceneLayout = requested === 'stat' && !stat ? 'point' : requested;
  const colors = frameColors(input.brand?.colors, layout);
  const brandName = cleanText(input.brand?.name, 60) || 'Studioflow';
  const slogan = cleanText(input.brand?.slogan, 90);
  const logo = safeLogoDataUrl(input.brand?.logoDataUrl ?? undefined);
  const photo = safeBackgroundDataUrl(input.style?.backgroundDataUrl);
  const text = layout === 'quote' ? stripQuotes(raw) : raw;
  const variant = index % 3;
  const font = fontStack(input.brand?.fontFamily);
  const boxWidth = width - safe.left - safe.right;
  const boxHeight = height - safe.top - safe.bottom;
  const area = boxWidth * boxHeight;
  const [hMax, hMin] = m.headline[layout];

  const chip = (size: number, cls: string) =>
    `<div class="chip ${cls}" style="width: ${size}px; height: ${size}px; border-radius: ${Math.round(size * 0.26)}px; font-size: ${Math.round(size * 0.38)}px">${
      logo ? `<img src="${escapeHtml(logo)}" alt="">` : escapeHtml(initials(brandName))
    }</div>`;

  let copy: string;
  switch (layout) {
    case 'title': {
      const size = guessSize(text, area * 0.55, [hMax, hMin]);
      copy = `
        ${chip(m.chipLarge, 'chip-large')}
        <div class="eyebrow">${escapeHtml(brandName)}</div>
        ${text ? fitted('h1', 'headline', text, size, hMin) : ''}
        <div class="bar"></div>`;
      break;
    }
    case 'point': {
      const size = guessSize(text, area * (vertical ? 0.6 : 0.75), [hMax, hMin]);
      copy = `
        <div class="number" aria-hidden="true">${pad2(index)}</div>
        <div class="stack">
          <div class="bar"></div>
          ${fitted('h1', 'headline', text || brandName, size, hMin)}
        </div>`;
      break;
    }
    case 'stat': {
      const figure = stat?.figure ?? text;
      const rest = stat?.rest ?? '';
      const figureSize = guessSize(figure, area * 0.3, m.figure);
      const size = guessSize(rest, area * 0.4, [hMax, hMin]);
      copy = `
        ${fitted('div', 'figure', figure, figureSize, m.figure[1])}
        <div class="bar"></div>
        ${rest ? fitted('h1', 'headline', rest, size, hMin) : ''}`;
      break;
    }
    case 'quote': {
      const size = guessSize(text, area * 0.5, [hMax, hMin]);
      copy = `
        <div class="mark" aria-hidden="true">“</div>
        ${fitted('h1', 'headline', text || brandName, size, hMin)}
        <div class="bar"></div>`;
      break;
    }
    case 'cta': {
      const size = guessSize(text, area * 0.22, [hMax, hMin]);
      const nameSize = guessSize(brandName, area * 0.12, m.brandName);
      const sloganSize = guessSize(slogan, area * 0.08, m.slogan);
      copy = `
        ${chip(m.chipLarge, 'chip-large')}
        ${fitted('div', 'brand-name', brandName, nameSize, m.brandName[1])}
        ${slogan ? fitted('div', 'slogan', slogan, sloganSize, m.slogan[1]) : ''}
        ${
          text
            ? `<div class="button">${fitted('span', 'headline', text, size, hMin)}<span class="go">${arrowIcon(Math.round(hMax * 0.7))}</span></div>`
            : ''
        }`;
      break;
    }
  }

  // The title and end cards show the brand large; the cards in between carry it small under the progress bar.
  const brandLine =
    layout === 'title' || layout === 'cta'
      ? ''
      : `<div class="brand">${chip(m.chipSmall, 'chip-small')}<span class="brand-label">${escapeHtml(brandName)}</span></div>`;

  return `<!doctype html>
<html data-format="${format}" data-layout="${layout}" data-scene="${index}" data-scenes="${count}"${photo ? ' data-background="image"' : ''}>
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=${width}, height=${height}">
<title>${escapeHtml(`${brandName} · ${index + 1}/${count}`)}</title>
<style>${styles({ format, layout, colors, width, height, safe, chrome, m, font, variant, photo: photo !== null })}</style>
</head>
<body>
<div class="frame">
  ${photo ? `<img class="photo" src="${escapeHtml(photo)}" alt="">\n  <div class="veil"></div>` : ''}
  <div class="deco glow"></div>
  <div class="deco glow glow-b"></div>
  <div class="deco ring ring-a"></div>
  <div class="deco ring ring-b"></div>
  <div class="deco dots"></div>
  <div class="scrim"></div>
  <header class="chrome">
    ${progress(index, count)}
    <div class="meta">
      ${brandLine}
      <span class="count">${pad2(index + 1)} / ${pad2(count)}</span>
    </div>
  </header>
  <main id="content" class="layout-${layout}">
    <div id="copy">${copy}
    </div>
  </main>
</div>
<script>${FIT_SCRIPT}</script>
</body>
</html>
`;
}

interface StyleInput {
  format: VideoFormat;
  layout: SceneLayout;
  colors: FrameColors;
  width: number;
  height: number;
  safe: FrameInsets;
  chrome: { top: number; left: number; right: number };
  m: Metrics;
  font: string;
  variant: number;
  photo: boolean;
}

function styles(s: StyleInput): string {
  const { colors: c, width: W, height: H, safe, chrome, m, layout } = s;
  const vertical = s.format === 'vertical';
  const [s0, s1, s2] = c.stops;
  const angle = layout === 'title' ? 155 : layout === 'cta' ? 200 : 170;
  const big = Math.max(W, H);
  // Decorations move from card to card so consecutive frames do not look identical.
  const corners = [
    { glow: 'top: -18%; right: -30%;', glowB: 'bottom: -8%; left: -40%;', ring: 'top: -12%; right: -22%;' },
    { glow: 'top: 30%; left: -45%;', glowB: 'top: -20%; right: -20%;', ring: 'bottom: 10%; right: -36%;' },
    { glow: 'bottom: 5%; right: -35%;', glowB: 'top: -15%; left: -30%;', ring: 'top: 20%; left: -40%;' },
  ][s.variant];
  const centred = layout === 'title' || layout === 'cta';
  const photoAlpha = layout === 'point' || layout === 'stat' || layout === 'quote' ? 0.84 : 0.78;
  const dark = c.ink === WHITE;

  return `
  * { box-sizing: border-box; margin: 0; padding: 0; }
  html, body { width: ${W}px; height: ${H}px; overflow: hidden; background: ${s0}; }
  body { font-family: ${s.font}; color: ${c.ink}; -webkit-font-smoothing: antialiased; text-rendering: geometricPrecision; }
  .frame { position: relative; width: ${W}px; height: ${H}px; overflow: hidden;
    background: linear-gradient(${angle}deg, ${s0} 0%, ${s1} 55%, ${s2} 100%); }
  ${
    s.photo
      ? `.photo { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: cover; filter: saturate(0.9); }
  .veil { position: absolute; inset: 0;
    background: linear-gradient(${angle}deg, ${rgba(s0, photoAlpha)} 0%, ${rgba(s1, photoAlpha + 0.04)} 55%, ${rgba(s2, photoAlpha + 0.08)} 100%); }`
      : ''
  }
  .deco { position: absolute; pointer-events: none; border-radius: 50%; }
  .glow { width: ${big * 0.9}px; height: ${big * 0.9}px; ${corners.glow}
    background: radial-gradient(circle, ${rgba(c.glow, GLOW_ALPHA)} 0%, ${rgba(c.glow, GLOW_ALPHA * 0.45)} 30%, ${rgba(c.glow, 0)} 64%); }
  .glow-b { width: ${big * 0.75}px; height: ${big * 0.75}px; ${corners.glowB}
    background: radial-gradient(circle, ${rgba(dark ? WHITE : INK, 0.1)} 0%, ${rgba(dark ? WHITE : INK, 0)} 60%); }
  .ring { border: ${vertical ? 3 : 2}px solid ${rgba(c.ink, 0.12)}; }
  .ring-a { width: ${big * 0.5}px; height: ${big * 0.5}px; ${corners.ring} }
  .ring-b { width: ${big * 0.34}px; height: ${big * 0.34}px; ${corners.ring} margin: ${big * 0.08}px; border-color: ${rgba(c.highlight, 0.22)}; }
  .dots { border-radius: 0; width: ${vertical ? 260 : 300}px; height: ${vertical ? 180 : 150}px;
    ${s.variant === 1 ? `left: ${chrome.left}px;` : `right: ${chrome.right}px;`} bottom: ${Math.round(H * SUBTITLE_BAND[s.format]) + (vertical ? 8 : 6)}px;
    background-image: radial-gradient(${rgba(c.ink, 0.28)} 2.5px, transparent 3px); background-size: 26px 26px;
    -webkit-mask-image: linear-gradient(${s.variant === 1 ? 90 : 270}deg, #000 10%, transparent 100%); opacity: 0.8; }
  .scrim { position: absolute; left: 0; right: 0; bottom: 0; height: ${Math.round(H * (SUBTITLE_BAND[s.format] + 0.1))}px;
    background: linear-gradient(to top, ${rgba(INK, 0.3)} 0%, ${rgba(INK, 0.12)} 45%, ${rgba(INK, 0)} 100%); }

  .chrome { position: absolute; top: ${chrome.top}px; left: ${chrome.left}px; right: ${chrome.right}px; z-index: 2; }
  .progress { display: flex; gap: ${vertical ? 10 : 8}px; }
  .seg { position: relative; flex: 1; height: ${m.progress}px; border-radius: 999px; background: ${rgba(c.ink, 0.22)}; overflow: hidden; }
  .seg.done { background: ${rgba(c.ink, 0.75)}; }
  .seg.current { background: ${c.highlight}; box-shadow: 0 0 ${m.progress * 2}px ${rgba(c.highlight, 0.55)}; }
  .seg .fill { position: absolute; inset: 0 auto 0 0; background: ${c.highlight}; border-radius: 999px; }
  .meta { display: flex; align-items: center; justify-content: space-between; gap: 24px;
    margin-top: ${vertical ? 30 : 24}px; min-height: ${m.chipSmall}px; }
  .brand { display: flex; align-items: center; gap: ${Math.round(m.brandLine * 0.6)}px; min-width: 0; }
  .brand-label { font-size: ${m.brandLine}px; font-weight: 700; letter-spacing: 0.02em; white-space: nowrap;
    overflow: hidden; text-overflow: ellipsis; }
  .count { margin-left: auto; font-size: ${m.brandLine * 0.9}px; font-weight: 700; letter-spacing: 0.12em;
    font-variant-numeric: tabular-nums; opacity: 0.82; white-space: nowrap; }
  .chip { flex: none; display: flex; align-items: center; justify-content: center; overflow: hidden;
    background: ${c.chip}; color: ${c.onChip}; font-weight: 700; letter-spacing: 0.02em;
    box-shadow: 0 12px 32px ${rgba(INK, 0.22)}; }
  .chip img { width: 80%; height: 80%; object-fit: contain; }
  .chip-small { box-shadow: 0 6px 16px ${rgba(INK, 0.2)}; }

  #content { position: absolute; z-index: 1; top: ${safe.top}px; left: ${safe.left}px; right: ${safe.right}px;
    bottom: ${safe.bottom}px; display: flex; flex-direction: column; justify-content: center;
    align-items: ${centred ? 'center' : 'stretch'}; overflow: clip; overflow-clip-margin: 40px; }
  #copy { display: flex; flex-direction: column; max-width: 100%; min-width: 0;
    align-items: ${centred ? 'center' : 'flex-start'}; text-align: ${centred ? 'center' : 'left'}; }
  [data-fit] { max-width: 100%; overflow-wrap: normal; word-break: normal; }
  [data-fit].break { overflow-wrap: anywhere; }
  h1 { font-weight: 700; line-height: 1.07; letter-spacing: -0.022em; text-wrap: balance;
    white-space: pre-line; ${dark ? `text-shadow: 0 4px 28px ${rgba(INK, 0.25)};` : ''} }
  .bar { flex: none; width: ${vertical ? 132 : 120}px; height: ${vertical ? 12 : 10}px; border-radius: 999px;
    background: ${c.highlight}; }
  .eyebrow { margin: ${vertical ? 44 : 30}px 0 ${vertical ? 40 : 26}px; font-size: ${m.eyebrow}px; font-weight: 700;
    letter-spacing: 0.2em; text-transform: uppercase; opacity: 0.88; max-width: 100%; white-space: nowrap;
    overflow: hidden; text-overflow: ellipsis; }
  .layout-title .bar { margin-top: ${vertical ? 56 : 40}px; }

  .layout-point #copy { ${vertical ? '' : 'flex-direction: row; align-items: center; gap: 80px;'} }
  .number { flex: none; font-size: ${m.number}px; font-weight: 700; line-height: 0.9; letter-spacing: -0.04em;
    color: transparent; -webkit-text-stroke: ${vertical ? 4 : 5}px ${c.highlight};
    font-variant-numeric: tabular-nums; margin-bottom: ${vertical ? 48 : 0}px; }
  .stack { display: flex; flex-direction: column; align-items: flex-start; min-width: 0; flex: 1; }
  .layout-point .bar { margin-bottom: ${vertical ? 44 : 36}px; }

  #figure { font-weight: 700; line-height: 0.95; letter-spacing: -0.045em; color: ${c.highlight}; white-space: nowrap; }
  .layout-stat .bar { margin: ${vertical ? 40 : 30}px 0 ${vertical ? 44 : 32}px; }

  .mark { font-family: ${SERIF_STACK}; font-weight: 700; color: ${c.highlight}; line-height: 1;
    font-size: ${vertical ? 300 : 240}px; height: ${vertical ? 190 : 150}px; margin: 0 0 ${vertical ? 20 : 10}px; }
  .layout-quote h1 { font-weight: 700; font-style: italic; letter-spacing: -0.015em; line-height: 1.14; }
  .layout-quote .bar { margin-top: ${vertical ? 52 : 36}px; }

  .layout-cta .chip-large { margin-bottom: ${vertical ? 44 : 28}px; }
  #brand-name { font-weight: 700; line-height: 1.05; letter-spacing: -0.02em; }
  #slogan { margin-top: ${vertical ? 18 : 12}px; line-height: 1.3; opacity: 0.88; }
  .button { display: flex; align-items: center; gap: ${vertical ? 28 : 24}px; max-width: 100%; min-width: 0;
    margin-top: ${vertical ? 64 : 40}px; padding: ${vertical ? '40px 48px' : '28px 44px'};
    border-radius: ${vertical ? 40 : 32}px; background: ${c.button}; color: ${c.onButton};
    box-shadow: 0 22px 48px ${rgba(INK, 0.28)}; text-align: left; }
  .button #headline { font-weight: 700; line-height: 1.1; letter-spacing: -0.015em; text-wrap: balance;
    white-space: pre-line; min-width: 0; }
  .go { flex: none; display: flex; align-items: center; justify-content: center; width: ${vertical ? 96 : 80}px;
    height: ${vertical ? 96 : 80}px; border-radius: 50%; background: ${rgba(c.onButton, 0.12)}; }
  .go .icon { width: 60%; height: 60%; }
`;
}
