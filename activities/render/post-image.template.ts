import { IMAGE_SIZES, type BrandColors, type Platform, type PostFormat, type PostType } from '../../lib/social';
import {
  cleanText,
  escapeHtml,
  fontStack,
  INK,
  initials,
  mixColors,
  resolvePalette,
  rgba,
  safeLogoDataUrl,
  strokeIcon,
  templateCsp,
  templateHead,
  WHITE,
  type BrandPalette,
} from '../../lib/html';

export type { BrandColors };

export interface PostImageBrand {
  name: string;
  slogan?: string;
  colors: BrandColors;
  /** A locally installed family; unknown families fall back to the system sans-serif. */
  fontFamily?: string;
  /** `data:image/...;base64,...` only; anything else is ignored so a render never touches the network. */
  logoDataUrl?: string;
}

export interface PostImageInput {
  brand: PostImageBrand;
  headline: string;
  body?: string;
  postType: PostType;
  platform: Platform;
  format: PostFormat;
  /** A carousel's slide: its place, shown as "2 / 5" on the card. */
  slide?: { index: number; count: number };
}

/** The quotation marks around a testimonial: its card draws its own. */
function stripQuotes(text: string): string {
  return text
    .trim()
    .replace(/^["'“”‘’«»„]+\s*/, '')
    .replace(/\s*["'“”‘’«»„]+$/, '');
}

// ---------------------------------------------------------------------------------------------------------------
// Post types
// ---------------------------------------------------------------------------------------------------------------

/** Badge label and a 24×24 stroke icon for each post type. */
export const POST_TYPE_BADGES: Record<PostType, { label: string; icon: string }> = {
  educational: {
    label: 'Learn',
    icon: '<path d="M2 9l10-5 10 5-10 5z"/><path d="M6 11v5c0 1.7 2.7 3 6 3s6-1.3 6-3v-5"/>',
  },
  promotional: { label: 'Offer', icon: '<path d="M3 12V4h8l10 10-7 7z"/><circle cx="7.5" cy="8" r="1.2"/>' },
  engagement: { label: 'Your turn', icon: '<path d="M4 5h16v11H10l-6 4z"/>' },
  storytelling: {
    label: 'Our story',
    icon: '<path d="M2 5c3-1 7-1 10 1 3-2 7-2 10-1v14c-3-1-7-1-10 1-3-2-7-2-10-1z"/><path d="M12 6v14"/>',
  },
  announcement: { label: 'News', icon: '<path d="M3 10v4h4l9 5V5l-9 5z"/><path d="M19 9.5a3.5 3.5 0 0 1 0 5"/>' },
  tips: {
    label: 'Quick tip',
    icon: '<path d="M9 18h6M10 21h4"/><path d="M12 3a6 6 0 0 0-4 10.5c.7.7 1 1.5 1 2.5h6c0-1 .3-1.8 1-2.5A6 6 0 0 0 12 3z"/>',
  },
  testimonial: {
    label: 'Customer story',
    icon: '<path d="M10 7H5v6h4v1a3 3 0 0 1-3 3"/><path d="M20 7h-5v6h4v1a3 3 0 0 1-3 3"/>',
  },
  seasonal: {
    label: 'Seasonal',
    icon: '<path d="M12 2v20M3.3 7l17.4 10M3.3 17 20.7 7"/><path d="M9 4l3 2 3-2M9 20l3-2 3 2"/>',
  },
  trending: { label: 'Trending', icon: '<path d="M3 17l6-6 4 4 8-8"/><path d="M15 7h6v6"/>' },
};

// ---------------------------------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------------------------------

interface Metrics {
  pad: [top: number, side: number, bottom: number];
  headlineMax: number;
  headlineMin: number;
  /** Area the headline may fill, used for the first size guess. */
  headlineArea: number;
  body: number;
  bodyMin: number;
  bodyLines: number;
  badge: number;
  brand: number;
}

// Stories keep clear of the platform UI at the top (~14%) and bottom (~20%) of the screen.
const METRICS: Record<PostFormat, Metrics> = {
  square: {
    pad: [88, 88, 80],
    headlineMax: 118,
    headlineMin: 48,
    headlineArea: 904 * 470,
    body: 38,
    bodyMin: 28,
    bodyLines: 4,
    badge: 26,
    brand: 30,
  },
  // A carousel's slides are square cards.
  carousel: {
    pad: [88, 88, 80],
    headlineMax: 118,
    headlineMin: 48,
    headlineArea: 904 * 470,
    body: 38,
    bodyMin: 28,
    bodyLines: 4,
    badge: 26,
    brand: 30,
  },
  story: {
    pad: [210, 88, 270],
    headlineMax: 148,
    headlineMin: 56,
    headlineArea: 904 * 760,
    body: 46,
    bodyMin: 32,
    bodyLines: 7,
    badge: 30,
    brand: 34,
  },
};

/** First guess from the text length (bold sans: ~0.56em per character, 1.06 line height); the script refines it. */
function initialHeadlineSize(text: string, m: Metrics): number {
  const chars = Math.max([...text].length, 1);
  const guess = Math.sqrt(m.headlineArea / (chars * 0.56 * 1.06));
  return Math.round(Math.min(m.headlineMax, Math.max(m.headlineMin, guess)));
}

/**
 * Shrinks headline and body together until the copy fits its box, then marks the document ready for the
 * screenshot. Static text: its hash goes into the CSP so no other script can run.
 */
const FIT_SCRIPT = `(function () {
  var root = document.documentElement;
  function px(el, name) { return parseFloat(el.getAttribute(name)); }
  function fit() {
    var box = document.getElementById('content');
    var copy = document.getElementById('copy');
    var headline = document.getElementById('headline');
    var body = document.getElementById('body');
    var h = px(headline, 'data-size'), hMin = px(headline, 'data-min');
    var b = body ? px(body, 'data-size') : 0, bMin = body ? px(body, 'data-min') : 0;
    for (var i = 0; i < 80 && copy.offsetHeight > box.clientHeight; i++) {
      if (h <= hMin && b <= bMin) break;
      h = Math.max(hMin, h - Math.max(2, h * 0.04));
      b = Math.max(bMin, b - 1);
      headline.style.fontSize = h + 'px';
      if (body) body.style.fontSize = b + 'px';
    }
    root.setAttribute('data-ready', 'true');
  }
  var fonts = document.fonts ? document.fonts.ready : Promise.resolve();
  fonts.then(fit, fit);
})();`;

const CSP = templateCsp(FIT_SCRIPT);

function styles(p: BrandPalette, m: Metrics, width: number, height: number, font: string): string {
  const [top, side, bottom] = m.pad;
  const orbit = Math.round(width * 0.31);
  return `
  * { box-sizing: border-box; margin: 0; padding: 0; }
  html, body { width: ${width}px; height: ${height}px; overflow: hidden; }
  body { font-family: ${font}; color: ${p.ink}; -webkit-font-smoothing: antialiased; text-rendering: geometricPrecision; }
  .card { position: relative; width: 100%; height: 100%; overflow: hidden;
    background: linear-gradient(135deg, ${p.primary} 0%, ${mixColors(p.primary, p.secondary, 0.5)} 50%, ${p.secondary} 100%); }
  .deco { position: absolute; border-radius: 50%; pointer-events: none; }
  .glow { width: ${width * 1.1}px; height: ${width * 1.1}px; top: ${-width * 0.5}px; right: ${-width * 0.5}px;
    background: radial-gradient(circle, ${rgba(WHITE, 0.24)} 0%, ${rgba(WHITE, 0)} 65%); }
  .ring { border: 2px solid ${rgba(p.ink, 0.18)}; }
  .ring-a { width: ${orbit * 2}px; height: ${orbit * 2}px; top: ${-width * 0.2}px; right: ${-width * 0.18}px; }
  .ring-b { width: ${width * 0.42}px; height: ${width * 0.42}px; top: ${-width * 0.1}px; right: ${-width * 0.08}px;
    border-color: ${rgba(p.ink, 0.12)}; }
  .ring-c { width: ${width * 0.9}px; height: ${width * 0.9}px; bottom: ${-width * 0.62}px; left: ${-width * 0.3}px;
    border-color: ${rgba(p.ink, 0.1)}; }
  .planet { left: 50%; top: 50%; width: ${m.badge}px; height: ${m.badge}px; margin: ${-m.badge / 2}px 0 0 ${-m.badge / 2}px;
    background: ${p.accent}; transform: rotate(186deg) translateX(${orbit}px);
    box-shadow: 0 0 0 ${m.badge * 0.4}px ${rgba(p.accent, 0.22)}; }
  .frame { position: relative; z-index: 1; height: 100%; display: flex; flex-direction: column;
    padding: ${top}px ${side}px ${bottom}px; }
  header { display: flex; align-items: center; justify-content: space-between; margin-bottom: ${m.badge * 1.6}px; }
  .badge { display: inline-flex; align-items: center; gap: ${m.badge * 0.45}px; padding: ${m.badge * 0.55}px ${m.badge}px;
    border-radius: 999px; background: ${p.accent}; color: ${p.onAccent}; font-size: ${m.badge}px; font-weight: 700;
    letter-spacing: 0.14em; text-transform: uppercase; box-shadow: 0 10px 30px ${rgba(INK, 0.18)}; }
  .badge .icon { flex: none; }
  .count { font-size: ${m.badge}px; font-weight: 700; letter-spacing: 0.08em; padding: ${m.badge * 0.45}px ${m.badge * 0.8}px;
    border-radius: 999px; border: 2px solid ${rgba(p.ink, 0.4)}; font-variant-numeric: tabular-nums; }
  #content { flex: 1; min-height: 0; display: flex; flex-direction: column; justify-content: center; overflow: hidden; }
  #copy { display: flex; flex-direction: column; }
  .rule { width: ${m.body * 2.6}px; height: ${Math.round(m.body * 0.26)}px; border-radius: 999px;
    background: ${p.accent}; margin-bottom: ${m.body * 1}px; }
  .quote { font-family: 'DejaVu Serif', Georgia, serif; font-weight: 700; color: ${p.accent}; line-height: 0.7;
    font-size: ${m.headlineMax * 1.9}px; height: ${m.headlineMax * 0.9}px; margin-left: -6px; }
  #headline { font-weight: 700; line-height: 1.04; letter-spacing: -0.025em; text-wrap: balance;
    overflow-wrap: break-word; hyphens: auto;
    text-shadow: ${p.ink === WHITE ? `0 2px 24px ${rgba(INK, 0.14)}` : 'none'}; }
  #body { margin-top: ${m.body * 0.95}px; font-size: ${m.body}px; line-height: 1.38; max-width: 94%; opacity: 0.9;
    white-space: pre-line; text-wrap: pretty; overflow-wrap: break-word; display: -webkit-box;
    -webkit-box-orient: vertical; -webkit-line-clamp: ${m.bodyLines}; overflow: hidden; }
  footer { display: flex; align-items: center; justify-content: space-between; gap: 32px; margin-top: ${m.badge * 1.6}px;
    padding-top: ${m.brand * 1.1}px; border-top: 2px solid ${rgba(p.ink, 0.22)}; }
  .brand { display: flex; align-items: center; gap: ${m.brand * 0.75}px; min-width: 0; }
  .mark { flex: none; width: ${m.brand * 2.6}px; height: ${m.brand * 2.6}px; border-radius: ${m.brand * 0.7}px;
    background: ${p.background}; color: ${p.onBackground}; display: flex; align-items: center; justify-content: center;
    font-weight: 700; font-size: ${m.brand * 0.95}px; letter-spacing: 0.02em; overflow: hidden;
    box-shadow: 0 8px 24px ${rgba(INK, 0.18)}; }
  .mark img { width: 84%; height: 84%; object-fit: contain; }
  .names { min-width: 0; }
  .name { font-size: ${m.brand}px; font-weight: 700; letter-spacing: 0.01em; white-space: nowrap; overflow: hidden;
    text-overflow: ellipsis; }
  .slogan { margin-top: 6px; font-size: ${m.brand * 0.8}px; opacity: 0.8; white-space: nowrap; overflow: hidden;
    text-overflow: ellipsis; }
  .go { flex: none; width: ${m.brand * 2.4}px; height: ${m.brand * 2.4}px; border-radius: 50%;
    border: 2px solid ${rgba(p.ink, 0.5)}; display: flex; align-items: center; justify-content: center; }
`;
}

/** A branded 1080×1080 (square, a carousel's slide) or 1080×1920 (story) card; pure, self-contained HTML with no network references. */
export function renderPostImageHtml(input: PostImageInput): string {
  const { width, height } = IMAGE_SIZES[input.format] ?? IMAGE_SIZES.square;
  const metrics = METRICS[input.format] ?? METRICS.square;
  const palette = resolvePalette(input.brand?.colors);
  const brandName = cleanText(input.brand?.name, 60) || 'Studioflow';
  const slogan = cleanText(input.brand?.slogan, 90);
  const quoted = input.postType === 'testimonial';
  // A testimonial card draws its own quotation mark, so quotes around the text would double up.
  const headline = cleanText(quoted ? stripQuotes(input.headline ?? '') : input.headline, 220);
  const body = cleanText(input.body, 600);
  const badge = POST_TYPE_BADGES[input.postType] ?? POST_TYPE_BADGES.announcement;
  const logo = safeLogoDataUrl(input.brand?.logoDataUrl);
  const headlineSize = initialHeadlineSize(headline, metrics);

  const mark = logo ? `<img src="${escapeHtml(logo)}" alt="">` : escapeHtml(initials(brandName));
  const lead =
    input.postType === 'testimonial' ? '<div class="quote" aria-hidden="true">“</div>' : '<div class="rule"></div>';
  const slide = input.slide;
  const count =
    slide && Number.isInteger(slide.index) && Number.isInteger(slide.count)
      ? `<div class="count" data-slide="${slide.index}">${slide.index} / ${slide.count}</div>`
      : '';
  const bodyHtml = body
    ? `<p id="body" data-size="${metrics.body}" data-min="${metrics.bodyMin}">${escapeHtml(body)}</p>`
    : '';

  return `<!doctype html>
<html lang="en" data-format="${input.format === 'story' || input.format === 'carousel' ? input.format : 'square'}" data-post-type="${escapeHtml(String(input.postType))}" data-platform="${escapeHtml(String(input.platform))}">
${templateHead({
  csp: CSP,
  viewport: `width=${width}, height=${height}`,
  title: headline,
  css: styles(palette, metrics, width, height, fontStack(input.brand?.fontFamily)),
})}
<body>
<div class="card">
  <div class="deco glow"></div>
  <div class="deco ring ring-a"><div class="deco planet"></div></div>
  <div class="deco ring ring-b"></div>
  <div class="deco ring ring-c"></div>
  <div class="frame">
    <header>
      <div class="badge">${strokeIcon(badge.icon, Math.round(metrics.badge * 1.15))}<span>${escapeHtml(badge.label)}</span></div>${count}
    </header>
    <main id="content">
      <div id="copy">
        ${lead}
        <h1 id="headline" style="font-size: ${headlineSize}px" data-size="${headlineSize}" data-min="${metrics.headlineMin}">${escapeHtml(headline)}</h1>
        ${bodyHtml}
      </div>
    </main>
    <footer>
      <div class="brand">
        <div class="mark">${mark}</div>
        <div class="names">
          <div class="name">${escapeHtml(brandName)}</div>
          ${slogan ? `<div class="slogan">${escapeHtml(slogan)}</div>` : ''}
        </div>
      </div>
      <div class="go" aria-hidden="true">${strokeIcon('<path d="M5 12h14M13 6l6 6-6 6"/>', Math.round(metrics.brand * 1.1))}</div>
    </footer>
  </div>
</div>
<script>${FIT_SCRIPT}</script>
</body>
</html>
`;
}
