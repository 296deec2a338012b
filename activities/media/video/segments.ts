/**
 * The render in parts (issue 14): the picture is cut into stretches of frames encoded by separate ffmpeg processes at
 * once, the sound is encoded beside them, and the parts are joined with the concat demuxer without re-encoding.
 *
 * Why: one ffmpeg draws the whole filter graph (pan, cuts, burned-in subtitles) on one thread and feeds x264 from
 * it, so on two cores the render used about one and a third of them; two parts keep both busy. Each part draws
 * exactly the frames the single-pass render draws for that stretch (same pieces, same pan offsets, the subtitles and
 * the fade-out on the whole video's clock: `buildVideoChains` with a range), and starts on a keyframe, so the joined
 * stream is the same picture as the single pass up to encoder noise. A cut never falls inside a cross-fade.
 */
import {
  audioEncoderArgs,
  buildAudioChains,
  buildVideoChains,
  picturePieces,
  secondsArg,
  videoEncoderArgs,
  type FrameRange,
  type RenderCommandOptions,
  type Timeline,
} from './ffmpeg-args';

/** Below this a part's fixed costs (the process, decoding and scaling its stills, a keyframe) outweigh the gain. */
export const MIN_SEGMENT_SECONDS = 2;

/**
 * Cuts the video's frames into at most `count` ranges of about equal length, each at least MIN_SEGMENT_SECONDS long;
 * a cut that would fall inside a cross-fade moves to the end of it.
 */
export function planSegments(timeline: Timeline, count: number): FrameRange[] {
  const total = timeline.totalFrames;
  const parts = Math.max(1, Math.min(Math.floor(count), Math.floor(total / (MIN_SEGMENT_SECONDS * timeline.fps))));
  const fades = picturePieces(timeline).filter((p) => p.kind === 'fade');
  const cuts: number[] = [];
  for (let k = 1; k < parts; k++) {
    let at = Math.round((total * k) / parts);
    const inside = fades.find((f) => at > f.from && at < f.to);
    if (inside) at = inside.to;
    if (at > (cuts[cuts.length - 1] ?? 0) && at < total) cuts.push(at);
  }
  const bounds = [0, ...cuts, total];
  return bounds.slice(1).map((to, i) => ({ from: bounds[i], to }));
}

/** The scenes whose stills a range draws, in play order (a cross-fade needs the scene before it too). */
export function scenesOf(timeline: Timeline, range: FrameRange): number[] {
  const used = new Set<number>();
  for (const p of picturePieces(timeline)) {
    if (p.from >= range.to || p.to <= range.from) continue;
    if (p.kind === 'fade') used.add(p.scene - 1);
    used.add(p.scene);
  }
  return [...used].sort((a, b) => a - b);
}

const head = ['-hide_banner', '-nostdin', '-v', 'error', '-y'];

/** One part of the picture: the stills it needs, its frames of the graph, H.264 only, progress on stdout. */
export function buildSegmentArgs(options: RenderCommandOptions, range: FrameRange, output: string): string[] {
  const { timeline } = options;
  const scenes = scenesOf(timeline, range);
  const fps = String(timeline.fps);
  return [
    ...head,
    '-progress',
    'pipe:1',
    '-nostats',
    ...scenes.flatMap((scene) => ['-framerate', fps, '-i', options.frames[scene]]),
    '-filter_complex',
    buildVideoChains(options, range, (scene) => scenes.indexOf(scene)).join(';\n'),
    '-map',
    '[vout]',
    ...videoEncoderArgs(timeline, options.encoding),
    '-frames:v',
    String(range.to - range.from),
    '-f',
    'mp4',
    output,
  ];
}

/** The sound alone: the narration clips padded to their slots (and the music ducked under them), as AAC. */
export function buildAudioArgs(options: RenderCommandOptions, output: string): string[] {
  return [
    ...head,
    ...options.audios.flatMap((file) => ['-i', file]),
    ...(options.musicFile ? ['-stream_loop', '-1', '-i', options.musicFile] : []),
    '-filter_complex',
    buildAudioChains(options, 0).join(';\n'),
    '-map',
    '[aout]',
    ...audioEncoderArgs(options.aacCoder),
    '-t',
    secondsArg(options.timeline.totalSeconds),
    '-f',
    'mp4',
    output,
  ];
}

/** The concat demuxer's list of the parts (plain names in the working directory). */
export function segmentList(files: string[]): string {
  return files.map((file) => `file '${file.replace(/'/g, "'\\''")}'\n`).join('');
}

/** Joins the parts (listed in `list`) and the sound into the MP4, copying both streams, moov first. */
export function buildJoinArgs(list: string, audio: string, seconds: number, output: string): string[] {
  return [
    ...head,
    ...['-f', 'concat', '-safe', '0', '-i', list],
    ...['-i', audio],
    ...['-map', '0:v', '-map', '1:a', '-c', 'copy'],
    ...['-t', secondsArg(seconds)],
    ...['-movflags', '+faststart'],
    output,
  ];
}
