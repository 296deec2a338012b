/**
 * The render as data: the timeline (when each scene shows and speaks) and the ffmpeg command that draws it. Pure, so
 * the arithmetic that keeps sound, pictures and subtitles in sync is unit-tested without running ffmpeg.
 *
 * Timeline. Scene i owns a slot of `leadIn (first scene only) + narration + padding (+ tail, last scene only)` seconds,
 * rounded up to whole frames; slots follow each other with no gap, so the video lasts the sum of the slots. The
 * cross-fade into scene i plays during the last `crossfade` seconds of slot i-1, which is the padding after that
 * scene's narration (padding >= crossfade): a voice never talks over a transition and each narration starts on the
 * first frame its scene is fully shown. All times are multiples of a frame, and of a sample at 48 kHz.
 *
 * Picture. Each still is scaled once to cover the frame plus a small overscan, looped, and a crop window glides
 * across the overscan with an ease-in-out (a Ken Burns pan). Per-frame scaling (zoompan, perspective) looks alike but
 * costs 1.6-2.5 times as much CPU at 1080x1920 on the media worker.
 *
 * Sound. Each clip is padded with silence to its slot and the clips are concatenated: sample-exact, no drift. Music,
 * when given, loops under the narration, ducked by a sidechain compressor keyed on the voice.
 */

import { RENDER_TIMING, type RenderTimingOptions } from '../../../lib/video/timing';

export { RENDER_TIMING, type RenderTimingOptions };

export const AUDIO_SAMPLE_RATE = 48_000;
/** How much larger than the frame each still is scaled, giving the pan its room. */
export const PAN_OVERSCAN = 0.08;
/** Fastest the pan moves, in frame heights per second, so a long scene drifts the whole overscan and a short one less. */
const PAN_SPEED = 0.012;
/** Crop-window directions, cycled scene by scene: down-right, down-left, up-right, up-left. */
const PAN_DIRECTIONS: [number, number][] = [
  [1, 1],
  [-1, 1],
  [1, -1],
  [-1, -1],
];
const FADE_OUT_SECONDS = 0.4;

/**
 * x264 settings. `fast` (the default): the `ultrafast` preset with CABAC, deblocking and the macroblock tree turned
 * back on. On the scene frames (flat colour, large type, a whole-pixel pan) it takes about half the CPU of `veryfast`
 * for files ~1.25× as large, and its frames stay within 44-49 dB PSNR of the `veryfast` ones: x264's per-frame
 * analysis, not the picture, was most of the render's cost (docs/benchmarks.md, issue 14). `compact`: the earlier
 * `veryfast` encode, for smaller files at twice the CPU.
 */
export const VIDEO_ENCODINGS = {
  fast: ['-preset', 'ultrafast', '-x264-params', 'cabac=1:deblock=1,0,0:mbtree=1:rc-lookahead=10'],
  compact: ['-preset', 'veryfast'],
} as const satisfies Record<string, readonly string[]>;
export type VideoEncoding = keyof typeof VIDEO_ENCODINGS;
export const DEFAULT_VIDEO_ENCODING: VideoEncoding = 'fast';
const MUSIC_VOLUME = 0.25;

export interface SceneTiming {
  index: number;
  /** Start of the scene's slot in the video (the cross-fade into it ends here). */
  start: number;
  /** Length of the slot. */
  duration: number;
  /** Length of the slot in frames. */
  frames: number;
  narrationStart: number;
  narrationEnd: number;
}

export interface Timeline {
  fps: number;
  crossfadeSeconds: number;
  scenes: SceneTiming[];
  totalFrames: number;
  totalSeconds: number;
}

/** Rounds to the microsecond, which is how times are written into the filter graph. */
const us = (seconds: number) => Math.round(seconds * 1e6) / 1e6;

/** Lays scenes out in play order; `audioSeconds[i]` is the measured length of scene i's narration. */
export function planTimeline(
  scenes: { index: number; audioSeconds: number }[],
  options: RenderTimingOptions = RENDER_TIMING,
): Timeline {
  const { fps, paddingSeconds, leadInSeconds, tailSeconds, crossfadeSeconds } = options;
  if (paddingSeconds < crossfadeSeconds) throw new Error('The padding must cover the cross-fade');
  const crossfadeFrames = Math.round(crossfadeSeconds * fps);
  let frame = 0;
  const timed = scenes.map((scene, i) => {
    const leadIn = i === 0 ? leadInSeconds : 0;
    const tail = i === scenes.length - 1 ? tailSeconds : 0;
    // The epsilon keeps a length that is already a whole number of frames from gaining one to float error.
    const frames = Math.max(
      crossfadeFrames + 1,
      Math.ceil((leadIn + scene.audioSeconds + paddingSeconds + tail) * fps - 1e-6),
    );
    const start = frame / fps;
    frame += frames;
    return {
      index: scene.index,
      start: us(start),
      duration: us(frames / fps),
      frames,
      narrationStart: us(start + leadIn),
      narrationEnd: us(start + leadIn + scene.audioSeconds),
    };
  });
  return {
    fps,
    crossfadeSeconds: crossfadeFrames / fps,
    scenes: timed,
    totalFrames: frame,
    totalSeconds: us(frame / fps),
  };
}

export interface RenderGraphOptions {
  width: number;
  height: number;
  timeline: Timeline;
  /** Whether input `2n` is background music. */
  music: boolean;
  /** An ASS file to burn in, as ffmpeg's working directory resolves it; omitted: no burned subtitles. */
  subtitlesFile?: string;
}

const even = (n: number) => 2 * Math.round(n / 2);
const num = (n: number) => String(us(n));

/**
 * Escapes a value for a filter option inside a filter graph: first for the option parser (`\ ' :`), then for the
 * graph parser (`\ ' [ ] , ;`), as ffmpeg's "Notes on filtergraph escaping" describe.
 */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\':]/g, '\\$&').replace(/[\\'[\],;]/g, '\\$&');
}

/** The crop window's path for scene `i`: its x and y as expressions of the frame number `n`. */
export function panExpressions(
  position: number,
  frames: number,
  range: { x: number; y: number },
  height: number,
  fps: number,
): { x: string; y: string } {
  const [dx, dy] = PAN_DIRECTIONS[position % PAN_DIRECTIONS.length];
  const seconds = frames / fps;
  // The share of the overscan travelled, the same on both axes so the path stays on the diagonal.
  const travel = Math.min(1, (PAN_SPEED * height * seconds) / range.y);
  const last = Math.max(1, frames - 1);
  // Eased: cos runs 1 → -1 over the scene, so the window starts and stops gently.
  const axis = (rangePx: number, dir: number) => {
    const half = (dir * travel * rangePx) / 2;
    return `${num(rangePx / 2)}${half < 0 ? '+' : '-'}${num(Math.abs(half))}*cos(PI*min(n/${last},1))`;
  };
  return { x: axis(range.x, dx), y: axis(range.y, dy) };
}

/** A stretch of the video's output frames, `[from, to)`. */
export interface FrameRange {
  from: number;
  to: number;
}

/** The pieces of the picture in play order: a still stretch of one scene, or the cross-fade into scene `scene`. */
export interface PicturePiece {
  kind: 'body' | 'fade';
  scene: number;
  /** Output frames `[from, to)`. */
  from: number;
  to: number;
}

/**
 * Where each piece of the picture plays: the body of each scene (its slot less the tail the next scene fades in
 * over) and, before every scene but the first, the `crossfade` frames of the cut into it.
 */
export function picturePieces(timeline: Timeline): PicturePiece[] {
  const cf = Math.round(timeline.crossfadeSeconds * timeline.fps);
  const n = timeline.scenes.length;
  const pieces: PicturePiece[] = [];
  let start = 0;
  timeline.scenes.forEach((scene, i) => {
    if (i > 0) pieces.push({ kind: 'fade', scene: i, from: start - cf, to: start });
    pieces.push({ kind: 'body', scene: i, from: start, to: start + scene.frames - (i < n - 1 ? cf : 0) });
    start += scene.frames;
  });
  return pieces;
}

/**
 * The picture's filter chains for the output frames of `range` (default: the whole video), ending in `[vout]`.
 * `inputOf(i)` is the ffmpeg input holding scene i's still. A range must not cut a cross-fade in two. A part of the
 * video keeps the whole video's clock for the subtitles and the fade-out, then restarts at zero, so parts encoded
 * apart join into the same picture as the whole.
 */
export function buildVideoChains(
  options: RenderGraphOptions,
  range: FrameRange = { from: 0, to: options.timeline.totalFrames },
  inputOf: (scene: number) => number = (scene) => scene,
): string[] {
  const { width, height, timeline } = options;
  const { fps, scenes } = timeline;
  const n = scenes.length;
  const overW = even(width * (1 + PAN_OVERSCAN));
  const overH = even(height * (1 + PAN_OVERSCAN));
  const crossfadeFrames = Math.round(timeline.crossfadeSeconds * fps);
  const pieces = picturePieces(timeline).filter((p) => p.from < range.to && p.to > range.from);
  for (const p of pieces) {
    if (p.kind === 'fade' && (p.from < range.from || p.to > range.to)) throw new Error('A range cuts a cross-fade');
  }
  const chains: string[] = [];
  const joined: string[] = [];

  // Each scene is drawn as pieces cut from one panned stream: its head (the `crossfade` frames that fade in over the
  // previous scene; not for the first), its body, and its tail (the frames the next scene fades in over; not for the
  // last). The pieces are concatenated with a short `xfade` of tail and head at each cut, so every frame passes one
  // crop and the concat, and only the transition frames are blended: a chain of full-length `xfade`s would pass every
  // earlier frame through every later cross-fade. Each piece loops its own copy of the scaled still and offsets the
  // pan by where the piece starts, so the pan runs on unbroken across a scene's pieces.
  let slotStart = 0;
  scenes.forEach((scene, i) => {
    const head = i > 0 ? crossfadeFrames : 0;
    const tail = i < n - 1 ? crossfadeFrames : 0;
    const start = slotStart;
    slotStart += scene.frames;
    // The scene's stream starts `crossfade` early (its head) and its slot ends with its tail.
    const frames = scene.frames + head;
    const fadeIn = pieces.find((p) => p.kind === 'fade' && p.scene === i);
    const body = pieces.find((p) => p.kind === 'body' && p.scene === i);
    const fadeOut = pieces.find((p) => p.kind === 'fade' && p.scene === i + 1);
    const parts = [
      ...(fadeIn ? [{ name: `h${i}`, from: 0, count: head }] : []),
      ...(body
        ? [
            {
              name: `b${i}`,
              from: head + Math.max(0, range.from - start),
              count: Math.min(range.to, body.to) - Math.max(range.from, body.from),
            },
          ]
        : []),
      ...(fadeOut ? [{ name: `t${i}`, from: frames - tail, count: tail }] : []),
    ];
    if (parts.length === 0) return;
    const pan = panExpressions(i, frames, { x: overW - width, y: overH - height }, height, fps);
    const still = `[${inputOf(i)}:v]scale=${overW}:${overH}:force_original_aspect_ratio=increase:flags=bicubic,crop=${overW}:${overH},setsar=1,format=yuv420p`;
    chains.push(
      parts.length > 1
        ? `${still},split=${parts.length}${parts.map((p) => `[s${i}${p.name}]`).join('')}`
        : `${still}[s${i}${parts[0].name}]`,
    );
    for (const part of parts) {
      const at = (expr: string) => (part.from ? expr.replace(/\bn\b/g, `(n+${part.from})`) : expr);
      chains.push(
        `[s${i}${part.name}]loop=loop=${part.count - 1}:size=1:start=0,setpts=N/${fps}/TB,` +
          `crop=${width}:${height}:x='${at(pan.x)}':y='${at(pan.y)}':exact=1[${part.name}]`,
      );
    }
    if (fadeIn) {
      chains.push(`[t${i - 1}][h${i}]xfade=transition=fade:duration=${num(timeline.crossfadeSeconds)}:offset=0[c${i}]`);
      joined.push(`[c${i}]`);
    }
    if (body) joined.push(`[b${i}]`);
  });
  if (joined.length > 1) chains.push(`${joined.join('')}concat=n=${joined.length}:v=1:a=0[joined]`);
  const video = joined.length > 1 ? 'joined' : joined[0].slice(1, -1);
  // A part after the first shifts to the whole video's clock for the subtitles and the fade-out, then back to zero.
  // Counted in frames and rounded in the stream's time base: setpts truncates, and a time a hair short would lose a frame.
  const shift = range.from > 0 ? `setpts=PTS+round(${range.from}/(${fps}*TB)),` : '';
  const burn = options.subtitlesFile ? `subtitles=filename=${escapeFilterValue(options.subtitlesFile)},` : '';
  const fadeStart = timeline.totalSeconds - FADE_OUT_SECONDS;
  const fade = range.to / fps > fadeStart ? `fade=t=out:st=${num(fadeStart)}:d=${FADE_OUT_SECONDS},` : '';
  const restart = range.from > 0 ? ',setpts=PTS-STARTPTS' : '';
  chains.push(`[${video}]${shift}${burn}${fade}format=yuv420p${restart}[vout]`);
  return chains;
}

/** The sound's filter chains, ending in `[aout]`: inputs `first..first+n-1` are the clips, `first+n` the music. */
export function buildAudioChains(options: RenderGraphOptions, first = options.timeline.scenes.length): string[] {
  const { timeline } = options;
  const { fps, scenes } = timeline;
  const n = scenes.length;
  const chains: string[] = [];
  const audioFormat = `aresample=${AUDIO_SAMPLE_RATE},aformat=sample_fmts=fltp:sample_rates=${AUDIO_SAMPLE_RATE}:channel_layouts=stereo`;
  const samplesPerFrame = AUDIO_SAMPLE_RATE / fps;
  scenes.forEach((scene, i) => {
    const delayMs = Math.round((scene.narrationStart - scene.start) * 1000);
    const delay = delayMs > 0 ? `adelay=delays=${delayMs}:all=1,` : '';
    chains.push(
      `[${first + i}:a]${audioFormat},${delay}apad,atrim=end_sample=${scene.frames * samplesPerFrame},asetpts=N/SR/TB[a${i}]`,
    );
  });
  const voiceOut = options.music ? 'voice' : 'aout';
  chains.push(`${scenes.map((_, i) => `[a${i}]`).join('')}concat=n=${n}:v=0:a=1[${voiceOut}]`);
  if (options.music) {
    const total = timeline.totalSeconds;
    chains.push(
      `[voice]asplit=2[speech][key]`,
      `[${first + n}:a]${audioFormat},atrim=end_sample=${timeline.totalFrames * samplesPerFrame},asetpts=N/SR/TB,` +
        `volume=${MUSIC_VOLUME},afade=t=in:d=0.25,afade=t=out:st=${num(Math.max(0, total - 1.5))}:d=1.5[bed]`,
      `[bed][key]sidechaincompress=threshold=0.02:ratio=8:attack=20:release=400[ducked]`,
      `[speech][ducked]amix=inputs=2:duration=first:dropout_transition=0:normalize=0[aout]`,
    );
  }
  return chains;
}

/** The filter graph: inputs 0..n-1 are the stills, n..2n-1 the clips, 2n the music; outputs `[vout]`, `[aout]`. */
export function buildFilterGraph(options: RenderGraphOptions): string {
  return [...buildVideoChains(options), ...buildAudioChains(options)].join(';\n');
}

export interface RenderCommandOptions extends RenderGraphOptions {
  /** One still per scene, in play order. */
  frames: string[];
  /** One narration clip per scene, in play order. */
  audios: string[];
  musicFile?: string;
  output: string;
  /** x264 settings; default `fast`. */
  encoding?: VideoEncoding;
  /** AAC coder (audioEncoderArgs); default `fast`. */
  aacCoder?: 'fast' | 'twoloop';
}

/** The H.264 settings of every encode: x264 (VIDEO_ENCODINGS), CRF 23, yuv420p, the timeline's frame rate. */
export function videoEncoderArgs(timeline: Timeline, encoding: VideoEncoding = DEFAULT_VIDEO_ENCODING): string[] {
  return [
    '-c:v',
    'libx264',
    ...VIDEO_ENCODINGS[encoding],
    '-crf',
    '23',
    '-pix_fmt',
    'yuv420p',
    '-r',
    String(timeline.fps),
    // A keyframe every two seconds: platforms seek and cut previews on them.
    '-g',
    String(timeline.fps * 2),
  ];
}

/**
 * AAC 128k, 48 kHz stereo. `fast` (the default): ffmpeg's fast AAC coder, a third of the CPU of its default two-loop
 * search (0.7 against 2.3 CPU-s for 32 s of narration on the media worker), at the same bit rate; for a voice at
 * 128 kbit/s the difference is not heard. `twoloop`: the coder the render used before issue 14's second pass.
 */
export function audioEncoderArgs(coder: 'fast' | 'twoloop' = 'fast'): string[] {
  return [
    '-c:a',
    'aac',
    ...(coder === 'fast' ? ['-aac_coder', 'fast'] : []),
    '-b:a',
    '128k',
    '-ar',
    String(AUDIO_SAMPLE_RATE),
    '-ac',
    '2',
  ];
}

/** Seconds as written on ffmpeg's command line and in filter graphs (to the microsecond). */
export const secondsArg = num;

/** ffmpeg arguments: H.264 (CRF 23, yuv420p, 30 fps, see VIDEO_ENCODINGS) + AAC 128k, moov first, progress on stdout. */
export function buildRenderArgs(options: RenderCommandOptions): string[] {
  const { timeline } = options;
  if (options.frames.length !== timeline.scenes.length || options.audios.length !== timeline.scenes.length) {
    throw new Error('One still and one clip per scene are needed');
  }
  if (options.music !== Boolean(options.musicFile)) throw new Error('music and musicFile go together');
  const fps = String(timeline.fps);
  return [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-progress',
    'pipe:1',
    '-nostats',
    ...options.frames.flatMap((file) => ['-framerate', fps, '-i', file]),
    ...options.audios.flatMap((file) => ['-i', file]),
    ...(options.musicFile ? ['-stream_loop', '-1', '-i', options.musicFile] : []),
    '-filter_complex',
    buildFilterGraph(options),
    '-map',
    '[vout]',
    '-map',
    '[aout]',
    ...videoEncoderArgs(timeline, options.encoding),
    ...audioEncoderArgs(options.aacCoder),
    '-t',
    num(timeline.totalSeconds),
    '-movflags',
    '+faststart',
    options.output,
  ];
}

/** The thumbnail: the first scene's still, fitted to the video's size, as JPEG. */
export function buildThumbnailArgs(still: string, width: number, height: number, output: string): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-i',
    still,
    '-vf',
    `scale=${width}:${height}:force_original_aspect_ratio=increase,crop=${width}:${height},setsar=1`,
    '-frames:v',
    '1',
    '-q:v',
    '3',
    output,
  ];
}

/**
 * Seconds of output written so far, from one chunk of `-progress` output (`key=value` lines). `out_time_ms` is in
 * microseconds despite its name (as is `out_time_us`); `N/A` before the first frame.
 */
export function parseProgressTime(block: string): number | undefined {
  let seconds: number | undefined;
  for (const line of block.split('\n')) {
    const m = /^out_time_(?:us|ms)=(\d+)\s*$/.exec(line.trim());
    if (m) seconds = Number(m[1]) / 1e6;
  }
  return seconds;
}

/** Top-level MP4 boxes in file order (`ftyp`, `moov`, `mdat`, ...). */
export function topLevelBoxes(file: Buffer): string[] {
  const boxes: string[] = [];
  let offset = 0;
  while (offset + 8 <= file.length) {
    let size = file.readUInt32BE(offset);
    const type = file.toString('latin1', offset + 4, offset + 8);
    if (size === 1) {
      if (offset + 16 > file.length) break;
      size = Number(file.readBigUInt64BE(offset + 8));
    } else if (size === 0) {
      size = file.length - offset;
    }
    boxes.push(type);
    if (size < 8) break;
    offset += size;
  }
  return boxes;
}

/** Whether the index (`moov`) comes before the media (`mdat`), so playback starts before the download ends. */
export function isFastStart(file: Buffer): boolean {
  const boxes = topLevelBoxes(file);
  const moov = boxes.indexOf('moov');
  const mdat = boxes.indexOf('mdat');
  return moov >= 0 && mdat >= 0 && moov < mdat;
}
