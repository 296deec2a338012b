/**
 * A local YouTube Data API v3 speaking the resumable upload protocol and the statistics read:
 *
 * - `POST /upload/youtube/v3/videos?uploadType=resumable&part=snippet,status` (JSON video resource,
 *   `X-Upload-Content-Length`, `X-Upload-Content-Type`) → 200 and `Location: <session URI>`;
 * - `PUT <session URI>` with `Content-Range: bytes a-b/total`: bytes must continue where the session stands and every
 *   chunk but the last must be a multiple of 256 KiB; 308 `Range: bytes=0-<last>` until complete, then 200 and the
 *   video resource; `Content-Range: bytes *\/total` asks for the status; an unknown session is 404;
 * - `GET /youtube/v3/videos?part=statistics&id=…` → `items[].statistics` (counts as strings);
 * - `POST /token` (OAuth refresh_token grant) issues access tokens valid until `expireIssuedTokens()`.
 *
 * Errors are Google's `{ error: { code, message, errors: [{ reason, domain, message }] } }`.
 */
import {
  jsonOf,
  randomId,
  startFakePlatformServer,
  type FakePlatformControls,
  type FakeReply,
} from './fake-platform-server';

const CHUNK_UNIT = 256 * 1024;

const REASONS: Record<number, string> = {
  400: 'badRequest',
  401: 'authError',
  403: 'forbidden',
  404: 'notFound',
  429: 'rateLimitExceeded',
  500: 'backendError',
  503: 'backendError',
};

export interface FakeYouTubeVideo {
  id: string;
  snippet: { title: string; description: string; tags?: string[]; categoryId?: string };
  status: { privacyStatus: string };
  data: Buffer;
  statistics: { viewCount: string; likeCount: string; commentCount: string };
}

interface Session {
  id: string;
  total: number;
  contentType: string;
  resource: { snippet: FakeYouTubeVideo['snippet']; status: FakeYouTubeVideo['status'] };
  received: Buffer[];
  receivedBytes: number;
  videoId?: string;
}

export interface FakeYouTubeServer extends FakePlatformControls {
  token: string;
  oauth: { clientId: string; clientSecret: string; refreshToken: string };
  videos: Map<string, FakeYouTubeVideo>;
  sessions: Map<string, Session>;
  setStatistics(videoId: string, stats: { views: number; likes: number; comments: number }): void;
  /** Issued (refreshed) tokens stop working, as after an hour. */
  expireIssuedTokens(): void;
}

export async function startFakeYouTubeServer(opts: { token?: string } = {}): Promise<FakeYouTubeServer> {
  const token = opts.token ?? 'yt-test-token';
  const oauth = { clientId: 'yt-client', clientSecret: 'yt-secret', refreshToken: 'yt-refresh' };
  const issued = new Set<string>();
  const videos = new Map<string, FakeYouTubeVideo>();
  const sessions = new Map<string, Session>();

  const error = (status: number, message?: string, reason = REASONS[status] ?? 'error'): FakeReply => ({
    status,
    body: {
      error: {
        code: status,
        message: message ?? `Request failed (${reason})`,
        errors: [{ reason, domain: 'youtube', message: message ?? reason }],
      },
    },
  });

  const resource = (v: FakeYouTubeVideo) => ({
    kind: 'youtube#video',
    id: v.id,
    snippet: v.snippet,
    status: { ...v.status, uploadStatus: 'uploaded' },
  });
  const partial = (s: Session): FakeReply => ({
    status: 308,
    headers: s.receivedBytes > 0 ? { range: `bytes=0-${s.receivedBytes - 1}` } : {},
  });

  const server = await startFakePlatformServer({
    tokens: () => new Set([token, ...issued]),
    isPublic: (r) => r.path === '/token',
    error: (status, message) => error(status, message),
    handle(req, base) {
      if (req.method === 'POST' && req.path === '/token') {
        const form = new URLSearchParams(req.body.toString('utf8'));
        if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== oauth.refreshToken)
          return {
            status: 400,
            body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
          };
        if (form.get('client_id') !== oauth.clientId || form.get('client_secret') !== oauth.clientSecret)
          return { status: 401, body: { error: 'invalid_client', error_description: 'Unauthorized' } };
        const accessToken = `ya29.${randomId()}`;
        issued.add(accessToken);
        return { status: 200, body: { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' } };
      }

      if (req.method === 'POST' && req.path === '/upload/youtube/v3/videos') {
        if (req.query.uploadType !== 'resumable') return error(400, 'uploadType must be resumable');
        const parts = (req.query.part ?? '').split(',');
        if (!parts.includes('snippet') || !parts.includes('status')) return error(400, 'part must list snippet,status');
        const total = Number(req.headers['x-upload-content-length']);
        if (!Number.isInteger(total) || total <= 0) return error(400, 'X-Upload-Content-Length is required');
        const body = jsonOf(req);
        if (!body.snippet?.title)
          return error(400, 'The request metadata specifies an invalid video title.', 'invalidTitle');
        if (/[<>]/.test(body.snippet.title)) return error(400, 'The video title contains < or >.', 'invalidTitle');
        const id = randomId();
        sessions.set(id, {
          id,
          total,
          contentType: String(req.headers['x-upload-content-type'] ?? 'video/*'),
          resource: { snippet: body.snippet, status: body.status ?? { privacyStatus: 'public' } },
          received: [],
          receivedBytes: 0,
        });
        return {
          status: 200,
          headers: { location: `${base}/upload/youtube/v3/videos?uploadType=resumable&upload_id=${id}` },
        };
      }

      if (req.method === 'PUT' && req.path === '/upload/youtube/v3/videos') {
        const session = sessions.get(req.query.upload_id ?? '');
        if (!session) return error(404, 'The upload session does not exist or has expired.');
        const range = String(req.headers['content-range'] ?? '');
        const video = session.videoId ? videos.get(session.videoId) : undefined;
        if (/^bytes \*\/\d+$/.test(range)) return video ? { status: 200, body: resource(video) } : partial(session);
        const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range);
        if (!match) return error(400, 'Content-Range is required');
        const [first, last, total] = match.slice(1).map(Number);
        if (total !== session.total) return error(400, 'The total size does not match X-Upload-Content-Length');
        if (last - first + 1 !== req.body.length) return error(400, 'Content-Range does not match the body');
        if (video) return { status: 200, body: resource(video) };
        // Bytes must continue the upload; a resend of what YouTube has is answered with where it stands.
        if (first !== session.receivedBytes) return partial(session);
        const final = last + 1 === total;
        if (!final && req.body.length % CHUNK_UNIT !== 0)
          return error(400, 'Chunks must be a multiple of 256 KiB', 'badContent');
        session.received.push(req.body);
        session.receivedBytes += req.body.length;
        if (!final) return partial(session);
        const id = randomId().slice(0, 11);
        const stored: FakeYouTubeVideo = {
          id,
          snippet: session.resource.snippet,
          status: session.resource.status,
          data: Buffer.concat(session.received),
          statistics: { viewCount: '0', likeCount: '0', commentCount: '0' },
        };
        videos.set(id, stored);
        session.videoId = id;
        return { status: 200, body: resource(stored) };
      }

      if (req.method === 'GET' && req.path === '/youtube/v3/videos') {
        if (!(req.query.part ?? '').split(',').includes('statistics'))
          return error(400, 'part must include statistics');
        const ids = (req.query.id ?? '').split(',');
        const items = ids
          .map((id) => videos.get(id))
          .filter((v): v is FakeYouTubeVideo => v !== undefined)
          .map((v) => ({ kind: 'youtube#video', id: v.id, statistics: { ...v.statistics, favoriteCount: '0' } }));
        return {
          status: 200,
          body: { kind: 'youtube#videoListResponse', items, pageInfo: { totalResults: items.length } },
        };
      }
      return error(404, `No route ${req.method} ${req.path}`);
    },
  });

  return {
    ...server,
    token,
    oauth,
    videos,
    sessions,
    setStatistics(videoId, s) {
      const video = videos.get(videoId);
      if (!video) throw new Error(`No video ${videoId}`);
      video.statistics = { viewCount: String(s.views), likeCount: String(s.likes), commentCount: String(s.comments) };
    },
    expireIssuedTokens: () => issued.clear(),
  };
}
