/**
 * Where burned-in subtitles sit on a video, shared by the render (which draws them) and the frame templates (which
 * keep their own text clear of them), so the two never overlap. Sizes are shares of the video's height; pure.
 */
import type { VideoFormat } from './types';

export interface SubtitlePlacement {
  /** From the bottom edge to the last line. */
  marginBottom: number;
  fontSize: number;
  /** Share of the width on each side. */
  marginSides: number;
  maxLines: number;
  maxLineChars: number;
}

export const SUBTITLE_PLACEMENT: Record<VideoFormat, SubtitlePlacement> = {
  // Shorts, Reels and TikTok draw their own captions and buttons over the bottom fifth: sit just above it. A line
  // holds 26 characters: at 58 px DejaVu Sans Bold (~0.63 em a character) that is ~950 px, the width between margins.
  vertical: { marginBottom: 0.22, fontSize: 0.03, marginSides: 0.06, maxLines: 2, maxLineChars: 26 },
  horizontal: { marginBottom: 0.07, fontSize: 0.052, marginSides: 0.08, maxLines: 2, maxLineChars: 42 },
};

/** Line height and outline the render gives a subtitle line, as a multiple of its font size. */
const LINE = 1.25;
/** Room between the subtitles' top line and text above them. */
const GAP = 0.01;

/** The share of the height, from the bottom, that the subtitles may cover: frames keep their text above it. */
export function subtitleBand(format: VideoFormat): number {
  const p = SUBTITLE_PLACEMENT[format];
  return p.marginBottom + p.maxLines * p.fontSize * LINE + GAP;
}
