/**
 * Issue 12, carousels: a social post of several slides, in order, once per platform. End to end, a `carousel` social
 * post renders its slides and goes to the brand's channel (every slide shown, in order) and to Instagram (item
 * containers, then a CAROUSEL container). The publishing activity then takes the same slides to the fake Facebook
 * (unpublished photos, then a feed post with attached_media), LinkedIn (multiImage), X (4 media on one post: the first
 * three slides and the last) and TikTok (a photo post of several JPEGs), each once even when retried.
 */
import { randomUUID } from 'node:crypto';
import { deflateSync, crc32 } from 'node:zlib';
import {
  createPublishActivities,
  createPublishClientsFromConfig,
  publishConfigFromEnv,
  type PublishActivities,
  type PublishPostImageInput,
} from '../../activities/publish';
import { createSocialActivities } from '../../activities/social/social.activities';
import { createBrandRepository } from '../../db/repositories/brand.repository';
import { createPostRepository } from '../../db/repositories/post.repository';
import { createPublicationRepository } from '../../db/repositories/publication.repository';
import { secretBoxFromConfig } from '../../lib/secrets';
import { startFakeLinkedInServer, type FakeLinkedInServer } from '../fakes/platforms/linkedin-server';
import { startFakeMetaServer, type FakeMetaServer } from '../fakes/platforms/meta-server';
import { startFakeTikTokServer, type FakeTikTokServer } from '../fakes/platforms/tiktok-server';
import { startFakeXServer, type FakeXServer } from '../fakes/platforms/x-server';
import { startTestStack, waitForRun, type TestStack } from '../support/harness';
import { runActivity as run } from '../support/activity-run';

let stack: TestStack;
let meta: FakeMetaServer;
let linkedin: FakeLinkedInServer;
let x: FakeXServer;
let tiktok: FakeTikTokServer;
let acts: PublishActivities;
let brand: { id: string; slug: string };

/** A 1×1 PNG of one colour: slides that differ, so their order shows. */
function solidPng(r: number, g: number, b: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, r, g, b]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const SLIDES = [
  [200, 40, 40],
  [40, 200, 40],
  [40, 40, 200],
  [200, 200, 40],
  [40, 200, 200],
].map(([r, g, b]) => solidPng(r, g, b));

beforeAll(async () => {
  meta = await startFakeMetaServer({ processingPolls: 1 });
  linkedin = await startFakeLinkedInServer();
  x = await startFakeXServer({ processingPolls: 0 });
  const env = {
    PUBLISH_POLL_INTERVAL_MS: '20',
    META_ACCESS_TOKEN: meta.token,
    META_PAGE_ID: meta.pageId,
    META_IG_USER_ID: meta.igUserId,
    META_GRAPH_BASE_URL: meta.url,
    META_GRAPH_VIDEO_BASE_URL: meta.url,
    META_GRAPH_API_VERSION: meta.version,
    LINKEDIN_ACCESS_TOKEN: linkedin.token,
    LINKEDIN_AUTHOR_URN: linkedin.authorUrn,
    LINKEDIN_API_BASE_URL: linkedin.url,
    X_ACCESS_TOKEN: x.token,
    X_API_BASE_URL: x.url,
    X_UPLOAD_BASE_URL: x.url,
  };
  stack = await startTestStack('carousel-publish', { workers: ['main', 'browser'], env });
  // TikTok pulls only from the app's verified URL prefix: here, the API's public files.
  tiktok = await startFakeTikTokServer({ processingPolls: 1, verifiedUrlPrefix: `${stack.config.api.publicUrl}/` });
  brand = await stack.brand({ name: `Carousel Roasters ${Date.now()}` });
  const publish = publishConfigFromEnv({ ...env, TIKTOK_ACCESS_TOKEN: tiktok.token, TIKTOK_API_BASE_URL: tiktok.url });
  acts = createPublishActivities({
    storage: stack.server.services.storage,
    publications: createPublicationRepository(stack.db, { secrets: secretBoxFromConfig(stack.config) }),
    posts: createPostRepository(stack.db),
    brands: createBrandRepository(stack.db),
    clients: createPublishClientsFromConfig(publish),
    publicUrl: stack.config.api.publicUrl,
    ffmpegPath: stack.config.media.ffmpegPath,
    heartbeatIntervalMs: 200,
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await Promise.all([meta?.close(), linkedin?.close(), x?.close(), tiktok?.close()]);
});

const TEXT = {
  caption: 'Five slides, one cup. Grind fresh. Weigh the beans. Pour slowly.',
  hashtags: ['coffee'],
  altText: 'Coffee brewing steps',
};

/** Five stored draft slides and a carousel publication of them on `platform`. */
async function carousel(platform: PublishPostImageInput['platform']) {
  const workflowId = `social-post/${randomUUID()}`;
  const folder = `drafts/${stack.workspaceId}/social-post/${randomUUID()}/carousel-1`;
  const slideKeys = SLIDES.map((_, i) => `${folder}/slide-${i + 1}.png`);
  for (const [i, key] of slideKeys.entries()) await stack.server.services.storage.put(key, SLIDES[i], 'image/png');
  return {
    platform,
    idempotencyKey: `${workflowId}/publish/${platform}`,
    workflowId,
    workspaceId: stack.workspaceId,
    brandId: brand.id,
    imageKey: slideKeys[0],
    slideKeys,
    text: TEXT,
    format: 'carousel',
  } satisfies PublishPostImageInput;
}

/** Publishes twice (a retry): the same publication both times. */
async function publishTwice(request: PublishPostImageInput) {
  const published = await run(acts.publishPostImage, request);
  expect(published.status).toBe('published');
  expect(await run(acts.publishPostImage, request)).toEqual(published);
  return published;
}

const imagesOnPage = (html: string) => [...html.matchAll(/<li data-slide="(\d+)"><img src="([^"]+)"/g)];

it('renders a carousel social post and publishes every slide in order on the channel and on Instagram', async () => {
  const started = await stack.request('POST', '/api/v1/runs', {
    automation: 'social-post',
    input: {
      brandId: brand.id,
      platform: 'instagram',
      postType: 'tips',
      format: 'carousel',
      topic: 'brewing pour-over at home',
      approval: { required: false, timeoutSeconds: 60, onTimeout: 'approve' },
    },
  });
  expect(started.status).toBe(201);
  const done = await waitForRun(stack, started.body.id, (r) => ['completed', 'failed'].includes(r.status), 150_000);
  expect(done.status).toBe('completed');
  const slides = done.progress.artifacts.filter((a: { kind: string }) => a.kind === 'image');
  expect(slides.length).toBeGreaterThanOrEqual(3);
  expect(slides.length).toBeLessThanOrEqual(5);
  expect(slides.map((a: { title: string }) => a.title)).toEqual(
    slides.map((_: unknown, i: number) => `Slide ${i + 1} of ${slides.length}`),
  );
  // Drafts are private to the workspace: read with a key of it.
  const rendered = await Promise.all(
    slides.map(async (a: { url: string }) => {
      const res = await fetch(a.url, { headers: { authorization: `Bearer ${stack.keys.viewer}` } });
      expect(res.headers.get('content-type')).toBe('image/png');
      return Buffer.from(await res.arrayBuffer());
    }),
  );

  const [local, instagram] = done.result.publications;
  expect([local.platform, local.status, instagram.platform, instagram.status]).toEqual([
    'local',
    'published',
    'instagram',
    'published',
  ]);
  // The channel's post page shows every slide, in order, as rendered.
  const page = await (await fetch(local.url)).text();
  const shown = imagesOnPage(page);
  expect(shown.map((m) => Number(m[1]))).toEqual(rendered.map((_, i) => i + 1));
  for (const [i, m] of shown.entries()) {
    expect(m[2]).toMatch(new RegExp(`/posts/[0-9a-f]{32}/slide-${i + 1}\\.png$`));
    expect(Buffer.from(await (await fetch(m[2])).arrayBuffer()).equals(rendered[i])).toBe(true);
  }

  // Instagram: one CAROUSEL container of item containers, in the same order, published once.
  const media = meta.instagramMedia().find((m) => m.id === instagram.externalId)!;
  expect(media.slides).toHaveLength(rendered.length);
  media.slides!.forEach((data, i) => expect(data.equals(rendered[i])).toBe(true));
  const parent = meta.containers().find((c) => c.id === media.containerId)!;
  expect(parent.mediaType).toBe('CAROUSEL');
  expect(meta.count((r) => r.path.endsWith('/media_publish') && r.status === 200)).toBe(1);
}, 180_000);

it('posts the slides on Instagram as a carousel once per key', async () => {
  const before = meta.instagramMedia().length;
  const published = await publishTwice(await carousel('instagram'));
  expect(meta.instagramMedia()).toHaveLength(before + 1);
  const media = meta.instagramMedia().find((m) => m.id === published.externalId)!;
  expect(media.slides!.map((d) => SLIDES.findIndex((s) => s.equals(d)))).toEqual([0, 1, 2, 3, 4]);
  expect(media.caption).toBe('Five slides, one cup. Grind fresh. Weigh the beans. Pour slowly.\n\n#coffee');
});

it('posts the slides on Facebook as unpublished photos attached to one feed post, once per key', async () => {
  const published = await publishTwice(await carousel('facebook'));
  const posts = meta.facebookPosts().filter((p) => p.id === published.externalId);
  expect(posts).toHaveLength(1);
  const photos = posts[0].photoIds.map((id) => meta.facebookPhotos().find((p) => p.id === id)!);
  expect(photos.map((p) => SLIDES.findIndex((s) => s.equals(p.data)))).toEqual([0, 1, 2, 3, 4]);
  expect(photos.every((p) => !p.published)).toBe(true);
  // No photo uploaded twice by the retry.
  expect(meta.facebookPhotos().filter((p) => !p.attachedTo && !p.published)).toHaveLength(0);
  expect(posts[0].message).toContain('#coffee');
});

it('shares the slides on LinkedIn as one multiImage post, once per key', async () => {
  const before = linkedin.count((r) => r.path === '/rest/posts' && r.status === 201);
  const published = await publishTwice(await carousel('linkedin'));
  const post = linkedin.posts.get(published.externalId!)!;
  expect(post.imageUrns!.map((urn) => SLIDES.findIndex((s) => s.equals(linkedin.images.get(urn)!.data!)))).toEqual([
    0, 1, 2, 3, 4,
  ]);
  expect(linkedin.count((r) => r.path === '/rest/posts' && r.status === 201)).toBe(before + 1);
});

it('posts four of the five slides on X (the first three and the last), on one post, once per key', async () => {
  const before = x.tweets.size;
  const published = await publishTwice(await carousel('x'));
  expect(x.tweets.size).toBe(before + 1);
  const tweet = x.tweets.get(published.externalId!)!;
  expect(tweet.mediaIds.map((id) => SLIDES.findIndex((s) => s.equals(x.media.get(id)!.data!)))).toEqual([0, 1, 2, 4]);
});

it('posts the slides on TikTok as one photo post of JPEGs in order, once per key', async () => {
  const before = tiktok.count((r) => r.path === '/v2/post/publish/content/init/' && r.status === 200);
  await publishTwice(await carousel('tiktok'));
  expect(tiktok.count((r) => r.path === '/v2/post/publish/content/init/' && r.status === 200)).toBe(before + 1);
  const publish = [...tiktok.publishes.values()].filter((p) => p.kind === 'photo').at(-1)!;
  expect(publish.photoUrls!.map((u) => /slide-(\d)\.jpg$/.exec(u)?.[1])).toEqual(['1', '2', '3', '4', '5']);
  expect(publish.photos).toHaveLength(5);
  expect(publish.coverIndex).toBe(0);
});

it('shows every slide of a carousel on the brand channel, in order, once per key', async () => {
  const social = createSocialActivities({
    brands: createBrandRepository(stack.db),
    posts: createPostRepository(stack.db),
    storage: stack.server.services.storage,
    publicUrl: stack.config.api.publicUrl,
  });
  const request = await carousel('instagram');
  const input = {
    idempotencyKey: `${request.workflowId}/publish/local`,
    workflowId: request.workflowId,
    workspaceId: stack.workspaceId,
    brandId: brand.id,
    platform: 'instagram' as const,
    postType: 'tips' as const,
    copy: { ...TEXT, callToAction: 'Try it tomorrow' },
    imageKey: request.imageKey,
    slideKeys: request.slideKeys,
  };
  const first = await run(social.publishToLocalChannel, input);
  const again = await run(social.publishToLocalChannel, input);
  expect([first.created, again.created, again.postId]).toEqual([true, false, first.postId]);
  const shown = imagesOnPage(await (await fetch(first.url)).text());
  expect(shown).toHaveLength(5);
  for (const [i, m] of shown.entries())
    expect(Buffer.from(await (await fetch(m[2])).arrayBuffer()).equals(SLIDES[i])).toBe(true);
});

it('refuses a carousel of one slide before any platform is called', async () => {
  const request = await carousel('linkedin');
  const calls = linkedin.count(() => true);
  await expect(
    run(acts.publishPostImage, { ...request, slideKeys: request.slideKeys.slice(0, 1) }),
  ).rejects.toMatchObject({ type: 'InvalidInput' });
  expect(linkedin.count(() => true)).toBe(calls);
});

it('has fakes that refuse malformed carousels as the platforms do', async () => {
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const graph = (path: string, fields: Record<string, string>) =>
    fetch(`${meta.url}/${meta.version}/${path}`, {
      method: 'POST',
      headers: { ...bearer(meta.token), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  // Instagram: a carousel of one item, and children already used by another carousel.
  const feedImage = meta.containers().find((c) => c.carouselItem && c.parent)!;
  expect((await graph(`${meta.igUserId}/media`, { media_type: 'CAROUSEL', children: feedImage.id })).status).toBe(400);
  expect(
    (await graph(`${meta.igUserId}/media`, { media_type: 'CAROUSEL', children: `${feedImage.id},${feedImage.id}` }))
      .status,
  ).toBe(400);
  // Facebook: a feed post may attach only unpublished photos of the page, each once.
  const attached = meta.facebookPhotos().find((p) => p.attachedTo)!;
  const reattach = { message: 'again', 'attached_media[0]': JSON.stringify({ media_fbid: attached.id }) };
  expect((await graph(`${meta.pageId}/feed`, reattach)).status).toBe(400);
  // LinkedIn: multiImage needs 2 to 20 uploaded images.
  const [urn] = [...linkedin.images.keys()];
  const share = await fetch(`${linkedin.url}/rest/posts`, {
    method: 'POST',
    headers: {
      ...bearer(linkedin.token),
      'content-type': 'application/json',
      'linkedin-version': '202506',
      'x-restli-protocol-version': '2.0.0',
    },
    body: JSON.stringify({
      author: linkedin.authorUrn,
      commentary: 'one',
      content: { multiImage: { images: [{ id: urn }] } },
    }),
  });
  expect(share.status).toBe(422);
  // X: at most 4 media on a post.
  const ids = [...[...x.media.keys()].slice(0, 4), ...[...x.media.keys()].slice(0, 1)];
  const tweet = await fetch(`${x.url}/2/tweets`, {
    method: 'POST',
    headers: { ...bearer(x.token), 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'five', media: { media_ids: ids } }),
  });
  expect(tweet.status).toBe(400);
  expect(await tweet.text()).toContain('at most 4 media');
});
