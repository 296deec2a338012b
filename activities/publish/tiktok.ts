/**
 * TikTok Content Posting API, direct post from a file (https://developers.tiktok.com/doc/content-posting-api-reference-direct-post):
 *
 * 1. `POST {base}/v2/post/publish/creator_info/query/` → the privacy levels the creator may use, their username and
 *    the longest video they may post (TikTok requires asking before each post).
 * 2. `POST {base}/v2/post/publish/video/init/` with `post_info` (title = caption, privacy_level…) and `source_info`
 *    (`FILE_UPLOAD`, video_size, chunk_size, total_chunk_count) → `data.publish_id`, `data.upload_url` (valid an
 *    hour). Saved at once.
 * 3. `PUT upload_url` per chunk with `Content-Range: bytes <first>-<last>/<total>` (206 until the last, 201). Chunks
 *    are at least 5 MB and at most 64 MB, the last one taking the remainder; a smaller video goes whole.
 * 4. `POST {base}/v2/post/publish/status/fetch/` with `publish_id` until `PUBLISH_COMPLETE` (or
 *    `SEND_TO_USER_INBOX`); `FAILED` fails with `fail_reason`. The post id (`publicaly_available_post_id`, TikTok's
 *    spelling) is only given once moderation of a public post is over; until then the publication's id is the
 *    publish id and the stats reader looks the post id up again.
 *
 * Photo posts (https://developers.tiktok.com/doc/content-posting-api-reference-photo-post): the creator query as
 * above, then `POST {base}/v2/post/publish/content/init/` with `media_type: PHOTO`, `post_mode: DIRECT_POST`,
 * `post_info` (title, description, privacy_level) and `source_info` (`PULL_FROM_URL`, `photo_images`,
 * `photo_cover_index`) → `data.publish_id` (saved at once); TikTok pulls the images itself (JPEG or WebP only, from a
 * URL prefix verified for the app), so they come from the public JPEG copy; then the same status polling. A carousel
 * is the same photo post with every slide's JPEG in `photo_images` (up to 35, in order), the cover first.
 *
 * Stats: `POST {base}/v2/video/query/?fields=id,view_count,like_count,comment_count` with
 * `{ filters: { video_ids: [id] } }`. Every reply is `{ data, error: { code, message, log_id } }`; `error.code` is
 * `ok` on success and names the failure otherwise (access_token_invalid, rate_limit_exceeded, spam_risk_…).
 */
import {
  createHttpClient,
  parseJson,
  platformFailure,
  sleep,
  unexpectedReply,
  type ErrorReader,
  type FailureKind,
  type HttpResponse,
  type TokenSource,
} from './http';
import {
  captionOf,
  count,
  postCaptionOf,
  type ImageSource,
  type PlatformClient,
  type PostText,
  type PublishContext,
  type PublishedOnPlatform,
} from './platform-client.port';
import { failure } from '../../lib/failures';
import type { TikTokPrivacyLevel } from '../../lib/publish-config';

export const TIKTOK_MIN_CHUNK = 5 * 1024 * 1024;
export const TIKTOK_MAX_CHUNK = 64 * 1024 * 1024;

export interface TikTokClientOptions {
  /** https://open.tiktokapis.com */
  baseUrl: string;
  auth: TokenSource;
  privacyLevel: TikTokPrivacyLevel;
  /** 5–64 MB (smaller only against a test server); default 10 MiB. */
  chunkBytes?: number;
  timeoutMs: number;
  uploadTimeoutMs: number;
  pollIntervalMs: number;
  processingTimeoutMs: number;
}

interface TikTokState {
  publishId?: string;
  uploadUrl?: string;
  /** epoch ms */
  uploadUrlExpiresAt?: number;
  chunkSize?: number;
  totalChunks?: number;
  chunksSent?: number;
  username?: string;
  /** Learned after moderation. */
  postId?: string;
}

const AUTH_CODES = /^(access_token_invalid|scope_not_authorized|scope_permission_missed|invalid_client)/;
const RATE_CODES = /^rate_limit_exceeded/;
const UNAVAILABLE_CODES = /^internal_error/;

export const readTikTokError: ErrorReader = (_status, body) => {
  const error = (parseJson(body) as { error?: { code?: string; message?: string } } | undefined)?.error;
  if (!error?.code) return { message: body.slice(0, 300) };
  let kind: FailureKind | undefined;
  if (AUTH_CODES.test(error.code)) kind = 'auth';
  else if (RATE_CODES.test(error.code)) kind = 'rate';
  else if (UNAVAILABLE_CODES.test(error.code)) kind = 'unavailable';
  else if (error.code.startsWith('spam_risk') || error.code === 'reached_active_user_cap') kind = 'rejected';
  return { message: `${error.message || error.code} (${error.code})`, kind };
};

/** JSON with TikTok's int64 post ids kept as strings (they exceed 2^53). */
function parseBigIds<T>(text: string): T {
  return JSON.parse(
    text.replace(/("publicaly_available_post_id"\s*:\s*\[)([^\]]*)\]/g, (_m, head: string, ids: string) => {
      const quoted = ids
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean)
        .map((id) => (id.startsWith('"') ? id : `"${id}"`));
      return `${head}${quoted.join(',')}]`;
    }),
  ) as T;
}

/** chunk_size and total_chunk_count by TikTok's rules: whole below one chunk, the last chunk takes the remainder. */
export function tiktokChunks(size: number, chunkBytes: number): { chunkSize: number; totalChunks: number } {
  if (size <= chunkBytes) return { chunkSize: size, totalChunks: 1 };
  return { chunkSize: chunkBytes, totalChunks: Math.floor(size / chunkBytes) };
}

export function createTikTokClient(opts: TikTokClientOptions): PlatformClient {
  const name = 'TikTok';
  const base = opts.baseUrl.replace(/\/+$/, '');
  const chunkBytes = opts.chunkBytes ?? 10 * 1024 * 1024;
  if (chunkBytes <= 0 || chunkBytes > TIKTOK_MAX_CHUNK) throw new Error('TikTok chunk size must be at most 64 MB');
  const http = createHttpClient({
    provider: name,
    timeoutMs: opts.timeoutMs,
    auth: opts.auth,
    readError: readTikTokError,
  });

  /** A JSON call; TikTok also reports failures with HTTP 200 and a non-`ok` error code. */
  async function call<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const res: HttpResponse = await http(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body: JSON.stringify(body),
      signal,
    });
    const parsed = parseBigIds<{ data?: T; error?: { code?: string; message?: string } }>(res.text);
    if (parsed.error?.code && parsed.error.code !== 'ok') {
      const read = readTikTokError(res.status, res.text, res.headers);
      throw platformFailure(name, res.status, {
        message: read.message ?? parsed.error.code,
        kind: read.kind ?? 'invalid',
      });
    }
    if (parsed.data === undefined) throw unexpectedReply(name, `${path} returned no data`);
    return parsed.data;
  }

  const profileUrl = (username?: string) =>
    username ? `https://www.tiktok.com/@${encodeURIComponent(username)}` : 'https://www.tiktok.com/';
  const videoUrl = (username: string | undefined, postId: string) =>
    username ? `${profileUrl(username)}/video/${encodeURIComponent(postId)}` : `https://www.tiktok.com/video/${postId}`;

  const photoUrl = (username: string | undefined, postId: string) =>
    username ? `${profileUrl(username)}/photo/${encodeURIComponent(postId)}` : `https://www.tiktok.com/photo/${postId}`;

  interface Status {
    status?: string;
    fail_reason?: string;
    publicaly_available_post_id?: string[];
    uploaded_bytes?: number;
  }
  const fetchStatus = (publishId: string, signal?: AbortSignal) =>
    call<Status>('/v2/post/publish/status/fetch/', { publish_id: publishId }, signal);

  /** The creator's username; fails when the configured privacy level is not one the account may use. */
  async function creatorInfo(signal: AbortSignal) {
    const creator = await call<{
      creator_username?: string;
      privacy_level_options?: string[];
      max_video_post_duration_sec?: number;
    }>('/v2/post/publish/creator_info/query/', {}, signal);
    const options = creator.privacy_level_options ?? [];
    if (!options.includes(opts.privacyLevel))
      throw failure(
        'InvalidInput',
        `TikTok: this account may not post with privacy ${opts.privacyLevel}; it allows ${options.join(', ') || 'none'} (TIKTOK_PRIVACY_LEVEL)`,
      );
    return creator;
  }

  /** Polls a publish until TikTok has posted it; the post id once moderation is over, else the publish id. */
  async function awaitPost(
    ctx: Pick<PublishContext, 'save' | 'progress' | 'signal'>,
    state: TikTokState,
    what: string,
    link: (postId: string) => string,
  ): Promise<PublishedOnPlatform> {
    const publishId = state.publishId!;
    const deadline = Date.now() + opts.processingTimeoutMs;
    for (;;) {
      const status = await fetchStatus(publishId, ctx.signal);
      if (status.status === 'FAILED')
        throw failure('InvalidInput', `TikTok could not post the ${what}: ${status.fail_reason ?? 'no reason given'}`);
      if (status.status === 'PUBLISH_COMPLETE' || status.status === 'SEND_TO_USER_INBOX') {
        const postId = status.publicaly_available_post_id?.[0];
        const externalId = postId ?? publishId;
        await ctx.save({ ...state, postId }, externalId);
        return { externalId, url: postId ? link(postId) : profileUrl(state.username) };
      }
      ctx.progress({ stage: 'processing', status: status.status });
      if (Date.now() >= deadline) throw failure('ProviderUnavailable', `TikTok is still processing the ${what}`);
      await sleep(opts.pollIntervalMs, ctx.signal);
    }
  }

  /** A photo post (PULL_FROM_URL); a publish id already saved is only awaited again. */
  async function photoPost(
    ctx: Pick<PublishContext, 'state' | 'save' | 'progress' | 'signal'> & { text: PostText },
    images: ImageSource[],
  ): Promise<PublishedOnPlatform> {
    const state = { ...ctx.state } as TikTokState;
    if (!state.publishId) {
      const creator = await creatorInfo(ctx.signal);
      const photoImages: string[] = [];
      for (const image of images) photoImages.push(await image.publicJpegUrl());
      const data = await call<{ publish_id?: string }>(
        '/v2/post/publish/content/init/',
        {
          media_type: 'PHOTO',
          post_mode: 'DIRECT_POST',
          post_info: {
            // TikTok's photo title is at most 90 characters; the caption with its hashtags goes in the description.
            title: ctx.text.caption.split('\n')[0].slice(0, 90),
            description: postCaptionOf(ctx.text).slice(0, 4000),
            privacy_level: opts.privacyLevel,
            disable_comment: false,
            auto_add_music: true,
          },
          source_info: { source: 'PULL_FROM_URL', photo_images: photoImages, photo_cover_index: 0 },
        },
        ctx.signal,
      );
      if (!data.publish_id) throw unexpectedReply(name, 'content init returned no publish_id');
      Object.assign(state, { publishId: data.publish_id, username: creator.creator_username });
      await ctx.save({ ...state });
    }
    return awaitPost(ctx, state, 'photo', (postId) => photoUrl(state.username, postId));
  }

  async function init(ctx: PublishContext, state: TikTokState): Promise<void> {
    const creator = await creatorInfo(ctx.signal);
    const longest = creator.max_video_post_duration_sec;
    if (longest && ctx.video.durationSeconds > longest)
      throw failure(
        'InvalidInput',
        `TikTok: the video lasts ${Math.ceil(ctx.video.durationSeconds)} s; this account may post at most ${longest} s`,
      );
    const { chunkSize, totalChunks } = tiktokChunks(ctx.video.bytes, chunkBytes);
    const data = await call<{ publish_id?: string; upload_url?: string }>(
      '/v2/post/publish/video/init/',
      {
        post_info: {
          title: captionOf(ctx.metadata),
          privacy_level: opts.privacyLevel,
          disable_duet: false,
          disable_comment: false,
          disable_stitch: false,
          video_cover_timestamp_ms: 1000,
        },
        source_info: {
          source: 'FILE_UPLOAD',
          video_size: ctx.video.bytes,
          chunk_size: chunkSize,
          total_chunk_count: totalChunks,
        },
      },
      ctx.signal,
    );
    if (!data.publish_id || !data.upload_url) throw unexpectedReply(name, 'init returned no publish_id or upload_url');
    Object.assign(state, {
      publishId: data.publish_id,
      uploadUrl: data.upload_url,
      uploadUrlExpiresAt: Date.now() + 55 * 60_000,
      chunkSize,
      totalChunks,
      chunksSent: 0,
      username: creator.creator_username,
    });
    await ctx.save({ ...state });
  }

  return {
    platform: 'tiktok',
    name,

    async publish(ctx) {
      const state = { ...ctx.state } as TikTokState;
      const total = ctx.video.bytes;
      const uploaded = () => state.totalChunks !== undefined && (state.chunksSent ?? 0) >= state.totalChunks;
      if (!state.publishId || (!uploaded() && (state.uploadUrlExpiresAt ?? 0) < Date.now() + 60_000))
        await init(ctx, state);

      const chunkSize = state.chunkSize!;
      const totalChunks = state.totalChunks!;
      for (let index = state.chunksSent ?? 0; index < totalChunks; index++) {
        const first = index * chunkSize;
        const last = index === totalChunks - 1 ? total - 1 : first + chunkSize - 1;
        ctx.progress({ stage: 'uploading', chunk: index, chunks: totalChunks });
        await http(state.uploadUrl!, {
          method: 'PUT',
          headers: {
            'content-type': ctx.video.contentType,
            'content-range': `bytes ${first}-${last}/${total}`,
          },
          body: ctx.video.data.subarray(first, last + 1),
          auth: false,
          timeoutMs: opts.uploadTimeoutMs,
          signal: ctx.signal,
        });
        state.chunksSent = index + 1;
        await ctx.save({ ...state });
      }

      return awaitPost(ctx, state, 'video', (postId) => videoUrl(state.username, postId));
    },

    /** One photo, pulled by TikTok from its public JPEG copy; a publish id already saved is only awaited again. */
    async publishImage(ctx) {
      return photoPost(ctx, [ctx.image]);
    },

    /** Several photos on one post, in order, the first as the cover. */
    async publishCarousel(ctx) {
      return photoPost(ctx, ctx.slides);
    },

    async stats(ref) {
      const state = ref.state as TikTokState;
      let postId = state.postId ?? (ref.externalId.startsWith('v_pub_') ? undefined : ref.externalId);
      let changed: Pick<TikTokState, 'postId'> | undefined;
      if (!postId) {
        // Published before moderation ended: see whether TikTok has the post id now.
        const status = await fetchStatus(state.publishId ?? ref.externalId, ref.signal);
        postId = status.publicaly_available_post_id?.[0];
        if (!postId) return null;
        changed = { postId };
      }
      const data = await call<{
        videos?: { id?: string; view_count?: number; like_count?: number; comment_count?: number }[];
      }>(
        '/v2/video/query/?fields=id,view_count,like_count,comment_count',
        { filters: { video_ids: [postId] } },
        ref.signal,
      );
      const video = data.videos?.find((v) => String(v.id) === postId) ?? data.videos?.[0];
      if (!video) throw failure('NotFound', `TikTok: video ${postId} no longer exists`);
      return {
        views: count(video.view_count),
        likes: count(video.like_count),
        comments: count(video.comment_count),
        ...(changed ? { state: { ...state, ...changed }, url: videoUrl(state.username, postId) } : {}),
      };
    },
  };
}
