/**
 * Phase 4's baseline as data: the bare encode a product render is set against — the same length, size and encoder
 * arguments as the product, on the files the run stored, without the pan, cross-fades, fade-out or subtitles. Pure, so
 * it is unit-tested without ffmpeg (test/unit/bench-video.test.ts).
 */
import { buildRenderArgs, planTimeline, RENDER_TIMING } from '../activities/media/video/ffmpeg-args';

/**
 * The product's encoder arguments, taken from its own builder so the baseline cannot drift from it: everything from
 * `-c:v` up to the output (x264 preset and CRF, pixel format, frame rate, GOP, AAC, faststart), without `-t`.
 */
export function productEncoderArgs(): string[] {
  const args = buildRenderArgs({
    width: 1080,
    height: 1920,
    timeline: planTimeline([{ index: 0, audioSeconds: 1 }]),
    frames: ['frame.png'],
    audios: ['narration.wav'],
    music: false,
    output: 'video.mp4',
  });
  const settings = args.slice(args.indexOf('-c:v'), -1);
  const t = settings.indexOf('-t');
  if (settings[0] !== '-c:v' || t < 0) throw new Error('The render arguments no longer have the expected shape');
  settings.splice(t, 2);
  return settings;
}

/** The clips, in order, as a list for ffmpeg's concat demuxer (quotes inside a path escaped as it documents). */
export function concatList(files: string[]): string {
  return files.map((file) => `file '${file.replace(/'/g, "'\\''")}'\n`).join('');
}

/** Of a video's stored files: the first scene's frame and every narration clip in scene order. */
export function sceneFiles(names: string[]): { frame: string; narrations: string[] } {
  const indexed = (pattern: RegExp) =>
    names
      .map((name) => ({ name, match: pattern.exec(name) }))
      .filter((f): f is { name: string; match: RegExpExecArray } => f.match !== null)
      .sort((a, b) => Number(a.match[1]) - Number(b.match[1]))
      .map((f) => f.name);
  const frames = indexed(/^frame-(\d+)\.png$/);
  const narrations = indexed(/^narration-(\d+)\.(?:wav|mp3)$/);
  if (frames.length === 0 || narrations.length === 0)
    throw new Error(`Expected frame-<n>.png and narration-<n>.wav files, found: ${names.join(', ')}`);
  return { frame: frames[0], narrations };
}

export interface BareEncodeInput {
  /** The still to hold. */
  frame: string;
  /** A concat-demuxer list of the narration clips. */
  narrationList: string;
  seconds: number;
  width: number;
  height: number;
  output: string;
}

/**
 * The baseline's ffmpeg arguments: the still decoded once, fitted to the size and repeated by the loop filter as the
 * product does (`-loop 1` would decode the PNG again for every frame), the narration back to back then silence, and
 * the product's encoder arguments. No pan, cross-fades, fade-out or subtitles.
 */
export function bareEncodeArgs(input: BareEncodeInput): string[] {
  const { fps } = RENDER_TIMING;
  const { width: w, height: h } = input;
  const frames = Math.max(1, Math.round(input.seconds * fps));
  return [
    ...['-hide_banner', '-nostdin', '-v', 'error', '-y'],
    ...['-framerate', String(fps), '-i', input.frame],
    ...['-f', 'concat', '-safe', '0', '-i', input.narrationList],
    '-filter_complex',
    `[0:v]scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h},setsar=1,format=yuv420p,` +
      `loop=loop=${frames - 1}:size=1:start=0,setpts=N/${fps}/TB[vout];[1:a]apad[aout]`,
    ...['-map', '[vout]', '-map', '[aout]'],
    ...productEncoderArgs(),
    ...['-t', input.seconds.toFixed(3)],
    input.output,
  ];
}
