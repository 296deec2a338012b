/**
 * The embedded video renderer on the media queue: scene stills + narration clips (+ music) → an H.264/AAC MP4 with a
 * gentle pan on each still, cross-fades, subtitles burned in and stored as WebVTT and SRT, and a JPEG thumbnail.
 *
 * Inputs are read through the file storage into a temporary folder (the storage may be S3) and outputs written back
 * with `put`, so a retry overwrites the same keys. When the machine has idle cores the picture is encoded in parts by
 * as many ffmpeg processes as it has cores (up to 4), beside the sound, then joined without re-encoding (segments.ts);
 * the thumbnail is made while the video encodes.
 * ffmpeg reports its progress on stdout; the activity heartbeats `{ stage, percent }` once a second, stops every
 * ffmpeg when the activity is cancelled or one of them fails or stalls, and removes the temporary folder whatever
 * happens.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Context, log } from '@temporalio/activity';
import { z } from 'zod';
import { mapLimit } from '../../../lib/map-limit';
import { MAX_VIDEO_SECONDS, VIDEO_FORMATS, type RenderedVideo, type RenderVideoInput } from '../../../lib/video/types';
import { storageKeyProblem, type FileStorage } from '../../storage/file-storage.port';
import { mediaFromHeader, mp4FromIndex } from '../media-header';
import { audioDuration, FFMPEG_INSTALL, probeMedia, type ProbedMedia } from '../probe';
import { lastLines, runTool, ToolExitError } from '../tool-runner';
import {
  buildRenderArgs,
  buildThumbnailArgs,
  isFastStart,
  parseProgressTime,
  planTimeline,
  type FrameRange,
  type RenderCommandOptions,
  type Timeline,
  type VideoEncoding,
} from './ffmpeg-args';
import { buildAudioArgs, buildJoinArgs, buildSegmentArgs, planSegments, segmentList } from './segments';
import { buildCues, formatAss, formatSrt, formatVtt, subtitleLayoutFor } from './subtitles';
import { checkActivityInput } from '../../shared/activity-input';
import { withHeartbeat } from '../../shared/heartbeat';
import { failure } from '../../../lib/failures';

export interface VideoRenderActivityDeps {
  storage: FileStorage;
  /** Default: `ffmpeg` on the PATH. */
  ffmpegPath?: string;
  /** Default: `ffprobe` on the PATH. */
  ffprobePath?: string;
  /** Parent of each render's temporary folder; default the OS temp dir. */
  tmpDir?: string;
  /** The longest one encode may run; default 25 min, under the media preset's 30 min start-to-close. */
  renderTimeoutMs?: number;
  /** ffmpeg reporting no progress for this long is stopped and the attempt fails (retryable); default 2 min. */
  stallTimeoutMs?: number;
  /** Between SIGTERM and SIGKILL when ffmpeg is stopped; default 2 s. */
  killGraceMs?: number;
  /** x264 settings (VIDEO_ENCODINGS); default `fast`. */
  encoding?: VideoEncoding;
  /**
   * ffmpeg processes the picture is split across; 1: one process. Default: one per core (at most 4) unless the
   * machine is busy as the render starts (1-minute load average at or above twice the core count), else one.
   */
  segments?: number;
  /**
   * The render as it was before issue 14's second pass, kept for the bench's same-run comparison: one ffmpeg for
   * picture and sound, AAC's two-loop coder, the thumbnail after the encode.
   */
  previousRender?: boolean;
}

export const MAX_RENDER_SCENES = 60;
/** A guard against runaway input: twice the longest video the pipeline plans. */
export const MAX_RENDER_SECONDS = 2 * MAX_VIDEO_SECONDS;
/** Progress is shown live while a render runs, so beat more often than the kit's default. */
const HEARTBEAT_INTERVAL_MS = 1_000;
const DOWNLOAD_CONCURRENCY = 4;
/** Parts of the picture encoded at once by default: one per core, up to this. */
const MAX_SEGMENTS = 4;
/** A declared narration length further than this from the measured one is logged; the measured one is used. */
const AUDIO_MISMATCH_SECONDS = 0.25;

/** Progress bands of the whole activity, so `percent` only ever grows. */
const BANDS = {
  downloading: [0, 3],
  probing: [3, 5],
  encoding: [5, 90],
  thumbnail: [90, 92],
  verifying: [92, 95],
  storing: [95, 100],
} as const;
type Stage = keyof typeof BANDS;

const key = z.string().superRefine((value, ctx) => {
  const problem = storageKeyProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const inputSchema = z.object({
  keyPrefix: z.string().superRefine((prefix, ctx) => {
    const problem = storageKeyProblem(prefix) ?? storageKeyProblem(`${prefix}/thumbnail.jpg`);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  format: z.enum(Object.keys(VIDEO_FORMATS) as [keyof typeof VIDEO_FORMATS, ...(keyof typeof VIDEO_FORMATS)[]]),
  scenes: z
    .array(
      z.object({
        index: z.number().int().min(0).max(999),
        frameKey: key,
        audioKey: key,
        audioSeconds: z.number().positive().max(MAX_RENDER_SECONDS),
        subtitle: z.string().max(10_000),
      }),
    )
    .min(1)
    .max(MAX_RENDER_SCENES)
    .refine((scenes) => new Set(scenes.map((s) => s.index)).size === scenes.length, 'scene indexes must be unique')
    .refine(
      (scenes) => scenes.reduce((n, s) => n + s.audioSeconds, 0) <= MAX_RENDER_SECONDS,
      `the narration must last at most ${MAX_RENDER_SECONDS} s in all`,
    ),
  musicKey: key.optional(),
  burnSubtitles: z.boolean().optional(),
});

function parseInput(input: unknown): RenderVideoInput {
  return checkActivityInput(inputSchema, input, 'video render');
}

/** `.png`, `.mp3`: the key's extension when it is a plain one, so ffmpeg's demuxer probing gets a hint. */
function extensionOf(storageKey: string): string {
  const ext = path.posix.extname(storageKey).toLowerCase();
  return /^\.[a-z0-9]{1,5}$/.test(ext) ? ext : '';
}

/**
 * Runs the tasks at once on one shared signal: the first failure (or the activity's cancellation) stops the others,
 * and it settles only when every task has (so no ffmpeg still writes into the folder), rejecting with that failure.
 */
async function together(signal: AbortSignal, tasks: ((signal: AbortSignal) => Promise<unknown>)[]): Promise<void> {
  const stop = new AbortController();
  const shared = AbortSignal.any([signal, stop.signal]);
  let first: { error: unknown } | undefined;
  await Promise.allSettled(
    tasks.map((task) =>
      task(shared).catch((error: unknown) => {
        first ??= { error };
        stop.abort(error);
      }),
    ),
  );
  if (first) throw first.error;
}

export function createVideoRenderActivities(deps: VideoRenderActivityDeps) {
  const { storage } = deps;
  const ffmpeg = deps.ffmpegPath ?? 'ffmpeg';
  const ffprobe = deps.ffprobePath ?? 'ffprobe';
  const renderTimeoutMs = deps.renderTimeoutMs ?? 25 * 60_000;
  /**
   * Parts pay only when cores are idle: on a busy machine they finish later than one process (their extra processes
   * decode, scale and load fonts again, and contend for the same cores): 1.4-1.7x faster at a load average of 3-4 on
   * two cores, 0.79x at 20-27 (benchmarks.md, issue 14 second pass).
   */
  const partsNow = () => {
    if (deps.previousRender) return 1;
    if (deps.segments !== undefined) return deps.segments;
    const cores = Math.max(1, os.availableParallelism());
    return os.loadavg()[0] < 2 * cores ? Math.min(MAX_SEGMENTS, cores) : 1;
  };
  const stallTimeoutMs = deps.stallTimeoutMs ?? 120_000;

  /** Probes an input; a file ffprobe cannot read is bad input, which retrying cannot fix. */
  async function probeInput(file: string, storageKey: string, signal: AbortSignal): Promise<ProbedMedia> {
    try {
      return await probeMedia(ffprobe, file, signal);
    } catch (err) {
      if (!(err instanceof ToolExitError)) throw err;
      throw failure('InvalidInput', `${storageKey} is not a readable media file: ${lastLines(err.stderr, 1)}`);
    }
  }

  /** Runs a short ffmpeg command (the thumbnail); failures are the render's, worth another attempt. */
  async function runFfmpeg(args: string[], cwd: string, signal: AbortSignal, timeoutMs: number): Promise<void> {
    try {
      await runTool(ffmpeg, args, { cwd, signal, timeoutMs, killGraceMs: deps.killGraceMs, install: FFMPEG_INSTALL });
    } catch (err) {
      if (err instanceof ToolExitError) throw failure('RenderFailed', `ffmpeg failed: ${err.message}`);
      throw err;
    }
  }

  /** One encode, reporting `-progress` as seconds written; stopped when it stalls or is cancelled. */
  async function encode(
    args: string[],
    cwd: string,
    onSeconds: (seconds: number) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const stall = new AbortController();
    let lastProgressAt = Date.now();
    const watchdog = setInterval(
      () => {
        if (Date.now() - lastProgressAt <= stallTimeoutMs) return;
        stall.abort(failure('RenderFailed', `ffmpeg made no progress for ${Math.round(stallTimeoutMs / 1000)} s`));
      },
      Math.min(5_000, stallTimeoutMs),
    );
    let pending = '';
    let lastSeconds = -1;
    try {
      await runTool(ffmpeg, args, {
        cwd,
        signal: AbortSignal.any([signal, stall.signal]),
        timeoutMs: renderTimeoutMs,
        killGraceMs: deps.killGraceMs,
        install: FFMPEG_INSTALL,
        onStdout: (chunk) => {
          const lines = (pending + chunk.toString('utf8')).split('\n');
          pending = lines.pop() ?? '';
          const seconds = parseProgressTime(lines.join('\n'));
          if (seconds === undefined || seconds <= lastSeconds) return;
          lastSeconds = seconds;
          lastProgressAt = Date.now();
          onSeconds(seconds);
        },
      });
    } catch (err) {
      if (err instanceof ToolExitError) {
        throw failure('RenderFailed', `ffmpeg could not render the video: ${lastLines(err.stderr, 3)}`);
      }
      throw err;
    } finally {
      clearInterval(watchdog);
    }
  }

  /**
   * The picture in `ranges` (one range: the single-pass render, sound included), each part in its own ffmpeg at once
   * with the sound beside them, then joined by stream copy into `command.output`.
   */
  async function encodeVideo(
    command: RenderCommandOptions,
    ranges: FrameRange[],
    cwd: string,
    onFraction: (fraction: number) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const total = command.timeline.totalSeconds;
    if (ranges.length === 1) {
      return encode(buildRenderArgs(command), cwd, (seconds) => onFraction(seconds / total), signal);
    }
    const written = ranges.map(() => 0);
    const parts = ranges.map((_, k) => `segment-${k}.mp4`);
    const audio = 'audio.m4a';
    await together(signal, [
      ...ranges.map(
        (range, k) => (shared: AbortSignal) =>
          encode(
            buildSegmentArgs(command, range, parts[k]),
            cwd,
            (seconds) => {
              written[k] = seconds;
              onFraction(written.reduce((a, b) => a + b, 0) / total);
            },
            shared,
          ),
      ),
      (shared: AbortSignal) => runFfmpeg(buildAudioArgs(command, audio), cwd, shared, renderTimeoutMs),
    ]);
    await fs.writeFile(path.join(cwd, 'segments.txt'), segmentList(parts));
    await runFfmpeg(buildJoinArgs('segments.txt', audio, total, command.output), cwd, signal, 5 * 60_000);
  }

  /** Checks the file is what was asked for: H.264 + AAC, the size, the length, moov first. Returns its length. */
  async function verify(
    file: string,
    content: Buffer,
    expected: { width: number; height: number; timeline: Timeline },
    signal: AbortSignal,
  ): Promise<number> {
    // Our own encode has its index first: read from it in-process, ffprobe only when that fails.
    const media = mp4FromIndex(content) ?? (await probeMedia(ffprobe, file, signal));
    const video = media.streams.find((s) => s.type === 'video');
    const audio = media.streams.find((s) => s.type === 'audio');
    const duration = media.durationSeconds ?? 0;
    const want = expected.timeline.totalSeconds;
    const problems = [
      video?.codec !== 'h264' && `video stream is ${video?.codec ?? 'missing'}, not h264`,
      audio?.codec !== 'aac' && `audio stream is ${audio?.codec ?? 'missing'}, not aac`,
      video &&
        (video.width !== expected.width || video.height !== expected.height) &&
        `picture is ${video.width}x${video.height}, not ${expected.width}x${expected.height}`,
      Math.abs(duration - want) > Math.max(0.25, want * 0.02) && `lasts ${duration} s, not ${want} s`,
      !isFastStart(content) && 'the index (moov) does not precede the media (mdat)',
    ].filter((p): p is string => typeof p === 'string');
    if (problems.length > 0) {
      throw failure('RenderFailed', `The rendered video is not as planned: ${problems.join('; ')}`);
    }
    return Math.round(duration * 1000) / 1000;
  }

  return {
    /**
     * Renders the scenes in index order into `<keyPrefix>/video.mp4` (+ `thumbnail.jpg`, `subtitles.vtt`,
     * `subtitles.srt`). Each scene lasts its measured narration plus padding; see ffmpeg-args.ts for the timeline.
     */
    async renderVideo(input: RenderVideoInput): Promise<RenderedVideo> {
      const parsed = parseInput(input);
      const { keyPrefix, format, musicKey } = parsed;
      const scenes = [...parsed.scenes].sort((a, b) => a.index - b.index);
      const burnSubtitles = parsed.burnSubtitles ?? true;
      const { width, height } = VIDEO_FORMATS[format];
      const keys = {
        video: `${keyPrefix}/video.mp4`,
        thumbnail: `${keyPrefix}/thumbnail.jpg`,
        vtt: `${keyPrefix}/subtitles.vtt`,
        srt: `${keyPrefix}/subtitles.srt`,
      };
      const signal = Context.current().cancellationSignal;
      const started = Date.now();

      let state: { stage: Stage; percent: number } = { stage: 'downloading', percent: 0 };
      /** Moves to `stage`, `fraction` of the way through its band; percent never goes back. */
      const report = (stage: Stage, fraction = 0) => {
        const [from, to] = BANDS[stage];
        const percent = Math.floor(from + (to - from) * Math.min(1, Math.max(0, fraction)));
        state = { stage, percent: Math.max(state.percent, percent) };
      };
      // ffmpeg's progress moves `state` many times a second; the heartbeat reads it once a second.
      return withHeartbeat(
        () => state,
        async () => {
          let workDir: string | undefined;
          try {
            workDir = await fs.mkdtemp(path.join(deps.tmpDir ?? os.tmpdir(), 'studioflow-video-'));
            const dir = workDir;

            // Inputs, through the storage port (local folder or S3), into the temporary folder.
            const sources = [
              ...scenes.flatMap((s, i) => [
                { key: s.frameKey, file: path.join(dir, `frame-${i}${extensionOf(s.frameKey)}`) },
                { key: s.audioKey, file: path.join(dir, `narration-${i}${extensionOf(s.audioKey)}`) },
              ]),
              ...(musicKey ? [{ key: musicKey, file: path.join(dir, `music${extensionOf(musicKey)}`) }] : []),
            ];
            let downloaded = 0;
            // Stills and WAV clips are described from their headers as they arrive; only other types need ffprobe.
            const headers = new Map<string, ProbedMedia>();
            await mapLimit(sources, DOWNLOAD_CONCURRENCY, async ({ key: source, file }) => {
              signal.throwIfAborted();
              const data = await storage.get(source);
              if (!data) throw failure('NotFound', `No file at ${source}`);
              const header = mediaFromHeader(data);
              if (header) headers.set(file, header);
              await fs.writeFile(file, data);
              report('downloading', ++downloaded / sources.length);
            });
            const inspect = (file: string, key: string) => headers.get(file) ?? probeInput(file, key, signal);
            const frames = scenes.map((_, i) => sources[2 * i].file);
            const audios = scenes.map((_, i) => sources[2 * i + 1].file);
            const musicFile = musicKey ? sources[sources.length - 1].file : undefined;

            // Check every input is what it claims and measure the narration: the timeline uses measured lengths.
            report('probing');
            const measured = await mapLimit(scenes, DOWNLOAD_CONCURRENCY, async (scene, i) => {
              const frame = await inspect(frames[i], scene.frameKey);
              if (!frame.streams.some((s) => s.type === 'video')) {
                throw failure('InvalidInput', `${scene.frameKey} is not an image`);
              }
              const seconds = audioDuration(await inspect(audios[i], scene.audioKey));
              if (seconds === undefined || !(seconds > 0)) {
                throw failure('InvalidInput', `${scene.audioKey} holds no audio`);
              }
              if (Math.abs(seconds - scene.audioSeconds) > AUDIO_MISMATCH_SECONDS) {
                log.warn('Narration length differs from the declared one; using the measured length', {
                  keyPrefix,
                  scene: scene.index,
                  declared: scene.audioSeconds,
                  measured: seconds,
                });
              }
              report('probing', (i + 1) / scenes.length);
              return seconds;
            });
            if (musicKey && musicFile) {
              const music = await inspect(musicFile, musicKey);
              if (!music.streams.some((s) => s.type === 'audio')) {
                throw failure('InvalidInput', `${musicKey} holds no audio`);
              }
            }

            const timeline = planTimeline(scenes.map((s, i) => ({ index: s.index, audioSeconds: measured[i] })));
            if (timeline.totalSeconds > MAX_RENDER_SECONDS) {
              throw failure(
                'InvalidInput',
                `The video would last ${timeline.totalSeconds.toFixed(1)} s, over ${MAX_RENDER_SECONDS} s`,
              );
            }
            const { layout, style } = subtitleLayoutFor(width, height);
            const cues = buildCues(
              scenes.map((s, i) => ({
                text: s.subtitle,
                start: timeline.scenes[i].narrationStart,
                end: timeline.scenes[i].narrationEnd,
              })),
              layout,
            );
            const subtitlesFile = 'subtitles.ass';
            if (burnSubtitles) await fs.writeFile(path.join(dir, subtitlesFile), formatAss(cues, style));

            report('encoding');
            const output = path.join(dir, 'video.mp4');
            const command: RenderCommandOptions = {
              width,
              height,
              timeline,
              frames,
              audios,
              music: Boolean(musicFile),
              musicFile,
              // Relative to ffmpeg's working directory, the temporary folder: no path escaping inside the graph.
              subtitlesFile: burnSubtitles ? subtitlesFile : undefined,
              output,
              encoding: deps.encoding,
              aacCoder: deps.previousRender ? 'twoloop' : 'fast',
            };
            const ranges = planSegments(timeline, partsNow());
            const thumbnailFile = path.join(dir, 'thumbnail.jpg');
            const thumbnail = (shared: AbortSignal) =>
              runFfmpeg(buildThumbnailArgs(frames[0], width, height, thumbnailFile), dir, shared, 60_000);
            const video = (shared: AbortSignal) =>
              encodeVideo(command, ranges, dir, (fraction) => report('encoding', fraction), shared);
            // The thumbnail needs only the first still: it is made while the video encodes.
            if (deps.previousRender) {
              await video(signal);
              await thumbnail(signal);
            } else {
              await together(signal, [video, thumbnail]);
            }
            report('thumbnail', 1);

            report('verifying');
            const content = await fs.readFile(output);
            const durationSeconds = await verify(output, content, { width, height, timeline }, signal);

            report('storing');
            signal.throwIfAborted();
            const vtt = formatVtt(cues);
            await storage.put(keys.vtt, Buffer.from(vtt, 'utf8'), 'text/vtt; charset=utf-8');
            await storage.put(keys.srt, Buffer.from(formatSrt(cues), 'utf8'), 'application/x-subrip; charset=utf-8');
            await storage.put(keys.thumbnail, await fs.readFile(thumbnailFile), 'image/jpeg');
            const stored = await storage.put(keys.video, content, 'video/mp4');
            report('storing', 1);

            const renderSeconds = (Date.now() - started) / 1000;
            log.info('Rendered video', {
              keyPrefix,
              format,
              scenes: scenes.length,
              cues: cues.length,
              music: Boolean(musicKey),
              burnSubtitles,
              durationSeconds,
              parts: ranges.length,
              bytes: stored.bytes,
              renderSeconds,
              speed: Math.round((durationSeconds / renderSeconds) * 100) / 100,
              storage: storage.name,
            });
            return {
              video: { key: keys.video, bytes: stored.bytes, sha256: stored.sha256, durationSeconds, width, height },
              thumbnail: { key: keys.thumbnail },
              subtitles: { vttKey: keys.vtt, srtKey: keys.srt },
            };
          } finally {
            // runTool settles only after ffmpeg has exited, so nothing writes into the folder any more.
            if (workDir) await fs.rm(workDir, { recursive: true, force: true }).catch(() => undefined);
          }
        },
        { intervalMs: HEARTBEAT_INTERVAL_MS },
      );
    },
  };
}

export type VideoRenderActivities = ReturnType<typeof createVideoRenderActivities>;
