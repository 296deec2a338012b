/**
 * One still frame per video scene (issue 4, step "visuals"): a slide of a short-video deck in the brand's colours,
 * with the scene's on-screen text set large inside the safe area. Pure and self-contained: the HTML references nothing
 * on the network (a CSP forbids it), uses the system fonts, and marks itself `data-ready` once the text is fitted.
 *
 * The bottom 22 % of every frame stays free of text for the subtitles burned in at render; vertical frames also keep
 * clear of the platform UI (status and tabs on top, the action column on the right).
 */
import { VIDEO_FORMATS, type VideoFormat } from '../../lib/video/types';
import {
  cleanText,
  escapeHtml,
  fontStack,
  initials,
  safeBackgroundDataUrl,
  safeLogoDataUrl,
  strokeIcon,
  templateCsp,
  templateHead,
} from '../../lib/html';
import { frameColors } from './scene-frame.colors';
import {
  CHROME,
  chooseSceneLayout,
  guessSize,
  METRICS,
  SCENE_LAYOUTS,
  splitFigure,
  stripQuotes,
  TEXT_SAFE_AREA,
  type SceneFrameInput,
  type SceneFrameScene,
  type SceneLayout,
} from './scene-frame.layout';
import { sceneFrameStyles } from './scene-frame.styles';

const MAX_TEXT = 220;
const ARROW = '<path d="M5 12h14M13 6l6 6-6 6"/>';

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
  const raw = cleanText(input.scene?.onScreenText, MAX_TEXT, { foldSpace: true });
  const stat = requested === 'stat' ? splitFigure(raw, input.scene?.visual ?? '') : null;
  // A stat card needs a figure to set large; without one the text is a point.
  const layout: SceneLayout = requested === 'stat' && !stat ? 'point' : requested;
  const colors = frameColors(input.brand?.colors, layout);
  const brandName = cleanText(input.brand?.name, 60, { foldSpace: true }) || 'Studioflow';
  const slogan = cleanText(input.brand?.slogan, 90, { foldSpace: true });
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
            ? `<div class="button">${fitted('span', 'headline', text, size, hMin)}<span class="go">${strokeIcon(ARROW, Math.round(hMax * 0.7), 2.4)}</span></div>`
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
${templateHead({
  csp: CSP,
  viewport: `width=${width}, height=${height}`,
  title: `${brandName} · ${index + 1}/${count}`,
  css: sceneFrameStyles({
    format,
    layout,
    colors,
    width,
    height,
    safe,
    chrome,
    m,
    font,
    variant,
    photo: photo !== null,
  }),
})}
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
