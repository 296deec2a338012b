/**
 * X API v2 with an OAuth 2 user token (scopes tweet.write, media.write; https://docs.x.com/x-api/media):
 *
 * 1. `POST {upload}/2/media/upload/initialize` (JSON: media_type, total_bytes, media_category `tweet_video`) →
 *    `data.id`, `data.expires_after_secs`. Saved at once.
 * 2. `POST {upload}/2/media/upload/{id}/append` per segment (multipart: `media`, `segment_index` from 0), each saved.
 * 3. `POST {upload}/2/media/upload/{id}/finalize` → `data.processing_info` (`pending`/`in_progress`/`succeeded`/
 *    `failed`); then `GET {upload}/2/media/upload?command=STATUS&media_id={id}` after each `check_after_secs` until
 *    it succeeds.
 * 4. `POST {api}/2/tweets` with `{ text, media: { media_ids: [id] } }` → 201 `data.id`.
 *
 * A social post's image takes the same upload with `media_category` `tweet_image` (X answers no processing_info for
 * images, so nothing is awaited). A carousel uploads each slide so (each upload's state saved apart) and posts them
 * on one post, `media_ids` in order; X takes at most 4, so a longer carousel arrives cut by `carouselSlidesFor`
 * (the first three slides and the last).
 *
 * Stats: `GET {api}/2/tweets/{id}?tweet.fields=public_metrics` (impression_count, like_count, reply_count).
 * Errors are RFC 7807 problems (`title`, `detail`) or `{ errors: [{ message }] }`; 429s carry `x-rate-limit-reset`
 * (epoch seconds) instead of Retry-After.
 */
import {
  blobOf,
  createHttpClient,
  parseJson,
  sleep,
  unexpectedReply,
  type ErrorReader,
  type TokenSource,
} from './http';
import { captionOf, count, postCaptionOf, type PlatformClient, type PublishContext } from './platform-client.port';

/** What an upload needs of the activity's context, for a video or an image. */
type Checkpoints = Pick<PublishContext, 'save' | 'progress' | 'signal'>;
import { failure } from '../../lib/failures';

export interface XClientOptions {
  /** https://api.x.com */
  apiBaseUrl: string;
  /** https://api.x.com (media upload). */
  uploadBaseUrl: string;
  auth: TokenSource;
  /** Segment size, at most 5 MB; default 4 MiB. */
  chunkBytes?: number;
  timeoutMs: number;
  uploadTimeoutMs: number;
  pollIntervalMs: number;
  processingTimeoutMs: number;
}

interface XState {
  mediaId?: string;
  /** epoch ms */
  expiresAt?: number;
  /** Segments appended so far. */
  segments?: number;
  finalized?: boolean;
  tweetId?: string;
}

interface ProcessingInfo {
  state?: 'pending' | 'in_progress' | 'succeeded' | 'failed';
  check_after_secs?: number;
  progress_percent?: number;
  error?: { code?: number; name?: string; message?: string };
}

export const readXError: ErrorReader = (status, body, headers) => {
  const parsed = parseJson(body) as
    { title?: string; detail?: string; errors?: { message?: string; detail?: string }[] } | undefined;
  const message =
    parsed?.detail ??
    parsed?.errors?.map((e) => e.message ?? e.detail).find(Boolean) ??
    parsed?.title ??
    body.slice(0, 300);
  const reset = Number(headers.get('x-rate-limit-reset'));
  const retryAfterMs =
    status === 429 && Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : undefined;
  // "duplicate content" is a 403 about the text, not about the token.
  const kind = status === 403 && /duplicate/i.test(message) ? ('invalid' as const) : undefined;
  return { message, retryAfterMs, kind };
};

export function createXClient(opts: XClientOptions): PlatformClient {
  const name = 'X';
  const api = opts.apiBaseUrl.replace(/\/+$/, '');
  const upload = `${opts.uploadBaseUrl.replace(/\/+$/, '')}/2/media/upload`;
  const chunkBytes = opts.chunkBytes ?? 4 * 1024 * 1024;
  if (chunkBytes <= 0 || chunkBytes > 5 * 1024 * 1024)
    throw new Error('X segment size must be between 1 byte and 5 MB');
  const http = createHttpClient({ provider: name, timeoutMs: opts.timeoutMs, auth: opts.auth, readError: readXError });
  const tweetUrl = (id: string) => `https://x.com/i/web/status/${encodeURIComponent(id)}`;

  async function waitForProcessing(mediaId: string, info: ProcessingInfo | undefined, ctx: Checkpoints) {
    const deadline = Date.now() + opts.processingTimeoutMs;
    while (info && info.state !== 'succeeded') {
      if (info.state === 'failed')
        throw failure(
          'InvalidInput',
          `X could not process the video: ${info.error?.message ?? info.error?.name ?? 'no reason given'}`,
        );
      ctx.progress({ stage: 'processing', percent: info.progress_percent });
      if (Date.now() >= deadline) throw failure('ProviderUnavailable', 'X is still processing the video');
      await sleep(info.check_after_secs ? info.check_after_secs * 1000 : opts.pollIntervalMs, ctx.signal);
      const res = await http(`${upload}?command=STATUS&media_id=${encodeURIComponent(mediaId)}`, {
        signal: ctx.signal,
      });
      info = res.json<{ data?: { processing_info?: ProcessingInfo } }>().data?.processing_info;
    }
  }

  /** The media upload (initialize, append per segment, finalize, wait), resuming from the saved state. */
  async function uploadMedia(ctx: Checkpoints, state: XState, data: Buffer, mediaType: string, category: string) {
    const total = data.byteLength;
    const segments = Math.ceil(total / chunkBytes);

    // Media not yet finalized expires; begin again rather than append to a session X has dropped.
    if (!state.mediaId || (!state.finalized && (state.expiresAt ?? 0) < Date.now() + 60_000)) {
      const res = await http(`${upload}/initialize`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ media_type: mediaType, total_bytes: total, media_category: category }),
        signal: ctx.signal,
      });
      const created = res.json<{ data?: { id?: string; expires_after_secs?: number } }>().data;
      if (!created?.id) throw unexpectedReply(name, 'initialize returned no media id');
      Object.assign(state, {
        mediaId: created.id,
        expiresAt: Date.now() + (created.expires_after_secs ?? 3600) * 1000,
        segments: 0,
        finalized: false,
      });
      await ctx.save({ ...state });
    }
    const mediaId = state.mediaId!;

    for (let index = state.segments ?? 0; index < segments; index++) {
      ctx.progress({ stage: 'uploading', segment: index, segments });
      const body = new FormData();
      body.set('segment_index', String(index));
      const chunk = data.subarray(index * chunkBytes, Math.min(total, (index + 1) * chunkBytes));
      body.set('media', blobOf(chunk, 'application/octet-stream'), 'chunk');
      await http(`${upload}/${encodeURIComponent(mediaId)}/append`, {
        method: 'POST',
        body,
        timeoutMs: opts.uploadTimeoutMs,
        signal: ctx.signal,
      });
      state.segments = index + 1;
      await ctx.save({ ...state });
    }

    let info: ProcessingInfo | undefined;
    if (!state.finalized) {
      const res = await http(`${upload}/${encodeURIComponent(mediaId)}/finalize`, {
        method: 'POST',
        signal: ctx.signal,
      });
      info = res.json<{ data?: { processing_info?: ProcessingInfo } }>().data?.processing_info;
      state.finalized = true;
      await ctx.save({ ...state });
    } else {
      const res = await http(`${upload}?command=STATUS&media_id=${encodeURIComponent(mediaId)}`, {
        signal: ctx.signal,
      });
      info = res.json<{ data?: { processing_info?: ProcessingInfo } }>().data?.processing_info;
    }
    await waitForProcessing(mediaId, info, ctx);
    return mediaId;
  }

  async function post(ctx: Checkpoints, state: object, text: string, mediaIds: string[]) {
    const res = await http(`${api}/2/tweets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, media: { media_ids: mediaIds } }),
      signal: ctx.signal,
    });
    const tweetId = res.json<{ data?: { id?: string } }>().data?.id;
    if (!tweetId) throw unexpectedReply(name, 'the post was created without an id');
    await ctx.save({ ...state, tweetId }, tweetId);
    return { externalId: tweetId, url: tweetUrl(tweetId) };
  }

  return {
    platform: 'x',
    name,

    async publish(ctx) {
      const state = { ...ctx.state } as XState;
      if (state.tweetId) return { externalId: state.tweetId, url: tweetUrl(state.tweetId) };
      const mediaId = await uploadMedia(ctx, state, ctx.video.data, ctx.video.contentType, 'tweet_video');
      return post(ctx, state, captionOf(ctx.metadata), [mediaId]);
    },

    async publishImage(ctx) {
      const state = { ...ctx.state } as XState;
      if (state.tweetId) return { externalId: state.tweetId, url: tweetUrl(state.tweetId) };
      const mediaId = await uploadMedia(ctx, state, ctx.image.data, ctx.image.contentType, 'tweet_image');
      return post(ctx, state, postCaptionOf(ctx.text), [mediaId]);
    },

    /** Each slide's upload resumes from its own saved state; one post carries them all. */
    async publishCarousel(ctx) {
      const saved = { ...ctx.state } as { slides?: XState[]; tweetId?: string };
      if (saved.tweetId) return { externalId: saved.tweetId, url: tweetUrl(saved.tweetId) };
      if (ctx.slides.length > 4) throw failure('InvalidInput', `X takes at most 4 images; got ${ctx.slides.length}`);
      const slides = ctx.slides.map((_, i) => ({ ...(saved.slides?.[i] ?? {}) }));
      const mediaIds: string[] = [];
      for (const [i, slide] of ctx.slides.entries()) {
        const checkpoints: Checkpoints = {
          ...ctx,
          save: async (state) => {
            slides[i] = state as XState;
            await ctx.save({ slides });
          },
          progress: (details) => ctx.progress({ ...details, slide: i + 1, slides: ctx.slides.length }),
        };
        mediaIds.push(await uploadMedia(checkpoints, slides[i], slide.data, slide.contentType, 'tweet_image'));
      }
      return post(ctx, { slides }, postCaptionOf(ctx.text), mediaIds);
    },

    async stats(ref) {
      const res = await http(`${api}/2/tweets/${encodeURIComponent(ref.externalId)}?tweet.fields=public_metrics`, {
        signal: ref.signal,
      });
      // A deleted post answers 200 with `errors` and no `data`.
      const body = res.json<{ data?: { public_metrics?: Record<string, number> }; errors?: { detail?: string }[] }>();
      if (!body.data)
        throw failure(
          'NotFound',
          `X: post ${ref.externalId} is not available (${body.errors?.[0]?.detail ?? 'no details'})`,
        );
      const m = body.data.public_metrics ?? {};
      return { views: count(m.impression_count), likes: count(m.like_count), comments: count(m.reply_count) };
    },
  };
}
