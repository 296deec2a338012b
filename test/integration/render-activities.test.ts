/** Post images rendered by real headless Chromium through the activity, stored in a real folder. */
import fs from 'node:fs';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createBrowserPool, createRenderActivities, type BrowserPool } from '../../activities/render';
import { createLocalFileStorage, resolveStoragePath, type FileStorage } from '../../activities/storage';

const CHROMIUM = '/usr/bin/chromium';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let dir: string;
let pool: BrowserPool;
let storage: FileStorage;
let activities: ReturnType<typeof createRenderActivities>;

const input = (overrides: Record<string, unknown> = {}) => ({
  key: 'posts/test/image-1.png',
  brand: { name: 'Lumen Coffee', slogan: 'Brewed with light', colors: { primary: '#2d1b69', secondary: '#f59e0b' } },
  headline: 'Grind right before you brew',
  body: 'Save this for your next bag.',
  postType: 'tips' as const,
  platform: 'instagram' as const,
  format: 'square' as const,
  ...overrides,
});

const run = <T>(fn: () => Promise<T>, env = new MockActivityEnvironment()): Promise<T> => env.run(fn) as Promise<T>;

/** Width and height from the PNG's IHDR chunk. */
function pngSize(bytes: Buffer) {
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** RGB of one pixel, decoded with zlib (8-bit, non-interlaced RGB/RGBA: what Chromium writes). */
function pixel(png: Buffer, x: number, y: number): [number, number, number] {
  const { width } = pngSize(png);
  const [bitDepth, colorType, , , interlace] = png.subarray(24, 29);
  expect({ bitDepth, interlace }).toEqual({ bitDepth: 8, interlace: 0 });
  const channels = { 2: 3, 6: 4 }[colorType as 2 | 6];
  expect(channels).toBeDefined();
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += length + 12;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  let previous = Buffer.alloc(stride);
  let row = previous;
  // Filters chain row to row, so every row up to y must be unfiltered.
  for (let r = 0; r <= y; r++) {
    const filter = raw[r * (stride + 1)];
    const line = raw.subarray(r * (stride + 1) + 1, (r + 1) * (stride + 1));
    row = Buffer.alloc(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? row[i - channels] : 0;
      const b = previous[i];
      const c = i >= channels ? previous[i - channels] : 0;
      row[i] = (line[i] + unfilter(filter, a, b, c)) & 0xff;
    }
    previous = row;
  }
  return [row[x * channels], row[x * channels + 1], row[x * channels + 2]];
}

function unfilter(filter: number, a: number, b: number, c: number): number {
  if (filter === 0) return 0;
  if (filter === 1) return a;
  if (filter === 2) return b;
  if (filter === 3) return (a + b) >> 1;
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

const distance = (rgb: number[], hex: string) =>
  [0, 1, 2].reduce((sum, i) => sum + Math.abs(rgb[i] - parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16)), 0);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-'));
  pool = createBrowserPool({ executablePath: CHROMIUM, size: 1 });
  storage = createLocalFileStorage({ rootDir: dir, publicBaseUrl: 'http://files.test/' });
  activities = createRenderActivities({ pool, storage });
});
afterAll(async () => {
  await pool.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('renderPostImage', () => {
  it('renders a square card in the brand colours', async () => {
    const image = await run(() => activities.renderPostImage(input()));
    expect(image).toMatchObject({
      key: 'posts/test/image-1.png',
      url: 'http://files.test/files/posts/test/image-1.png',
      width: 1080,
      height: 1080,
      contentType: 'image/png',
    });
    const png = fs.readFileSync(resolveStoragePath(dir, image.key));
    expect(image.bytes).toBe(png.length);
    expect(pngSize(png)).toEqual({ width: 1080, height: 1080 });
    // The 135° gradient starts at the primary colour in the top-left corner and ends at the secondary.
    expect(distance(pixel(png, 2, 2), '#2d1b69')).toBeLessThan(30);
    expect(distance(pixel(png, 1077, 1077), '#f59e0b')).toBeLessThan(30);
  });

  it('renders a story card at 1080×1920 and overwrites the same key on a retry', async () => {
    const first = await run(() => activities.renderPostImage(input({ key: 'posts/test/story.png', format: 'story' })));
    const again = await run(() =>
      activities.renderPostImage(input({ key: 'posts/test/story.png', format: 'story', headline: 'A new headline' })),
    );
    const png = fs.readFileSync(resolveStoragePath(dir, 'posts/test/story.png'));
    expect(pngSize(png)).toEqual({ width: 1080, height: 1920 });
    expect(distance(pixel(png, 2, 2), '#2d1b69')).toBeLessThan(30);
    expect(again.sha256).not.toBe(first.sha256);
    expect(fs.readdirSync(path.join(dir, 'posts', 'test')).filter((f) => f.includes('story'))).toEqual(['story.png']);
  });

  it('heartbeats while rendering', async () => {
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => beats.push(details));
    await run(() => activities.renderPostImage(input({ key: 'posts/test/beats.png' })), env);
    expect(beats).toEqual(expect.arrayContaining([{ stage: 'rendering' }, { stage: 'storing' }]));
  });

  it('queues renders beyond the pool size instead of failing', async () => {
    const images = await Promise.all(
      [1, 2, 3].map((n) => run(() => activities.renderPostImage(input({ key: `posts/test/queued-${n}.png` })))),
    );
    expect(images.map((i) => i.width)).toEqual([1080, 1080, 1080]);
    expect(pool.stats()).toMatchObject({ size: 1, active: 0, waiting: 0 });
  });

  it('renders with a network logo URL by ignoring it', async () => {
    const image = await run(() =>
      activities.renderPostImage(
        input({ key: 'posts/test/logo.png', brand: { ...input().brand, logoDataUrl: 'http://10.255.255.1/logo.png' } }),
      ),
    );
    expect(image.bytes).toBeGreaterThan(0);
  });

  it('refuses invalid input as non-retryable', async () => {
    for (const bad of [{ key: '../escape.png' }, { headline: '  ' }, { format: 'poster' }, { postType: 'meme' }]) {
      await expect(run(() => activities.renderPostImage(input(bad)))).rejects.toMatchObject({
        type: 'InvalidInput',
        nonRetryable: true,
      });
    }
  });

  it('gives up a queued render when the activity is cancelled', async () => {
    let release: (() => void) | undefined;
    const busy = pool.withPage(() => new Promise<void>((resolve) => (release = resolve)));
    await waitFor(() => release !== undefined);
    const env = new MockActivityEnvironment();
    const queued = run(() => activities.renderPostImage(input({ key: 'posts/test/cancelled.png' })), env);
    await waitFor(() => pool.stats().waiting === 1);
    env.cancel();
    await expect(queued).rejects.toBeInstanceOf(CancelledFailure);
    release?.();
    await busy;
    expect(await storage.exists('posts/test/cancelled.png')).toBe(false);
  });
});

describe('browser pool', () => {
  let server: http.Server;
  let url: string;
  let hits = 0;

  beforeAll(async () => {
    // A server that never answers: a page that waited on it would hang.
    server = http.createServer(() => void hits++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('blocks network requests so a page with remote images, styles and fetches loads at once', async () => {
    const html = `<link rel="stylesheet" href="${url}/style.css"><img src="${url}/a.png"><img src="https://example.com/b.png">
      <script>fetch('${url}/x').then(() => (document.title = 'fetched'), () => (document.title = 'blocked'));</script>`;
    const started = Date.now();
    const title = await pool.withPage(async (page) => {
      await page.setContent(html, { waitUntil: 'load', timeout: 10_000 });
      await page.waitForFunction(() => document.title !== '', { timeout: 5_000 });
      return page.title();
    });
    expect(title).toBe('blocked');
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(hits).toBe(0);
  });

  it('keeps warm pages between calls, starting each from the default viewport, and drops one whose call failed', async () => {
    const own = createBrowserPool({ executablePath: CHROMIUM, size: 1 });
    try {
      const first = await own.withWarmPage(async (page) => {
        await page.setViewport({ width: 640, height: 480 });
        await page.setContent('<title>first</title>');
        return page;
      });
      const second = await own.withWarmPage(async (page) => ({ page, viewport: page.viewport() }));
      expect(second.page).toBe(first);
      expect(second.viewport).toMatchObject({ width: 1080, height: 1080 });
      // Still off the network, like a fresh page.
      const title = await own.withWarmPage(async (page) => {
        await page.setContent(
          `<img src="${url}/warm.png"><script>fetch('${url}/x').catch(() => (document.title = 'blocked'));</script>`,
        );
        await page.waitForFunction(() => document.title !== '', { timeout: 5_000 });
        return page.title();
      });
      expect(title).toBe('blocked');
      expect(hits).toBe(0);
      await expect(own.withWarmPage(async () => Promise.reject(new Error('broken')))).rejects.toThrow('broken');
      expect(first.isClosed()).toBe(true);
      const replaced = await own.withWarmPage(async (page) => page);
      expect(replaced).not.toBe(first);
    } finally {
      await own.close();
    }
  });

  it('relaunches Chromium after it crashes', async () => {
    await pool.withPage(async (page) => {
      page.browser().process()?.kill('SIGKILL');
    });
    await waitFor(() => !pool.stats().launched);
    const image = await run(() => activities.renderPostImage(input({ key: 'posts/test/after-crash.png' })));
    expect(image.width).toBe(1080);
    await expect(pool.check()).resolves.toBeUndefined();
  });

  it('rejects an already aborted request without opening a page', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const fn = jest.fn(async () => undefined);
    await expect(pool.withPage(fn, { signal: controller.signal })).rejects.toThrow('stop');
    expect(fn).not.toHaveBeenCalled();
  });

  it('refuses work after close and removes its profile folder', async () => {
    const own = createBrowserPool({ executablePath: CHROMIUM, size: 1 });
    const profile = await own.withPage(async (page) => {
      const args = page.browser().process()?.spawnargs ?? [];
      return args.find((a) => a.startsWith('--user-data-dir='))?.split('=')[1];
    });
    expect(profile && fs.existsSync(profile)).toBe(true);
    await own.close();
    expect(fs.existsSync(profile!)).toBe(false);
    await expect(own.withPage(async () => undefined)).rejects.toThrow('closed');
  });
});

describe('local file storage', () => {
  let root: string;
  let files: FileStorage;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'files-'));
    files = createLocalFileStorage({ rootDir: root, publicBaseUrl: 'http://localhost:3000/' });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('stores, reads, checks and deletes files by key', async () => {
    const stored = await files.put('brands/b1/posts/p1/image.png', Buffer.from('hello'), 'image/png');
    expect(stored).toEqual({
      key: 'brands/b1/posts/p1/image.png',
      url: 'http://localhost:3000/files/brands/b1/posts/p1/image.png',
      bytes: 5,
      contentType: 'image/png',
      sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    });
    expect((await files.get('brands/b1/posts/p1/image.png'))?.toString()).toBe('hello');
    expect(await files.exists('brands/b1/posts/p1/image.png')).toBe(true);
    expect(await files.exists('brands/b1/posts')).toBe(false);
    await files.delete('brands/b1/posts/p1/image.png');
    await files.delete('brands/b1/posts/p1/image.png');
    expect(await files.get('brands/b1/posts/p1/image.png')).toBeNull();
    expect(files.publicUrl('a b/ü.png')).toBe('http://localhost:3000/files/a%20b/%C3%BC.png');
    await expect(files.check()).resolves.toBeUndefined();
  });

  it('rejects keys that could escape the root', async () => {
    for (const key of ['../x', 'a/../../x', '/etc/passwd', 'a\\b', 'a//b', './a', 'a/', '', 'C:/x', 'a\u0000b']) {
      await expect(files.put(key, Buffer.from('x'), 'text/plain')).rejects.toMatchObject({
        type: 'InvalidInput',
        nonRetryable: true,
      });
      expect(() => resolveStoragePath(root, key)).toThrow();
    }
    expect(resolveStoragePath(root, 'a/b.png')).toBe(path.join(root, 'a', 'b.png'));
  });

  it('replaces files atomically: readers see the old or the new content, never a mix', async () => {
    const [a, b] = [Buffer.alloc(4 << 20, 'a'), Buffer.alloc(4 << 20, 'b')];
    await files.put('big.bin', a, 'application/octet-stream');
    let writing = true;
    const writes = (async () => {
      for (let i = 0; i < 10; i++) await files.put('big.bin', i % 2 ? a : b, 'application/octet-stream');
      writing = false;
    })();
    const seen = new Set<string>();
    while (writing) {
      const content = await files.get('big.bin');
      expect(content?.length).toBe(4 << 20);
      seen.add(content!.equals(a) ? 'a' : content!.equals(b) ? 'b' : 'torn');
    }
    await writes;
    expect(seen.has('torn')).toBe(false);
    expect(fs.readdirSync(root)).toEqual(['big.bin']);
  });

  it('leaves no temp file behind when a write fails', async () => {
    fs.mkdirSync(path.join(root, 'taken', 'image.png'), { recursive: true });
    await expect(files.put('taken/image.png', Buffer.from('x'), 'image/png')).rejects.toThrow();
    expect(fs.readdirSync(path.join(root, 'taken'))).toEqual(['image.png']);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
