/**
 * LinkedIn Videos API and Posts API (versioned REST: `LinkedIn-Version: YYYYMM`, `X-Restli-Protocol-Version: 2.0.0`;
 * https://learn.microsoft.com/linkedin/marketing/community-management/shares/videos-api):
 *
 * 1. `POST /rest/videos?action=initializeUpload` with `{ initializeUploadRequest: { owner, fileSizeBytes } }` →
 *    `value.video` (the video URN), `value.uploadToken`, `value.uploadInstructions[]` (`uploadUrl`, `firstByte`,
 *    `lastByte`) and `value.uploadUrlsExpireAt`. Saved at once.
 * 2. `PUT` each part's bytes to its pre-signed `uploadUrl`; each answers an `ETag`, saved per part (a retry sends only
 *    the parts without one; expired URLs start a new upload).
 * 3. `POST /rest/videos?action=finalizeUpload` with `{ finalizeUploadRequest: { video, uploadToken, uploadedPartIds } }`.
 * 4. `GET /rest/videos/{urn}` until `status` is `AVAILABLE` (`PROCESSING_FAILED` fails).
 * 5. `POST /rest/posts` (author, commentary, visibility, distribution, `content.media.id` = the video URN) → 201 and
 *    the post URN in `x-restli-id`.
 *
 * A social post's image (Images API): `POST /rest/images?action=initializeUpload` with `{ initializeUploadRequest: {
 * owner } }` → `value.uploadUrl`, `value.image` (the image URN); `PUT` the bytes there; then the post as above with
 * `content.media.id` = the image URN and its `altText`. A carousel uploads each slide the same way (each URN saved once
 * its bytes are sent) and posts them as `content.multiImage.images[]` (`id`, `altText`), 2 to 20, in order.
 *
 * Stats: `GET /rest/socialActions/{post urn}` (likesSummary.totalLikes, commentsSummary.aggregatedTotalComments) and
 * `GET /rest/videoAnalytics?q=entity&entity={post urn}&type=VIDEO_VIEW&aggregation=ALL` (elements[].value).
 * Errors are `{ status, serviceErrorCode, code, message }`.
 */
import { createHttpClient, parseJson, sleep, unexpectedReply, type ErrorReader, type TokenSource } from './http';
import {
  captionOf,
  count,
  postCaptionOf,
  type ImageSource,
  type PlatformClient,
  type PublishContext,
  type UploadState,
} from './platform-client.port';
import { failure } from '../../lib/failures';

export interface LinkedInClientOptions {
  /** https://api.linkedin.com */
  baseUrl: string;
  /** YYYYMM, e.g. 202506. */
  version: string;
  auth: TokenSource;
  /** `urn:li:organization:<id>` or `urn:li:person:<id>`. */
  authorUrn: string;
  timeoutMs: number;
  uploadTimeoutMs: number;
  pollIntervalMs: number;
  processingTimeoutMs: number;
}

interface Instruction {
  uploadUrl: string;
  firstByte: number;
  lastByte: number;
}

interface LinkedInState {
  videoUrn?: string;
  uploadToken?: string;
  instructions?: Instruction[];
  /** epoch ms */
  expiresAt?: number;
  /** The ETag of each part sent, by index. */
  partIds?: (string | null)[];
  finalized?: boolean;
  postUrn?: string;
}

export const readLinkedInError: ErrorReader = (_status, body) => {
  const error = parseJson(body) as { message?: string; code?: string; serviceErrorCode?: number } | undefined;
  if (!error?.message) return { message: body.slice(0, 300) };
  const code = [error.code, error.serviceErrorCode].filter((c) => c !== undefined).join(' ');
  return { message: `${error.message}${code ? ` (${code})` : ''}` };
};

export function createLinkedInClient(opts: LinkedInClientOptions): PlatformClient {
  const name = 'LinkedIn';
  const base = `${opts.baseUrl.replace(/\/+$/, '')}/rest`;
  const http = createHttpClient({
    provider: name,
    timeoutMs: opts.timeoutMs,
    auth: opts.auth,
    readError: readLinkedInError,
    headers: { 'linkedin-version': opts.version, 'x-restli-protocol-version': '2.0.0' },
  });
  const json = (value: unknown) => ({
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  });
  const postUrl = (urn: string) => `https://www.linkedin.com/feed/update/${urn}/`;

  /** Images API: initializeUpload, then the bytes PUT to the upload URL; the image URN. */
  async function uploadImage(image: ImageSource, signal: AbortSignal): Promise<string> {
    const res = await http(`${base}/images?action=initializeUpload`, {
      method: 'POST',
      ...json({ initializeUploadRequest: { owner: opts.authorUrn } }),
      signal,
    });
    const value = res.json<{ value?: { uploadUrl?: string; image?: string } }>().value;
    if (!value?.image || !value.uploadUrl) throw unexpectedReply(name, 'no image URN or upload URL');
    await http(value.uploadUrl, {
      method: 'PUT',
      headers: { 'content-type': image.contentType },
      body: image.data,
      timeoutMs: opts.uploadTimeoutMs,
      signal,
    });
    return value.image;
  }

  /** A post of `commentary` and `content` (a video, an image, images); its URN is saved with the rest of `state`. */
  async function post(
    ctx: Pick<PublishContext, 'save' | 'signal'>,
    state: object,
    commentary: string,
    content: unknown,
  ) {
    const res = await http(`${base}/posts`, {
      method: 'POST',
      ...json({
        author: opts.authorUrn,
        commentary,
        visibility: 'PUBLIC',
        distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
        content,
        lifecycleState: 'PUBLISHED',
        isReshareDisabledByAuthor: false,
      }),
      signal: ctx.signal,
    });
    const postUrn = res.headers.get('x-restli-id') ?? res.headers.get('x-linkedin-id');
    if (!postUrn) throw unexpectedReply(name, 'the post was created without an id (x-restli-id)');
    await ctx.save({ ...state, postUrn } as UploadState, postUrn);
    return { externalId: postUrn, url: postUrl(postUrn) };
  }

  return {
    platform: 'linkedin',
    name,

    async publish(ctx) {
      const state = { ...ctx.state } as LinkedInState;
      if (state.postUrn) return { externalId: state.postUrn, url: postUrl(state.postUrn) };
      const total = ctx.video.bytes;

      const expired = !state.finalized && (state.expiresAt ?? 0) < Date.now() + 60_000;
      if (!state.videoUrn || expired) {
        const res = await http(`${base}/videos?action=initializeUpload`, {
          method: 'POST',
          ...json({
            initializeUploadRequest: {
              owner: opts.authorUrn,
              fileSizeBytes: total,
              uploadCaptions: false,
              uploadThumbnail: false,
            },
          }),
          signal: ctx.signal,
        });
        const value = res.json<{
          value?: {
            video?: string;
            uploadToken?: string;
            uploadInstructions?: Instruction[];
            uploadUrlsExpireAt?: number;
          };
        }>().value;
        if (!value?.video || !value.uploadInstructions?.length)
          throw unexpectedReply(name, 'no video URN or upload URLs');
        Object.assign(state, {
          videoUrn: value.video,
          uploadToken: value.uploadToken ?? '',
          instructions: value.uploadInstructions,
          expiresAt: value.uploadUrlsExpireAt ?? Date.now() + 3_600_000,
          partIds: value.uploadInstructions.map(() => null),
          finalized: false,
        });
        await ctx.save({ ...state });
      }
      const instructions = state.instructions!;
      const partIds = state.partIds!;

      for (const [index, part] of instructions.entries()) {
        if (partIds[index]) continue;
        if (part.firstByte < 0 || part.lastByte >= total || part.lastByte < part.firstByte)
          throw unexpectedReply(name, `part ${index} spans bytes ${part.firstByte}-${part.lastByte} of ${total}`);
        ctx.progress({ stage: 'uploading', part: index, parts: instructions.length });
        const res = await http(part.uploadUrl, {
          method: 'PUT',
          headers: { 'content-type': 'application/octet-stream' },
          body: ctx.video.data.subarray(part.firstByte, part.lastByte + 1),
          auth: false,
          timeoutMs: opts.uploadTimeoutMs,
          signal: ctx.signal,
        });
        const etag = res.headers.get('etag');
        if (!etag) throw unexpectedReply(name, `part ${index} was not acknowledged with an ETag`);
        partIds[index] = etag;
        await ctx.save({ ...state });
      }

      if (!state.finalized) {
        await http(`${base}/videos?action=finalizeUpload`, {
          method: 'POST',
          ...json({
            finalizeUploadRequest: {
              video: state.videoUrn,
              uploadToken: state.uploadToken ?? '',
              uploadedPartIds: partIds,
            },
          }),
          signal: ctx.signal,
        });
        state.finalized = true;
        await ctx.save({ ...state });
      }

      const deadline = Date.now() + opts.processingTimeoutMs;
      for (;;) {
        const res = await http(`${base}/videos/${encodeURIComponent(state.videoUrn!)}`, { signal: ctx.signal });
        const status = res.json<{ status?: string }>().status;
        if (status === 'AVAILABLE') break;
        if (status === 'PROCESSING_FAILED')
          throw failure('InvalidInput', `LinkedIn could not process video ${state.videoUrn}`);
        ctx.progress({ stage: 'processing', status });
        if (Date.now() >= deadline) throw failure('ProviderUnavailable', 'LinkedIn is still processing the video');
        await sleep(opts.pollIntervalMs, ctx.signal);
      }

      return post(ctx, state, captionOf(ctx.metadata), { media: { title: ctx.metadata.title, id: state.videoUrn } });
    },

    async publishImage(ctx) {
      const state = { ...ctx.state } as { imageUrn?: string; uploaded?: boolean; postUrn?: string };
      if (state.postUrn) return { externalId: state.postUrn, url: postUrl(state.postUrn) };
      if (!state.imageUrn || !state.uploaded) {
        Object.assign(state, { imageUrn: await uploadImage(ctx.image, ctx.signal), uploaded: true });
        await ctx.save({ ...state });
      }
      return post(ctx, state, postCaptionOf(ctx.text), { media: { id: state.imageUrn, altText: ctx.text.altText } });
    },

    /** Each slide through the Images API (its URN saved as it is sent), then one multiImage post. */
    async publishCarousel(ctx) {
      const state = { ...ctx.state } as { imageUrns?: string[]; postUrn?: string };
      if (state.postUrn) return { externalId: state.postUrn, url: postUrl(state.postUrn) };
      const urns = [...(state.imageUrns ?? [])];
      for (let i = urns.length; i < ctx.slides.length; i++) {
        ctx.progress({ stage: 'uploading', slide: i + 1, slides: ctx.slides.length });
        urns.push(await uploadImage(ctx.slides[i], ctx.signal));
        await ctx.save({ imageUrns: urns });
      }
      state.imageUrns = urns;
      const images = urns.map((id) => ({ id, altText: ctx.text.altText }));
      return post(ctx, state, postCaptionOf(ctx.text), { multiImage: { images } });
    },

    async stats(ref) {
      const urn = encodeURIComponent(ref.externalId);
      // Views are reported for videos only (videoAnalytics refuses another post): image posts count likes and comments.
      const [actions, views] = await Promise.all([
        http(`${base}/socialActions/${urn}`, { signal: ref.signal }),
        ref.state.videoUrn
          ? http(`${base}/videoAnalytics?q=entity&entity=${urn}&type=VIDEO_VIEW&aggregation=ALL`, {
              signal: ref.signal,
            })
          : undefined,
      ]);
      const a = actions.json<{
        likesSummary?: { totalLikes?: number };
        commentsSummary?: { aggregatedTotalComments?: number; totalFirstLevelComments?: number };
      }>();
      const elements = views?.json<{ elements?: { value?: number }[] }>().elements ?? [];
      return {
        views: elements.reduce((sum, e) => sum + count(e.value), 0),
        likes: count(a.likesSummary?.totalLikes),
        comments: count(a.commentsSummary?.aggregatedTotalComments ?? a.commentsSummary?.totalFirstLevelComments),
      };
    },
  };
}
