/**
 * The render in parts as data (activities/media/video/segments.ts): where the picture is cut, what each part draws,
 * and that the parts draw what the single pass draws. No ffmpeg (test/integration/video-render.test.ts runs them).
 */
import {
  buildAudioArgs,
  buildFilterGraph,
  buildJoinArgs,
  buildSegmentArgs,
  buildVideoChains,
  MIN_SEGMENT_SECONDS,
  picturePieces,
  planSegments,
  planTimeline,
  scenesOf,
  segmentList,
  type RenderCommandOptions,
} from '../../activities/media';

const timeline = planTimeline([
  { index: 0, audioSeconds: 5.123 },
  { index: 1, audioSeconds: 4.5 },
  { index: 2, audioSeconds: 6.01 },
  { index: 3, audioSeconds: 5.4 },
  { index: 4, audioSeconds: 5.9 },
]);
const command: RenderCommandOptions = {
  width: 1080,
  height: 1920,
  timeline,
  frames: [0, 1, 2, 3, 4].map((i) => `/w/frame-${i}.png`),
  audios: [0, 1, 2, 3, 4].map((i) => `/w/narration-${i}.wav`),
  music: false,
  subtitlesFile: 'subtitles.ass',
  output: '/w/video.mp4',
};
const fades = picturePieces(timeline).filter((p) => p.kind === 'fade');

describe('picturePieces', () => {
  it('covers every frame once, in order: bodies and the 9-frame cross-fades between them', () => {
    const pieces = picturePieces(timeline);
    expect(pieces[0].from).toBe(0);
    for (let i = 1; i < pieces.length; i++) expect(pieces[i].from).toBe(pieces[i - 1].to);
    expect(pieces[pieces.length - 1].to).toBe(timeline.totalFrames);
    expect(fades).toHaveLength(4);
    for (const f of fades) expect(f.to - f.from).toBe(9);
  });
});

describe('planSegments', () => {
  it('cuts into ranges of about equal length that cover the video and never cut a cross-fade', () => {
    for (const count of [2, 3, 4]) {
      const ranges = planSegments(timeline, count);
      expect(ranges).toHaveLength(count);
      expect(ranges[0].from).toBe(0);
      expect(ranges[ranges.length - 1].to).toBe(timeline.totalFrames);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i].from).toBe(ranges[i - 1].to);
      for (const r of ranges) {
        expect(Math.abs(r.to - r.from - timeline.totalFrames / count)).toBeLessThanOrEqual(9);
        for (const f of fades) expect(r.from > f.from && r.from < f.to).toBe(false);
      }
    }
  });

  it('moves a cut that would fall inside a cross-fade to its end', () => {
    // Two scenes of equal slots: the middle of the video is inside the only cross-fade.
    const two = planTimeline([
      { index: 0, audioSeconds: 4 },
      { index: 1, audioSeconds: 4 - 0.2 - 0.25 },
    ]);
    const [fade] = picturePieces(two).filter((p) => p.kind === 'fade');
    const middle = Math.round(two.totalFrames / 2);
    expect(middle > fade.from && middle < fade.to).toBe(true);
    expect(planSegments(two, 2)).toEqual([
      { from: 0, to: fade.to },
      { from: fade.to, to: two.totalFrames },
    ]);
  });

  it('keeps one part for a short video or a count of 1', () => {
    const short = planTimeline([{ index: 0, audioSeconds: 2 * MIN_SEGMENT_SECONDS - 1 }]);
    expect(planSegments(short, 4)).toEqual([{ from: 0, to: short.totalFrames }]);
    expect(planSegments(timeline, 1)).toEqual([{ from: 0, to: timeline.totalFrames }]);
  });
});

describe('buildVideoChains', () => {
  it('draws the whole video exactly as the single-pass graph does', () => {
    const graph = buildFilterGraph(command);
    expect(graph.startsWith(buildVideoChains(command).join(';\n'))).toBe(true);
  });

  it('draws a part with the same pieces and pan offsets as the whole, on the whole video clock', () => {
    const [first, second] = planSegments(timeline, 2);
    const whole = buildVideoChains(command);
    const a = buildVideoChains(command, first);
    const b = buildVideoChains(command, second, (scene) => scene);
    const loops = (chains: string[]) =>
      chains.filter((c) => c.includes('loop=')).map((c) => Number(/loop=loop=(\d+)/.exec(c)![1]) + 1);
    const fadeFrames = (chains: string[]) => chains.filter((c) => c.includes('xfade=')).length * 9;
    // Every frame is drawn once across the parts: the looped pieces less the fades' doubled inputs.
    const drawn = (chains: string[]) => loops(chains).reduce((x, y) => x + y, 0) - fadeFrames(chains);
    expect(drawn(a)).toBe(first.to - first.from);
    expect(drawn(b)).toBe(second.to - second.from);
    expect(drawn(whole)).toBe(timeline.totalFrames);
    // The body cut in two goes on where the first part stopped: its pan is offset by the frames already drawn.
    const cutScene = timeline.scenes.findIndex((_, i) => {
      const body = picturePieces(timeline).find((p) => p.kind === 'body' && p.scene === i)!;
      return body.from < first.to && body.to > first.to;
    });
    const slotStart = timeline.scenes[cutScene].start * timeline.fps;
    const head = cutScene > 0 ? 9 : 0;
    const later = b.find((c) => c.startsWith(`[s${cutScene}b${cutScene}]`))!;
    expect(later).toContain(`min((n+${head + first.to - Math.round(slotStart)})/`);
    // Subtitles and the fade-out see the whole video's time, then the part restarts at zero; the first part has no
    // fade-out.
    expect(a[a.length - 1]).toBe('[joined]subtitles=filename=subtitles.ass,format=yuv420p[vout]');
    expect(b[b.length - 1]).toMatch(
      new RegExp(
        `^\\[joined\\]setpts=PTS\\+round\\(${first.to}/\\(30\\*TB\\)\\),subtitles=filename=subtitles.ass,fade=t=out:st=`,
      ),
    );
    expect(b[b.length - 1].endsWith(',format=yuv420p,setpts=PTS-STARTPTS[vout]')).toBe(true);
  });

  it('refuses a range that cuts a cross-fade', () => {
    expect(() => buildVideoChains(command, { from: 0, to: fades[0].from + 3 })).toThrow(/cross-fade/);
  });
});

describe('part, sound and join arguments', () => {
  it('gives each part only the stills it draws, its frame count and the shared x264 settings', () => {
    const ranges = planSegments(timeline, 2);
    for (const [k, range] of ranges.entries()) {
      const args = buildSegmentArgs(command, range, `segment-${k}.mp4`);
      const inputs = args.flatMap((a, i) => (a === '-i' ? [args[i + 1]] : []));
      expect(inputs).toEqual(scenesOf(timeline, range).map((s) => `/w/frame-${s}.png`));
      expect(args[args.indexOf('-frames:v') + 1]).toBe(String(range.to - range.from));
      expect(args).toEqual(expect.arrayContaining(['-c:v', 'libx264', '-crf', '23', '-r', '30', '-g', '60']));
      expect(args).not.toContain('[aout]');
      expect(args[args.length - 1]).toBe(`segment-${k}.mp4`);
    }
    // A part that starts at a cut needs the still before it only when it draws that cross-fade.
    expect(scenesOf(timeline, { from: 0, to: fades[0].from })).toEqual([0]);
    expect(scenesOf(timeline, { from: 0, to: fades[0].to })).toEqual([0, 1]);
  });

  it('encodes the sound alone with the fast AAC coder and joins by stream copy, moov first', () => {
    const audio = buildAudioArgs(command, 'audio.m4a');
    expect(audio.filter((a) => a === '-i')).toHaveLength(5);
    expect(audio).toEqual(expect.arrayContaining(['-c:a', 'aac', '-aac_coder', 'fast', '-b:a', '128k']));
    expect(audio[audio.indexOf('-filter_complex') + 1]).toContain('[0:a]aresample=48000');
    expect(audio[audio.indexOf('-filter_complex') + 1]).toContain('concat=n=5:v=0:a=1[aout]');
    expect(buildAudioArgs({ ...command, aacCoder: 'twoloop' }, 'a.m4a')).not.toContain('-aac_coder');
    const join = buildJoinArgs('segments.txt', 'audio.m4a', timeline.totalSeconds, 'video.mp4');
    expect(join).toEqual(
      expect.arrayContaining(['-f', 'concat', '-i', 'segments.txt', '-i', 'audio.m4a', '-c', 'copy', '+faststart']),
    );
    expect(segmentList(['segment-0.mp4', "it's.mp4"])).toBe("file 'segment-0.mp4'\nfile 'it'\\''s.mp4'\n");
  });
});
