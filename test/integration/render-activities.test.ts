/** Post images rendered by real headless Chromium through the activity, stored in a real folder. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createBrowserPool, createRenderActivities, type BrowserPool } from '../../activities/render';
import { createLocalFileStorage, resolveStoragePath } from '../../activities/storage';

let dir: string;
let pool: BrowserPool;
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

/** Width and height from the PNG's IHDR chunk. */
function pngSize(file: string) {
  const bytes = fs.readFileSync(file);
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** One pixel's RGB, decoded by ffmpeg. */
function pixel(file: string, x: number, y: number): number[] {
  const raw = execFileSync('ffmpeg', [
    '-v',
    'error',
    '-i',
    file,
    '-vf',
    `crop=1:1:${x}:${y}`,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-',
  ]);
  return [...raw.subarray(0, 3)];
}

const run = <T>(fn: () => Promise<T>): Promise<T> => new MockActivityEnvironment().run(fn) as Promise<T>;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-'));
  pool = createBrowserPool({ executablePath: '/usr/bin/chromium', size: 1 });
  activities = createRenderActivities({
    pool,
    storage: createLocalFileStorage({ rootDir: dir, publicBaseUrl: 'http://files.test' }),
  });
});
afterAll(async () => {
  await pool.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('renders a square card in the brand colours', async () => {
  const image = await run(() => activities.renderPostImage(input()));
  expect(image).toMatchObject({
    key: 'posts/test/image-1.png',
    url: 'http://files.test/files/posts/test/image-1.png',
    width: 1080,
    height: 1080,
    contentType: 'image/png',
  });
  const file = resolveStoragePath(dir, image.key);
  expect(pngSize(file)).toEqual({ width: 1080, height: 1080 });
  // The gradient starts at the brand's primary colour in the top-left corner.
  const [r, g, b] = pixel(file, 2, 2);
  expect(Math.abs(r - 0x2d) + Math.abs(g - 0x1b) + Math.abs(b - 0x69)).toBeLessThan(40);
});

it('renders a story card at 1080×1920 and overwrites the same key on a retry', async () => {
  const first = await run(() => activities.renderPostImage(input({ key: 'posts/test/story.png', format: 'story' })));
  const again = await run(() =>
    activities.renderPostImage(
      input({ key: 'posts/test/story.png', format: 'story', headline: 'A different headline' }),
    ),
  );
  expect(pngSize(resolveStoragePath(dir, 'posts/test/story.png'))).toEqual({ width: 1080, height: 1920 });
  expect(again.sha256).not.toBe(first.sha256);
  expect(fs.readdirSync(path.join(dir, 'posts', 'test')).filter((f) => f.startsWith('story'))).toEqual(['story.png']);
});

it('queues renders beyond the pool size instead of failing', async () => {
  const images = await Promise.all(
    [1, 2, 3].map((n) => run(() => activities.renderPostImage(input({ key: `posts/test/queued-${n}.png` })))),
  );
  expect(images.map((i) => i.width)).toEqual([1080, 1080, 1080]);
  expect(pool.stats()).toMatchObject({ size: 1, active: 0, waiting: 0 });
});

it('refuses invalid input as non-retryable', async () => {
  await expect(run(() => activities.renderPostImage(input({ key: '../escape.png' })))).rejects.toMatchObject({
    type: 'InvalidInput',
    nonRetryable: true,
  });
});
