/**
 * Meta Graph API: Facebook Page videos and Instagram Reels (https://developers.facebook.com/docs/graph-api).
 *
 * Facebook: `POST {video base}/{version}/{page-id}/videos` as multipart (`source` = the file, `title`,
 * `description`) → `{ id }`, saved at once. Stats: `GET /{video-id}?fields=likes.summary(true).limit(0),
 * comments.summary(true).limit(0)` and `GET /{video-id}/video_insights?metric=total_video_views`.
 *
 * Instagram (content publishing): `POST /{ig-user-id}/media` with `media_type=REELS`, `video_url` (a public URL Meta
 * downloads the video from) and `caption` → a container id, saved at once; `GET /{container-id}?fields=status_code,
 * status` until `FINISHED` (`ERROR` fails with Meta's reason, `EXPIRED` makes a new container); `POST
 * /{ig-user-id}/media_publish` with `creation_id` → the media id, saved at once; `GET /{media-id}?fields=permalink`.
 * A retry that finds its container already `PUBLISHED` (the crash fell between publishing and saving the media id)
 * finds the media among the account's latest by its caption instead of publishing again. Stats: `GET /{media-id}?
 * fields=like_count,comments_count` and `GET /{media-id}/insights?metric=views`.
 *
 * Social post images: Facebook `POST /{page-id}/photos` (multipart `source`, `message`, `published=true`) → `{ id,
 * post_id }`; Instagram the same container flow with `image_url` (+ `caption`, `alt_text`), or `media_type=STORIES`
 * for a story.
 *
 * Carousels: Facebook uploads each slide unpublished (`published=false` → `{ id }`, each saved), then `POST
 * /{page-id}/feed` with `message` and `attached_media[i]={"media_fbid":"<id>"}` in order → `{ id }` (the post).
 * Instagram makes one item container per slide (`image_url`, `is_carousel_item=true`, each saved and awaited until
 * FINISHED), then a `media_type=CAROUSEL` container with `children` (the item ids, comma-separated, in order) and the
 * caption, and publishes that one as above.
 *
 * Errors are `{ error: { message, type, code, error_subcode, is_transient } }`, often with HTTP 400 whatever the
 * cause: code 190/102 (and OAuthException permissions 10, 200-299) mean the token, 4/17/32/613 and 80001+ rate
 * limits, 368 a policy block.
 */
import {
  blobOf,
  createHttpClient,
  parseJson,
  sleep,
  unexpectedReply,
  type ErrorReader,
  type FailureKind,
  type HttpClient,
  type TokenSource,
} from './http';
import { captionOf, count, postCaptionOf, type PlatformClient, type PublishContext } from './platform-client.port';
import { failure } from '../../lib/failures';

export interface MetaClientOptions {
  /** https://graph.facebook.com */
  graphBaseUrl: string;
  /** https://graph-video.facebook.com (Facebook video uploads). */
  videoBaseUrl: string;
  /** e.g. v23.0 */
  apiVersion: string;
  auth: TokenSource;
  timeoutMs: number;
  uploadTimeoutMs: number;
  pollIntervalMs: number;
  /** How long one attempt waits for Instagram to process a container before it fails retryably. */
  processingTimeoutMs: number;
}

interface MetaError {
  error?: { message?: string; type?: string; code?: number; error_subcode?: number; is_transient?: boolean };
}

const RATE_CODES = new Set([4, 17, 32, 613]);

export const readMetaError: ErrorReader = (status, body) => {
  const error = (parseJson(body) as MetaError | undefined)?.error;
  if (!error) return { message: body.slice(0, 300) };
  const code = error.code ?? 0;
  let kind: FailureKind | undefined;
  if (code === 190 || code === 102 || (error.type === 'OAuthException' && (code === 10 || (code >= 200 && code < 300))))
    kind = 'auth';
  else if (RATE_CODES.has(code) || (code >= 80001 && code <= 80014)) kind = 'rate';
  else if (code === 368) kind = 'rejected';
  else if (error.is_transient || code === 1 || code === 2) kind = 'unavailable';
  else if (status === 400) kind = 'invalid';
  const sub = error.error_subcode ? `/${error.error_subcode}` : '';
  return { message: `${error.message ?? 'error'} (${error.type ?? 'Error'} ${code}${sub})`, kind };
};

function graph(opts: MetaClientOptions, provider: string, timeoutMs = opts.timeoutMs): HttpClient {
  return createHttpClient({ provider, timeoutMs, auth: opts.auth, readError: readMetaError });
}

const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

export function createFacebookClient(opts: MetaClientOptions & { pageId: string }): PlatformClient {
  const name = 'Facebook';
  const api = `${opts.graphBaseUrl.replace(/\/+$/, '')}/${opts.apiVersion}`;
  const videoApi = `${opts.videoBaseUrl.replace(/\/+$/, '')}/${opts.apiVersion}`;
  const http = graph(opts, name);
  const videoUrl = (id: string) =>
    `https://www.facebook.com/${encodeURIComponent(opts.pageId)}/videos/${encodeURIComponent(id)}/`;

  return {
    platform: 'facebook',
    name,

    async publish(ctx) {
      const state = ctx.state as { videoId?: string };
      if (state.videoId) return { externalId: state.videoId, url: videoUrl(state.videoId) };
      const body = new FormData();
      body.set('title', ctx.metadata.title);
      body.set('description', captionOf(ctx.metadata));
      body.set('source', blobOf(ctx.video.data, ctx.video.contentType), 'video.mp4');
      ctx.progress({ stage: 'uploading', total: ctx.video.bytes });
      const res = await http(`${videoApi}/${encodeURIComponent(opts.pageId)}/videos`, {
        method: 'POST',
        body,
        timeoutMs: opts.uploadTimeoutMs,
        signal: ctx.signal,
      });
      const id = res.json<{ id?: string }>().id;
      if (!id) throw unexpectedReply(name, 'the upload returned no video id');
      await ctx.save({ videoId: id }, id);
      return { externalId: id, url: videoUrl(id) };
    },

    async publishImage(ctx) {
      if (typeof ctx.state.postId === 'string')
        return { externalId: ctx.state.postId, url: `https://www.facebook.com/${ctx.state.postId}` };
      const body = new FormData();
      body.set('source', blobOf(ctx.image.data, ctx.image.contentType), 'image.png');
      body.set('message', postCaptionOf(ctx.text));
      body.set('alt_text_custom', ctx.text.altText);
      body.set('published', 'true');
      const res = await http(`${api}/${encodeURIComponent(opts.pageId)}/photos`, {
        method: 'POST',
        body,
        timeoutMs: opts.uploadTimeoutMs,
        signal: ctx.signal,
      });
      const { id, post_id: postId } = res.json<{ id?: string; post_id?: string }>();
      if (!id || !postId) throw unexpectedReply(name, 'the photo upload returned no id or post_id');
      await ctx.save({ photoId: id, postId }, postId);
      return { externalId: postId, url: `https://www.facebook.com/${postId}` };
    },

    /** Unpublished photos first (their ids saved one by one, so a retry uploads only the rest), then one feed post. */
    async publishCarousel(ctx) {
      const state = { ...ctx.state } as { photoIds?: string[]; postId?: string };
      if (state.postId) return { externalId: state.postId, url: `https://www.facebook.com/${state.postId}` };
      const photoIds = [...(state.photoIds ?? [])];
      for (let i = photoIds.length; i < ctx.slides.length; i++) {
        ctx.progress({ stage: 'uploading', slide: i + 1, slides: ctx.slides.length });
        const body = new FormData();
        body.set('source', blobOf(ctx.slides[i].data, ctx.slides[i].contentType), `slide-${i + 1}.png`);
        body.set('alt_text_custom', ctx.text.altText);
        body.set('published', 'false');
        const res = await http(`${api}/${encodeURIComponent(opts.pageId)}/photos`, {
          method: 'POST',
          body,
          timeoutMs: opts.uploadTimeoutMs,
          signal: ctx.signal,
        });
        const id = res.json<{ id?: string }>().id;
        if (!id) throw unexpectedReply(name, `the upload of slide ${i + 1} returned no photo id`);
        photoIds.push(id);
        await ctx.save({ photoIds });
      }
      const fields: Record<string, string> = { message: postCaptionOf(ctx.text) };
      photoIds.forEach((id, i) => (fields[`attached_media[${i}]`] = JSON.stringify({ media_fbid: id })));
      const res = await http(`${api}/${encodeURIComponent(opts.pageId)}/feed`, {
        method: 'POST',
        ...form(fields),
        signal: ctx.signal,
      });
      const postId = res.json<{ id?: string }>().id;
      if (!postId) throw unexpectedReply(name, 'the feed post returned no id');
      await ctx.save({ photoIds, postId }, postId);
      return { externalId: postId, url: `https://www.facebook.com/${postId}` };
    },

    async stats(ref) {
      const id = encodeURIComponent(ref.externalId);
      const fields = encodeURIComponent('likes.summary(true).limit(0),comments.summary(true).limit(0)');
      const [engagement, insights] = await Promise.all([
        http(`${api}/${id}?fields=${fields}`, { signal: ref.signal }),
        http(`${api}/${id}/video_insights?metric=total_video_views`, { signal: ref.signal }),
      ]);
      const e = engagement.json<{
        likes?: { summary?: { total_count?: number } };
        comments?: { summary?: { total_count?: number } };
      }>();
      return {
        views: insightValue(insights.json(), 'total_video_views'),
        likes: count(e.likes?.summary?.total_count),
        comments: count(e.comments?.summary?.total_count),
      };
    },
  };
}

/** `{ data: [{ name, values: [{ value }] }] }`, or the newer `total_value: { value }`. */
function insightValue(body: unknown, metric: string): number {
  const data = (
    body as { data?: { name?: string; values?: { value?: unknown }[]; total_value?: { value?: unknown } }[] }
  )?.data;
  const item = data?.find((d) => d.name === metric) ?? data?.[0];
  if (!item) return 0;
  return count(item.total_value?.value ?? item.values?.[item.values.length - 1]?.value);
}

interface InstagramState {
  containerId?: string;
  mediaId?: string;
  /** A carousel's item containers, by slide. */
  items?: string[];
}

export function createInstagramClient(opts: MetaClientOptions & { igUserId: string }): PlatformClient {
  const name = 'Instagram';
  const api = `${opts.graphBaseUrl.replace(/\/+$/, '')}/${opts.apiVersion}`;
  const user = encodeURIComponent(opts.igUserId);
  const http = graph(opts, name);

  async function permalink(mediaId: string, signal: AbortSignal): Promise<string> {
    const res = await http(`${api}/${encodeURIComponent(mediaId)}?fields=permalink`, { signal });
    return res.json<{ permalink?: string }>().permalink ?? `https://www.instagram.com/`;
  }

  /** The media a container became, by caption among the account's latest posts. */
  async function findPublished(caption: string, signal: AbortSignal): Promise<string | undefined> {
    const res = await http(`${api}/${user}/media?fields=id,caption&limit=25`, { signal });
    return res.json<{ data?: { id: string; caption?: string }[] }>().data?.find((m) => m.caption === caption)?.id;
  }

  /** Waits for the container; the status code it ended in. */
  async function processed(containerId: string, ctx: Pick<PublishContext, 'progress' | 'signal'>): Promise<string> {
    const deadline = Date.now() + opts.processingTimeoutMs;
    for (;;) {
      const res = await http(`${api}/${encodeURIComponent(containerId)}?fields=status_code,status`, {
        signal: ctx.signal,
      });
      const { status_code: code, status } = res.json<{ status_code?: string; status?: string }>();
      if (code === 'ERROR')
        throw failure('InvalidInput', `Instagram could not process the media: ${status ?? 'no reason given'}`);
      if (code && code !== 'IN_PROGRESS') return code;
      ctx.progress({ stage: 'processing', containerId });
      if (Date.now() >= deadline) throw failure('ProviderUnavailable', 'Instagram is still processing the media');
      await sleep(opts.pollIntervalMs, ctx.signal);
    }
  }

  /**
   * Container → processed → media_publish, resuming from the saved container or media id. `fields` makes the
   * container (asked again once when the first expired).
   */
  async function publishContainer(
    ctx: Pick<PublishContext, 'state' | 'save' | 'progress' | 'signal'>,
    caption: string,
    fields: () => Promise<Record<string, string>>,
  ) {
    const state = { ...ctx.state } as InstagramState;
    const finish = async (mediaId: string) => {
      await ctx.save({ ...state, mediaId }, mediaId);
      return { externalId: mediaId, url: await permalink(mediaId, ctx.signal) };
    };
    if (state.mediaId) return { externalId: state.mediaId, url: await permalink(state.mediaId, ctx.signal) };

    for (let containers = 0; ; containers++) {
      if (!state.containerId) {
        const res = await http(`${api}/${user}/media`, { method: 'POST', ...form(await fields()), signal: ctx.signal });
        const id = res.json<{ id?: string }>().id;
        if (!id) throw unexpectedReply(name, 'no container id');
        state.containerId = id;
        await ctx.save({ ...state });
      }
      const code = await processed(state.containerId, ctx);
      if (code === 'EXPIRED' && containers === 0) {
        state.containerId = undefined;
        continue;
      }
      if (code === 'PUBLISHED') {
        const mediaId = await findPublished(caption, ctx.signal);
        if (!mediaId)
          throw failure(
            'NotFound',
            `Instagram says container ${state.containerId} is published, but no recent post has its caption`,
          );
        return finish(mediaId);
      }
      if (code !== 'FINISHED') throw unexpectedReply(name, `container status ${code}`);
      break;
    }
    const res = await http(`${api}/${user}/media_publish`, {
      method: 'POST',
      ...form({ creation_id: state.containerId! }),
      signal: ctx.signal,
    });
    const mediaId = res.json<{ id?: string }>().id;
    if (!mediaId) throw unexpectedReply(name, 'media_publish returned no media id');
    return finish(mediaId);
  }

  return {
    platform: 'instagram',
    name,

    async publish(ctx) {
      const caption = captionOf(ctx.metadata);
      return publishContainer(ctx, caption, async () => ({
        media_type: 'REELS',
        video_url: await ctx.video.publicUrl(),
        caption,
        share_to_feed: 'true',
      }));
    },

    /** A feed image (`image_url`, caption, alt text) or a story (`media_type=STORIES`: stories carry no caption). */
    async publishImage(ctx) {
      const story = ctx.format === 'story';
      const caption = story ? '' : postCaptionOf(ctx.text);
      return publishContainer(ctx, caption, async (): Promise<Record<string, string>> => {
        const imageUrl = await ctx.image.publicUrl();
        return story
          ? { media_type: 'STORIES', image_url: imageUrl }
          : { image_url: imageUrl, caption, alt_text: ctx.text.altText };
      });
    },

    /**
     * One item container per slide (saved as each is made, so a retry makes only the missing ones), each awaited
     * until processed, then the CAROUSEL container with the caption, published like a single image.
     */
    async publishCarousel(ctx) {
      const caption = postCaptionOf(ctx.text);
      const state = { ...ctx.state } as InstagramState;
      if (!state.containerId && !state.mediaId) {
        const items = [...(state.items ?? [])];
        for (let i = items.length; i < ctx.slides.length; i++) {
          ctx.progress({ stage: 'uploading', slide: i + 1, slides: ctx.slides.length });
          const fields = { image_url: await ctx.slides[i].publicUrl(), is_carousel_item: 'true' };
          const res = await http(`${api}/${user}/media`, { method: 'POST', ...form(fields), signal: ctx.signal });
          const id = res.json<{ id?: string }>().id;
          if (!id) throw unexpectedReply(name, `no container id for slide ${i + 1}`);
          items.push(id);
          await ctx.save({ ...state, items });
        }
        for (const item of items)
          if ((await processed(item, ctx)) !== 'FINISHED') {
            // An expired item cannot be a child: the next attempt makes them all again.
            await ctx.save({ ...state, items: [] });
            throw failure(
              'ProviderUnavailable',
              `Instagram let carousel item ${item} expire; the items are made again`,
            );
          }
        state.items = items;
      }
      return publishContainer({ ...ctx, state: { ...ctx.state, items: state.items } }, caption, async () => ({
        media_type: 'CAROUSEL',
        children: state.items!.join(','),
        caption,
      }));
    },

    async stats(ref) {
      const id = encodeURIComponent(ref.externalId);
      const [fields, insights] = await Promise.all([
        http(`${api}/${id}?fields=like_count,comments_count`, { signal: ref.signal }),
        http(`${api}/${id}/insights?metric=views`, { signal: ref.signal }),
      ]);
      const f = fields.json<{ like_count?: number; comments_count?: number }>();
      return {
        views: insightValue(insights.json(), 'views'),
        likes: count(f.like_count),
        comments: count(f.comments_count),
      };
    },
  };
}
