/**
 * The video render through its activity with real tools: stills made with ffmpeg, narration spoken by espeak-ng
 * through the narration activity, the MP4 encoded by ffmpeg and checked with ffprobe, all in a real storage folder.
 * Needs neither Temporal nor the database.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import {
  createEspeakVoice,
  createVideoRenderActivities,
  createVoiceActivities,
  RENDER_TIMING,
} from '../../activities/media';
import { createLocalFileStorage, resolveStoragePath, type FileStorage } from '../../activities/storage';
import type { NarrationClip, RenderedVideo, RenderVideoInput } from '../../lib/video/types';

const SLOW = 240_000;

let root: string;
let filesDir: string;
/** Parent of the activity's temporary folders: a unique path that also finds its ffmpeg processes. */
let workParent: string;
let storage: FileStorage;
let render: ReturnType<typeof createVideoRenderActivities>;
let clips: NarrationClip[];

const run = <T>(fn: () => Promise<T>, env = new MockActivityEnvironment()): Promise<T> => env.run(fn) as Promise<T>;
const file = (key: string) => resolveStoragePath(filesDir, key);

const NARRATION = [
  'Fresh from the roastery: our autumn blend is here, with notes of cocoa and hazelnut.',
  'Every bag is roasted to order in small batches, so it reaches you at its very best.',
  'Find it in our shop today, and follow us for more.',
];
const COLORS = ['0x1d3557', '0x6a994e', '0xbc4749'];

function ffmpeg(args: string[]): Buffer {
  return execFileSync('ffmpeg', ['-hide_banner', '-v', 'error', ...args], { maxBuffer: 64 * 1024 * 1024 });
}

/** A 1080x1920 PNG: a coloured background with a few shapes, different per scene. */
function makeFrame(i: number): Buffer {
  const shapes = [
    `drawbox=x=90:y=${260 + 80 * i}:w=900:h=640:color=0xf1faee@0.9:t=fill`,
    `drawbox=x=${140 + 60 * i}:y=1040:w=420:h=420:color=0xe9c46a:t=fill`,
    'drawbox=x=0:y=1860:w=1080:h=60:color=0x000000@0.5:t=fill',
    'drawgrid=w=120:h=120:t=2:c=white@0.15',
  ].join(',');
  return ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `color=c=${COLORS[i]}:s=1080x1920`,
    '-vf',
    shapes,
    '-frames:v',
    '1',
    '-f',
    'image2',
    '-c:v',
    'png',
    'pipe:1',
  ]);
}

function probeJson(target: string): any {
  return JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', target], {
      encoding: 'utf8',
    }),
  );
}

/** `HH:MM:SS.mmm --> HH:MM:SS.mmm` lines of a WebVTT file, as seconds. */
function vttTimes(vtt: string): [number, number][] {
  const seconds = (t: string) => {
    const [h, m, s] = t.split(':');
    return Number(h) * 3600 + Number(m) * 60 + Number(s);
  };
  return [...vtt.matchAll(/^(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})$/gm)].map((m) => [
    seconds(m[1]),
    seconds(m[2]),
  ]);
}

function ffmpegProcessesUnder(dir: string): string {
  const found = spawnSync('pgrep', ['-af', dir], { encoding: 'utf8' });
  return found.stdout
    .split('\n')
    .filter((line) => line.includes('ffmpeg'))
    .join('\n');
}

function input(keyPrefix: string, extra: Partial<RenderVideoInput> = {}): RenderVideoInput {
  return {
    keyPrefix,
    format: 'vertical',
    scenes: clips.map((clip, i) => ({
      index: clip.sceneIndex,
      frameKey: `videos/brand-1/frames/scene-${i}.png`,
      audioKey: clip.key,
      audioSeconds: clip.durationSeconds,
      subtitle: NARRATION[i],
    })),
    ...extra,
  };
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'video-render-'));
  filesDir = path.join(root, 'files');
  workParent = path.join(root, 'work');
  fs.mkdirSync(workParent);
  storage = createLocalFileStorage({ rootDir: filesDir, publicBaseUrl: 'http://files.test' });
  // Two parts whatever the machine's cores, so the parallel encode and its join are what is tested.
  render = createVideoRenderActivities({ storage, tmpDir: workParent, segments: 2 });
  for (let i = 0; i < 3; i++) await storage.put(`videos/brand-1/frames/scene-${i}.png`, makeFrame(i), 'image/png');
  const voice = createVoiceActivities({ storage, voice: createEspeakVoice(), tmpDir: workParent });
  clips = await run(() =>
    voice.synthesizeNarration({
      keyPrefix: 'videos/brand-1/v1',
      scenes: NARRATION.map((narration, index) => ({ index, narration })),
      voice: { wordsPerMinute: 150 },
      language: 'en',
    }),
  );
}, SLOW);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('renderVideo', () => {
  let rendered: RenderedVideo;
  const beats: { at: number; stage: string; percent: number }[] = [];
  const narrationSeconds = () => clips.reduce((n, c) => n + c.durationSeconds, 0);

  beforeAll(async () => {
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (d: { stage: string; percent: number }) => beats.push({ at: Date.now(), ...d }));
    const started = Date.now();
    rendered = await run(() => render.renderVideo(input('videos/brand-1/v1')), env);
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `Rendered ${rendered.video.durationSeconds} s of 1080x1920 video in ${seconds.toFixed(1)} s: ` +
        `${(rendered.video.durationSeconds / seconds).toFixed(2)} s of video per second (load ${os.loadavg()[0].toFixed(1)})`,
    );
  }, SLOW);

  it('stores a vertical H.264 + AAC MP4 as long as the narration plus its padding', () => {
    expect(rendered.video.key).toBe('videos/brand-1/v1/video.mp4');
    const mp4 = fs.readFileSync(file(rendered.video.key));
    expect(rendered.video.bytes).toBe(mp4.length);
    expect(rendered.video.sha256).toBe(createHash('sha256').update(mp4).digest('hex'));

    const probe = probeJson(file(rendered.video.key));
    const video = probe.streams.find((s: any) => s.codec_type === 'video');
    const audio = probe.streams.find((s: any) => s.codec_type === 'audio');
    expect(video).toMatchObject({
      codec_name: 'h264',
      width: 1080,
      height: 1920,
      pix_fmt: 'yuv420p',
      r_frame_rate: '30/1',
    });
    expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
    const planned =
      narrationSeconds() +
      RENDER_TIMING.leadInSeconds +
      clips.length * RENDER_TIMING.paddingSeconds +
      RENDER_TIMING.tailSeconds;
    const duration = Number(probe.format.duration);
    expect(narrationSeconds()).toBeGreaterThan(12);
    expect(Math.abs(duration - planned)).toBeLessThan(planned * 0.1);
    // Whole frames, rounded up per scene: within a frame per scene of the plan, sound and picture alike.
    expect(Math.abs(duration - planned)).toBeLessThan(0.15);
    expect(Math.abs(Number(video.duration) - Number(audio.duration))).toBeLessThan(0.05);
    expect(rendered.video).toMatchObject({ width: 1080, height: 1920 });
    expect(rendered.video.durationSeconds).toBeCloseTo(duration, 2);
  });

  it(
    'stays within 35 dB PSNR of the previous single-pass, veryfast (compact) render on every frame',
    async () => {
      // The reference is one ffmpeg drawing and encoding the whole video with x264 `veryfast`: the parts joined by
      // the default render must give the same frames, up to encoder noise.
      const compact = createVideoRenderActivities({
        storage,
        tmpDir: workParent,
        encoding: 'compact',
        previousRender: true,
      });
      const previous = await run(() => compact.renderVideo(input('videos/brand-1/v1-compact')));
      const statsFile = path.join(root, 'psnr.log');
      ffmpeg([
        ...['-i', file(rendered.video.key), '-i', file(previous.video.key)],
        ...['-lavfi', `[0:v][1:v]psnr=stats_file=${statsFile}`, '-f', 'null', '-'],
      ]);
      const frames = fs
        .readFileSync(statsFile, 'utf8')
        .trim()
        .split('\n')
        .map((line) => Number(/psnr_avg:(\S+)/.exec(line)?.[1]));
      expect(frames.length).toBe(Math.round(previous.video.durationSeconds * RENDER_TIMING.fps));
      expect(Math.round(rendered.video.durationSeconds * RENDER_TIMING.fps)).toBe(frames.length);
      // `inf` for identical frames parses as Infinity; NaN would be a line without a figure.
      expect(frames.every((db) => db >= 35)).toBe(true);
    },
    SLOW,
  );

  it('puts the index before the media (faststart)', () => {
    const trace = spawnSync('ffprobe', ['-v', 'trace', file(rendered.video.key)], { encoding: 'utf8' }).stderr;
    const atoms = [...trace.matchAll(/type:'(\w{4})' parent:'root'/g)].map((m) => m[1]);
    expect(atoms[0]).toBe('ftyp');
    expect(atoms.indexOf('moov')).toBeGreaterThan(-1);
    expect(atoms.indexOf('moov')).toBeLessThan(atoms.indexOf('mdat'));
  });

  it('stores WebVTT and SRT subtitles whose cues follow the narration in order', () => {
    expect(rendered.subtitles).toEqual({
      vttKey: 'videos/brand-1/v1/subtitles.vtt',
      srtKey: 'videos/brand-1/v1/subtitles.srt',
    });
    const vtt = fs.readFileSync(file(rendered.subtitles.vttKey), 'utf8');
    const srt = fs.readFileSync(file(rendered.subtitles.srtKey), 'utf8');
    expect(vtt.startsWith('WEBVTT\n\n')).toBe(true);
    const times = vttTimes(vtt);
    expect(times.length).toBeGreaterThanOrEqual(clips.length);
    for (const [i, [start, end]] of times.entries()) {
      expect(end).toBeGreaterThan(start);
      if (i > 0) expect(start).toBeGreaterThanOrEqual(times[i - 1][1]);
    }
    expect(times[0][0]).toBeCloseTo(RENDER_TIMING.leadInSeconds, 3);
    expect(times[times.length - 1][1]).toBeLessThan(rendered.video.durationSeconds);
    expect(srt.split('\n\n').filter(Boolean)).toHaveLength(times.length);
    expect(srt).toMatch(new RegExp(`^1\n00:00:00,${String(RENDER_TIMING.leadInSeconds * 1000).padStart(3, '0')} --> `));
    for (const text of NARRATION) {
      for (const word of text.split(' ')) expect(vtt).toContain(word);
    }
  });

  it('stores the first still as a JPEG thumbnail at the video size', () => {
    expect(rendered.thumbnail.key).toBe('videos/brand-1/v1/thumbnail.jpg');
    const thumb = probeJson(file(rendered.thumbnail.key)).streams[0];
    expect(thumb).toMatchObject({ codec_name: 'mjpeg', width: 1080, height: 1920 });
  });

  it('heartbeats { stage, percent } at most once a second, with a growing percent', () => {
    expect(beats.length).toBeGreaterThan(3);
    const percents = beats.map((b) => b.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    const encoding = new Set(beats.filter((b) => b.stage === 'encoding').map((b) => b.percent));
    expect(encoding.size).toBeGreaterThan(2);
    for (let i = 1; i < beats.length; i++) expect(beats[i].at - beats[i - 1].at).toBeGreaterThanOrEqual(900);
    expect(fs.readdirSync(workParent)).toEqual([]);
  });

  it(
    'overwrites the same keys on a retry (here with music ducked under the voice)',
    async () => {
      const music = ffmpeg([
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=330:duration=4',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=495:duration=4',
        '-filter_complex',
        'amix=inputs=2',
        '-c:a',
        'libmp3lame',
        '-b:a',
        '96k',
        '-f',
        'mp3',
        'pipe:1',
      ]);
      await storage.put('videos/brand-1/music/bed.mp3', music, 'audio/mpeg');
      const firstVideo = fs.readFileSync(file(rendered.video.key));
      const again = await run(() =>
        render.renderVideo(input('videos/brand-1/v1', { musicKey: 'videos/brand-1/music/bed.mp3' })),
      );
      expect(again.video.key).toBe(rendered.video.key);
      expect(again.thumbnail).toEqual(rendered.thumbnail);
      expect(again.subtitles).toEqual(rendered.subtitles);
      expect(again.video.sha256).not.toBe(rendered.video.sha256);
      expect(again.video.sha256).toBe(
        createHash('sha256')
          .update(fs.readFileSync(file(again.video.key)))
          .digest('hex'),
      );
      expect(again.video.durationSeconds).toBeCloseTo(rendered.video.durationSeconds, 1);
      // The music plays in the lead-in, before the voice starts, where the render without music is silent.
      const leadInPeak = (target: string) => {
        const stderr = spawnSync(
          'ffmpeg',
          // From 0.05 s to 0.03 s before the voice: inside the lead-in, clear of the encoder's edges.
          ['-hide_banner', '-ss', '0.05', '-t', String(RENDER_TIMING.leadInSeconds - 0.08), '-i', target].concat([
            '-af',
            'volumedetect',
            '-vn',
            '-f',
            'null',
            '-',
          ]),
          { encoding: 'utf8' },
        ).stderr;
        return Number(/max_volume: (-?[\d.]+) dB/.exec(stderr)?.[1]);
      };
      const silentRender = path.join(root, 'first-render.mp4');
      // The test tone peaks near -19 dBFS and the bed plays at a quarter of that: about -36 dB, against digital silence.
      expect(leadInPeak(file(again.video.key))).toBeGreaterThan(-50);
      fs.writeFileSync(silentRender, firstVideo);
      expect(leadInPeak(silentRender)).toBeLessThan(-80);
      const listing = fs.readdirSync(path.join(filesDir, 'videos', 'brand-1', 'v1')).sort();
      expect(listing).toEqual([
        'narration-0.json',
        'narration-0.wav',
        'narration-1.json',
        'narration-1.wav',
        'narration-2.json',
        'narration-2.wav',
        'subtitles.srt',
        'subtitles.vtt',
        'thumbnail.jpg',
        'video.mp4',
      ]);
      expect(fs.readdirSync(workParent)).toEqual([]);
    },
    SLOW,
  );

  it(
    'kills ffmpeg, removes its files and stores nothing when cancelled mid-render',
    async () => {
      const env = new MockActivityEnvironment();
      let seenFfmpeg = '';
      env.on('heartbeat', (d: { stage: string; percent: number }) => {
        if (d.stage === 'encoding' && d.percent >= 15 && !seenFfmpeg) {
          seenFfmpeg = ffmpegProcessesUnder(workParent);
          env.cancel();
        }
      });
      const started = Date.now();
      await expect(run(() => render.renderVideo(input('videos/brand-1/cancelled')), env)).rejects.toBeInstanceOf(
        CancelledFailure,
      );
      // ffmpeg was running on files under the unique folder when the cancellation came, and no longer is.
      expect(seenFfmpeg).toContain(workParent);
      expect(ffmpegProcessesUnder(workParent)).toBe('');
      expect(fs.readdirSync(workParent)).toEqual([]);
      for (const name of ['video.mp4', 'thumbnail.jpg', 'subtitles.vtt', 'subtitles.srt']) {
        expect(await storage.exists(`videos/brand-1/cancelled/${name}`)).toBe(false);
      }
      console.log(`Cancelled render stopped ${Date.now() - started} ms after it started`);
    },
    SLOW,
  );

  it(
    'refuses bad input, missing files and a missing ffmpeg without retrying',
    async () => {
      const good = input('videos/brand-1/bad');
      const bad: unknown[] = [
        { ...good, keyPrefix: '../escape' },
        { ...good, format: 'square' },
        { ...good, scenes: [] },
        { ...good, scenes: [good.scenes[0], { ...good.scenes[1], index: good.scenes[0].index }] },
        { ...good, scenes: [{ ...good.scenes[0], audioSeconds: -1 }] },
        { ...good, scenes: [{ ...good.scenes[0], frameKey: '/etc/passwd' }] },
        { ...good, musicKey: 'a//b' },
        // A narration clip where the still should be: read by ffprobe, refused as not an image.
        { ...good, scenes: [{ ...good.scenes[0], frameKey: good.scenes[0].audioKey }] },
      ];
      for (const candidate of bad) {
        await expect(run(() => render.renderVideo(candidate as RenderVideoInput))).rejects.toMatchObject({
          type: 'InvalidInput',
          nonRetryable: true,
        });
      }
      await expect(
        run(() => render.renderVideo({ ...good, scenes: [{ ...good.scenes[0], frameKey: 'videos/none.png' }] })),
      ).rejects.toMatchObject({ type: 'NotFound', nonRetryable: true });
      const noFfmpeg = createVideoRenderActivities({ storage, tmpDir: workParent, ffmpegPath: '/nonexistent/ffmpeg' });
      await expect(run(() => noFfmpeg.renderVideo(good))).rejects.toMatchObject({
        type: 'ProviderMisconfigured',
        nonRetryable: true,
      });
      expect(await storage.exists('videos/brand-1/bad/video.mp4')).toBe(false);
      expect(fs.readdirSync(workParent)).toEqual([]);
    },
    SLOW,
  );

  it(
    'measures the render speed on 30 s of video',
    async () => {
      // Three 9.4 s narration clips (tones) give 30 s of video with the padding and lead-in.
      const scenes = [0, 1, 2].map((i) => ({
        index: i,
        frameKey: `videos/brand-1/frames/scene-${i}.png`,
        audioKey: `videos/brand-1/speed/tone-${i}.wav`,
        audioSeconds: 9.4,
        subtitle: `${NARRATION[i]} ${NARRATION[(i + 1) % 3]}`,
      }));
      for (const [i, scene] of scenes.entries()) {
        const tone = ffmpeg([
          '-f',
          'lavfi',
          '-i',
          `sine=frequency=${220 * (i + 1)}:duration=9.4`,
          '-f',
          'wav',
          'pipe:1',
        ]);
        await storage.put(scene.audioKey, tone, 'audio/wav');
      }
      const started = Date.now();
      const result = await run(() =>
        render.renderVideo({ keyPrefix: 'videos/brand-1/speed', format: 'vertical', scenes }),
      );
      const seconds = (Date.now() - started) / 1000;
      const speed = result.video.durationSeconds / seconds;
      console.log(
        `Render speed: ${result.video.durationSeconds} s of 1080x1920 video in ${seconds.toFixed(1)} s = ` +
          `${speed.toFixed(2)} s of video per second of rendering (${os.cpus().length} CPUs, load ${os
            .loadavg()[0]
            .toFixed(1)})`,
      );
      expect(result.video.durationSeconds).toBeGreaterThan(29.5);
      expect(result.video.durationSeconds).toBeLessThan(31);
    },
    SLOW,
  );
});
