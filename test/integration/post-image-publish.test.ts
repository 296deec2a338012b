/**
 * Issue 12: a social post's image on the platforms that take images, through the deployment's keys (a brand without
 * a connected account falls back to them): a Facebook page photo, an Instagram feed image and story (containers Meta
 * pulls from the public copy), a LinkedIn image share. Each once per idempotency key, even when retried.
 */
import { randomUUID } from 'node:crypto';
import {
  createAccountClients,
  createPublishActivities,
  createPublishClientsFromConfig,
  publishConfigFromEnv,
  type PublishActivities,
  type PublishPostImageInput,
} from '../../activities/publish';
import { createBrandRepository } from '../../db/repositories/brand.repository';
import { createConnectedAccountRepository } from '../../db/repositories/connected-account.repository';
import { createPostRepository } from '../../db/repositories/post.repository';
import { createPublicationRepository } from '../../db/repositories/publication.repository';
import { secretBoxFromConfig } from '../../lib/secrets';
import { startFakeLinkedInServer, type FakeLinkedInServer } from '../fakes/platforms/linkedin-server';
import { startFakeMetaServer, type FakeMetaServer } from '../fakes/platforms/meta-server';
import { startTestStack, type TestStack } from '../support/harness';
import { PNG_1X1, runActivity as run } from '../support/activity-run';

let stack: TestStack;
let meta: FakeMetaServer;
let linkedin: FakeLinkedInServer;
let acts: PublishActivities;
let brandId: string;

beforeAll(async () => {
  meta = await startFakeMetaServer({ processingPolls: 1 });
  linkedin = await startFakeLinkedInServer();
  stack = await startTestStack('post-image-publish', { workers: [] });
  brandId = (await stack.brand({ name: `Image Roasters ${Date.now()}` })).id;
  const publish = publishConfigFromEnv({
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
  });
  const secrets = secretBoxFromConfig(stack.config);
  acts = createPublishActivities({
    storage: stack.server.services.storage,
    publications: createPublicationRepository(stack.db, { secrets }),
    posts: createPostRepository(stack.db),
    brands: createBrandRepository(stack.db),
    clients: createPublishClientsFromConfig(publish),
    accounts: createAccountClients({
      accounts: createConnectedAccountRepository(stack.db, { secrets }),
      oauth: stack.config.oauth,
      publish,
    }),
    publicUrl: stack.config.api.publicUrl,
    heartbeatIntervalMs: 200,
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await meta?.close();
  await linkedin?.close();
});

async function input(platform: PublishPostImageInput['platform'], format: 'square' | 'story' = 'square') {
  const workflowId = `social-post/${randomUUID()}`;
  const imageKey = `drafts/${stack.workspaceId}/social-post/${randomUUID()}/image.png`;
  await stack.server.services.storage.put(imageKey, PNG_1X1, 'image/png');
  return {
    platform,
    idempotencyKey: `${workflowId}/publish/${platform}`,
    workflowId,
    workspaceId: stack.workspaceId,
    brandId,
    imageKey,
    text: { caption: 'Fresh grounds, better cup.', hashtags: ['coffee'], altText: 'A cup of coffee' },
    format,
  } satisfies PublishPostImageInput;
}

it('posts a photo on the Facebook page once per key, with the caption and hashtags', async () => {
  const request = await input('facebook');
  const published = await run(acts.publishPostImage, request);
  expect(published.status).toBe('published');
  expect(await run(acts.publishPostImage, request)).toEqual(published);
  const photos = meta.facebookPhotos().filter((p) => p.postId === published.externalId);
  expect(photos).toHaveLength(1);
  // multipart/form-data sends line breaks as CRLF.
  expect(photos[0].message.replace(/\r\n/g, '\n')).toBe('Fresh grounds, better cup.\n\n#coffee');
  expect(photos[0].data.equals(PNG_1X1)).toBe(true);
});

it('publishes an Instagram feed image and a story from the public copy of the image', async () => {
  const feed = await run(acts.publishPostImage, await input('instagram'));
  const story = await run(acts.publishPostImage, await input('instagram', 'story'));
  expect([feed.status, story.status]).toEqual(['published', 'published']);
  const containers = meta.containers();
  const feedContainer = containers.find((c) => c.mediaId === feed.externalId)!;
  const storyContainer = containers.find((c) => c.mediaId === story.externalId)!;
  expect([feedContainer.mediaType, storyContainer.mediaType]).toEqual(['IMAGE', 'STORIES']);
  // Meta pulled the image from a public URL of ours, not from the private draft.
  expect(feedContainer.videoUrl).toMatch(/\/posts\/instagram-[0-9a-f-]+\/image\.png$/);
  expect(feedContainer.data!.equals(PNG_1X1)).toBe(true);
  expect(feedContainer.caption).toContain('#coffee');
  expect(storyContainer.caption).toBe('');
});

it('shares the image on LinkedIn through the Images API, once per key', async () => {
  const request = await input('linkedin');
  const published = await run(acts.publishPostImage, request);
  expect(await run(acts.publishPostImage, request)).toEqual(published);
  const post = linkedin.posts.get(published.externalId!)!;
  expect(post.commentary).toBe('Fresh grounds, better cup.\n\n#coffee');
  expect(linkedin.images.get(post.videoUrn)?.data?.equals(PNG_1X1)).toBe(true);
  expect(linkedin.count((r) => r.path === '/rest/posts' && r.status === 201)).toBe(1);
  // Its likes and comments are read; views are LinkedIn's for videos only.
  linkedin.setStats(published.externalId!, { views: 50, likes: 3, comments: 1 });
  const [stats] = await run(acts.readVideoStats, {
    workspaceId: stack.workspaceId,
    brandId,
    publications: [published],
  });
  expect(stats).toMatchObject({ platform: 'linkedin', views: 0, likes: 3, comments: 1 });
});

it('refuses an image of another workspace', async () => {
  const request = { ...(await input('facebook')), imageKey: `drafts/${randomUUID()}/social-post/x/image.png` };
  await expect(run(acts.publishPostImage, request)).rejects.toMatchObject({ type: 'InvalidInput' });
});
