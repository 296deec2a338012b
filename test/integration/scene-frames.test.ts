/**
 * Scene frames rendered by real headless Chromium through the activity, stored in a real folder; generated
 * backgrounds come from a local OpenAI Images fake that answers with real PNGs.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import {
  createBrowserPool,
  createImageProviderFromConfig,
  createOpenAiImageProvider,
  createSceneFrameActivities,
  frameColors,
  renderSceneFrameHtml,
  sceneImagePrompt,
  SUBTITLE_BAND,
  TEXT_SAFE_AREA,
  type BrowserPool,
  type ImageProvider,
  type RenderSceneFramesInput,
  type SceneFrameActivityDeps,
} from '../../activities/render';
import { createLocalFileStorage, resolveStoragePath, type FileStorage } from '../../activities/storage';
import { VIDEO_FORMATS, type VideoBrand, type VideoFormat } from '../../lib/video/types';
import {
  imageReplies,
  startFakeImagesServer,
  type FakeImagesReply,
  type FakeImagesServer,
} from '../fakes/openai-images-server';

const CHROMIUM = '/usr/bin/chromium';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const brand: VideoBrand = {
  id: 'b1',
  name: 'Lumen Coffee',
  slug: 'lumen-coffee',
  slogan: 'Brewed with light',
  mission: null,
  category: 'Specialty coffee roaster',
  keywords: ['coffee', 'espresso'],
  colors: { primary: '#1d4ed8', secondary: '#be123c' },
  fontFamily: null,
  logoDataUrl: null,
};

const SCENES = [
  { index: 0, onScreenText: 'Grind right before you brew', visual: 'Close-up of coffee beans pouring into a grinder' },
  { index: 1, onScreenText: 'Fresh grounds lose aroma in minutes', visual: 'Steam rising from a fresh cup' },
  { index: 2, onScreenText: '73% of flavour is aroma', visual: 'A barista smelling a cup' },
  { index: 3, onScreenText: 'Visit lumen.coffee', visual: 'End card' },
];

let root: string;
let pool: BrowserPool;
let storage: FileStorage;
let images: FakeImagesServer;
let prefixes = 0;

const run = <T>(fn: () => Promise<T>, env = new MockActivityEnvironment()): Promise<T> => env.run(fn) as Promise<T>;

const input = (overrides: Partial<RenderSceneFramesInput> = {}): RenderSceneFramesInput => ({
  keyPrefix: `videos/b1/v${++prefixes}`,
  format: 'vertical',
  brand,
  scenes: SCENES,
  ...overrides,
});

/** The storage, recording the keys written. */
function recording(inner: FileStorage) {
  const puts: string[] = [];
  const wrapped: FileStorage = {
    ...inner,
    put: (key, data, contentType) => {
      puts.push(key);
      return inner.put(key, data, contentType);
    },
  };
  return { storage: wrapped, puts, frames: () => puts.filter((k) => k.endsWith('.png') && k.includes('/frame-')) };
}

const activitiesWith = (deps: Partial<SceneFrameActivityDeps> = {}) =>
  createSceneFrameActivities({ pool, storage, ...deps });

const imageProvider = (options: { model?: string; apiKey?: string; timeoutMs?: number } = {}): ImageProvider =>
  createOpenAiImageProvider({ baseUrl: images.baseUrl, timeoutMs: 10_000, apiKey: 'sk-test', ...options });

const read = (key: string) => fs.readFileSync(resolveStoragePath(root, key));

function pngSize(bytes: Buffer) {
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** RGB of one pixel, read with ffmpeg. */
function pixel(key: string, x: number, y: number): [number, number, number] {
  const out = execFileSync('ffmpeg', [
    ...['-loglevel', 'error', '-i', resolveStoragePath(root, key)],
    ...['-vf', `crop=1:1:${x}:${y}`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
  ]);
  return [out[0], out[1], out[2]];
}

const distance = (rgb: number[], hex: string) =>
  [0, 1, 2].reduce((sum, i) => sum + Math.abs(rgb[i] - parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16)), 0);

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'scene-frames-'));
  pool = createBrowserPool({ executablePath: CHROMIUM, size: 2 });
  storage = createLocalFileStorage({ rootDir: root, publicBaseUrl: 'http://files.test/' });
  images = await startFakeImagesServer({ apiKey: 'sk-test' });
});
afterAll(async () => {
  await pool.close();
  await images.close();
  fs.rmSync(root, { recursive: true, force: true });
});
beforeEach(() => images.reset());

describe('renderSceneFrames', () => {
  it('renders one vertical PNG per scene in the brand colours', async () => {
    const result = await run(() => activitiesWith().renderSceneFrames(input({ keyPrefix: 'videos/b1/vertical' })));
    expect(result).toEqual({
      provider: 'template',
      frames: SCENES.map((s) => ({
        sceneIndex: s.index,
        key: `videos/b1/vertical/frame-${s.index}.png`,
        width: 1080,
        height: 1920,
      })),
    });
    for (const frame of result.frames) expect(pngSize(read(frame.key))).toEqual({ width: 1080, height: 1920 });
    // The title card starts from the primary in its top-left corner; the end card from the secondary.
    expect(distance(pixel('videos/b1/vertical/frame-0.png', 2, 2), '#1d4ed8')).toBeLessThan(30);
    expect(distance(pixel('videos/b1/vertical/frame-3.png', 2, 2), '#be123c')).toBeLessThan(30);
    // The second scene's progress segment (x 307-508 of four between x 96 and 930) is in the card's highlight.
    const { highlight } = frameColors(brand.colors, 'point');
    expect(distance(pixel('videos/b1/vertical/frame-1.png', 400, 212), highlight)).toBeLessThan(30);
    expect(images.requests).toHaveLength(0);
  });

  it('draws on warm pages the same pixels as a fresh page per frame (the render before issue 14)', async () => {
    const rawRgb = (key: string) =>
      execFileSync(
        'ffmpeg',
        [
          ...['-loglevel', 'error', '-i', resolveStoragePath(root, key)],
          ...['-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
        ],
        { maxBuffer: 64 * 1024 * 1024 },
      );
    // Warm pages that drew other frames before: the horizontal ones, at another size.
    await run(() => activitiesWith().renderSceneFrames(input({ keyPrefix: 'videos/b1/warm-h', format: 'horizontal' })));
    const warm = await run(() => activitiesWith().renderSceneFrames(input({ keyPrefix: 'videos/b1/warm' })));
    const fresh = await run(() =>
      activitiesWith({ pagePerFrame: true }).renderSceneFrames(input({ keyPrefix: 'videos/b1/fresh' })),
    );
    expect(warm.frames.map((f) => f.sceneIndex)).toEqual(fresh.frames.map((f) => f.sceneIndex));
    for (const [i, frame] of warm.frames.entries()) {
      expect(rawRgb(frame.key).equals(rawRgb(fresh.frames[i].key))).toBe(true);
    }
  });

  it('renders horizontal frames at 1920×1080', async () => {
    const result = await run(() =>
      activitiesWith().renderSceneFrames(input({ keyPrefix: 'videos/b1/horizontal', format: 'horizontal' })),
    );
    expect(result.frames.map((f) => [f.width, f.height])).toEqual(SCENES.map(() => [1920, 1080]));
    for (const frame of result.frames) expect(pngSize(read(frame.key))).toEqual({ width: 1920, height: 1080 });
    expect(distance(pixel('videos/b1/horizontal/frame-0.png', 2, 2), '#1d4ed8')).toBeLessThan(30);
  });

  it('heartbeats the progress frame by frame', async () => {
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => beats.push(details));
    await run(() => activitiesWith().renderSceneFrames(input()), env);
    for (let rendered = 1; rendered <= SCENES.length; rendered++) {
      expect(beats).toContainEqual({ stage: 'rendering', rendered, total: SCENES.length });
    }
  });

  it('resumes: frames already stored for the same content are not rendered again', async () => {
    const rec = recording(storage);
    const activities = activitiesWith({ storage: rec.storage });
    const first = input({ keyPrefix: 'videos/b1/resume' });
    await run(() => activities.renderSceneFrames(first));
    expect(rec.frames()).toHaveLength(4);
    const before = read('videos/b1/resume/frame-2.png');

    rec.puts.length = 0;
    const again = await run(() => activities.renderSceneFrames(first));
    expect(rec.puts).toEqual([]);
    expect(again.frames).toHaveLength(4);

    // A crash lost one frame, and the script changed another scene's text: only those two are redone.
    fs.rmSync(resolveStoragePath(root, 'videos/b1/resume/frame-1.png'));
    const edited = { ...first, scenes: SCENES.map((s) => (s.index === 3 ? { ...s, onScreenText: 'Order now' } : s)) };
    await run(() => activities.renderSceneFrames(edited));
    expect(rec.frames().sort()).toEqual(['videos/b1/resume/frame-1.png', 'videos/b1/resume/frame-3.png']);
    expect(read('videos/b1/resume/frame-2.png').equals(before)).toBe(true);

    // A frame whose sidecar is unreadable is redone rather than trusted.
    rec.puts.length = 0;
    fs.writeFileSync(resolveStoragePath(root, 'videos/b1/resume/frame-0.json'), '{not json');
    await run(() => activities.renderSceneFrames(edited));
    expect(rec.frames()).toEqual(['videos/b1/resume/frame-0.png']);

    // Another format or brand colour is other content.
    rec.puts.length = 0;
    const recoloured = { ...edited, brand: { ...brand, colors: { primary: '#047857', secondary: '#be123c' } } };
    await run(() => activities.renderSceneFrames(recoloured));
    expect(rec.frames()).toHaveLength(4);
  });

  it('keeps every piece of text out of the subtitle band and the platform margins', async () => {
    const long = 'Consistency matters more than you think for an even extraction, every single morning of the year';
    const scenes = [
      { index: 0, onScreenText: long, visual: '' },
      { index: 1, onScreenText: long, visual: '' },
      { index: 2, onScreenText: `“${long}”`, visual: 'testimonial' },
      { index: 3, onScreenText: `48% ${long}`, visual: '' },
      { index: 4, onScreenText: 'Supercalifragilisticexpialidocious-coffee.example.com/order', visual: '' },
    ];
    for (const format of ['vertical', 'horizontal'] as VideoFormat[]) {
      const { width, height } = VIDEO_FORMATS[format];
      const safe = TEXT_SAFE_AREA[format];
      for (const scene of scenes) {
        const html = renderSceneFrameHtml({ brand, scene, sceneCount: scenes.length, format });
        const boxes = await pool.withPage(async (page) => {
          await page.setViewport({ width, height });
          await page.setContent(html, { waitUntil: 'load' });
          await page.waitForFunction(() => document.documentElement.getAttribute('data-ready') === 'true');
          return page.evaluate(() => {
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            const rects: { text: string; top: number; right: number; bottom: number; left: number }[] = [];
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              if (!node.textContent?.trim() || node.parentElement?.closest('script, style')) continue;
              const range = document.createRange();
              range.selectNodeContents(node);
              for (const r of Array.from(range.getClientRects())) {
                if (r.width > 0 && r.height > 0) rects.push({ text: node.textContent, ...r.toJSON() });
              }
            }
            return rects;
          });
        });
        expect(boxes.length).toBeGreaterThan(0);
        const outside = boxes.filter(
          (b) =>
            b.bottom > height * (1 - SUBTITLE_BAND[format]) ||
            b.right > width - safe.right + 1 ||
            b.left < safe.left - 1,
        );
        expect({ format, index: scene.index, outside }).toEqual({ format, index: scene.index, outside: [] });
      }
    }
  });

  it('reads the logo from storage by key at render time, as if it had been inlined', async () => {
    // A 64×64 red PNG made by ffmpeg, stored where brands keep their logo.
    const png = execFileSync('ffmpeg', [
      ...['-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=64x64', '-frames:v', '1'],
      ...['-f', 'image2', '-c:v', 'png', '-'],
    ]);
    await storage.put('brands/b1/logo.png', png, 'image/png');
    const frameHash = async (b: VideoBrand) => {
      const request = input({ brand: b, scenes: SCENES.slice(0, 1) });
      await run(() => activitiesWith().renderSceneFrames(request));
      return JSON.parse(read(`${request.keyPrefix}/frame-0.json`).toString()).hash as string;
    };
    const byKey = await frameHash({ ...brand, logoKey: 'brands/b1/logo.png' });
    const inlined = await frameHash({ ...brand, logoDataUrl: `data:image/png;base64,${png.toString('base64')}` });
    const none = await frameHash(brand);
    expect(byKey).toBe(inlined);
    expect(byKey).not.toBe(none);
    // A key whose file is gone renders without a logo rather than failing the video.
    expect(await frameHash({ ...brand, logoKey: 'brands/b1/missing.png' })).toBe(none);
  });

  it('refuses invalid input as non-retryable', async () => {
    const bad: Partial<RenderSceneFramesInput>[] = [
      { keyPrefix: '../escape' },
      { keyPrefix: 'videos/b1/' },
      { format: 'square' as VideoFormat },
      { scenes: [] },
      { scenes: [SCENES[0], SCENES[2]] },
      { scenes: [SCENES[0], SCENES[0]] },
      { brand: { ...brand, name: ' ' } },
    ];
    for (const overrides of bad) {
      await expect(run(() => activitiesWith().renderSceneFrames(input(overrides)))).rejects.toMatchObject({
        type: 'InvalidInput',
        nonRetryable: true,
      });
    }
  });

  it('stops when cancelled while waiting for the browser, storing nothing', async () => {
    const releases: (() => void)[] = [];
    const busy = [1, 2].map(() => pool.withPage(() => new Promise<void>((resolve) => releases.push(resolve))));
    await waitFor(() => releases.length === 2);
    const env = new MockActivityEnvironment();
    const rendering = run(() => activitiesWith().renderSceneFrames(input({ keyPrefix: 'videos/b1/cancelled' })), env);
    // Frames render as many at once as the pool has pages: each of them waits.
    await waitFor(() => pool.stats().waiting === pool.size);
    env.cancel();
    await expect(rendering).rejects.toBeInstanceOf(CancelledFailure);
    releases.forEach((release) => release());
    await Promise.all(busy);
    expect(await storage.exists('videos/b1/cancelled/frame-0.png')).toBe(false);
  });

  it('stops between frames when cancelled mid-way', async () => {
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (details: unknown) => {
      if ((details as { rendered?: number }).rendered === 1) env.cancel();
    });
    const keyPrefix = 'videos/b1/cancelled-mid-way';
    await expect(run(() => activitiesWith().renderSceneFrames(input({ keyPrefix })), env)).rejects.toBeInstanceOf(
      CancelledFailure,
    );
    // Frames 0 and 1 render at once (a pool of 2 pages): the one reported is stored, the other may have been stopped
    // or have finished; none after them was started.
    const stored = await Promise.all(SCENES.map((s) => storage.exists(`${keyPrefix}/frame-${s.index}.png`)));
    expect(stored.slice(0, 2)).toContain(true);
    expect(stored.slice(2)).toEqual([false, false]);
  });
});

describe('generated backgrounds', () => {
  it('places a generated image under each frame', async () => {
    const rec = recording(storage);
    const activities = activitiesWith({ storage: rec.storage, images: imageProvider() });
    const keyPrefix = 'videos/b1/images';
    const result = await run(() => activities.renderSceneFrames(input({ keyPrefix })));
    expect(result.provider).toBe('openai:gpt-image-1');
    expect(result.fallbackReason).toBeUndefined();
    expect(images.generations()).toHaveLength(SCENES.length);
    const [body] = images.generations();
    expect(body).toMatchObject({ model: 'gpt-image-1', size: '1024x1536', n: 1, output_format: 'jpeg' });
    expect(body).not.toHaveProperty('response_format');
    expect(images.requests[0].headers.authorization).toBe('Bearer sk-test');
    // One request per scene, each with its own prompt; they run in parallel, so they arrive in any order.
    expect(
      images
        .generations()
        .map((b) => b.prompt)
        .sort(),
    ).toEqual(SCENES.map((s) => sceneImagePrompt(brand, s, 'portrait')).sort());
    for (const s of SCENES) {
      expect(pngSize(read(`${keyPrefix}/background-${s.index}.png`))).toEqual({ width: 128, height: 192 });
      expect(pngSize(read(`${keyPrefix}/frame-${s.index}.png`))).toEqual({ width: 1080, height: 1920 });
    }
    // The fake's warm sky shows through the veil in the top-left corner, where a template-only frame is pure blue.
    const template = await run(() => activitiesWith().renderSceneFrames(input({ keyPrefix: 'videos/b1/no-images' })));
    expect(read(`${keyPrefix}/frame-1.png`).equals(read(template.frames[1].key))).toBe(false);
    expect(pixel(`${keyPrefix}/frame-1.png`, 2, 2)[0]).toBeGreaterThan(pixel(template.frames[1].key, 2, 2)[0] + 15);

    // A retry reuses the stored backgrounds and frames: no new requests, nothing rewritten.
    rec.puts.length = 0;
    const again = await run(() => activities.renderSceneFrames(input({ keyPrefix })));
    expect(again.provider).toBe('openai:gpt-image-1');
    expect(images.generations()).toHaveLength(SCENES.length);
    expect(rec.puts).toEqual([]);
  });

  it('asks DALL·E models for base64 at their landscape size', async () => {
    const result = await run(() =>
      activitiesWith({ images: imageProvider({ model: 'dall-e-3' }) }).renderSceneFrames(
        input({ format: 'horizontal', scenes: SCENES.slice(0, 2) }),
      ),
    );
    expect(result.provider).toBe('openai:dall-e-3');
    expect(images.generations()[0]).toMatchObject({
      model: 'dall-e-3',
      size: '1792x1024',
      response_format: 'b64_json',
    });
    expect(result.frames.map((f) => [f.width, f.height])).toEqual([
      [1920, 1080],
      [1920, 1080],
    ]);
  });

  it('falls back to template-only frames when the provider fails with a 500', async () => {
    images.setDefault(imageReplies.serverError());
    const keyPrefix = 'videos/b1/fallback-500';
    const result = await run(() => activitiesWith({ images: imageProvider() }).renderSceneFrames(input({ keyPrefix })));
    expect(result.provider).toBe('template');
    expect(result.fallbackReason).toMatch(/^ProviderUnavailable: openai: HTTP 500 /);
    expect(result.frames).toHaveLength(SCENES.length);
    for (const frame of result.frames) expect(pngSize(read(frame.key)).width).toBe(1080);
    expect(distance(pixel(`${keyPrefix}/frame-0.png`, 2, 2), '#1d4ed8')).toBeLessThan(30);
  });

  it('falls back on a 401 with the reason', async () => {
    const result = await run(() =>
      activitiesWith({ images: imageProvider({ apiKey: 'sk-wrong' }) }).renderSceneFrames(
        input({ scenes: SCENES.slice(0, 2) }),
      ),
    );
    expect(result.provider).toBe('template');
    expect(result.fallbackReason).toBe('ProviderAuth: openai: HTTP 401 Incorrect API key provided.');
    // The first failure stops the other requests.
    expect(images.generations().length).toBeLessThanOrEqual(2);
  });

  it('never mixes looks: a failure part-way re-renders every frame without backgrounds, and a retry resumes', async () => {
    const keyPrefix = 'videos/b1/partial';
    const rec = recording(storage);
    const deps = { storage: rec.storage, images: imageProvider(), imageConcurrency: 1 };
    images.enqueue(imageReplies.image(), imageReplies.rateLimited());
    const first = await run(() => activitiesWith(deps).renderSceneFrames(input({ keyPrefix })));
    expect(first.provider).toBe('template');
    expect(first.fallbackReason).toMatch(/^RateLimited: /);
    expect(rec.frames()).toHaveLength(SCENES.length);
    expect(await storage.exists(`${keyPrefix}/background-0.png`)).toBe(true);

    // The provider is back: only the missing backgrounds are generated, and every frame gets its background.
    images.reset();
    rec.puts.length = 0;
    const second = await run(() => activitiesWith(deps).renderSceneFrames(input({ keyPrefix })));
    expect(second.provider).toBe('openai:gpt-image-1');
    expect(images.generations()).toHaveLength(SCENES.length - 1);
    expect(rec.frames()).toHaveLength(SCENES.length);
  });

  it('falls back when the backgrounds take longer than their budget', async () => {
    // Each request would only time out after 10 s: the budget stops them first.
    images.setDefault(imageReplies.image(30_000));
    const result = await run(() =>
      activitiesWith({ images: imageProvider(), imageBudgetMs: 300 }).renderSceneFrames(
        input({ scenes: SCENES.slice(0, 2) }),
      ),
    );
    expect(result.fallbackReason).toBe('the backgrounds took longer than 300 ms');
    expect(result.provider).toBe('template');
  });

  it('is cancelled, not fallen back, when cancelled while generating', async () => {
    images.setDefault(imageReplies.image(5_000));
    const env = new MockActivityEnvironment();
    const keyPrefix = 'videos/b1/cancel-images';
    const rendering = run(
      () => activitiesWith({ images: imageProvider() }).renderSceneFrames(input({ keyPrefix })),
      env,
    );
    await waitFor(() => images.generations().length > 0);
    env.cancel();
    await expect(rendering).rejects.toBeInstanceOf(CancelledFailure);
    expect(await storage.exists(`${keyPrefix}/frame-0.png`)).toBe(false);
  });
});

describe('OpenAI image provider', () => {
  const generate = (provider = imageProvider()) =>
    provider.generate({ prompt: 'Coffee beans', orientation: 'portrait' });

  it('returns the image and its type', async () => {
    const image = await generate();
    expect(image.contentType).toBe('image/png');
    expect(pngSize(image.data)).toEqual({ width: 128, height: 192 });
  });

  it('maps failures to the house taxonomy', async () => {
    const cases: [FakeImagesReply, string, boolean][] = [
      [imageReplies.unauthorized(), 'ProviderAuth', true],
      [imageReplies.rateLimited(), 'RateLimited', false],
      [imageReplies.contentPolicy(), 'ContentRejected', true],
      [imageReplies.moderationBlocked(), 'ContentRejected', true],
      [imageReplies.serverError(), 'ProviderUnavailable', false],
      [imageReplies.url(), 'ProviderMisconfigured', true],
    ];
    for (const [reply, type, nonRetryable] of cases) {
      images.enqueue(reply);
      const failure = await generate().catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure).toMatchObject({ type, nonRetryable });
    }
    images.enqueue(imageReplies.rateLimited(7));
    await expect(generate()).rejects.toMatchObject({ nextRetryDelay: 7000 });
  });

  it('times out a request that hangs, as retryable', async () => {
    images.enqueue(imageReplies.image(3_000));
    await expect(generate(imageProvider({ timeoutMs: 200 }))).rejects.toMatchObject({
      type: 'ProviderUnavailable',
      nonRetryable: false,
      message: 'openai: no image after 200 ms',
    });
  });

  it('reports an unreachable endpoint as retryable', async () => {
    const provider = createOpenAiImageProvider({ baseUrl: 'http://127.0.0.1:9/v1', timeoutMs: 2_000 });
    await expect(provider.generate({ prompt: 'x', orientation: 'landscape' })).rejects.toMatchObject({
      type: 'ProviderUnavailable',
      nonRetryable: false,
    });
  });

  it('is built from configuration, and none means template-only', () => {
    expect(createImageProviderFromConfig({})).toBeUndefined();
    expect(createImageProviderFromConfig({ provider: 'none' })).toBeUndefined();
    const provider = createImageProviderFromConfig({
      provider: 'openai',
      openai: { baseUrl: images.baseUrl, model: 'gpt-image-1-mini', timeoutMs: 1000 },
    });
    expect(provider).toMatchObject({ name: 'openai', model: 'gpt-image-1-mini' });
    expect(() => createImageProviderFromConfig({ provider: 'openai' })).toThrow('settings are missing');
    expect(() => createImageProviderFromConfig({ provider: 'midjourney' })).toThrow('Unknown image provider');
    expect(() => createOpenAiImageProvider({ baseUrl: images.baseUrl, size: 'big', timeoutMs: 1000 })).toThrow(
      'Image size',
    );
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
