/**
 * Publishing a video on the brand's local channel (its public page and feeds, api/routes/channel.routes.ts).
 *
 * Idempotent by the key `<workflowId>/publish/local`, in three steps a retry can resume from:
 * 1. the publications row and a draft post are created once per key (drafts are never listed or served);
 * 2. the video, its poster and its WebVTT subtitles are copied to `posts/<postId>/…` (files already there are kept);
 * 3. the post is published with its files and the publication marked published.
 */
import { log } from '@temporalio/activity';
import type { BrandRepository } from '../../db/repositories/brand.repository';
import type { PostRepository } from '../../db/repositories/post.repository';
import type { PublicationRepository } from '../../db/repositories/publication.repository';
import type { PlatformMetadata, Publication, RenderedVideo } from '../../lib/video/types';
import { channelUrls } from '../../lib/channel-urls';
import type { FileStorage } from '../storage';
import { copyOnce, publicVideoKeys, readRenderedVideo } from './video-files';
import { failure } from '../../lib/failures';

export interface LocalVideoDeps {
  storage: FileStorage;
  publications: PublicationRepository;
  posts: PostRepository;
  brands: BrandRepository;
  /** The API's public origin, for post links. */
  publicUrl: string;
}

export interface PublishVideoToLocalChannelInput {
  /** `<workflowId>/publish/local`. */
  idempotencyKey: string;
  workflowId: string;
  workspaceId: string;
  brandId: string;
  video: RenderedVideo;
  metadata: PlatformMetadata;
  /** BCP 47 language of the subtitles (the brief's), for the player's track. */
  language?: string;
}

export function createLocalVideoPublisher(deps: LocalVideoDeps) {
  return {
    async publishVideoToLocalChannel(input: PublishVideoToLocalChannelInput): Promise<Publication> {
      const { publication } = await deps.publications.begin({
        idempotencyKey: input.idempotencyKey,
        workspaceId: input.workspaceId,
        brandId: input.brandId,
        workflowId: input.workflowId,
        platform: 'local',
      });
      if (publication.status === 'published') {
        log.info('Video already on the local channel; returning it', { idempotencyKey: input.idempotencyKey });
        return { platform: 'local', status: 'published', externalId: publication.externalId!, url: publication.url! };
      }

      const brand = await deps.brands.get(input.workspaceId, input.brandId);
      if (!brand) throw failure('NotFound', `Brand ${input.brandId} no longer exists`);
      const channel = await deps.brands.localChannel(brand.id);
      if (!channel) throw failure('NotFound', `Brand ${brand.name} has no local channel`);

      const { post: draft } = await deps.posts.draftVideoOnce({
        idempotencyKey: input.idempotencyKey,
        workflowId: input.workflowId,
        workspaceId: input.workspaceId,
        brandId: brand.id,
        channelId: channel.id,
        platform: 'local',
        postType: 'video',
        title: input.metadata.title,
        caption: input.metadata.description,
        hashtags: input.metadata.hashtags.map((t) => t.replace(/^#/, '')),
        callToAction: '',
        altText: input.metadata.title,
      });
      if (publication.externalId !== draft.id) await deps.publications.saveState(publication.id, {}, draft.id);

      let post = draft;
      if (draft.status !== 'published') {
        const keys = publicVideoKeys(draft.id, input.video);
        const data = (await deps.storage.exists(keys.video))
          ? undefined
          : await readRenderedVideo(deps.storage, input.video);
        await copyOnce(deps.storage, input.video.video.key, keys.video, data);
        await copyOnce(deps.storage, input.video.thumbnail.key, keys.thumbnail);
        await copyOnce(deps.storage, input.video.subtitles.vttKey, keys.subtitles);
        post = await deps.posts.publishVideo(draft.id, {
          videoKey: keys.video,
          videoBytes: input.video.video.bytes,
          subtitlesKey: keys.subtitles,
          subtitlesLanguage: input.language ?? null,
          thumbnailKey: keys.thumbnail,
          durationSeconds: input.video.video.durationSeconds,
        });
      }
      const url = channelUrls(deps.publicUrl, brand.slug, post.id).post;
      await deps.publications.markPublished(publication.id, { externalId: post.id, url });
      log.info('Published video on the local channel', { postId: post.id, idempotencyKey: input.idempotencyKey });
      return { platform: 'local', status: 'published', externalId: post.id, url };
    },
  };
}

export type LocalVideoPublisher = ReturnType<typeof createLocalVideoPublisher>;
