/**
 * How a video's timeline sits around its narration, shared by the render (which lays it out:
 * activities/media/video/ffmpeg-args.ts) and the script writers (which size the narration so the finished video lasts
 * the target, not the target plus its pauses). Pure, so workflows may import it.
 */

export interface RenderTimingOptions {
  fps: number;
  /** Silence after each narration; also where the cross-fade to the next scene happens. */
  paddingSeconds: number;
  /** Before the first narration. */
  leadInSeconds: number;
  /** After the last narration's padding, while the picture fades out. */
  tailSeconds: number;
  crossfadeSeconds: number;
}

/**
 * Short on purpose: a video lasts its narration plus `leadIn + tail + padding × scenes` (30 s with 5 scenes: +1.95 s),
 * and should stay within 10 % of the narration even for a 15 s short.
 */
export const RENDER_TIMING: RenderTimingOptions = {
  fps: 30,
  paddingSeconds: 0.3,
  leadInSeconds: 0.2,
  tailSeconds: 0.25,
  crossfadeSeconds: 0.3,
};

/** Seconds a video of this many scenes adds to its narration: the lead-in, a padding after each scene, the tail. */
export function pauseSeconds(sceneCount: number, timing: RenderTimingOptions = RENDER_TIMING): number {
  if (sceneCount <= 0) return 0;
  return Math.round((timing.leadInSeconds + timing.tailSeconds + sceneCount * timing.paddingSeconds) * 100) / 100;
}
