/**
 * Video publishing activities (issue 4, steps 7 and 8), called by the per-platform child workflow and the analytics
 * workflow:
 *
 * - `publishVideo`: one video on one platform, idempotent by `<workflowId>/publish/<platform>`. `local` is the brand's
 *   channel (local-video.ts); the others go through the configured platform client. The publications row is read
 *   first: published → returned as it is; pending → the client resumes from its checkpoint. Heartbeats every few
 *   seconds and per part sent. Failures retrying cannot fix mark the row failed and leave non-retryable; a platform
 *   without credentials fails at once with `ProviderMisconfigured`, naming the settings to add.
 * - `readVideoStats` and `readPublicationStats` (publication-stats.ts): what the platforms say of what was published.
 */
import { Context, log } from '@temporalio/activity';
import type { BrandRepository } from '../../db/repositories/brand.repository';
import type { PostRepository } from '../../db/repositories/post.repository';
import {
  PublicationKeyConflict,
  type PublicationRecord,
  type PublicationRepository,
} from '../../db/repositories/publication.repository';
import {
  VIDEO_PLATFORMS,
  type PlatformMetadata,
  type Publication,
  type RenderedVideo,
  type VideoPlatform,
} from '../../lib/video/types';
import type { FileStorage } from '../storage';
import { rethrowIfCancelled } from './http';
import { createLocalVideoPublisher } from './local-video';
import type { AccountClients } from './account-clients';
import type {
  ExternalPlatform,
  PlatformClient,
  PostText,
  PublishClients,
  PublishContext,
  PublishedOnPlatform,
  UploadState,
} from './platform-client.port';
import { draftWorkspaceOf } from '../../lib/file-keys';
import { PLATFORM_SETUP } from './setup';
import { EXTERNAL_PLATFORMS } from './platform-client.port';
import { postImageSource } from './post-images';
import {
  CAROUSEL_LIMITS,
  carouselCountProblem,
  carouselSlidesFor,
  type CarouselTarget,
  type PostFormat,
} from '../../lib/social';
import { copyOnce, publicVideoKeys, readRenderedVideo } from './video-files';
import { withHeartbeat } from '../shared/heartbeat';
import { asFailure, createPublicationStats, platformClientOf } from './publication-stats';
import { failure } from '../../lib/failures';

export interface PublishVideoInput {
  platform: VideoPlatform;
  /** `<workflowId>/publish/<platform>`. */
  idempotencyKey: string;
  workflowId: string;
  workspaceId: string;
  brandId: string;
  video: RenderedVideo;
  metadata: PlatformMetadata;
  /** BCP 47 language of the narration and subtitles (the brief's); the local channel labels its track with it. */
  language?: string;
}

/** Where one publication goes, keyed `<workflowId>/publish/<platform>`. */
interface PublishTarget {
  platform: ExternalPlatform;
  idempotencyKey: string;
  workflowId: string;
  workspaceId: string;
  brandId: string;
}

type Checkpoint = Omit<PublishContext, 'video' | 'metadata'>;

export interface PublishPostImageInput extends PublishTarget {
  /** The approved image: a draft of the workspace (`drafts/<workspace>/…`) or a public `posts/…` copy. */
  imageKey: string;
  text: PostText;
  format: PostFormat;
  /** A carousel's slides in order (the first is `imageKey`); a platform that takes fewer gets `carouselSlidesFor`'s. */
  slideKeys?: string[];
}

export interface ReadVideoStatsInput {
  workspaceId: string;
  brandId: string;
  publications: Publication[];
}

export interface PublishActivityDeps {
  storage: FileStorage;
  publications: PublicationRepository;
  posts: PostRepository;
  brands: BrandRepository;
  /** The deployment's platforms (providers.ts, env keys); used when the brand has connected no account. */
  clients: PublishClients;
  /** Brands' connected accounts (account-clients.ts), asked first; absent: deployment keys only. */
  accounts?: AccountClients;
  /** The API's public origin (PUBLIC_URL). */
  publicUrl: string;
  /** ffmpeg, to make the JPEG copy of a post image for TikTok; default `ffmpeg` (FFMPEG_PATH). */
  ffmpegPath?: string;
  /** Heartbeat period while a client works; default 5 s (the upload preset's heartbeat timeout is 1 min). */
  heartbeatIntervalMs?: number;
  /** Bound on one platform's stats reading, so one slow platform does not sink the reading; default 12 s. */
  statsTimeoutMs?: number;
}

const toPublication = (row: PublicationRecord): Publication => ({
  platform: row.platform,
  status: 'published',
  externalId: row.externalId!,
  url: row.url!,
});

function checkInput(input: PublishVideoInput): void {
  const problems: string[] = [];
  if (!VIDEO_PLATFORMS.includes(input.platform)) problems.push(`unknown platform ${JSON.stringify(input.platform)}`);
  if (!input.idempotencyKey?.trim()) problems.push('idempotencyKey is required');
  if (input.metadata?.platform !== input.platform)
    problems.push(`metadata is for ${String(input.metadata?.platform)}, not ${input.platform}`);
  if (!input.metadata?.title?.trim()) problems.push('metadata.title is required');
  if (!input.video?.video?.key || !(input.video.video.bytes > 0)) problems.push('video.video is required');
  if (problems.length) throw failure('InvalidInput', `Cannot publish the video: ${problems.join('; ')}`);
}

export function createPublishActivities(deps: PublishActivityDeps) {
  const local = createLocalVideoPublisher(deps);
  const beatEvery = deps.heartbeatIntervalMs ?? 5000;

  /** The brand's connected account first, then the deployment's keys; none: ProviderMisconfigured. */
  async function clientOf(input: PublishTarget): Promise<{ client: PlatformClient; accountId?: string }> {
    const resolved = await platformClientOf(deps, input);
    if (resolved) return resolved;
    const setup = PLATFORM_SETUP[input.platform];
    const connect = deps.accounts && setup.connectable ? `connect the brand's ${setup.name} account, or ` : '';
    throw failure('ProviderMisconfigured', `${setup.name} is not configured: ${connect}set ${setup.variables}`);
  }

  /**
   * One publication on one platform, by idempotency key: the row first (published → returned as it is), the client
   * resumes from the row's checkpoint; failures retrying cannot fix mark the row failed, and a refused token marks
   * the brand's account `reconnect_needed`.
   */
  async function publishOnPlatform(
    input: PublishTarget,
    act: (client: PlatformClient, ctx: Checkpoint, publicationId: string) => Promise<PublishedOnPlatform>,
  ): Promise<Publication> {
    const { platform } = input;
    const existing = await deps.publications.getByKey(input.idempotencyKey);
    if (existing?.status === 'published' && existing.platform === platform) return toPublication(existing);
    const { client, accountId } = await clientOf(input);

    const { publication } = await deps.publications.begin({
      idempotencyKey: input.idempotencyKey,
      workspaceId: input.workspaceId,
      brandId: input.brandId,
      workflowId: input.workflowId,
      platform,
    });
    if (publication.status === 'published') return toPublication(publication);

    return withHeartbeat<Record<string, unknown>, Publication>(
      { platform, stage: 'reading' },
      async (heartbeat) => {
        try {
          const result = await act(
            client,
            {
              state: publication.uploadState,
              save: async (state: UploadState, externalId?: string) => {
                await deps.publications.saveState(publication.id, state, externalId);
              },
              progress: (next) => heartbeat.beat({ platform, ...next }),
              signal: heartbeat.signal,
            },
            publication.id,
          );
          const row = await deps.publications.markPublished(publication.id, result);
          log.info(`Published on ${client.name}`, { externalId: result.externalId, key: input.idempotencyKey });
          return toPublication(row);
        } catch (err) {
          rethrowIfCancelled(err, heartbeat.signal);
          const failure = asFailure(err, client.name);
          if (failure.nonRetryable) await deps.publications.markFailed(publication.id, failure.message);
          else await deps.publications.noteError(publication.id, failure.message);
          if (accountId && failure.type === 'ProviderAuth') await deps.accounts?.refused(accountId, failure.message);
          throw failure;
        }
      },
      { intervalMs: beatEvery },
    );
  }

  function publishExternal(input: PublishVideoInput): Promise<Publication> {
    const platform = input.platform as ExternalPlatform;
    return publishOnPlatform({ ...input, platform }, async (client, checkpoint, publicationId) => {
      const data = await readRenderedVideo(deps.storage, input.video);
      let publicUrl: string | undefined;
      return client.publish({
        ...checkpoint,
        video: {
          data,
          bytes: data.byteLength,
          contentType: 'video/mp4',
          durationSeconds: input.video.video.durationSeconds,
          width: input.video.video.width,
          height: input.video.video.height,
          // Platforms that pull the video get a copy under posts/, which the API serves to anyone.
          async publicUrl() {
            if (publicUrl) return publicUrl;
            const key = publicVideoKeys(`${platform}-${publicationId}`, input.video).video;
            await copyOnce(deps.storage, input.video.video.key, key, data);
            return (publicUrl = deps.storage.publicUrl(key));
          },
        },
        metadata: input.metadata,
      });
    });
  }

  function publishImageExternal(input: PublishPostImageInput): Promise<Publication> {
    return publishOnPlatform(input, async (client, checkpoint, publicationId) => {
      const files = { storage: deps.storage, ffmpegPath: deps.ffmpegPath, signal: checkpoint.signal };
      // Public copies are named by the publication, not by the brand (Instagram and TikTok pull them).
      const folder = `${input.platform}-${publicationId}`;
      if (input.format === 'carousel') {
        if (!client.publishCarousel)
          throw failure('InvalidInput', `${client.name} takes no multi-image posts here; publish one image instead`);
        const keys = carouselSlidesFor(input.slideKeys ?? [], input.platform as CarouselTarget);
        if (keys.length < (input.slideKeys ?? []).length)
          log.info(`${client.name} takes ${keys.length} of the carousel's ${input.slideKeys!.length} slides`);
        const slides = await Promise.all(keys.map((key, i) => postImageSource(files, key, folder, `slide-${i + 1}`)));
        return client.publishCarousel({ ...checkpoint, slides, text: input.text });
      }
      if (!client.publishImage)
        throw failure('InvalidInput', `${client.name} takes videos only here; image posts are not supported there`);
      const image = await postImageSource(files, input.imageKey, folder, 'image');
      return client.publishImage({ ...checkpoint, image, text: input.text, format: input.format });
    });
  }

  return {
    async publishVideo(input: PublishVideoInput): Promise<Publication> {
      checkInput(input);
      try {
        if (input.platform === 'local') {
          Context.current().heartbeat({ platform: 'local' });
          return await local.publishVideoToLocalChannel(input);
        }
        return await publishExternal(input);
      } catch (err) {
        if (err instanceof PublicationKeyConflict) throw failure('InvalidInput', err.message);
        throw err;
      }
    },

    /** A social post's image and copy on one platform (issue 12), idempotent like `publishVideo`. */
    async publishPostImage(input: PublishPostImageInput): Promise<Publication> {
      const problems: string[] = [];
      if (!(EXTERNAL_PLATFORMS as readonly string[]).includes(input.platform))
        problems.push(`unknown platform ${JSON.stringify(input.platform)}`);
      if (!input.idempotencyKey?.trim()) problems.push('idempotencyKey is required');
      const keys = [input.imageKey, ...(input.slideKeys ?? [])];
      if (keys.some((key) => !key || (draftWorkspaceOf(key) ?? input.workspaceId) !== input.workspaceId))
        problems.push('imageKey and slideKeys must be images of this workspace');
      if (input.format === 'carousel') {
        const target = (input.platform in CAROUSEL_LIMITS ? input.platform : 'local') as CarouselTarget;
        const problem = carouselCountProblem(carouselSlidesFor(input.slideKeys ?? [], target).length, target);
        if (problem) problems.push(problem);
        else if (input.slideKeys![0] !== input.imageKey) problems.push('imageKey must be the first of slideKeys');
      }
      if (problems.length) throw failure('InvalidInput', `Cannot publish the post: ${problems.join('; ')}`);
      try {
        return await publishImageExternal(input);
      } catch (err) {
        if (err instanceof PublicationKeyConflict) throw failure('InvalidInput', err.message);
        throw err;
      }
    },

    /**
     * Where a social post can go besides the brand's channel: the platform when the brand connected an account
     * there (whatever its state: a flagged account fails its publication visibly) or the deployment has keys.
     */
    async checkPostTargets(input: { workspaceId: string; brandId: string; platforms: ExternalPlatform[] }) {
      return Promise.all(
        input.platforms.map(async (platform) => {
          const account = await deps.accounts?.readiness(input.workspaceId, input.brandId, platform);
          const connected = account !== undefined && account.status !== 'not_connected';
          return {
            platform,
            publish: connected || deps.clients[platform] !== undefined,
            via: connected
              ? ('account' as const)
              : deps.clients[platform]
                ? ('deployment' as const)
                : ('none' as const),
            ready: connected ? account.ready : deps.clients[platform] !== undefined,
          };
        }),
      );
    },

    ...createPublicationStats(deps),
  };
}

export type PublishActivities = ReturnType<typeof createPublishActivities>;
