/** A scene frame's stylesheet: the layout's sizes and the frame's colours; decorations move with the variant. */
import type { VideoFormat } from '../../lib/video/types';
import { INK, rgba, SERIF_STACK, WHITE } from '../../lib/html';
import { GLOW_ALPHA, type FrameColors } from './scene-frame.colors';
import { SUBTITLE_BAND, type FrameInsets, type Metrics, type SceneLayout } from './scene-frame.layout';

export interface StyleInput {
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

export function sceneFrameStyles(s: StyleInput): string {
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
