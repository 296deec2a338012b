/**
 * Issue 12: a social post's image as a TikTok photo post (Content Posting API, `content/init` with `media_type:
 * PHOTO`, `DIRECT_POST`, `PULL_FROM_URL`) through the deployment's keys: TikTok pulls a public JPEG copy of the PNG
 * (it takes no PNG), the post goes out once per idempotency key, and an attempt that failed after TikTok handed out
 * the publish id resumes by polling that publish instead of posting again.
 */
import { randomUUID } from 'node:crypto';
import {
  createPublishActivities,
  createPublishClientsFromConfig,
  publishConfigFromEnv,
  type PublishActivities,
  type PublishPostImageInput,
} from '../../activities/publish';
import { createBrandRepository } from '../../db/repositories/brand.repository';
import { createPostRepository } from '../../db/repositories/post.repository';
import { createPublicationRepository } from '../../db/repositories/publication.repository';
import { secretBoxFromConfig } from '../../lib/secrets';
import { jsonOf } from '../fakes/platforms/fake-platform-server';
import { startFakeTikTokServer, type FakeTikTokServer } from '../fakes/platforms/tiktok-server';
import { startTestStack, type TestStack } from '../support/harness';
import { PNG_1X1, runActivity as run } from '../support/activity-run';

let stack: TestStack;
let tiktok: FakeTikTokServer;
let acts: PublishActivities;
let brandId: string;

beforeAll(async () => {
  stack = await startTestStack('tiktok-photo-publish', { workers: [] });
  // TikTok pulls only from the app's verified URL prefix: here, the API's public files.
  tiktok = await startFakeTikTokServer({ processingPolls: 1, verifiedUrlPrefix: `${stack.config.api.publicUrl}/` });
  brandId = (await stack.brand({ name: `Tok Photo Roasters ${Date.now()}` })).id;
  const publish = publishConfigFromEnv({
    PUBLISH_POLL_INTERVAL_MS: '20',
    TIKTOK_ACCESS_TOKEN: tiktok.token,
    TIKTOK_API_BASE_URL: tiktok.url,
  });
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
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await tiktok?.close();
});

async function input() {
  const workflowId = `social-post/${randomUUID()}`;
  const imageKey = `drafts/${stack.workspaceId}/social-post/${randomUUID()}/image.png`;
  await stack.server.services.storage.put(imageKey, PNG_1X1, 'image/png');
  return {
    platform: 'tiktok',
    idempotencyKey: `${workflowId}/publish/tiktok`,
    workflowId,
    workspaceId: stack.workspaceId,
    brandId,
    imageKey,
    text: { caption: 'Fresh grounds, better cup.', hashtags: ['coffee'], altText: 'A cup of coffee' },
    format: 'square',
  } satisfies PublishPostImageInput;
}

const inits = () => tiktok.count((r) => r.path === '/v2/post/publish/content/init/' && r.status === 200);

it('posts a photo TikTok pulls as a JPEG from the public copy, once per key', async () => {
  const before = inits();
  const request = await input();
  const published = await run(acts.publishPostImage, request);
  expect(published).toMatchObject({ platform: 'tiktok', status: 'published' });
  expect(published.externalId).toMatch(/^7\d{18}$/);
  expect(published.url).toBe(`https://www.tiktok.com/@${tiktok.username}/photo/${published.externalId}`);
  expect(await run(acts.publishPostImage, request)).toEqual(published);
  expect(inits()).toBe(before + 1);

  const photo = [...tiktok.publishes.values()].find((p) => p.postId === published.externalId)!;
  expect(photo.kind).toBe('photo');
  expect(photo.photoUrls).toHaveLength(1);
  expect(photo.photoUrls![0]).toMatch(/\/posts\/tiktok-[0-9a-f-]+\/image\.jpg$/);
  expect(photo.data!.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  expect(photo.title).toBe('Fresh grounds, better cup.');
  expect(photo.description).toBe('Fresh grounds, better cup.\n\n#coffee');
  const init = jsonOf(tiktok.requests.filter((r) => r.path === '/v2/post/publish/content/init/').at(-1)!);
  expect(init).toMatchObject({
    media_type: 'PHOTO',
    post_mode: 'DIRECT_POST',
    post_info: { privacy_level: 'PUBLIC_TO_EVERYONE' },
    source_info: { source: 'PULL_FROM_URL', photo_cover_index: 0 },
  });
});

it('resumes a publish TikTok already accepted instead of posting the photo again', async () => {
  const before = inits();
  const request = await input();
  tiktok.failNext(1, 500, { match: (r) => r.path === '/v2/post/publish/status/fetch/' });
  const failure = await run(acts.publishPostImage, request).then(
    () => undefined,
    (err: unknown) => err as { type?: string; nonRetryable?: boolean },
  );
  expect(failure).toMatchObject({ type: 'ProviderUnavailable' });
  expect(failure?.nonRetryable).not.toBe(true);
  expect(inits()).toBe(before + 1);

  const published = await run(acts.publishPostImage, request);
  expect(published.status).toBe('published');
  expect(inits()).toBe(before + 1);
  expect([...tiktok.publishes.values()].filter((p) => p.postId === published.externalId)).toHaveLength(1);
});
