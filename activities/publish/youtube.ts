/**
 * YouTube Data API v3, resumable upload (https://developers.google.com/youtube/v3/guides/using_resumable_upload_protocol):
 *
 * 1. `POST {base}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status` with the video resource as JSON
 *    and `X-Upload-Content-Length`/`X-Upload-Content-Type`: 200 and the session URI in `Location`. The URI is saved
 *    before any byte is sent.
 * 2. `PUT <session URI>` per chunk (a multiple of 256 KiB) with `Content-Range: bytes <first>-<last>/<total>`: 308
 *    Resume Incomplete with `Range: bytes=0-<last received>` until the last chunk, which answers 200/201 and the video
 *    resource (its `id`).
 * 3. A dropped chunk or a retried attempt asks where the upload stands with an empty `PUT` and
 *    `Content-Range: bytes *\/<total>` and resumes after the last byte YouTube has (or gets the finished resource);
 *    a session YouTube no longer knows (404/410) starts a new one.
 *
 * Stats: `GET {base}/youtube/v3/videos?part=statistics&id=<id>` (viewCount, likeCount, commentCount as strings).
 */
import { ApplicationFailure } from '@temporalio/common';
import {
  createHttpClient,
  parseJson,
  sleep,
  unexpectedReply,
  type ErrorReader,
  type HttpResponse,
  type TokenSource,
} from './http';
import { captionOf, count, type PlatformClient, type PublishContext } from './platform-client.port';
import { failure } from '../../lib/failures';

export const YOUTUBE_CHUNK_UNIT = 256 * 1024;

export interface YouTubeClientOptions {
  /** https://www.googleapis.com */
  baseUrl: string;
  auth: TokenSource;
  privacyStatus: 'public' | 'unlisted' | 'private';
  /** Video category id; 22 is "People & Blogs". */
  categoryId: string;
  /** A multiple of 256 KiB; default 8 MiB. */
  chunkBytes?: number;
  timeoutMs: number;
  /** Per chunk. */
  uploadTimeoutMs: number;
  /** Resumes within one attempt after a dropped chunk before the attempt fails (and Temporal retries). */
  chunkRetries?: number;
  /** Pause before asking where a dropped upload stands; doubles per consecutive drop. */
  resumeDelayMs?: number;
}

interface YouTubeState {
  sessionUri?: string;
  videoId?: string;
}

interface GoogleError {
  error?: { code?: number; message?: string; errors?: { reason?: string; message?: string }[] };
}

const QUOTA_REASONS = new Set(['quotaExceeded', 'dailyLimitExceeded', 'uploadLimitExceeded']);
const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);

export const readGoogleError: ErrorReader = (_status, body) => {
  const parsed = parseJson(body) as GoogleError | undefined;
  const reasons = (parsed?.error?.errors ?? []).map((e) => e.reason ?? '');
  const kind = reasons.some((r) => QUOTA_REASONS.has(r))
    ? 'quota'
    : reasons.some((r) => RATE_REASONS.has(r))
      ? 'rate'
      : undefined;
  const reason = reasons.filter(Boolean).join(', ');
  const message = parsed?.error?.message;
  return { message: message ? `${message}${reason ? ` (${reason})` : ''}` : body.slice(0, 300), kind };
};

/** The offset after the last byte YouTube has, from a 308's `Range: bytes=0-<last>` (none yet: 0). */
export function nextOffset(range: string | null): number {
  const match = /bytes=\d+-(\d+)/.exec(range ?? '');
  return match ? Number(match[1]) + 1 : 0;
}

export function createYouTubeClient(opts: YouTubeClientOptions): PlatformClient {
  const name = 'YouTube';
  const base = opts.baseUrl.replace(/\/+$/, '');
  const chunkBytes = opts.chunkBytes ?? 32 * YOUTUBE_CHUNK_UNIT;
  if (chunkBytes <= 0 || chunkBytes % YOUTUBE_CHUNK_UNIT !== 0)
    throw new Error(`YouTube chunk size must be a positive multiple of ${YOUTUBE_CHUNK_UNIT} bytes`);
  const http = createHttpClient({
    provider: name,
    timeoutMs: opts.timeoutMs,
    auth: opts.auth,
    readError: readGoogleError,
  });
  const chunkRetries = opts.chunkRetries ?? 3;
  const resumeDelayMs = opts.resumeDelayMs ?? 1000;

  const watchUrl = (id: string) => `https://www.youtube.com/watch?v=${encodeURIComponent(id)}`;

  function videoIdOf(res: HttpResponse): string {
    const id = res.json<{ id?: string }>().id;
    if (!id) throw unexpectedReply(name, 'the finished upload has no video id');
    return id;
  }

  async function startSession(ctx: PublishContext): Promise<string> {
    const { metadata, video } = ctx;
    const res = await http(`${base}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=UTF-8',
        'x-upload-content-length': String(video.bytes),
        'x-upload-content-type': video.contentType,
      },
      body: JSON.stringify({
        snippet: {
          title: metadata.title,
          description: captionOf(metadata),
          tags: metadata.hashtags.map((t) => t.replace(/^#/, '')),
          categoryId: opts.categoryId,
        },
        status: { privacyStatus: opts.privacyStatus, selfDeclaredMadeForKids: false },
      }),
      signal: ctx.signal,
    });
    const location = res.headers.get('location');
    if (!location) throw unexpectedReply(name, 'no upload session URI (Location header)');
    return location;
  }

  /** Where the session stands: the finished video's id, the next offset, or null when YouTube forgot it. */
  async function queryUpload(
    sessionUri: string,
    ctx: PublishContext,
  ): Promise<{ videoId: string } | { offset: number } | null> {
    const res = await http(sessionUri, {
      method: 'PUT',
      headers: { 'content-range': `bytes */${ctx.video.bytes}`, 'content-length': '0' },
      accept: [308, 404, 410],
      signal: ctx.signal,
    });
    if (res.status === 404 || res.status === 410) return null;
    if (res.status === 308) return { offset: nextOffset(res.headers.get('range')) };
    return { videoId: videoIdOf(res) };
  }

  return {
    platform: 'youtube',
    name,

    async publish(ctx) {
      const state = { ...ctx.state } as YouTubeState;
      const done = async (videoId: string) => {
        await ctx.save({ ...state, videoId }, videoId);
        return { externalId: videoId, url: watchUrl(videoId) };
      };
      if (state.videoId) return { externalId: state.videoId, url: watchUrl(state.videoId) };

      let offset = 0;
      if (state.sessionUri) {
        const where = await queryUpload(state.sessionUri, ctx);
        if (where && 'videoId' in where) return done(where.videoId);
        if (where) offset = where.offset;
        else state.sessionUri = undefined;
      }
      if (!state.sessionUri) {
        state.sessionUri = await startSession(ctx);
        await ctx.save({ ...state });
      }
      const sessionUri = state.sessionUri;
      const total = ctx.video.bytes;
      let drops = 0;
      for (;;) {
        const end = Math.min(offset + chunkBytes, total);
        ctx.progress({ stage: 'uploading', offset, total });
        let res: HttpResponse;
        try {
          res = await http(sessionUri, {
            method: 'PUT',
            headers: {
              'content-type': ctx.video.contentType,
              'content-range': `bytes ${offset}-${end - 1}/${total}`,
            },
            body: ctx.video.data.subarray(offset, end),
            accept: [308],
            timeoutMs: opts.uploadTimeoutMs,
            signal: ctx.signal,
          });
        } catch (err) {
          // A dropped chunk (5xx, reset, timeout): ask YouTube what it has and go on from there.
          if (!(err instanceof ApplicationFailure) || err.nonRetryable || drops >= chunkRetries) throw err;
          drops += 1;
          await sleep(resumeDelayMs * 2 ** (drops - 1), ctx.signal);
          const where = await queryUpload(sessionUri, ctx);
          if (!where) throw unexpectedReply(name, 'the upload session expired during the upload');
          if ('videoId' in where) return done(where.videoId);
          offset = where.offset;
          continue;
        }
        if (res.status === 308) {
          const next = nextOffset(res.headers.get('range'));
          // YouTube kept less than was sent: resend the rest, but not forever.
          if (next < end && ++drops > chunkRetries)
            throw unexpectedReply(name, `the upload does not advance past ${next}`);
          if (next >= end) drops = 0;
          offset = next;
          continue;
        }
        return done(videoIdOf(res));
      }
    },

    async stats(ref) {
      const res = await http(`${base}/youtube/v3/videos?part=statistics&id=${encodeURIComponent(ref.externalId)}`, {
        signal: ref.signal,
      });
      const item = res.json<{ items?: { id: string; statistics?: Record<string, string> }[] }>().items?.[0];
      if (!item) throw failure('NotFound', `YouTube: video ${ref.externalId} no longer exists`);
      const s = item.statistics ?? {};
      return { views: count(s.viewCount), likes: count(s.likeCount), comments: count(s.commentCount) };
    },
  };
}
