/**
 * The video bench's pure parts: its baseline encode uses the product's own encoder arguments and none of its effects,
 * reads the files a run stored in scene order, and its options parse. No ffmpeg, no stack.
 */
import { buildRenderArgs, planTimeline } from '../../activities/media';
import { parseOptions, UsageError } from '../../bench/options';
import { bareEncodeArgs, concatList, productEncoderArgs, sceneFiles } from '../../bench/video-baseline';

describe('productEncoderArgs', () => {
  it("is the product's encoder part, from -c:v to the output, without -t", () => {
    const product = buildRenderArgs({
      width: 1920,
      height: 1080,
      timeline: planTimeline([
        { index: 0, audioSeconds: 3 },
        { index: 1, audioSeconds: 4 },
      ]),
      frames: ['a.png', 'b.png'],
      audios: ['a.wav', 'b.wav'],
      music: false,
      output: 'out.mp4',
    });
    const args = productEncoderArgs();
    expect(args).not.toContain('-t');
    const withoutT = product.slice(product.indexOf('-c:v'), -1);
    withoutT.splice(withoutT.indexOf('-t'), 2);
    expect(args).toEqual(withoutT);
    expect(args.join(' ')).toMatch(
      /-c:v libx264 -preset ultrafast -x264-params \S+ -crf 23 -pix_fmt yuv420p -r 30 -g 60 -c:a aac/,
    );
    expect(args.slice(-2)).toEqual(['-movflags', '+faststart']);
  });
});

describe('bareEncodeArgs', () => {
  const args = bareEncodeArgs({
    frame: '/v/frame-0.png',
    narrationList: '/tmp/list.txt',
    seconds: 31.4,
    width: 1080,
    height: 1920,
    output: '/tmp/bare.mp4',
  });
  const graph = args[args.indexOf('-filter_complex') + 1];

  it('holds the still (decoded once) for the whole length with the narration, at the size asked for', () => {
    expect(args.slice(args.indexOf('-i') - 2, args.indexOf('-i') + 2)).toEqual([
      '-framerate',
      '30',
      '-i',
      '/v/frame-0.png',
    ]);
    expect(args).not.toContain('-loop');
    expect(args.join(' ')).toContain('-f concat -safe 0 -i /tmp/list.txt');
    expect(graph).toContain('scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920');
    // 31.4 s at 30 fps: 942 frames, the first plus 941 repeats.
    expect(graph).toContain('loop=loop=941:size=1:start=0,setpts=N/30/TB[vout]');
    expect(graph).toContain('[1:a]apad[aout]');
    expect(args.slice(-3)).toEqual(['-t', '31.400', '/tmp/bare.mp4']);
  });

  it("encodes with the product's arguments and none of its effects", () => {
    const joined = args.join(' ');
    expect(joined).toContain(productEncoderArgs().join(' '));
    for (const effect of ['xfade', 'subtitles', 'fade=t=out', "x='", 'adelay', 'amix'])
      expect(graph).not.toContain(effect);
  });
});

describe('concatList', () => {
  it('lists one quoted file a line, escaping single quotes as the concat demuxer reads them', () => {
    expect(concatList(['/a/narration-0.wav', "/it's/narration-1.wav"])).toBe(
      "file '/a/narration-0.wav'\nfile '/it'\\''s/narration-1.wav'\n",
    );
  });
});

describe('sceneFiles', () => {
  it('takes the first frame and every clip in scene order (10 after 9), ignoring the other files', () => {
    const names = [
      'video.mp4',
      'narration-10.wav',
      'frame-10.png',
      'narration-2.wav',
      'narration-2.json',
      'frame-2.png',
      'background-0.png',
      'narration-0.wav',
      'frame-0.png',
      'thumbnail.jpg',
    ];
    expect(sceneFiles(names)).toEqual({
      frame: 'frame-0.png',
      narrations: ['narration-0.wav', 'narration-2.wav', 'narration-10.wav'],
    });
  });

  it('says what it expected when the run stored no frames or clips', () => {
    expect(() => sceneFiles(['video.mp4'])).toThrow(/frame-<n>\.png and narration-<n>\.wav/);
  });
});

describe('video options', () => {
  const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseOptions(argv, env, '/tmp/results')!;

  it('defaults to 30 s and 120 s, 2 runs each after 1 warm-up', () => {
    expect(parse([])).toMatchObject({ videoLengths: [30, 120], videoRuns: 2, videoWarmup: 1 });
    expect(parse(['--only', 'video']).phases).toEqual(['video']);
  });

  it('takes lengths and counts from flags or the environment', () => {
    expect(parse(['--video-lengths', '15, 60,180', '--video-runs', '3', '--video-warmup', '0'])).toMatchObject({
      videoLengths: [15, 60, 180],
      videoRuns: 3,
      videoWarmup: 0,
    });
    expect(parse([], { BENCH_VIDEO_LENGTHS: '45' }).videoLengths).toEqual([45]);
  });

  it('refuses lengths the pipeline does not make', () => {
    for (const bad of ['10', '200', '30,abc', '30.5'])
      expect(() => parse(['--video-lengths', bad])).toThrow(UsageError);
  });
});
