/**
 * A local TikTok Content Posting API (open.tiktokapis.com plus its upload host) for direct video posts:
 *
 * - `POST /v2/post/publish/creator_info/query/` → username, privacy_level_options, max_video_post_duration_sec;
 * - `POST /v2/post/publish/video/init/` (`post_info`, `source_info` FILE_UPLOAD with video_size, chunk_size,
 *   total_chunk_count, checked by TikTok's rules: a video below the minimum chunk goes whole, otherwise chunks of at
 *   least `minChunkBytes` (5 MB on TikTok) and total_chunk_count = floor(video_size / chunk_size)) → `publish_id`,
 *   `upload_url`;
 * - `PUT <upload_url>` (no token) with `Content-Range: bytes a-b/total` on chunk boundaries → 206, the last 201;
 * - `POST /v2/post/publish/status/fetch/` → PROCESSING_UPLOAD, then PUBLISH_COMPLETE after `processingPolls` reads
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
  uploadId: string;
  title: string;
  privacyLevel: string;
  size: number;
  chunkSize: number;
  totalChunks: number;
  chunks: Map<number, Buffer>;
  status: 'PROCESSING_UPLOAD' | 'PUBLISH_COMPLETE';
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

        case '/v2/post/publish/status/fetch/': {
          const publish = publishes.get(body.publish_id);
          if (!publish) return error(400, `publish_id ${body.publish_id} does not exist`);
          if (publish.data && publish.status === 'PROCESSING_UPLOAD' && ++publish.polls > processingPolls)
            publish.status = 'PUBLISH_COMPLETE';
          if (publish.status === 'PUBLISH_COMPLETE' && !publish.postId && !state.withholdPostIds)
            publish.postId = `7${randomDigits(18)}`;
          const ids = publish.status === 'PUBLISH_COMPLETE' && publish.postId ? publish.postId : '';
          const uploaded = [...publish.chunks.values()].reduce((sum, c) => sum + c.length, 0);
          // Hand-written JSON: the post ids are int64s beyond 2^53, sent as bare numbers.
          const json = `{"data":{"status":"${publish.status}","publicaly_available_post_id":[${ids}],"uploaded_bytes":${uploaded}},"error":{"code":"ok","message":"","log_id":"${randomId().slice(0, 24)}"}}`;
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
