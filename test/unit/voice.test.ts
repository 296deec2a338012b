/**
 * Voice: ElevenLabs against a local fake that speaks its documented request/response shapes, espeak-ng for real, and
 * the narration activity (clips, measured lengths, sidecars that make a retry skip finished scenes) with local storage.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import {
  createElevenLabsVoice,
  createEspeakVoice,
  createVoiceActivities,
  createVoiceFromConfig,
  createVoicesFromConfig,
  elevenLabsFailure,
  elevenLabsSpeed,
  espeakVoiceForLanguage,
  fixWavHeader,
  parseEspeakCatalogue,
  resolveEspeakVoice,
  retryAfterMs,
  type SynthesizeOptions,
  type Voice,
} from '../../activities/media';
import { createLocalFileStorage, resolveStoragePath, type FileStorage } from '../../activities/storage';
import type { NarrationClip } from '../../lib/video/types';
import { errors, FAKE_VOICE_IDS, startFakeElevenLabs, type FakeElevenLabs } from '../fakes/elevenlabs-server';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voice-test-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  }
  throw new Error('Expected a failure');
}

function probe(buffer: Buffer, ext: string): { codec: string; duration: number } {
  const file = path.join(dir, `probe-${Date.now()}-${Math.random().toString(36).slice(2)}.${ext}`);
  fs.writeFileSync(file, buffer);
  const out = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], {
      encoding: 'utf8',
    }),
  );
  return { codec: out.streams[0].codec_name, duration: Number(out.format.duration) };
}

describe('ElevenLabs voice (fake server)', () => {
  let fake: FakeElevenLabs;
  beforeAll(async () => {
    fake = await startFakeElevenLabs();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
  });
  const voice = (extra: Partial<Parameters<typeof createElevenLabsVoice>[0]> = {}) =>
    createElevenLabsVoice({ apiKey: fake.apiKey, baseUrl: `${fake.url}/`, timeoutMs: 5_000, ...extra });

  it('sends the documented request and returns the MP3', async () => {
    const speech = await voice().synthesize('Fresh from the roastery.', { language: 'en', wordsPerMinute: 176 });
    expect(speech).toMatchObject({
      contentType: 'audio/mpeg',
      extension: 'mp3',
      provider: 'elevenlabs',
      voice: 'JBFqnCBsd6RMkjVDRZzb',
    });
    const { codec, duration } = probe(speech.audio, 'mp3');
    expect(codec).toBe('mp3');
    expect(duration).toBeGreaterThan(0.9);

    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb?output_format=mp3_44100_128');
    expect(req.headers['xi-api-key']).toBe(fake.apiKey);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers.accept).toBe('audio/mpeg');
    expect(req.body).toEqual({
      text: 'Fresh from the roastery.',
      model_id: 'eleven_multilingual_v2',
      voice_settings: { stability: 0.5, similarity_boost: 0.75, speed: 1.1 },
    });
  });

  it('uses the named voice, and sends a language only to models that take one', async () => {
    await voice({ modelId: 'eleven_flash_v2_5' }).synthesize('Bonjour.', {
      language: 'fr-CA',
      voice: FAKE_VOICE_IDS[1],
    });
    expect(fake.requests[0].url).toContain(`/v1/text-to-speech/${FAKE_VOICE_IDS[1]}?`);
    expect(fake.requests[0].body).toEqual({
      text: 'Bonjour.',
      model_id: 'eleven_flash_v2_5',
      voice_settings: { stability: 0.5, similarity_boost: 0.75 },
      language_code: 'fr',
    });
  });

  it('maps failures to the house taxonomy', async () => {
    const say = (v = voice()) => v.synthesize('Hello.', { language: 'en' });

    expect(await failureOf(say(voice({ apiKey: 'wrong' })))).toMatchObject({
      type: 'ProviderAuth',
      nonRetryable: true,
    });
    fake.script(errors.quotaExceeded());
    expect(await failureOf(say())).toMatchObject({ type: 'QuotaExhausted', nonRetryable: true });
    fake.script(errors.validation());
    const invalid = await failureOf(say());
    expect(invalid).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect(invalid.message).toContain('body.text: field required');
    expect(await failureOf(voice().synthesize('Hello.', { language: 'en', voice: 'Unknownvoice1234' }))).toMatchObject({
      type: 'InvalidInput',
      nonRetryable: true,
    });
    fake.script(errors.rateLimited(3));
    expect(await failureOf(say())).toMatchObject({ type: 'RateLimited', nonRetryable: false, nextRetryDelay: 3000 });
    fake.script(errors.serverError());
    expect(await failureOf(say())).toMatchObject({ type: 'ProviderUnavailable', nonRetryable: false });
    fake.script({ kind: 'audio', contentType: 'text/html', bytes: Buffer.from('<html>maintenance</html>') });
    expect(await failureOf(say())).toMatchObject({ type: 'ProviderUnavailable', nonRetryable: false });

    // Refused before any request: a voice id that could change the URL's path.
    const before = fake.requests.length;
    expect(await failureOf(voice().synthesize('Hello.', { language: 'en', voice: '../v1/models' }))).toMatchObject({
      type: 'InvalidInput',
      nonRetryable: true,
    });
    expect(fake.requests).toHaveLength(before);
  });

  it('retries network failures and timeouts, and stops at once when cancelled', async () => {
    const closed = createElevenLabsVoice({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9', timeoutMs: 2_000 });
    expect(await failureOf(closed.synthesize('Hello.', { language: 'en' }))).toMatchObject({
      type: 'ProviderUnavailable',
      nonRetryable: false,
    });

    fake.script({ kind: 'hang' });
    const started = Date.now();
    expect(await failureOf(voice({ timeoutMs: 300 }).synthesize('Hello.', { language: 'en' }))).toMatchObject({
      type: 'Timeout',
      nonRetryable: false,
    });
    expect(Date.now() - started).toBeLessThan(3_000);

    fake.script({ kind: 'hang' });
    const controller = new AbortController();
    const pending = voice().synthesize('Hello.', { language: 'en', signal: controller.signal });
    setTimeout(() => controller.abort(new CancelledFailure('cancelled')), 100);
    await expect(pending).rejects.toBeInstanceOf(CancelledFailure);
  });

  it('checks connectivity and the key', async () => {
    await expect(voice().check()).resolves.toBeUndefined();
    await expect(voice({ apiKey: 'wrong' }).check()).rejects.toMatchObject({ type: 'ProviderAuth' });
  });

  it('maps speed, Retry-After and error bodies', () => {
    expect(elevenLabsSpeed(160)).toBe(1);
    expect(elevenLabsSpeed(80)).toBe(0.7);
    expect(elevenLabsSpeed(400)).toBe(1.2);
    expect(retryAfterMs('7')).toBe(7000);
    expect(retryAfterMs(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(10_000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(elevenLabsFailure(404, '{"detail":"Not Found"}', null)).toMatchObject({ type: 'ProviderMisconfigured' });
    expect(elevenLabsFailure(402, '', null)).toMatchObject({ type: 'QuotaExhausted', nonRetryable: true });
    expect(elevenLabsFailure(500, '<html>bad gateway</html>', null).message).toContain('bad gateway');
  });
});

describe('espeak-ng voice', () => {
  const espeak = createEspeakVoice();

  it('speaks WAV with a correct header, at the requested rate', async () => {
    const text = 'Fresh from the roastery: our autumn blend is here, with notes of cocoa and hazelnut.';
    const normal = await espeak.synthesize(text, { language: 'en' });
    expect(normal).toMatchObject({ contentType: 'audio/wav', extension: 'wav', provider: 'espeak', voice: 'en-us' });
    const wav = normal.audio;
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.readUInt32LE(40)).toBe(wav.length - 44);
    const slow = await espeak.synthesize(text, { language: 'en', wordsPerMinute: 100 });
    const normalSeconds = probe(normal.audio, 'wav').duration;
    const slowSeconds = probe(slow.audio, 'wav').duration;
    // 14 words at 160 wpm is about 5 s; at 100 wpm clearly longer.
    expect(normalSeconds).toBeGreaterThan(3);
    expect(normalSeconds).toBeLessThan(9);
    expect(slowSeconds).toBeGreaterThan(normalSeconds * 1.3);
  });

  it('chooses the voice by language and accepts named voices and variants', async () => {
    const say = (options: Omit<SynthesizeOptions, 'signal'>) =>
      espeak.synthesize('Bonjour.', options).then((s) => s.voice);
    expect(await say({ language: 'fr' })).toBe('fr');
    expect(await say({ language: 'de' })).toBe('de');
    expect(await say({ language: 'es' })).toBe('es');
    expect(await say({ language: 'it' })).toBe('it');
    expect(await say({ language: 'pt' })).toBe('pt');
    expect(await say({ language: 'pt-BR' })).toBe('pt-br');
    expect(await say({ language: 'en-GB' })).toBe('en-gb');
    expect(await say({ language: 'en', voice: 'en-us+f3' })).toBe('en-us+f3');
    expect(await say({ language: 'en', voice: 'English_(America)+female3' })).toBe('en-us+f3');
  });

  it('refuses unknown voices and languages as invalid input', async () => {
    for (const options of [
      { language: 'en', voice: 'xx-nope' },
      { language: 'en', voice: 'en-us+nosuchvariant' },
      { language: 'tlh' },
    ]) {
      const failure = await failureOf(espeak.synthesize('Hello.', options));
      expect(failure).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    }
  });

  it('says ProviderMisconfigured when espeak-ng is not installed', async () => {
    const missing = createEspeakVoice({ espeakPath: '/nonexistent/espeak-ng' });
    expect(await failureOf(missing.synthesize('Hello.', { language: 'en' }))).toMatchObject({
      type: 'ProviderMisconfigured',
      nonRetryable: true,
    });
    await expect(espeak.check()).resolves.toBeUndefined();
  });

  it('parses the voice lists and fixes streamed WAV headers', () => {
    const catalogue = parseEspeakCatalogue(
      [
        'Pty Language       Age/Gender VoiceName          File                 Other Languages',
        ' 5  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)',
        ' 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)',
        ' 5  fr-fr           --/M      French_(France)    roa/fr               (fr 5)',
      ].join('\n'),
      [
        'Pty Language       Age/Gender VoiceName          File                 Other Languages',
        ' 5  variant         --/F      female3            !v/f3',
        ' 5  variant         --/F      Annie              !v/Annie',
      ].join('\n'),
    );
    expect(resolveEspeakVoice(catalogue, 'EN-US')).toBe('en-us');
    expect(resolveEspeakVoice(catalogue, 'fr+annie')).toBe('fr+Annie');
    expect(resolveEspeakVoice(catalogue, 'gmw/en-US+female3')).toBe('en-us+f3');
    expect(resolveEspeakVoice(catalogue, 'de')).toEqual({ problem: expect.stringContaining('not an installed') });
    expect(espeakVoiceForLanguage(catalogue, 'en')).toBe('en-us');
    expect(espeakVoiceForLanguage(catalogue, 'fr-CA')).toBe('fr');
    expect(espeakVoiceForLanguage(catalogue, 'de')).toBeUndefined();

    const streamed = Buffer.alloc(44 + 100);
    streamed.write('RIFF', 0, 'ascii');
    streamed.writeUInt32LE(0x7ffff024, 4);
    streamed.write('WAVEfmt ', 8, 'ascii');
    streamed.writeUInt32LE(16, 16);
    streamed.write('data', 36, 'ascii');
    streamed.writeUInt32LE(0x7ffff000, 40);
    fixWavHeader(streamed);
    expect(streamed.readUInt32LE(4)).toBe(136);
    expect(streamed.readUInt32LE(40)).toBe(100);
  });
});

describe('voice registry', () => {
  it('builds the configured provider and refuses ElevenLabs without a key', () => {
    expect(createVoiceFromConfig({ provider: 'espeak' }).name).toBe('espeak');
    expect(() => createVoiceFromConfig({ provider: 'elevenlabs' })).toThrow(/ELEVENLABS_API_KEY/);
    expect(() => createVoiceFromConfig({ provider: 'festival' as never })).toThrow(/Unknown voice provider/);
    const withKey = createVoicesFromConfig({ provider: 'elevenlabs', elevenlabs: { apiKey: 'k' } });
    expect([withKey.voice.name, ...withKey.voices.map((v) => v.name)]).toEqual(['elevenlabs', 'espeak']);
    const embedded = createVoicesFromConfig({ provider: 'espeak' });
    expect([embedded.voice.name, ...embedded.voices.map((v) => v.name)]).toEqual(['espeak']);
  });
});

describe('synthesizeNarration', () => {
  let storage: FileStorage;
  let calls: string[];
  /** espeak-ng, counting what it is asked to say. */
  let counted: Voice;
  const scenes = [
    { index: 0, narration: 'Fresh from the roastery: our autumn blend is here.' },
    { index: 1, narration: 'Every bag is roasted to order, in small batches.' },
    { index: 2, narration: 'Find it in our shop today.' },
  ];
  const run = <T>(fn: () => Promise<T>, env = new MockActivityEnvironment()): Promise<T> => env.run(fn) as Promise<T>;

  beforeAll(() => {
    storage = createLocalFileStorage({ rootDir: path.join(dir, 'files'), publicBaseUrl: 'http://files.test' });
    const espeak = createEspeakVoice();
    counted = {
      name: 'espeak',
      check: () => espeak.check(),
      synthesize: (text, options) => {
        calls.push(text);
        return espeak.synthesize(text, options);
      },
    };
  });
  beforeEach(() => {
    calls = [];
  });

  it('stores one measured clip per scene, heartbeating per scene, and reuses them on a retry', async () => {
    const activities = createVoiceActivities({ storage, voice: counted });
    const env = new MockActivityEnvironment();
    const beats: any[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const input = { keyPrefix: 'videos/b1/v1', scenes, voice: {}, language: 'en' };
    const clips = await run(() => activities.synthesizeNarration(input), env);

    expect(clips.map((c) => c.key)).toEqual([0, 1, 2].map((i) => `videos/b1/v1/narration-${i}.wav`));
    expect(calls).toHaveLength(3);
    for (const clip of clips) {
      expect(clip).toMatchObject({ provider: 'espeak', voice: 'en-us' });
      const measured = probe(fs.readFileSync(resolveStoragePath(path.join(dir, 'files'), clip.key)), 'wav').duration;
      expect(clip.durationSeconds).toBeCloseTo(measured, 2);
      expect(clip.durationSeconds).toBeGreaterThan(1);
      expect(await storage.exists(`videos/b1/v1/narration-${clip.sceneIndex}.json`)).toBe(true);
    }
    expect(clips[0].characters).toBe(scenes[0].narration.length);
    const perScene = beats.filter((b) => b.stage === 'synthesizing').map((b) => b.done);
    expect(perScene).toEqual(expect.arrayContaining([0, 1, 2, 3]));
    const percents = beats.map((b) => b.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(percents[percents.length - 1]).toBe(100);

    // A retry (same input) speaks nothing again and returns the same clips.
    calls = [];
    expect(await run(() => activities.synthesizeNarration(input))).toEqual(clips);
    expect(calls).toHaveLength(0);

    // One scene edited, the rate unchanged: only that scene is spoken again.
    const edited = scenes.map((s) => (s.index === 1 ? { ...s, narration: 'Every bag is roasted to order.' } : s));
    const again: NarrationClip[] = await run(() => activities.synthesizeNarration({ ...input, scenes: edited }));
    expect(calls).toEqual(['Every bag is roasted to order.']);
    expect(again[0]).toEqual(clips[0]);
    expect(again[1].durationSeconds).toBeLessThan(clips[1].durationSeconds);
  });

  it('speaks with the provider the request names, replacing clips of another type', async () => {
    const fake = await startFakeElevenLabs();
    try {
      const eleven = createElevenLabsVoice({ apiKey: fake.apiKey, baseUrl: fake.url });
      const input = { keyPrefix: 'videos/b1/v2', scenes: scenes.slice(0, 1), voice: {}, language: 'en' };
      const espeakOnly = createVoiceActivities({ storage, voice: counted });
      await run(() => espeakOnly.synthesizeNarration(input));
      expect(
        await failureOf(
          run(() => espeakOnly.synthesizeNarration({ ...input, voice: { provider: 'elevenlabs' as const } })),
        ),
      ).toMatchObject({ type: 'ProviderMisconfigured', nonRetryable: true });

      const both = createVoiceActivities({ storage, voice: counted, voices: [eleven] });
      const [clip] = await run(() =>
        both.synthesizeNarration({ ...input, voice: { provider: 'elevenlabs' as const } }),
      );
      expect(clip).toMatchObject({ key: 'videos/b1/v2/narration-0.mp3', provider: 'elevenlabs' });
      expect(clip.durationSeconds).toBeCloseTo(1, 1);
      expect(await storage.exists('videos/b1/v2/narration-0.wav')).toBe(false);
      expect(fake.requests).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });

  it('refuses invalid input as non-retryable', async () => {
    const activities = createVoiceActivities({ storage, voice: counted });
    const good = { keyPrefix: 'videos/b1/v3', scenes, voice: {}, language: 'en' };
    for (const bad of [
      { ...good, keyPrefix: '../escape' },
      { ...good, scenes: [] },
      { ...good, scenes: [{ index: 0, narration: '   ' }] },
      { ...good, scenes: [scenes[0], { ...scenes[1], index: 0 }] },
      { ...good, language: 'english please' },
      { ...good, voice: { wordsPerMinute: 5 } },
    ]) {
      expect(await failureOf(run(() => activities.synthesizeNarration(bad)))).toMatchObject({
        type: 'InvalidInput',
        nonRetryable: true,
      });
    }
    expect(calls).toHaveLength(0);
  });

  it('stops when cancelled between scenes', async () => {
    const activities = createVoiceActivities({ storage, voice: counted });
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (d: any) => {
      if (d.done === 1) env.cancel();
    });
    await expect(
      run(() => activities.synthesizeNarration({ keyPrefix: 'videos/b1/v4', scenes, voice: {}, language: 'en' }), env),
    ).rejects.toBeInstanceOf(CancelledFailure);
    expect(calls).toHaveLength(1);
    expect(await storage.exists('videos/b1/v4/narration-1.wav')).toBe(false);
  });
});
