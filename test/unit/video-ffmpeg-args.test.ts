/**
 * The render as data: timeline arithmetic (sync of pictures, voice and subtitles), the ffmpeg filter graph and
 * arguments, progress parsing, MP4 box order, and the subtitles (cue splitting, timing, WebVTT / SRT / ASS). No ffmpeg.
 */
import {
  AUDIO_SAMPLE_RATE,
  buildCues,
  buildFilterGraph,
  buildRenderArgs,
  buildThumbnailArgs,
  escapeAssText,
  escapeFilterValue,
  formatAss,
  formatSrt,
  formatVtt,
  isFastStart,
  panExpressions,
  parseProgressTime,
  planTimeline,
  RENDER_TIMING,
  splitIntoCues,
  subtitleLayoutFor,
  topLevelBoxes,
  type SubtitleCue,
} from '../../activities/media';

const clips = [
  { index: 0, audioSeconds: 5.123 },
  { index: 1, audioSeconds: 4.5 },
  { index: 2, audioSeconds: 6.01 },
];

describe('planTimeline', () => {
  const timeline = planTimeline(clips);
  const frame = 1 / RENDER_TIMING.fps;

  it('gives each scene lead-in (first) + narration + padding (+ tail, last) in whole frames, back to back', () => {
    const { scenes } = timeline;
    expect(scenes.map((s) => s.index)).toEqual([0, 1, 2]);
    expect(scenes[0].start).toBe(0);
    for (const [i, s] of scenes.entries()) {
      expect(Number.isInteger(s.frames)).toBe(true);
      expect(s.duration).toBeCloseTo(s.frames / 30, 6);
      if (i > 0) expect(s.start).toBeCloseTo(scenes[i - 1].start + scenes[i - 1].duration, 6);
      const wanted =
        (i === 0 ? RENDER_TIMING.leadInSeconds : 0) +
        clips[i].audioSeconds +
        RENDER_TIMING.paddingSeconds +
        (i === 2 ? RENDER_TIMING.tailSeconds : 0);
      // Rounded up to the frame, never down.
      expect(s.duration).toBeGreaterThanOrEqual(wanted - 1e-6);
      expect(s.duration).toBeLessThan(wanted + frame);
    }
    expect(timeline.totalFrames).toBe(scenes.reduce((n, s) => n + s.frames, 0));
    expect(timeline.totalSeconds).toBeCloseTo(timeline.totalFrames / 30, 6);
  });

  it('starts each narration when its scene is fully shown and ends it before the next cross-fade', () => {
    const { scenes, crossfadeSeconds } = timeline;
    expect(crossfadeSeconds).toBeCloseTo(0.3, 6);
    expect(scenes[0].narrationStart).toBeCloseTo(RENDER_TIMING.leadInSeconds, 6);
    for (const [i, s] of scenes.entries()) {
      if (i > 0) expect(s.narrationStart).toBe(s.start);
      expect(s.narrationEnd - s.narrationStart).toBeCloseTo(clips[i].audioSeconds, 6);
      const next = scenes[i + 1];
      // The cross-fade into the next scene starts `crossfade` before its slot: after this narration has ended.
      if (next) expect(s.narrationEnd).toBeLessThanOrEqual(next.start - crossfadeSeconds + 1e-6);
    }
  });

  it('keeps a whole number of audio samples per slot and refuses padding shorter than the cross-fade', () => {
    for (const s of timeline.scenes) expect(Number.isInteger((s.frames * AUDIO_SAMPLE_RATE) / 30)).toBe(true);
    expect(() => planTimeline(clips, { ...RENDER_TIMING, paddingSeconds: 0.2 })).toThrow(/padding/);
    // A length that is already whole frames does not gain one to float error.
    const exact = planTimeline([{ index: 0, audioSeconds: 2 - 0.2 - 0.3 - 0.25 }]);
    expect(exact.totalFrames).toBe(60);
  });
});

describe('buildFilterGraph', () => {
  const timeline = planTimeline(clips);
  const graph = buildFilterGraph({ width: 1080, height: 1920, timeline, music: false, subtitlesFile: 'subtitles.ass' });
  const chains = graph.split(';\n');

  it('scales each still once to the overscan and splits it into head, body and tail pieces', () => {
    for (const [i, s] of timeline.scenes.entries()) {
      const chain = chains.find((c) => c.startsWith(`[${i}:v]`))!;
      expect(chain).toContain('scale=1166:2074:force_original_aspect_ratio=increase');
      // The first scene has no head, the last no tail.
      const parts = [...(i > 0 ? [`h${i}`] : []), `b${i}`, ...(i < 2 ? [`t${i}`] : [])];
      expect(chain).toMatch(new RegExp(`split=${parts.length}${parts.map((p) => `\\[s${i}${p}\\]`).join('')}$`));
      // The pieces loop for the scene's slot plus the cross-fade it fades in with (not the first): 9 frames a fade.
      const counts = parts.map((p) => {
        const piece = chains.find((c) => c.startsWith(`[s${i}${p}]`))!;
        expect(piece).toMatch(new RegExp(`crop=1080:1920:x='[^']+':y='[^']+':exact=1\\[${p}\\]$`));
        return Number(/loop=loop=(\d+):size=1:start=0,setpts=N\/30\/TB/.exec(piece)![1]) + 1;
      });
      expect(counts.reduce((a, b) => a + b, 0)).toBe(s.frames + (i > 0 ? 9 : 0));
      if (i > 0) expect(counts[0]).toBe(9);
      if (i < 2) expect(counts[counts.length - 1]).toBe(9);
    }
  });

  it('offsets the pan of a piece by where it starts in its scene, so the pan runs on across the pieces', () => {
    const body = chains.find((c) => c.startsWith('[s1b1]'))!;
    const head = chains.find((c) => c.startsWith('[s1h1]'))!;
    expect(head).toContain('min(n/');
    expect(body).toContain('min((n+9)/');
    expect(body).not.toMatch(/[(*]n\//);
  });

  it('cross-fades only the tail and head at each cut and concatenates the pieces: the video lasts the sum of the slots', () => {
    const fades = chains.filter((c) => c.includes('xfade='));
    expect(fades).toEqual([
      '[t0][h1]xfade=transition=fade:duration=0.3:offset=0[c1]',
      '[t1][h2]xfade=transition=fade:duration=0.3:offset=0[c2]',
    ]);
    expect(chains).toContain('[b0][c1][b1][c2][b2]concat=n=5:v=1:a=0[joined]');
    // Bodies plus one fade per cut.
    const loops = (p: string) =>
      Number(/loop=loop=(\d+)/.exec(chains.find((c) => c.startsWith(`[s${p[1]}${p}]`))!)![1]) + 1;
    expect(loops('b0') + 9 + loops('b1') + 9 + loops('b2')).toBe(timeline.totalFrames);
    const last = chains.find((c) => c.endsWith('[vout]'))!;
    expect(last).toBe(
      `[joined]subtitles=filename=subtitles.ass,fade=t=out:st=${+(timeline.totalSeconds - 0.4).toFixed(6)}:d=0.4,format=yuv420p[vout]`,
    );
  });

  it('pads each clip to its slot (sample-exact), delays the first by the lead-in and concatenates them', () => {
    const audio = timeline.scenes.map((_, i) => chains.find((c) => c.startsWith(`[${3 + i}:a]`))!);
    expect(audio[0]).toContain('adelay=delays=200:all=1,apad,');
    expect(audio[1]).not.toContain('adelay');
    let samples = 0;
    for (const [i, chain] of audio.entries()) {
      const end = Number(/atrim=end_sample=(\d+)/.exec(chain)![1]);
      expect(end).toBe(timeline.scenes[i].frames * 1600);
      samples += end;
    }
    expect(samples / AUDIO_SAMPLE_RATE).toBeCloseTo(timeline.totalSeconds, 6);
    expect(chains).toContain('[a0][a1][a2]concat=n=3:v=0:a=1[aout]');
  });

  it('loops music under the voice, ducked by a sidechain keyed on the narration', () => {
    const withMusic = buildFilterGraph({ width: 1080, height: 1920, timeline, music: true });
    expect(withMusic).toContain('concat=n=3:v=0:a=1[voice]');
    expect(withMusic).toContain('[voice]asplit=2[speech][key]');
    expect(withMusic).toMatch(/\[6:a\]aresample=48000.*atrim=end_sample=\d+.*volume=0\.25.*\[bed\]/);
    expect(withMusic).toContain('[bed][key]sidechaincompress=');
    expect(withMusic).toContain('[speech][ducked]amix=inputs=2:duration=first:dropout_transition=0:normalize=0[aout]');
    expect(withMusic).not.toContain('subtitles=');
  });

  it('needs no cross-fade for one scene', () => {
    const one = planTimeline([{ index: 4, audioSeconds: 3 }]);
    const single = buildFilterGraph({ width: 1920, height: 1080, timeline: one, music: false });
    expect(single).not.toContain('xfade');
    expect(single).toContain('[b0]fade=t=out');
    expect(single).not.toContain('split=');
    expect(single).toContain('scale=2074:1166');
  });

  it('keeps the pan inside the overscan, eased from one side to the other', () => {
    const evaluate = (expr: string, n: number) =>
      // The expressions only use numbers, n, PI, cos and min.
      Function('n', 'PI', 'cos', 'min', `return ${expr};`)(n, Math.PI, Math.cos, Math.min) as number;
    for (let position = 0; position < 4; position++) {
      for (const frames of [30, 150, 900]) {
        const pan = panExpressions(position, frames, { x: 86, y: 154 }, 1920, 30);
        for (const n of [0, frames / 2, frames - 1, frames + 5]) {
          expect(evaluate(pan.x, n)).toBeGreaterThanOrEqual(0);
          expect(evaluate(pan.x, n)).toBeLessThanOrEqual(86);
          expect(evaluate(pan.y, n)).toBeGreaterThanOrEqual(0);
          expect(evaluate(pan.y, n)).toBeLessThanOrEqual(154);
        }
        // Slow at both ends: the first step is smaller than the middle one.
        const step = (n: number) => Math.abs(evaluate(pan.y, n + 1) - evaluate(pan.y, n));
        expect(step(0)).toBeLessThan(step(Math.floor(frames / 2)));
      }
    }
    const long = panExpressions(0, 900, { x: 86, y: 154 }, 1920, 30);
    expect(evaluate(long.y, 899) - evaluate(long.y, 0)).toBeCloseTo(154, 0);
    // The next scene goes the other way horizontally.
    const next = panExpressions(1, 900, { x: 86, y: 154 }, 1920, 30);
    expect(evaluate(next.x, 899)).toBeLessThan(evaluate(next.x, 0));
  });

  it('escapes filter values for both parsing levels', () => {
    expect(escapeFilterValue('plain.ass')).toBe('plain.ass');
    expect(escapeFilterValue("it's:a,b")).toBe("it\\\\\\'s\\\\:a\\,b");
    expect(escapeFilterValue('[x];y')).toBe('\\[x\\]\\;y');
  });
});

describe('buildRenderArgs', () => {
  const timeline = planTimeline(clips);
  const base = {
    width: 1080,
    height: 1920,
    timeline,
    frames: ['/w/f0.png', '/w/f1.png', '/w/f2.png'],
    audios: ['/w/a0.wav', '/w/a1.wav', '/w/a2.wav'],
    music: false,
    output: '/w/video.mp4',
  };
  const pairs = (args: string[]) => args.slice(0, -1).map((a, i) => `${a} ${args[i + 1]}`);

  it('encodes H.264 (ultrafast + CABAC, deblocking, mbtree) CRF 23 yuv420p 30 fps + AAC 128k, moov first, with progress on stdout', () => {
    const args = buildRenderArgs(base);
    const p = pairs(args);
    for (const pair of [
      '-progress pipe:1',
      '-c:v libx264',
      '-preset ultrafast',
      '-x264-params cabac=1:deblock=1,0,0:mbtree=1:rc-lookahead=10',
      '-crf 23',
      '-pix_fmt yuv420p',
      '-r 30',
      '-c:a aac',
      '-b:a 128k',
      '-ar 48000',
      '-movflags +faststart',
      '-map [vout]',
      '-map [aout]',
      `-t ${timeline.totalSeconds}`,
    ]) {
      expect(p).toContain(pair);
    }
    expect(args).toContain('-nostats');
    expect(args).toContain('-nostdin');
    expect(args.filter((a) => a === '-i')).toHaveLength(6);
    expect(p).toContain('-i /w/f0.png');
    expect(p).toContain('-i /w/a2.wav');
    expect(args[args.length - 1]).toBe('/w/video.mp4');
    expect(args.indexOf('-i')).toBeGreaterThan(args.indexOf('-framerate'));
  });

  it('keeps the earlier veryfast encode as the compact encoding', () => {
    const args = buildRenderArgs({ ...base, encoding: 'compact' });
    expect(pairs(args)).toContain('-preset veryfast');
    expect(args).not.toContain('-x264-params');
    const fast = buildRenderArgs(base);
    expect(args.slice(args.indexOf('-crf'))).toEqual(fast.slice(fast.indexOf('-crf')));
  });

  it('loops the music input and checks its inputs', () => {
    const args = buildRenderArgs({ ...base, music: true, musicFile: '/w/music.mp3' });
    expect(args.join(' ')).toContain('-stream_loop -1 -i /w/music.mp3');
    expect(() => buildRenderArgs({ ...base, frames: base.frames.slice(1) })).toThrow(/one still/i);
    expect(() => buildRenderArgs({ ...base, music: true })).toThrow(/music/);
  });

  it('makes the thumbnail from the first still at the video size', () => {
    const args = buildThumbnailArgs('/w/f0.png', 1080, 1920, '/w/thumbnail.jpg');
    expect(pairs(args)).toContain('-vf scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,setsar=1');
    expect(pairs(args)).toContain('-frames:v 1');
  });
});

describe('progress and MP4 boxes', () => {
  it('reads the output time from -progress blocks', () => {
    expect(parseProgressTime('frame=10\nout_time_us=N/A\nout_time_ms=N/A\nprogress=continue')).toBeUndefined();
    expect(parseProgressTime('frame=60\nout_time_us=2000000\nout_time_ms=2000000\nout_time=00:00:02.000000')).toBe(2);
    expect(parseProgressTime('out_time_ms=1500000\nprogress=continue\nout_time_ms=2500000\nprogress=end')).toBe(2.5);
  });

  const box = (type: string, payload = 8) => {
    const b = Buffer.alloc(8 + payload);
    b.writeUInt32BE(8 + payload, 0);
    b.write(type, 4, 'latin1');
    return b;
  };

  it('lists top-level boxes and tells whether moov precedes mdat', () => {
    const fast = Buffer.concat([box('ftyp'), box('moov', 40), box('free'), box('mdat', 100)]);
    expect(topLevelBoxes(fast)).toEqual(['ftyp', 'moov', 'free', 'mdat']);
    expect(isFastStart(fast)).toBe(true);
    expect(isFastStart(Buffer.concat([box('ftyp'), box('mdat', 100), box('moov', 40)]))).toBe(false);
    // A 64-bit size (size field 1) is followed.
    const large = Buffer.alloc(24);
    large.writeUInt32BE(1, 0);
    large.write('mdat', 4, 'latin1');
    large.writeBigUInt64BE(24n, 8);
    expect(topLevelBoxes(Buffer.concat([box('ftyp'), large, box('moov')]))).toEqual(['ftyp', 'mdat', 'moov']);
    expect(isFastStart(Buffer.alloc(0))).toBe(false);
  });
});

describe('subtitles', () => {
  const layout = { maxLineChars: 42, maxLines: 2 };

  it('cuts narration into cues of at most two lines of 42 characters, keeping every word in order', () => {
    const text =
      'Fresh from the roastery: our autumn blend is here, with notes of cocoa and hazelnut. Every bag is roasted ' +
      'to order in small batches, so it reaches you at its very best, and we ship it the same day from Lyon.';
    const cues = splitIntoCues(text, layout);
    expect(cues.length).toBeGreaterThan(2);
    for (const cue of cues) {
      expect(cue.lines.length).toBeGreaterThanOrEqual(1);
      expect(cue.lines.length).toBeLessThanOrEqual(2);
      for (const line of cue.lines) expect(line.length).toBeLessThanOrEqual(42);
    }
    expect(cues.flatMap((c) => c.lines).join(' ')).toBe(text);
    // A sentence end closes the cue: the second sentence starts a new one.
    expect(cues.some((c) => c.lines[c.lines.length - 1].endsWith('hazelnut.'))).toBe(true);
    expect(cues.reduce((n, c) => n + c.weight, 0)).toBe(text.split(' ').length);
  });

  it('balances two lines and keeps a short cue on one line', () => {
    const [cue] = splitIntoCues('Fresh from the roastery: our autumn blend is here with notes', layout);
    expect(cue.lines).toEqual(['Fresh from the roastery: our', 'autumn blend is here with notes']);
    expect(splitIntoCues('Find it in our shop today.', layout)).toEqual([
      { lines: ['Find it in our shop today.'], weight: 6 },
    ]);
    expect(splitIntoCues('  ', layout)).toEqual([]);
  });

  it('cuts words longer than a line, and text without spaces, without losing characters', () => {
    const url = `https://example.com/${'a'.repeat(60)}`;
    const cues = splitIntoCues(`Visit ${url} now.`, layout);
    for (const line of cues.flatMap((c) => c.lines)) expect(line.length).toBeLessThanOrEqual(42);
    expect(
      cues
        .flatMap((c) => c.lines)
        .join('')
        .replace(/\s/g, ''),
    ).toBe(`Visit${url}now.`);
    const japanese =
      'いらっしゃいませ。当店の秋のブレンドが入荷しました。ココアとヘーゼルナッツの香りをお楽しみください。';
    const jp = splitIntoCues(japanese, { maxLineChars: 16, maxLines: 2 });
    expect(jp.flatMap((c) => c.lines).join('')).toBe(japanese);
    for (const line of jp.flatMap((c) => c.lines)) expect([...line].length).toBeLessThanOrEqual(16);
  });

  it('times cues over the narration in proportion to their words, monotonically', () => {
    const scenes = [
      {
        text: 'One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen.',
        start: 0.3,
        end: 6.3,
      },
      { text: 'Short one.', start: 7, end: 8 },
      { text: '', start: 9, end: 10 },
    ];
    const cues = buildCues(scenes, { maxLineChars: 20, maxLines: 2 });
    const first = cues.filter((c) => c.end <= 6.3);
    expect(first[0].start).toBe(0.3);
    expect(first[first.length - 1].end).toBe(6.3);
    const words = (c: SubtitleCue) => c.lines.join(' ').split(' ').length;
    for (const c of first) expect(c.end - c.start).toBeCloseTo((6 * words(c)) / 16, 2);
    for (let i = 1; i < cues.length; i++) expect(cues[i].start).toBeGreaterThanOrEqual(cues[i - 1].end);
    expect(cues[cues.length - 1]).toEqual({ start: 7, end: 8, lines: ['Short one.'] });
  });

  const cues: SubtitleCue[] = [
    { start: 0.3, end: 2.5, lines: ['Fresh from the roastery:', 'our <autumn> blend & more'] },
    { start: 3725.0456, end: 3726, lines: ['A {b1} back\\slash \\N here'] },
  ];

  it('writes WebVTT with escaped text', () => {
    expect(formatVtt(cues)).toBe(
      'WEBVTT\n\n' +
        '1\n00:00:00.300 --> 00:00:02.500\nFresh from the roastery:\nour &lt;autumn&gt; blend &amp; more\n\n' +
        '2\n01:02:05.046 --> 01:02:06.000\nA {b1} back\\slash \\N here\n',
    );
    expect(formatVtt([])).toBe('WEBVTT\n\n\n');
  });

  it('writes SRT', () => {
    expect(formatSrt(cues)).toBe(
      '1\n00:00:00,300 --> 00:00:02,500\nFresh from the roastery:\nour <autumn> blend & more\n\n' +
        '2\n01:02:05,046 --> 01:02:06,000\nA {b1} back\\slash \\N here\n',
    );
  });

  it('writes ASS in the video’s pixels, with overrides in the text neutralised', () => {
    const { layout: vertical, style } = subtitleLayoutFor(1080, 1920);
    expect(vertical).toEqual({ maxLineChars: 26, maxLines: 2 });
    expect(subtitleLayoutFor(1920, 1080).layout).toEqual({ maxLineChars: 42, maxLines: 2 });
    const ass = formatAss(cues, style);
    expect(ass).toContain('PlayResX: 1080\nPlayResY: 1920');
    expect(ass).toMatch(/^Style: Default,DejaVu Sans,58,&H00FFFFFF,.*,4,3,0,2,65,65,422,1$/m);
    expect(ass).toContain(
      'Dialogue: 0,0:00:00.30,0:00:02.50,Default,,0,0,0,,Fresh from the roastery:\\Nour <autumn> blend & more',
    );
    expect(ass).toContain(
      'Dialogue: 0,1:02:05.05,1:02:06.00,Default,,0,0,0,,A \\{b1\\} back\\\u2060slash \\\u2060N here',
    );
    expect(escapeAssText('{\\i1}')).toBe('\\{\\\u2060i1\\}');
  });
});
