/**
 * A local TikTok Content Posting API (open.tiktokapis.com plus its upload host) for direct video posts:
 *
 * - `POST /v2/post/publish/creator_info/query/` → username, privacy_level_options, max_video_post_duration_sec;
 * - `POST /v2/post/publish/video/init/` (`post_info`, `source_info` FILE_UPLOAD with video_size, chunk_size,
 *   total_chunk_count, checked by TikTok's rules: a video below the minimum chunk goes whole, otherwise chunks of at
 *   least `minChunkBytes` (5 MB on TikTok) and total_chunk_count = floor(video_size / chunk_size)) → `publish_id`,
 *   `upload_url`;
 * - `PUT <upload_url>` (no token) with `Content-Range: bytes a-b/total` on chunk boundaries → 206, the last 201;
 * - `POST /v2/post/publish/content/init/` (`media_type: PHOTO`, `post_mode: DIRECT_POST`, `post_info`, `source_info`
 *   PULL_FROM_URL with `photo_images` and `photo_cover_index`) → `publish_id`; TikTok pulls each image (only from
 *   `verifiedUrlPrefix` when set: `url_ownership_unverified`), and a file that is not JPEG or WebP fails the publish
 *   with `file_format_check_failed`, as on TikTok (no PNG);
 * - `POST /v2/post/publish/status/fetch/` → PROCESSING_UPLOAD (PROCESSING_DOWNLOAD for photos), FAILED with
 *   `fail_reason`, then PUBLISH_COMPLETE after `processingPolls` reads
 *   with `publicaly_available_post_id` (int64s written as bare JSON numbers, as TikTok does) unless
 *   `withholdPostIds` (moderation still running);
 * - `POST /v2/video/query/?fields=…` `{ filters: { video_ids } }` → `data.videos[]`;
 * - `GET /v2/user/info/?fields=open_id,display_name,…` → `data.user` (the account behind the token).
 *
 * Every reply is `{ data, error: { code, message, log_id } }`.
 */
import {
  jsonOf,
  randomDigits,
  randomId,
  startFakePlatformServer,
  type FakePlatformControls,
  type FakeReply,
} from './fake-platform-server';

interface Publish {
  publishId: string;
  kind: 'video' | 'photo';
  description?: string;
  photoUrls?: string[];
  /** The photos TikTok pulled, in `photo_images` order. */
  photos?: Buffer[];
  coverIndex?: number;
  failReason?: string;
  uploadId: string;
  title: string;
  privacyLevel: string;
  size: number;
  chunkSize: number;
  totalChunks: number;
  chunks: Map<number, Buffer>;
  status: 'PROCESSING_UPLOAD' | 'PROCESSING_DOWNLOAD' | 'PUBLISH_COMPLETE' | 'FAILED';
  polls: number;
  postId?: string;
  data?: Buffer;
}

export interface FakeTikTokServer extends FakePlatformControls {
  token: string;
  username: string;
  openId: string;
  displayName: string;
  publishes: Map<string, Publish>;
  /** Post ids are given out only when this is false (public posts wait for moderation). */
  withholdPostIds: boolean;
  setStats(postId: string, stats: { views: number; likes: number; comments: number }): void;
}

const CODES: Record<number, [string, string]> = {
  400: ['invalid_params', 'The request parameters are invalid.'],
  401: ['access_token_invalid', 'The access token is invalid or not found in the request.'],
  403: ['scope_not_authorized', 'The user did not authorize the scope required for completing this request.'],
  404: ['not_found', 'Not found.'],
  429: ['rate_limit_exceeded', 'The API rate limit was exceeded. Please try again later.'],
  500: ['internal_error', 'Internal server error.'],
};

export async function startFakeTikTokServer(
  opts: {
    token?: string;
    minChunkBytes?: number;
    processingPolls?: number;
    privacyLevels?: string[];
    /** Photo URLs must start with this (TikTok's verified domain or URL prefix); unset accepts any. */
    verifiedUrlPrefix?: string;
    /** Tokens another server issues now (the fake OAuth provider's), accepted besides `token`. */
    acceptTokens?: () => Iterable<string>;
  } = {},
): Promise<FakeTikTokServer> {
  const token = opts.token ?? 'act.tiktok-test-token';
  const username = 'studioflow_test';
  const openId = `-000${randomId().slice(0, 20)}`;
  const displayName = 'Studioflow Test';
  const minChunk = opts.minChunkBytes ?? 5 * 1024 * 1024;
  const processingPolls = opts.processingPolls ?? 1;
  const privacyLevels = opts.privacyLevels ?? ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'];
  const publishes = new Map<string, Publish>();
  const stats = new Map<string, { views: number; likes: number; comments: number }>();
  const state = { withholdPostIds: false };

  const envelope = (status: number, data: unknown, code = 'ok', message = ''): FakeReply => ({
    status,
    body: { data, error: { code, message, log_id: randomId().slice(0, 24).toUpperCase() } },
  });
  const error = (status: number, message?: string, code?: string): FakeReply => {
    const [defaultCode, defaultMessage] = CODES[status] ?? CODES[500];
    return envelope(status, {}, code ?? defaultCode, message ?? defaultMessage);
  };

  const server = await startFakePlatformServer({
    tokens: () => new Set([token, ...(opts.acceptTokens?.() ?? [])]),
    isPublic: (r) => r.path === '/upload/',
    error: (status, message) => error(status, message),
    handle(req, base) {
      if (req.method === 'PUT' && req.path === '/upload/') {
        const publish = [...publishes.values()].find((p) => p.uploadId === req.query.upload_id);
        if (!publish) return error(404, 'Unknown upload');
        const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(req.headers['content-range'] ?? ''));
        if (!match) return error(400, 'Content-Range is required');
        const [first, last, total] = match.slice(1).map(Number);
        const index = first / publish.chunkSize;
        const expectedLast = index === publish.totalChunks - 1 ? publish.size - 1 : first + publish.chunkSize - 1;
        if (
          total !== publish.size ||
          !Number.isInteger(index) ||
          last !== expectedLast ||
          req.body.length !== last - first + 1
        )
          return error(400, `Content-Range ${first}-${last}/${total} is not a chunk of this upload`);
        publish.chunks.set(index, req.body);
        if (publish.chunks.size < publish.totalChunks) return { status: 206 };
        publish.data = Buffer.concat(
          [...publish.chunks.keys()].sort((a, b) => a - b).map((i) => publish.chunks.get(i)!),
        );
        return { status: 201 };
      }
      if (req.method === 'GET' && req.path === '/v2/user/info/') {
        const fields = String(req.query.fields ?? '').split(',');
        const all: Record<string, string> = { open_id: openId, display_name: displayName, username };
        const user = Object.fromEntries(Object.entries(all).filter(([name]) => fields.includes(name)));
        return envelope(200, { user });
      }
      if (req.method !== 'POST') return error(404, `No route ${req.method} ${req.path}`);
      const body = jsonOf(req);

      switch (req.path) {
        case '/v2/post/publish/creator_info/query/':
          return envelope(200, {
            creator_avatar_url: 'https://p16.tiktokcdn.com/avatar.jpeg',
            creator_username: username,
            creator_nickname: 'Studioflow Test',
            privacy_level_options: privacyLevels,
            comment_disabled: false,
            duet_disabled: false,
            stitch_disabled: true,
            max_video_post_duration_sec: 600,
          });

        case '/v2/post/publish/video/init/': {
          const post = body.post_info ?? {};
          const source = body.source_info ?? {};
          if (!privacyLevels.includes(post.privacy_level))
            return error(400, 'privacy_level is not one of the creator options', 'privacy_level_option_mismatch');
          if (source.source !== 'FILE_UPLOAD') return error(400, 'source_info.source must be FILE_UPLOAD');
          const size = Number(source.video_size);
          const chunkSize = Number(source.chunk_size);
          const totalChunks = Number(source.total_chunk_count);
          const whole = chunkSize === size && totalChunks === 1;
          const chunked =
            chunkSize >= minChunk && chunkSize <= 64 * 1024 * 1024 && totalChunks === Math.floor(size / chunkSize);
          if (!(size > 0) || (size < minChunk ? !whole : !chunked))
            return error(
              400,
              `chunk_size ${chunkSize} and total_chunk_count ${totalChunks} do not fit video_size ${size}`,
            );
          const publishId = `v_pub_file~v2-1.${randomDigits(19)}`;
          const uploadId = randomDigits(19);
          publishes.set(publishId, {
            publishId,
            kind: 'video',
            uploadId,
            title: post.title ?? '',
            privacyLevel: post.privacy_level,
            size,
            chunkSize,
            totalChunks,
            chunks: new Map(),
            status: 'PROCESSING_UPLOAD',
            polls: 0,
          });
          return envelope(200, {
            publish_id: publishId,
            upload_url: `${base}/upload/?upload_id=${uploadId}&upload_token=${randomId()}`,
          });
        }

        case '/v2/post/publish/content/init/': {
          const post = body.post_info ?? {};
          const source = body.source_info ?? {};
          if (body.media_type !== 'PHOTO') return error(400, 'media_type must be PHOTO');
          if (!['DIRECT_POST', 'MEDIA_UPLOAD'].includes(body.post_mode))
            return error(400, 'post_mode must be DIRECT_POST or MEDIA_UPLOAD');
          if (body.post_mode === 'DIRECT_POST' && !privacyLevels.includes(post.privacy_level))
            return error(400, 'privacy_level is not one of the creator options', 'privacy_level_option_mismatch');
          if (String(post.title ?? '').length > 90) return error(400, 'post_info.title is longer than 90 characters');
          if (source.source !== 'PULL_FROM_URL') return error(400, 'source_info.source must be PULL_FROM_URL');
          const urls: unknown = source.photo_images;
          if (!Array.isArray(urls) || urls.length < 1 || urls.length > 35 || urls.some((u) => typeof u !== 'string'))
            return error(400, 'source_info.photo_images must hold 1 to 35 URLs');
          const cover = Number(source.photo_cover_index);
          if (!Number.isInteger(cover) || cover < 0 || cover >= urls.length)
            return error(400, 'source_info.photo_cover_index is not an index of photo_images');
          if (opts.verifiedUrlPrefix && urls.some((u: string) => !u.startsWith(opts.verifiedUrlPrefix!)))
            return error(403, 'The URL prefix is not verified for this app', 'url_ownership_unverified');
          const publishId = `p_pub_url~v2.${randomDigits(19)}`;
          const publish: Publish = {
            publishId,
            kind: 'photo',
            uploadId: '',
            title: post.title ?? '',
            description: post.description ?? '',
            privacyLevel: post.privacy_level,
            photoUrls: urls as string[],
            coverIndex: cover,
            size: 0,
            chunkSize: 0,
            totalChunks: 0,
            chunks: new Map(),
            status: 'PROCESSING_DOWNLOAD',
            polls: 0,
          };
          publishes.set(publishId, publish);
          void pull(publish);
          return envelope(200, { publish_id: publishId });
        }

        case '/v2/post/publish/status/fetch/': {
          const publish = publishes.get(body.publish_id);
          if (!publish) return error(400, `publish_id ${body.publish_id} does not exist`);
          if (
            publish.data &&
            (publish.status === 'PROCESSING_UPLOAD' || publish.status === 'PROCESSING_DOWNLOAD') &&
            ++publish.polls > processingPolls
          )
            publish.status = 'PUBLISH_COMPLETE';
          if (publish.status === 'PUBLISH_COMPLETE' && !publish.postId && !state.withholdPostIds)
            publish.postId = `7${randomDigits(18)}`;
          const ids = publish.status === 'PUBLISH_COMPLETE' && publish.postId ? publish.postId : '';
          const uploaded = [...publish.chunks.values()].reduce((sum, c) => sum + c.length, 0);
          // Hand-written JSON: the post ids are int64s beyond 2^53, sent as bare numbers.
          const failed = publish.failReason ? `,"fail_reason":"${publish.failReason}"` : '';
          const json = `{"data":{"status":"${publish.status}"${failed},"publicaly_available_post_id":[${ids}],"uploaded_bytes":${uploaded}},"error":{"code":"ok","message":"","log_id":"${randomId().slice(0, 24)}"}}`;
          return { status: 200, headers: { 'content-type': 'application/json' }, body: json };
        }

        case '/v2/video/query/': {
          const ids: string[] = body.filters?.video_ids ?? [];
          const videos = ids
            .filter((id) => [...publishes.values()].some((p) => p.postId === id))
            .map((id) => ({ id, view_count: 0, like_count: 0, comment_count: 0, ...renamed(stats.get(id)) }));
          return envelope(200, { videos, cursor: 0, has_more: false });
        }
      }
      return error(404, `No route ${req.method} ${req.path}`);
    },
  });

  /** TikTok downloads the photos; only JPEG and WebP pass its format check. */
  async function pull(publish: Publish): Promise<void> {
    try {
      const files: Buffer[] = [];
      for (const url of publish.photoUrls ?? []) {
        const res = await fetch(url);
        if (!res.ok) throw new Error('file_download_failed');
        const data = Buffer.from(await res.arrayBuffer());
        const jpeg = data.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]));
        const webp = data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString() === 'WEBP';
        if (!jpeg && !webp) throw new Error('file_format_check_failed');
        files.push(data);
      }
      publish.photos = files;
      publish.data = Buffer.concat(files);
      publish.size = publish.data.length;
    } catch (err) {
      publish.status = 'FAILED';
      publish.failReason = (err as Error).message.startsWith('file_') ? (err as Error).message : 'file_download_failed';
    }
  }

  function renamed(s: { views: number; likes: number; comments: number } | undefined) {
    return s ? { view_count: s.views, like_count: s.likes, comment_count: s.comments } : {};
  }

  return {
    ...server,
    token,
    username,
    openId,
    displayName,
    publishes,
    get withholdPostIds() {
      return state.withholdPostIds;
    },
    set withholdPostIds(value: boolean) {
      state.withholdPostIds = value;
    },
    setStats(postId, s) {
      stats.set(postId, s);
    },
  };
}
