/**
 * Stills and WAV clips described from their headers agree with ffprobe on the files real tools write (ffmpeg's PNG
 * and JPEG, espeak-ng's WAV, with and without the placeholder sizes it streams); other formats are left to ffprobe.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mediaFromHeader, mp4FromIndex, stillFromHeader, wavFromHeader } from '../../activities/media/media-header';
import { fixWavHeader } from '../../activities/media/voice/espeak-voice';
import { audioDuration, probeMedia } from '../../activities/media/probe';

let dir: string;
const file = (name: string) => path.join(dir, name);
const ffmpeg = (...args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'media-header-'));
  ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=270x480', '-frames:v', '1', file('still.png'));
  ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=270x480', '-frames:v', '1', file('still.jpg'));
  ffmpeg('-f', 'lavfi', '-i', 'sine=duration=1.5', '-c:a', 'libmp3lame', file('tone.mp3'));
  const movie = [
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=270x480:rate=30:duration=2',
    '-f',
    'lavfi',
    '-i',
    'sine=duration=2',
  ];
  const codecs = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ar', '48000'];
  ffmpeg(...movie, ...codecs, '-movflags', '+faststart', file('indexed.mp4'));
  ffmpeg(...movie, ...codecs, file('index-last.mp4'));
  // espeak-ng writes to a pipe with placeholder sizes (0xFFFFFFFF); the voice fixes them before storing.
  const streamed = execFileSync('espeak-ng', [
    '-v',
    'en',
    '-s',
    '160',
    '--stdout',
    'Simmer the bones for twelve hours',
  ]);
  fs.writeFileSync(file('streamed.wav'), streamed);
  fs.writeFileSync(file('fixed.wav'), fixWavHeader(Buffer.from(streamed)));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('media headers', () => {
  it.each(['still.png', 'still.jpg'])('describes %s as ffprobe does: one video stream of its size', async (name) => {
    const probed = await probeMedia('ffprobe', file(name));
    const header = stillFromHeader(fs.readFileSync(file(name)));
    expect(header?.streams).toEqual([expect.objectContaining({ type: 'video', width: 270, height: 480 })]);
    expect(probed.streams[0]).toMatchObject({ type: 'video', width: 270, height: 480 });
  });

  it.each(['streamed.wav', 'fixed.wav'])('measures %s to the sample ffprobe measures', async (name) => {
    const data = fs.readFileSync(file(name));
    const header = wavFromHeader(data)!;
    const probed = await probeMedia('ffprobe', file(name));
    expect(header.streams[0]).toMatchObject({ type: 'audio', codec: 'pcm_s16le', channels: 1, sampleRate: 22050 });
    expect(audioDuration(header)).toBeGreaterThan(1);
    expect(Math.abs(audioDuration(header)! - audioDuration(probed)!)).toBeLessThan(1 / 22050 + 1e-6);
  });

  it('counts only the bytes present when a data chunk claims more', () => {
    const data = fixWavHeader(fs.readFileSync(file('streamed.wav')));
    const whole = audioDuration(wavFromHeader(data)!)!;
    const truncated = data.subarray(0, data.length - 22050 * 2 * 0.5);
    expect(audioDuration(wavFromHeader(truncated)!)).toBeCloseTo(whole - 0.5, 6);
  });

  it('describes an MP4 from its index as ffprobe does, when the index comes first', async () => {
    const header = mp4FromIndex(fs.readFileSync(file('indexed.mp4')))!;
    const probed = await probeMedia('ffprobe', file('indexed.mp4'));
    expect(header.durationSeconds).toBeCloseTo(probed.durationSeconds!, 3);
    const pick = (media: typeof header) =>
      media.streams.map(({ type, codec, width, height, sampleRate }) =>
        JSON.parse(JSON.stringify({ type, codec, width, height, sampleRate })),
      );
    expect(pick(header)).toEqual(pick(probed));
    expect(pick(header)).toEqual([
      { type: 'video', codec: 'h264', width: 270, height: 480 },
      { type: 'audio', codec: 'aac', sampleRate: 48000 },
    ]);
    // Index after the media, or no MP4 at all: left to ffprobe.
    expect(mp4FromIndex(fs.readFileSync(file('index-last.mp4')))).toBeUndefined();
    expect(mp4FromIndex(fs.readFileSync(file('still.png')))).toBeUndefined();
    expect(mp4FromIndex(fs.readFileSync(file('indexed.mp4')).subarray(0, 200))).toBeUndefined();
  });

  it('leaves other formats and damaged bytes to ffprobe', () => {
    expect(mediaFromHeader(fs.readFileSync(file('tone.mp3')))).toBeUndefined();
    expect(mediaFromHeader(Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVEjunk'))).toBeUndefined();
    expect(mediaFromHeader(Buffer.from('not a picture at all'))).toBeUndefined();
    // A compressed WAV (format 85, MPEG layer 3) is not PCM: its length is not bytes over the byte rate.
    const wav = fixWavHeader(fs.readFileSync(file('streamed.wav')));
    const mp3InWav = Buffer.from(wav);
    mp3InWav.writeUInt16LE(85, 20);
    expect(wavFromHeader(mp3InWav)).toBeUndefined();
    expect(mediaFromHeader(wav)?.format).toBe('wav');
    expect(mediaFromHeader(fs.readFileSync(file('still.png')))?.format).toBe('png');
  });
});
