/**
 * Issue 4, steps 7 and 8: the publishing and stats activities against the run's PostgreSQL (migrated with 0005), the
 * real API (channel pages, feeds, `/files`) and a local fake of each platform's API (test/fakes/platforms). The
 * activities run in `MockActivityEnvironment`; the video is a real MP4 made with ffmpeg, large enough to need several
 * 256 KiB chunks. Crashes are simulated by a publications repository that fails right after a checkpoint was saved.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure, type Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import {
  createPublishActivities,
  createPublishClientsFromConfig,
  publishConfigFromEnv,
  type PublishActivities,
  type PublishClients,
  type PublishConfig,
  type PublishVideoInput,
} from '../../activities/publish';
import { createFileStorageFromConfig, type FileStorage } from '../../activities/storage';
import { createBrandRepository } from '../../db/repositories/brand.repository';
import { createPostRepository, type PostRepository } from '../../db/repositories/post.repository';
import { createPublicationRepository, type PublicationRepository } from '../../db/repositories/publication.repository';
import { secretBoxFromConfig } from '../../lib/secrets';
import type { PlatformMetadata, RenderedVideo, VideoPlatform } from '../../lib/video/types';
import { startFakeLinkedInServer, type FakeLinkedInServer } from '../fakes/platforms/linkedin-server';
import { startFakeMetaServer, type FakeMetaServer } from '../fakes/platforms/meta-server';
import { startFakeTikTokServer, type FakeTikTokServer } from '../fakes/platforms/tiktok-server';
import { startFakeXServer, type FakeXServer } from '../fakes/platforms/x-server';
import { startFakeYouTubeServer, type FakeYouTubeServer } from '../fakes/platforms/youtube-server';
import { startTestStack, type TestStack } from '../support/harness';

const CHUNK = 256 * 1024;
const quiet: Logger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
  new MockActivityEnvironment(undefined, { logger: quiet }).run(fn, ...args);

let stack: TestStack;
let storage: FileStorage;
let brand: { id: string; slug: string; name: string };
let video: RenderedVideo;
let videoData: Buffer;
let youtube: FakeYouTubeServer;
let meta: FakeMetaServer;
let linkedin: FakeLinkedInServer;
let x: FakeXServer;
let tiktok: FakeTikTokServer;
let acts: PublishActivities;
let publications: PublicationRepository;
let posts: PostRepository;

function publishConfig(overrides: Partial<PublishConfig> = {}): PublishConfig {
  return {
    timeoutMs: 5000,
    uploadTimeoutMs: 10_000,
    pollIntervalMs: 20,
    processingTimeoutMs: 10_000,
    youtube: {
      baseUrl: youtube.url,
      accessToken: youtube.token,
      privacyStatus: 'unlisted',
      categoryId: '22',
      chunkBytes: CHUNK,
    },
    meta: {
      accessToken: meta.token,
      pageId: meta.pageId,
      igUserId: meta.igUserId,
      graphBaseUrl: meta.url,
      videoBaseUrl: meta.url,
      apiVersion: meta.version,
    },
    linkedin: { accessToken: linkedin.token, authorUrn: linkedin.authorUrn, baseUrl: linkedin.url, version: '202506' },
    x: { accessToken: x.token, apiBaseUrl: x.url, uploadBaseUrl: x.url, chunkBytes: CHUNK },
    tiktok: { accessToken: tiktok.token, baseUrl: tiktok.url, privacyLevel: 'PUBLIC_TO_EVERYONE', chunkBytes: CHUNK },
    ...overrides,
  };
}

function activities(
  overrides: { clients?: PublishClients; storage?: FileStorage; publications?: PublicationRepository } = {},
): PublishActivities {
  return createPublishActivities({
    storage: overrides.storage ?? storage,
    publications: overrides.publications ?? publications,
    posts,
    brands: createBrandRepository(stack.db),
    clients: overrides.clients ?? createPublishClientsFromConfig(publishConfig()),
    publicUrl: stack.config.api.publicUrl,
    heartbeatIntervalMs: 200,
  });
}

/** A repository whose `n`-th checkpoint is saved, and then the worker "crashes". */
function crashingAfterSaves(n: number): PublicationRepository {
  let saves = 0;
  return {
    ...publications,
    async saveState(id, state, externalId) {
      const saved = await publications.saveState(id, state, externalId);
      if (++saves === n) throw new Error('worker crashed right after saving the checkpoint');
      return saved;
    },
  };
}

let counter = 0;
function input(platform: VideoPlatform, workflowId = `video-pipeline/${randomUUID()}`): PublishVideoInput {
  counter += 1;
  const metadata: PlatformMetadata = {
    platform,
    title: `Grind right before you brew (${counter})`,
    description: `Thirty seconds on why fresh grounds taste better, take ${counter}.`,
    hashtags: ['coffee', 'homebrew'],
  };
  return {
    platform,
    idempotencyKey: `${workflowId}/publish/${platform}`,
    workflowId,
    workspaceId: stack.workspaceId,
    brandId: brand.id,
    video,
    metadata,
    language: 'en',
  };
}

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  }
  throw new Error('expected the activity to fail');
}

const isPut = (range: RegExp) => (r: { method: string; headers: Record<string, unknown> }) =>
  r.method === 'PUT' && range.test(String(r.headers['content-range'] ?? ''));

beforeAll(async () => {
  stack = await startTestStack('publish', { workers: [] });
  publications = createPublicationRepository(stack.db, { secrets: secretBoxFromConfig(stack.config) });
  posts = createPostRepository(stack.db);
  storage = createFileStorageFromConfig(stack.config);
  brand = await stack.brand({ name: 'Lumen Video Roasters' });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studioflow-publish-'));
  const mp4 = path.join(dir, 'video.mp4');
  const jpg = path.join(dir, 'thumbnail.jpg');
  // A constant 3 Mbit/s keeps the two seconds at ~750 KB: three 256 KiB chunks.
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=d=2:s=320x240', '-f', 'lavfi', '-i', 'sine=d=2'],
    ...[
      '-c:v',
      'libx264',
      '-b:v',
      '3M',
      '-minrate',
      '3M',
      '-maxrate',
      '3M',
      '-bufsize',
      '1M',
      '-x264-params',
      'nal-hrd=cbr',
    ],
    ...['-c:a', 'aac', '-shortest', '-movflags', '+faststart', mp4],
  ]);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', mp4, '-frames:v', '1', jpg]);
  videoData = fs.readFileSync(mp4);
  expect(videoData.length).toBeGreaterThan(2 * CHUNK);

  const prefix = `videos/${brand.id}/${randomUUID()}`;
  await storage.put(`${prefix}/video.mp4`, videoData, 'video/mp4');
  await storage.put(`${prefix}/thumbnail.jpg`, fs.readFileSync(jpg), 'image/jpeg');
  await storage.put(
    `${prefix}/subtitles.vtt`,
    Buffer.from('WEBVTT\n\n00:00.000 --> 00:02.000\nGrind right before you brew.\n'),
    'text/vtt',
  );
  await storage.put(
    `${prefix}/subtitles.srt`,
    Buffer.from('1\n00:00:00,000 --> 00:00:02,000\nGrind right before you brew.\n'),
    'application/x-subrip',
  );
  video = {
    video: {
      key: `${prefix}/video.mp4`,
      bytes: videoData.length,
      sha256: createHash('sha256').update(videoData).digest('hex'),
      durationSeconds: 2,
      width: 320,
      height: 240,
    },
    thumbnail: { key: `${prefix}/thumbnail.jpg` },
    subtitles: { vttKey: `${prefix}/subtitles.vtt`, srtKey: `${prefix}/subtitles.srt` },
  };

  [youtube, meta, linkedin, x, tiktok] = await Promise.all([
    startFakeYouTubeServer(),
    startFakeMetaServer(),
    startFakeLinkedInServer({ partBytes: CHUNK }),
    startFakeXServer({ checkAfterSecs: 0 }),
    startFakeTikTokServer({ minChunkBytes: CHUNK }),
  ]);
  acts = activities();
}, 120_000);

afterAll(async () => {
  await Promise.all([youtube, meta, linkedin, x, tiktok].map((f) => f?.close()));
  await stack?.stop();
});

describe('local channel', () => {
  it('publishes a video post whose page plays it with subtitles, served with ranges and in both feeds', async () => {
    const request = input('local');
    const published = await run(acts.publishVideo, request);
    expect(published).toMatchObject({ platform: 'local', status: 'published' });
    const postId = published.externalId!;
    expect(published.url).toBe(`${stack.baseUrl}/c/${brand.slug}/posts/${postId}`);
    const files = `${stack.baseUrl}/files/posts/${postId}`;

    const page = await (await fetch(published.url!)).text();
    expect(page).toContain(`<video controls playsinline preload="metadata" poster="${files}/thumbnail.jpg">`);
    expect(page).toContain(`<source src="${files}/video.mp4" type="video/mp4">`);
    expect(page).toContain(`<track kind="subtitles" src="${files}/subtitles.vtt" srclang="en" label="Subtitles">`);
    expect(page).toContain(`<h2>${request.metadata.title}</h2>`);
    expect(page).toContain(request.metadata.description);
    expect(page).toContain('#coffee #homebrew');

    const whole = await fetch(`${files}/video.mp4`);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(videoData)).toBe(true);
    const part = await fetch(`${files}/video.mp4`, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${videoData.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(videoData.subarray(100, 200))).toBe(true);
    const vtt = await fetch(`${files}/subtitles.vtt`);
    expect(vtt.status).toBe(200);
    expect(await vtt.text()).toMatch(/^WEBVTT/);
    expect((await fetch(`${files}/thumbnail.jpg`)).headers.get('content-type')).toMatch(/^image\/jpeg/);

    const channel = await (await fetch(`${stack.baseUrl}/c/${brand.slug}`)).text();
    const article = new RegExp(`<article class="post video" data-post-id="${postId}">.*?</article>`).exec(channel)?.[0];
    expect(article).toContain(`<a class="thumb" href="${published.url}"`);
    expect(article).toContain(`<img src="${files}/thumbnail.jpg"`);
    expect(article).toContain('<span class="duration">0:02</span>');

    const atom = await (await fetch(`${stack.baseUrl}/c/${brand.slug}/feed.atom`)).text();
    const enclosure = new RegExp(`<link[^>]*href="${files}/video.mp4"[^>]*/>`).exec(atom)?.[0];
    expect(enclosure).toContain('rel="enclosure"');
    expect(enclosure).toContain('type="video/mp4"');
    expect(enclosure).toContain(`length="${videoData.length}"`);
    expect(atom).toContain(`<title type="text">${request.metadata.title}</title>`);
    const rss = await (await fetch(`${stack.baseUrl}/c/${brand.slug}/feed.rss`)).text();
    const item = new RegExp(`<enclosure[^>]*url="${files}/video.mp4"[^>]*/>`).exec(rss)?.[0];
    expect(item).toContain('type="video/mp4"');
    expect(item).toContain(`length="${videoData.length}"`);
    expect(rss).toContain(`<link>${published.url}</link>`);

    // Idempotent: the same key returns the same post, and nothing is published twice.
    expect(await run(acts.publishVideo, request)).toEqual(published);
    expect(await posts.countByWorkflow(request.workflowId)).toBe(1);
  });

  it('a crash while copying the files leaves an unlisted draft that the retry publishes', async () => {
    let failed = false;
    const flaky: FileStorage = {
      ...storage,
      async put(key, data, contentType) {
        if (key.endsWith('/subtitles.vtt') && !failed) {
          failed = true;
          throw new Error('disk went away');
        }
        return storage.put(key, data, contentType);
      },
    };
    const request = input('local');
    await expect(run(activities({ storage: flaky }).publishVideo, request)).rejects.toThrow('disk went away');
    const row = await publications.getByKey(request.idempotencyKey);
    expect(row).toMatchObject({ status: 'pending' });
    const postId = row!.externalId!;
    expect(await storage.exists(`posts/${postId}/video.mp4`)).toBe(true);
    expect(await (await fetch(`${stack.baseUrl}/c/${brand.slug}`)).text()).not.toContain(postId);
    expect((await fetch(`${stack.baseUrl}/c/${brand.slug}/posts/${postId}`)).status).toBe(404);

    const published = await run(acts.publishVideo, request);
    expect(published.externalId).toBe(postId);
    expect(await (await fetch(`${stack.baseUrl}/c/${brand.slug}`)).text()).toContain(postId);
    expect(await posts.countByWorkflow(request.workflowId)).toBe(1);
  });
});

describe('YouTube', () => {
  it('uploads through a resumable session in 256 KiB chunks, once per key', async () => {
    const request = input('youtube');
    const before = youtube.requests.length;
    const published = await run(acts.publishVideo, request);
    const id = published.externalId!;
    expect(published).toEqual({
      platform: 'youtube',
      status: 'published',
      externalId: id,
      url: `https://www.youtube.com/watch?v=${id}`,
    });
    const stored = youtube.videos.get(id)!;
    expect(stored.data.equals(videoData)).toBe(true);
    expect(stored.snippet).toMatchObject({
      title: request.metadata.title,
      tags: ['coffee', 'homebrew'],
      categoryId: '22',
    });
    expect(stored.snippet.description).toContain('#coffee #homebrew');
    expect(stored.status.privacyStatus).toBe('unlisted');
    const mine = youtube.requests.slice(before);
    expect(mine.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(mine.filter((r) => r.method === 'PUT')).toHaveLength(Math.ceil(videoData.length / CHUNK));
    expect(mine.every((r) => r.headers.authorization === `Bearer ${youtube.token}`)).toBe(true);

    const again = youtube.requests.length;
    expect(await run(acts.publishVideo, request)).toEqual(published);
    expect(youtube.requests.length).toBe(again);
  });

  it('resumes after a dropped chunk by asking where the upload stands', async () => {
    youtube.dropNext(1, isPut(new RegExp(`^bytes ${CHUNK}-`)));
    const before = youtube.requests.length;
    const published = await run(acts.publishVideo, input('youtube'));
    expect(youtube.videos.get(published.externalId!)!.data.equals(videoData)).toBe(true);
    const mine = youtube.requests.slice(before);
    expect(mine.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(mine.filter(isPut(/^bytes \*\//))).toHaveLength(1);
    expect(mine.filter(isPut(new RegExp(`^bytes ${CHUNK}-`)))).toHaveLength(2);
    expect(mine.filter(isPut(/^bytes 0-/))).toHaveLength(1);
  });

  it('a retried attempt resumes the saved session instead of uploading from the start', async () => {
    const request = input('youtube');
    youtube.failAlways(503, { match: isPut(new RegExp(`^bytes ${2 * CHUNK}-`)) });
    const failure = await failureOf(run(acts.publishVideo, request));
    expect(failure).toMatchObject({ type: 'ProviderUnavailable', nonRetryable: false });
    expect(failure.message).toMatch(/^YouTube: HTTP 503/);
    const row = await publications.getByKey(request.idempotencyKey);
    expect(row).toMatchObject({ status: 'pending', error: failure.message });
    expect(row!.uploadState.sessionUri).toMatch(/upload_id=/);

    youtube.failAlways(undefined);
    const before = youtube.requests.length;
    const published = await run(acts.publishVideo, request);
    expect(youtube.videos.get(published.externalId!)!.data.equals(videoData)).toBe(true);
    const retry = youtube.requests.slice(before);
    expect(retry.filter((r) => r.method === 'POST')).toHaveLength(0);
    expect(retry.filter(isPut(/^bytes \*\//))).toHaveLength(1);
    expect(retry.filter(isPut(/^bytes 0-/))).toHaveLength(0);
  });

  it('a crash right after YouTube returned the video id: the retry returns it without uploading again', async () => {
    const request = input('youtube');
    const videos = youtube.videos.size;
    await expect(run(activities({ publications: crashingAfterSaves(2) }).publishVideo, request)).rejects.toThrow(
      'worker crashed',
    );
    expect(youtube.videos.size).toBe(videos + 1);
    const before = youtube.requests.length;
    const published = await run(acts.publishVideo, request);
    expect(youtube.videos.has(published.externalId!)).toBe(true);
    expect(youtube.videos.size).toBe(videos + 1);
    expect(youtube.requests.length).toBe(before);
  });

  it('maps 401 to a non-retryable ProviderAuth failure and marks the publication failed', async () => {
    const request = input('youtube');
    youtube.failNext(1, 401, { match: (r) => r.method === 'POST', message: 'Invalid Credentials' });
    const failure = await failureOf(run(acts.publishVideo, request));
    expect(failure).toMatchObject({ type: 'ProviderAuth', nonRetryable: true });
    expect(failure.message).toBe('YouTube: HTTP 401 Invalid Credentials (authError)');
    expect(await publications.getByKey(request.idempotencyKey)).toMatchObject({
      status: 'failed',
      error: failure.message,
    });
    // Once the credentials are fixed, running the publish again (a reset workflow) publishes under the same key.
    const published = await run(acts.publishVideo, request);
    expect(await publications.getByKey(request.idempotencyKey)).toMatchObject({
      status: 'published',
      externalId: published.externalId,
      error: null,
    });
  });

  it('refreshes an OAuth access token and gets a new one when the old one is refused', async () => {
    const { accessToken: _unused, ...rest } = publishConfig().youtube!;
    const clients = createPublishClientsFromConfig(
      publishConfig({ youtube: { ...rest, oauth: { tokenUrl: `${youtube.url}/token`, ...youtube.oauth } } }),
    );
    const refreshing = activities({ clients });
    const published = await run(refreshing.publishVideo, input('youtube'));
    youtube.setStatistics(published.externalId!, { views: 7, likes: 2, comments: 1 });
    youtube.expireIssuedTokens();
    const tokens = youtube.count((r) => r.path === '/token');
    const stats = await run(refreshing.readVideoStats, {
      workspaceId: stack.workspaceId,
      brandId: brand.id,
      publications: [published],
    });
    expect(stats).toEqual([{ platform: 'youtube', views: 7, likes: 2, comments: 1, at: expect.any(String) }]);
    expect(youtube.count((r) => r.path === '/token')).toBe(tokens + 1);
  });
});

describe('Facebook', () => {
  it('uploads the video to the page once, even when retried after a crash right after Facebook gave its id', async () => {
    const request = input('facebook');
    await expect(run(activities({ publications: crashingAfterSaves(1) }).publishVideo, request)).rejects.toThrow(
      'worker crashed',
    );
    const published = await run(acts.publishVideo, request);
    const videos = meta.facebookVideos().filter((v) => v.title === request.metadata.title);
    expect(videos).toHaveLength(1);
    expect(videos[0].data.equals(videoData)).toBe(true);
    // multipart/form-data sends line breaks as CRLF.
    expect(videos[0].description.replace(/\r\n/g, '\n')).toBe(`${request.metadata.description}\n\n#coffee #homebrew`);
    expect(published).toEqual({
      platform: 'facebook',
      status: 'published',
      externalId: videos[0].id,
      url: `https://www.facebook.com/${meta.pageId}/videos/${videos[0].id}/`,
    });
  });

  it("maps Graph's HTTP 400 OAuthException 190 to ProviderAuth", async () => {
    const failure = await failureOf(
      run(
        activities({
          clients: createPublishClientsFromConfig(
            publishConfig({ meta: { ...publishConfig().meta!, accessToken: 'expired' } }),
          ),
        }).publishVideo,
        input('facebook'),
      ),
    );
    expect(failure).toMatchObject({ type: 'ProviderAuth', nonRetryable: true });
    expect(failure.message).toMatch(/^Facebook: HTTP 400 Invalid OAuth access token.*\(OAuthException 190\)$/);
  });
});

describe('Instagram', () => {
  it('creates a Reels container from the public copy of the video, waits for it and publishes it', async () => {
    const request = input('instagram');
    const published = await run(acts.publishVideo, request);
    const media = meta.instagramMedia().find((m) => m.id === published.externalId)!;
    expect(media.data.equals(videoData)).toBe(true);
    expect(published.url).toBe(media.permalink);
    const container = meta.containers().find((c) => c.id === media.containerId)!;
    expect(container.videoUrl).toMatch(
      new RegExp(`^${stack.baseUrl}/files/posts/instagram-[0-9a-f-]{36}/video\\.mp4$`),
    );
    expect(container.caption).toBe(`${request.metadata.description}\n\n#coffee #homebrew`);
  });

  it('a crash right after the container id was saved: the retry waits for that container, no second one', async () => {
    const request = input('instagram');
    await expect(run(activities({ publications: crashingAfterSaves(1) }).publishVideo, request)).rejects.toThrow(
      'worker crashed',
    );
    const published = await run(acts.publishVideo, request);
    const caption = `${request.metadata.description}\n\n#coffee #homebrew`;
    expect(meta.containers().filter((c) => c.caption === caption)).toHaveLength(1);
    expect(
      meta
        .instagramMedia()
        .filter((m) => m.caption === caption)
        .map((m) => m.id),
    ).toEqual([published.externalId]);
  });

  it('a crash between media_publish and saving the media id finds the published media instead of posting again', async () => {
    const request = input('instagram');
    // Saves: the container id (1), then the media id (2) — the crash comes after Instagram already published.
    await expect(run(activities({ publications: crashingAfterSaves(2) }).publishVideo, request)).rejects.toThrow(
      'worker crashed',
    );
    const row = await publications.getByKey(request.idempotencyKey);
    await publications.saveState(row!.id, { containerId: row!.uploadState.containerId });
    const published = await run(acts.publishVideo, request);
    const caption = `${request.metadata.description}\n\n#coffee #homebrew`;
    expect(
      meta
        .instagramMedia()
        .filter((m) => m.caption === caption)
        .map((m) => m.id),
    ).toEqual([published.externalId]);
  });
});

describe('LinkedIn', () => {
  it('uploads the parts LinkedIn asks for, finalizes, waits for processing and posts, resuming after a crash', async () => {
    const request = input('linkedin');
    const before = linkedin.requests.length;
    await expect(run(activities({ publications: crashingAfterSaves(1) }).publishVideo, request)).rejects.toThrow(
      'worker crashed',
    );
    const published = await run(acts.publishVideo, request);
    const mine = linkedin.requests.slice(before);
    expect(mine.filter((r) => r.query.action === 'initializeUpload')).toHaveLength(1);
    const parts = mine.filter((r) => r.path.startsWith('/dms-uploads/'));
    expect(parts).toHaveLength(Math.ceil(videoData.length / CHUNK));
    expect(new Set(parts.map((p) => p.path)).size).toBe(parts.length);
    expect(parts.every((p) => p.headers.authorization === undefined)).toBe(true);
    expect(
      mine.filter((r) => r.path.startsWith('/rest/')).every((r) => r.headers['linkedin-version'] === '202506'),
    ).toBe(true);

    const post = linkedin.posts.get(published.externalId!)!;
    expect(post.commentary).toBe(`${request.metadata.description}\n\n#coffee #homebrew`);
    expect(linkedin.uploads.get(post.videoUrn)!.data!.equals(videoData)).toBe(true);
    expect(published.url).toBe(`https://www.linkedin.com/feed/update/${published.externalId}/`);
  });

  it("maps 422 to a non-retryable InvalidInput failure with LinkedIn's message", async () => {
    linkedin.failNext(1, 422, { match: (r) => r.path === '/rest/posts', message: 'commentary is too long' });
    const failure = await failureOf(run(acts.publishVideo, input('linkedin')));
    expect(failure).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect(failure.message).toBe('LinkedIn: HTTP 422 commentary is too long (UNPROCESSABLE_ENTITY 100)');
  });
});

describe('X', () => {
  it('initializes, appends each segment once, finalizes, waits and posts, resuming after a crash right after INIT', async () => {
    const request = input('x');
    const before = x.requests.length;
    await expect(run(activities({ publications: crashingAfterSaves(1) }).publishVideo, request)).rejects.toThrow(
      'worker crashed',
    );
    const published = await run(acts.publishVideo, request);
    const mine = x.requests.slice(before);
    expect(mine.filter((r) => r.path === '/2/media/upload/initialize')).toHaveLength(1);
    expect(mine.filter((r) => r.path.endsWith('/append'))).toHaveLength(Math.ceil(videoData.length / CHUNK));
    const tweet = x.tweets.get(published.externalId!)!;
    expect(tweet.text).toBe(`${request.metadata.description}\n\n#coffee #homebrew`);
    expect(x.media.get(tweet.mediaIds[0])!.data!.equals(videoData)).toBe(true);
    expect(published.url).toBe(`https://x.com/i/web/status/${published.externalId}`);
  });

  it('maps 429 to a retryable RateLimited failure that waits for x-rate-limit-reset', async () => {
    x.failNext(1, 429, { match: (r) => r.path === '/2/tweets' });
    const request = input('x');
    const failure = await failureOf(run(acts.publishVideo, request));
    expect(failure).toMatchObject({ type: 'RateLimited', nonRetryable: false });
    expect(Number(failure.nextRetryDelay)).toBeGreaterThan(0);
    expect(await publications.getByKey(request.idempotencyKey)).toMatchObject({ status: 'pending' });
    const appends = x.count((r) => r.path.endsWith('/append'));
    const published = await run(acts.publishVideo, request);
    expect(x.tweets.has(published.externalId!)).toBe(true);
    expect(x.count((r) => r.path.endsWith('/append'))).toBe(appends);
  });
});

describe('TikTok', () => {
  it('asks for creator info, uploads in chunks by its rules, polls the status and keeps the int64 post id exact', async () => {
    const request = input('tiktok');
    const before = tiktok.requests.length;
    await expect(run(activities({ publications: crashingAfterSaves(1) }).publishVideo, request)).rejects.toThrow(
      'worker crashed',
    );
    const published = await run(acts.publishVideo, request);
    const mine = tiktok.requests.slice(before);
    expect(mine.filter((r) => r.path === '/v2/post/publish/video/init/')).toHaveLength(1);
    const chunks = Math.floor(videoData.length / CHUNK);
    expect(mine.filter((r) => r.path === '/upload/')).toHaveLength(chunks);
    const publish = [...tiktok.publishes.values()].find((p) => p.postId === published.externalId)!;
    expect(publish.data!.equals(videoData)).toBe(true);
    expect(publish.title).toBe(`${request.metadata.description}\n\n#coffee #homebrew`);
    expect(published.externalId).toMatch(/^7\d{18}$/);
    expect(published.url).toBe(`https://www.tiktok.com/@${tiktok.username}/video/${published.externalId}`);
  });

  it('a post still in moderation is published under its publish id; stats find the post id later', async () => {
    tiktok.withholdPostIds = true;
    const published = await run(acts.publishVideo, input('tiktok'));
    expect(published.externalId).toMatch(/^v_pub_file~/);
    const reading = { workspaceId: stack.workspaceId, brandId: brand.id, publications: [published] };
    expect(await run(acts.readVideoStats, reading)).toEqual([]);

    tiktok.withholdPostIds = false;
    await run(acts.readVideoStats, reading);
    const postId = tiktok.publishes.get(published.externalId!)!.postId!;
    tiktok.setStats(postId, { views: 120, likes: 9, comments: 3 });
    expect(await run(acts.readVideoStats, reading)).toEqual([
      { platform: 'tiktok', views: 120, likes: 9, comments: 3, at: expect.any(String) },
    ]);
    const row = await publications.findPublished(stack.workspaceId, brand.id, 'tiktok', published.externalId!);
    expect(row).toMatchObject({ stats: { views: 120, likes: 9, comments: 3 }, url: expect.stringContaining(postId) });
  });

  it("maps TikTok's rate_limit_exceeded to a retryable RateLimited failure", async () => {
    tiktok.failNext(1, 429, { match: (r) => r.path === '/v2/post/publish/creator_info/query/' });
    const failure = await failureOf(run(acts.publishVideo, input('tiktok')));
    expect(failure).toMatchObject({ type: 'RateLimited', nonRetryable: false });
    expect(failure.message).toContain('(rate_limit_exceeded)');
  });
});

describe('several platforms', () => {
  it('a platform failing for good fails alone, with a clear error, while the others publish', async () => {
    linkedin.failAlways(503, { message: 'LinkedIn is down for maintenance' });
    try {
      const workflowId = `video-pipeline/${randomUUID()}`;
      const platforms: VideoPlatform[] = ['local', 'youtube', 'linkedin', 'x'];
      const outcomes = await Promise.allSettled(platforms.map((p) => run(acts.publishVideo, input(p, workflowId))));
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      const failure = (outcomes[2] as PromiseRejectedResult).reason as ApplicationFailure;
      expect(failure).toMatchObject({ type: 'ProviderUnavailable', nonRetryable: false });
      expect(failure.message).toBe('LinkedIn: HTTP 503 LinkedIn is down for maintenance (INTERNAL_SERVER_ERROR 100)');
      const rows = await publications.listByWorkflow(workflowId);
      expect(Object.fromEntries(rows.map((r) => [r.platform, r.status]))).toEqual({
        local: 'published',
        youtube: 'published',
        linkedin: 'pending',
        x: 'published',
      });
    } finally {
      linkedin.failAlways(undefined);
    }
  });

  it('a platform without credentials fails at once with ProviderMisconfigured naming the settings', async () => {
    const { tiktok: _none, ...rest } = publishConfig();
    const failure = await failureOf(
      run(activities({ clients: createPublishClientsFromConfig(rest) }).publishVideo, input('tiktok')),
    );
    expect(failure).toMatchObject({ type: 'ProviderMisconfigured', nonRetryable: true });
    expect(failure.message).toBe('TikTok is not configured: set TIKTOK_ACCESS_TOKEN');
  });

  it('reads views, likes and comments from every platform into the publications', async () => {
    const workflowId = `video-pipeline/${randomUUID()}`;
    const platforms: VideoPlatform[] = ['local', 'youtube', 'facebook', 'instagram', 'linkedin', 'x', 'tiktok'];
    const published = await Promise.all(platforms.map((p) => run(acts.publishVideo, input(p, workflowId))));
    const byPlatform = Object.fromEntries(published.map((p) => [p.platform, p.externalId!]));
    // Three visitors (the channel counts unique visitors per day, and not clients that say they are bots).
    for (let i = 0; i < 3; i++)
      await fetch(published[0].url!, { headers: { 'user-agent': `Mozilla/5.0 (X11; Linux x86_64) Visitor/${i}` } });
    youtube.setStatistics(byPlatform.youtube, { views: 100, likes: 10, comments: 1 });
    meta.setStats(byPlatform.facebook, { views: 200, likes: 20, comments: 2 });
    meta.setStats(byPlatform.instagram, { views: 300, likes: 30, comments: 3 });
    linkedin.setStats(byPlatform.linkedin, { views: 400, likes: 40, comments: 4 });
    x.setStats(byPlatform.x, { views: 500, likes: 50, comments: 5 });
    tiktok.setStats(byPlatform.tiktok, { views: 600, likes: 60, comments: 6 });

    const stats = await run(acts.readVideoStats, {
      workspaceId: stack.workspaceId,
      brandId: brand.id,
      publications: published,
    });
    const at = expect.any(String);
    expect(stats).toEqual([
      { platform: 'local', views: 3, likes: 0, comments: 0, at },
      { platform: 'youtube', views: 100, likes: 10, comments: 1, at },
      { platform: 'facebook', views: 200, likes: 20, comments: 2, at },
      { platform: 'instagram', views: 300, likes: 30, comments: 3, at },
      { platform: 'linkedin', views: 400, likes: 40, comments: 4, at },
      { platform: 'x', views: 500, likes: 50, comments: 5, at },
      { platform: 'tiktok', views: 600, likes: 60, comments: 6, at },
    ]);
    const rows = await publications.listByWorkflow(workflowId);
    expect(rows.find((r) => r.platform === 'linkedin')!.stats).toEqual({ views: 400, likes: 40, comments: 4 });

    // One platform down: the reading keeps the others.
    x.failNext(1, 503);
    const partial = await run(acts.readVideoStats, {
      workspaceId: stack.workspaceId,
      brandId: brand.id,
      publications: published,
    });
    expect(partial.map((s) => s.platform)).toEqual(['local', 'youtube', 'facebook', 'instagram', 'linkedin', 'tiktok']);
  });
});

describe('publishing settings', () => {
  it('reads the variables, leaves unconfigured platforms out and refuses half a configuration', () => {
    const cfg = publishConfigFromEnv({ YOUTUBE_ACCESS_TOKEN: 'a', META_ACCESS_TOKEN: 'b', META_IG_USER_ID: '17' });
    expect(cfg.youtube).toMatchObject({
      baseUrl: 'https://www.googleapis.com',
      privacyStatus: 'public',
      categoryId: '22',
    });
    expect(cfg.meta).toMatchObject({ igUserId: '17', pageId: undefined, apiVersion: 'v23.0' });
    expect(Object.keys(createPublishClientsFromConfig(cfg)).sort()).toEqual(['instagram', 'youtube']);
    expect(publishConfigFromEnv({}).x).toBeUndefined();
    expect(() => publishConfigFromEnv({ LINKEDIN_ACCESS_TOKEN: 'c' })).toThrow(
      'LinkedIn is half configured: also set LINKEDIN_AUTHOR_URN',
    );
    expect(() => publishConfigFromEnv({ YOUTUBE_CLIENT_ID: 'id' })).toThrow(
      'YouTube is half configured: also set YOUTUBE_CLIENT_SECRET, YOUTUBE_REFRESH_TOKEN',
    );
    expect(() => publishConfigFromEnv({ TIKTOK_ACCESS_TOKEN: 't', TIKTOK_PRIVACY_LEVEL: 'EVERYONE' })).toThrow(
      /TIKTOK_PRIVACY_LEVEL/,
    );
  });
});
