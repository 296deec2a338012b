/**
 * Social post activities that touch the database: loading what a post is about and
 * publishing it on the brand's local channel (a public page and feed served by the API).
 */
import { createHash } from 'node:crypto';
import { log } from '@temporalio/activity';
import type { BrandRecord, BrandRepository } from '../../db/repositories/brand.repository';
import type { PostRepository } from '../../db/repositories/post.repository';
import { draftWorkspaceOf } from '../../lib/file-keys';
import { cleanPublicText } from '../../lib/html';
import { carouselCountProblem, type Platform, type PostCopy, type PostType } from '../../lib/social';
import { copyOnce } from '../publish/video-files';
import type { FileStorage } from '../storage/file-storage.port';
import { failure } from '../../lib/failures';
import { channelUrls } from '../../lib/channel-urls';

/** What a post needs to know about its brand. */
export type PostBrand = Pick<
  BrandRecord,
  | 'id'
  | 'slug'
  | 'name'
  | 'slogan'
  | 'mission'
  | 'category'
  | 'voice'
  | 'website'
  | 'keywords'
  | 'colors'
  | 'fontFamily'
>;

export interface PublishToLocalChannelInput {
  /** `${workflowId}/publish/local`: a retry after a crash finds the first publication. */
  idempotencyKey: string;
  workflowId: string;
  workspaceId: string;
  brandId: string;
  platform: Platform;
  postType: PostType;
  copy: PostCopy;
  imageKey: string | null;
  /** A carousel's images in order (the first is `imageKey`): the channel shows them all. */
  slideKeys?: string[];
}

export interface PublishedPost {
  postId: string;
  url: string;
  channelUrl: string;
  publishedAt: string;
  /** False when this call found a publication made by an earlier attempt. */
  created: boolean;
}

export interface SocialActivityDeps {
  brands: BrandRepository;
  posts: PostRepository;
  storage: FileStorage;
  publicUrl: string;
}

/**
 * The public copy of a post's draft image: `posts/<id>/<name>.png`, where the id is derived from the publication's
 * idempotency key, so a retry copies to the same place and the URL says nothing of the brand or the run.
 */
async function publishImage(
  storage: FileStorage,
  input: PublishToLocalChannelInput,
  draft: string | null,
  name = 'image',
): Promise<string | null> {
  if (!draft || draftWorkspaceOf(draft) === null) return draft;
  if (draftWorkspaceOf(draft) !== input.workspaceId)
    throw failure('InvalidInput', `The image ${draft} belongs to another workspace`);
  const id = createHash('sha256').update(input.idempotencyKey).digest('hex').slice(0, 32);
  const key = `posts/${id}/${name}.png`;
  await copyOnce(storage, draft, key);
  return key;
}

/** A carousel's public copies (`slide-<n>.png`), in order; null for a post of one image. */
async function publishSlides(storage: FileStorage, input: PublishToLocalChannelInput): Promise<string[] | null> {
  if (!input.slideKeys) return null;
  const problem = carouselCountProblem(input.slideKeys.length, 'local');
  if (problem) throw failure('InvalidInput', problem);
  const keys: string[] = [];
  for (const [i, draft] of input.slideKeys.entries())
    keys.push((await publishImage(storage, input, draft, `slide-${i + 1}`))!);
  return keys;
}

export function createSocialActivities(deps: SocialActivityDeps) {
  return {
    async loadBrandForPost(input: { workspaceId: string; brandId: string }): Promise<PostBrand> {
      const brand = await deps.brands.get(input.workspaceId, input.brandId);
      if (!brand) throw failure('NotFound', `Brand ${input.brandId} does not exist in this workspace`);
      const { id, slug, name, slogan, mission, category, voice, website, keywords, colors, fontFamily } = brand;
      return { id, slug, name, slogan, mission, category, voice, website, keywords, colors, fontFamily };
    },

    async publishToLocalChannel(input: PublishToLocalChannelInput): Promise<PublishedPost> {
      const brand = await deps.brands.get(input.workspaceId, input.brandId);
      if (!brand) throw failure('NotFound', `Brand ${input.brandId} no longer exists`);
      const channel = await deps.brands.localChannel(brand.id);
      if (!channel) throw failure('NotFound', `Brand ${brand.name} has no local channel`);
      const slideKeys = await publishSlides(deps.storage, input);
      const { post, created } = await deps.posts.publishOnce({
        idempotencyKey: input.idempotencyKey,
        workflowId: input.workflowId,
        workspaceId: input.workspaceId,
        brandId: brand.id,
        channelId: channel.id,
        platform: input.platform,
        postType: input.postType,
        // Approvers and models can put anything in the copy; what no public page may carry (NUL, which PostgreSQL
        // refuses too, lone surrogates, bidi overrides) goes before it is stored.
        caption: cleanPublicText(input.copy.caption),
        hashtags: input.copy.hashtags.map(cleanPublicText),
        callToAction: cleanPublicText(input.copy.callToAction),
        altText: cleanPublicText(input.copy.altText),
        imageKey: slideKeys ? slideKeys[0] : await publishImage(deps.storage, input, input.imageKey),
        slideKeys,
      });
      const urls = channelUrls(deps.publicUrl, brand.slug, post.id);
      log.info(created ? 'Published post on local channel' : 'Post already published; returning it', {
        postId: post.id,
        idempotencyKey: input.idempotencyKey,
      });
      return { postId: post.id, url: urls.post, channelUrl: urls.channel, publishedAt: post.publishedAt!, created };
    },
  };
}

export type SocialActivities = ReturnType<typeof createSocialActivities>;
