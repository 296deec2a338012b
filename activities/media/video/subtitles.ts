/**
 * Subtitles from the narration: each scene's text is cut into cues of at most two lines, timed over the span its
 * clip plays in proportion to the words each cue holds, then written as WebVTT and SRT (stored next to the video) and
 * as ASS (burned in, styled in the video's own pixels). Pure: unit-tested without ffmpeg.
 */
import { SUBTITLE_PLACEMENT } from '../../../lib/video/subtitle-placement';

export interface CueLayout {
  /** Characters per line; lines break at spaces, and only a word longer than this is cut. */
  maxLineChars: number;
  /** Lines per cue. */
  maxLines: number;
}

export interface SubtitleCue {
  /** Seconds from the start of the video. */
  start: number;
  end: number;
  lines: string[];
}

/** A scene's narration and when its clip plays. */
export interface TimedText {
  text: string;
  start: number;
  end: number;
}

/** A word, or a piece of one cut to fit a line; `glued` pieces follow the previous one without a space. */
interface Token {
  text: string;
  glued: boolean;
  /** Its share of the speaking time, in words. */
  weight: number;
}

const SENTENCE_END = /[.!?…。！？]["'»”’)\]]*$/;
/** A word is about this many characters; a cut piece of a long run (a URL, text without spaces) counts as that many words. */
const CHARS_PER_WORD = 6;

function tokenize(text: string, maxLineChars: number): Token[] {
  const tokens: Token[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const chars = [...word];
    if (chars.length <= maxLineChars) {
      tokens.push({ text: word, glued: false, weight: 1 });
      continue;
    }
    for (let at = 0; at < chars.length; at += maxLineChars) {
      const piece = chars.slice(at, at + maxLineChars).join('');
      tokens.push({ text: piece, glued: at > 0, weight: [...piece].length / CHARS_PER_WORD });
    }
  }
  return tokens;
}

const length = (s: string) => [...s].length;
const join = (tokens: Token[]) => tokens.map((t, i) => (i > 0 && !t.glued ? ' ' : '') + t.text).join('');

/** Greedy line filling: the lines `tokens` take at `maxLineChars`. */
function fillLines(tokens: Token[], maxLineChars: number): Token[][] {
  const lines: Token[][] = [];
  for (const token of tokens) {
    const line = lines[lines.length - 1];
    if (line && length(join([...line, token])) <= maxLineChars) line.push(token);
    else lines.push([token]);
  }
  return lines;
}

/** Two lines of about the same length (the bottom one no shorter), when the cue does not fit on one. */
function balance(tokens: Token[], layout: CueLayout): string[] {
  const lines = fillLines(tokens, layout.maxLineChars);
  if (lines.length !== 2) return lines.map(join);
  let best: { lines: string[]; score: number } | undefined;
  for (let split = 1; split < tokens.length; split++) {
    const top = join(tokens.slice(0, split));
    const bottom = join(tokens.slice(split));
    if (length(top) > layout.maxLineChars || length(bottom) > layout.maxLineChars) continue;
    // The shorter longest line wins; between equals, the one whose bottom line is not the shorter.
    const score = 2 * Math.max(length(top), length(bottom)) + (length(bottom) < length(top) ? 1 : 0);
    if (!best || score < best.score) best = { lines: [top, bottom], score };
  }
  return best?.lines ?? lines.map(join);
}

/**
 * Cuts text into cues of at most `maxLines` lines of `maxLineChars`. A cue also ends at the end of a sentence once it
 * holds half a line or more, so cues follow the speech's pauses.
 */
export function splitIntoCues(text: string, layout: CueLayout): { lines: string[]; weight: number }[] {
  const cues: Token[][] = [];
  let current: Token[] = [];
  for (const token of tokenize(text, layout.maxLineChars)) {
    if (current.length > 0 && fillLines([...current, token], layout.maxLineChars).length > layout.maxLines) {
      cues.push(current);
      current = [];
    }
    current.push(token);
    if (SENTENCE_END.test(token.text) && length(join(current)) >= layout.maxLineChars / 2) {
      cues.push(current);
      current = [];
    }
  }
  if (current.length > 0) cues.push(current);
  return cues.map((tokens) => ({ lines: balance(tokens, layout), weight: tokens.reduce((n, t) => n + t.weight, 0) }));
}

const ms = (seconds: number) => Math.round(seconds * 1000) / 1000;

/** Cues for every scene, each scene's span shared among its cues in proportion to their words. */
export function buildCues(scenes: TimedText[], layout: CueLayout): SubtitleCue[] {
  const cues: SubtitleCue[] = [];
  for (const scene of scenes) {
    const parts = splitIntoCues(scene.text, layout);
    const total = parts.reduce((n, p) => n + p.weight, 0);
    let done = 0;
    for (const part of parts) {
      const start = ms(scene.start + ((scene.end - scene.start) * done) / total);
      done += part.weight;
      const end = ms(scene.start + ((scene.end - scene.start) * done) / total);
      if (end > start) cues.push({ start, end, lines: part.lines });
    }
  }
  return cues;
}

function clock(seconds: number, separator: '.' | ','): string {
  const total = Math.max(0, Math.round(seconds * 1000));
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor(total / 60_000) % 60;
  const s = Math.floor(total / 1000) % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(total % 1000, 3)}`;
}

/** WebVTT; `&`, `<` and `>` escaped, so no text reads as markup or as a `-->` timing line. */
export function formatVtt(cues: SubtitleCue[]): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const blocks = cues.map(
    (c, i) => `${i + 1}\n${clock(c.start, '.')} --> ${clock(c.end, '.')}\n${c.lines.map(escape).join('\n')}`,
  );
  return `WEBVTT\n\n${blocks.join('\n\n')}\n`;
}

/** SubRip: numbered cues, comma before the milliseconds. */
export function formatSrt(cues: SubtitleCue[]): string {
  return cues
    .map((c, i) => `${i + 1}\n${clock(c.start, ',')} --> ${clock(c.end, ',')}\n${c.lines.join('\n')}\n`)
    .join('\n');
}

export interface BurnInStyle {
  /** The video's size: the script's coordinate space, so sizes below are pixels. */
  width: number;
  height: number;
  fontName: string;
  fontSize: number;
  /** From the bottom edge to the last line. */
  marginBottom: number;
  marginSides: number;
}

/** Subtitle lines and sizes for a video size: two short lines, clear of the platform's own controls. */
export function subtitleLayoutFor(width: number, height: number): { layout: CueLayout; style: BurnInStyle } {
  const p = SUBTITLE_PLACEMENT[height > width ? 'vertical' : 'horizontal'];
  return {
    layout: { maxLineChars: p.maxLineChars, maxLines: p.maxLines },
    style: {
      width,
      height,
      fontName: 'DejaVu Sans',
      fontSize: Math.round(height * p.fontSize),
      marginBottom: Math.round(height * p.marginBottom),
      marginSides: Math.round(width * p.marginSides),
    },
  };
}

/** `H:MM:SS.cc`, as ASS writes times. */
function assClock(seconds: number): string {
  const total = Math.max(0, Math.round(seconds * 100));
  const h = Math.floor(total / 360_000);
  const m = Math.floor(total / 6000) % 60;
  const s = Math.floor(total / 100) % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(total % 100).padStart(2, '0')}`;
}

/**
 * Text as libass shows it literally: a backslash is kept apart from what follows (so `\N` or `\i1` in the narration
 * stay text) and braces are escaped (so `{...}` is not an override block).
 */
export function escapeAssText(text: string): string {
  return text.replace(/\\/g, '\\\u2060').replace(/[{}]/g, (c) => `\\${c}`);
}

/** An ASS script whose coordinates are the video's pixels: white bold text on one translucent dark box per cue. */
export function formatAss(cues: SubtitleCue[], style: BurnInStyle): string {
  const outline = Math.max(2, Math.round(style.fontSize * 0.05));
  const fontName = style.fontName.replace(/[,\n]/g, ' ');
  return [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${style.width}`,
    `PlayResY: ${style.height}`,
    'WrapStyle: 0',
    'ScaledBorderAndShadow: yes',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, ' +
      'Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, ' +
      'MarginR, MarginV, Encoding',
    // BorderStyle 4 (libass >= 0.17) draws one translucent box (BackColour, alpha 0x50 of 0xFF) behind the whole cue,
    // and a thin dark outline (OutlineColour) around the glyphs; older libass falls back to the outline alone.
    `Style: Default,${fontName},${style.fontSize},&H00FFFFFF,&H00FFFFFF,&H80000000,&H50000000,-1,0,0,0,100,100,0,0,` +
      `4,${outline},0,2,${style.marginSides},${style.marginSides},${style.marginBottom},1`,
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    ...cues.map(
      (c) =>
        `Dialogue: 0,${assClock(c.start)},${assClock(c.end)},Default,,0,0,0,,${c.lines.map(escapeAssText).join('\\N')}`,
    ),
    '',
  ].join('\n');
}
