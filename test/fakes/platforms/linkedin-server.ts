/**
 * A local LinkedIn REST API (versioned: every `/rest` call needs `LinkedIn-Version: YYYYMM` and
 * `X-Restli-Protocol-Version: 2.0.0`) for video posts:
 *
 * - `POST /rest/videos?action=initializeUpload` `{ initializeUploadRequest: { owner, fileSizeBytes } }` →
 *   `{ value: { video, uploadToken, uploadUrlsExpireAt, uploadInstructions: [{ uploadUrl, firstByte, lastByte }] } }`
 *   with parts of `partBytes` (LinkedIn uses 4 MiB);
 * - `PUT <uploadUrl>` (pre-signed, no token) with exactly the part's bytes → 200 and an `ETag`;
 * - `POST /rest/videos?action=finalizeUpload` `{ finalizeUploadRequest: { video, uploadToken, uploadedPartIds } }`
 *   (the ETags in order) → 200; the video is PROCESSING for `processingPolls` reads, then AVAILABLE;
 * - `GET /rest/videos/{urn}` → `{ id, status, … }`;
 * - `POST /rest/posts` (author, commentary, visibility, distribution, `content.media.id`) → 201 and `x-restli-id`;
 * - images: `POST /rest/images?action=initializeUpload` `{ initializeUploadRequest: { owner } }` → `{ value: {
 *   uploadUrl, image } }`; `PUT <uploadUrl>` the bytes → 201; a post's `content.media.id` may be the image URN, or
 *   its `content.multiImage.images[]` (`id`, `altText`) 2 to 20 uploaded image URNs, in order (not both);
 * - `GET /rest/socialActions/{urn}` and `GET /rest/videoAnalytics?q=entity&entity={urn}&type=VIDEO_VIEW`.
 *
 * Errors are `{ status, serviceErrorCode, code, message }`.
 */
import { createHash } from 'node:crypto';
import {
  jsonOf,
  randomDigits,
  randomId,
  startFakePlatformServer,
  type FakePlatformControls,
  type FakeReply,
} from './fake-platform-server';

interface Upload {
  urn: string;
  owner: string;
  size: number;
  uploadToken: string;
  parts: { firstByte: number; lastByte: number; etag?: string; data?: Buffer }[];
  status: 'WAITING_UPLOAD' | 'PROCESSING' | 'AVAILABLE';
  polls: number;
  data?: Buffer;
}

export interface FakeLinkedInPost {
  urn: string;
  author: string;
  commentary: string;
  videoUrn: string;
  title?: string;
  /** A multiImage post's images, in order. */
  imageUrns?: string[];
  stats: { views: number; likes: number; comments: number };
}

export interface FakeLinkedInServer extends FakePlatformControls {
  token: string;
  authorUrn: string;
  /** The member `/v2/userinfo` answers (OpenID `sub`, `name`). */
  memberSub: string;
  memberName: string;
  uploads: Map<string, Upload>;
  posts: Map<string, FakeLinkedInPost>;
  images: Map<string, { urn: string; data?: Buffer }>;
  setStats(postUrn: string, stats: FakeLinkedInPost['stats']): void;
}

const CODES: Record<number, [string, number]> = {
  400: ['INVALID_ARGUMENT', 100],
  401: ['INVALID_ACCESS_TOKEN', 65600],
  403: ['ACCESS_DENIED', 100],
  404: ['NOT_FOUND', 100],
  422: ['UNPROCESSABLE_ENTITY', 100],
  429: ['TOO_MANY_REQUESTS', 101],
  500: ['INTERNAL_SERVER_ERROR', 100],
};

export async function startFakeLinkedInServer(
  opts: {
    token?: string;
    partBytes?: number;
    processingPolls?: number;
    /** Tokens another server issues now (the fake OAuth provider's), accepted besides `token`. */
    acceptTokens?: () => Iterable<string>;
  } = {},
): Promise<FakeLinkedInServer> {
  const token = opts.token ?? 'li-test-token';
  const authorUrn = `urn:li:organization:${randomDigits(8)}`;
  const memberSub = randomId().slice(0, 10);
  const memberName = 'Ada Roaster';
  const partBytes = opts.partBytes ?? 4 * 1024 * 1024;
  const processingPolls = opts.processingPolls ?? 1;
  const uploads = new Map<string, Upload>();
  const posts = new Map<string, FakeLinkedInPost>();
  const images = new Map<string, { urn: string; data?: Buffer }>();

  const error = (status: number, message?: string): FakeReply => {
    const [code, serviceErrorCode] = CODES[status] ?? CODES[500];
    return { status, body: { status, serviceErrorCode, code, message: message ?? code.toLowerCase() } };
  };

  const server = await startFakePlatformServer({
    tokens: () => new Set([token, ...(opts.acceptTokens?.() ?? [])]),
    isPublic: (r) => r.path.startsWith('/dms-uploads/'),
    error,
    handle(req, base) {
      if (req.path.startsWith('/dms-uploads/image/')) {
        const image = images.get(`urn:li:image:${req.path.split('/')[3]}`);
        if (req.method !== 'PUT' || !image) return error(404, 'Unknown upload URL');
        if (req.body.length === 0) return error(400, 'The image is empty');
        image.data = req.body;
        return { status: 201 };
      }
      if (req.path.startsWith('/dms-uploads/')) {
        const [, , id, index] = req.path.split('/');
        const upload = uploads.get(`urn:li:video:${id}`);
        const part = upload?.parts[Number(index)];
        if (req.method !== 'PUT' || !upload || !part || req.query.token !== upload.uploadToken.slice(0, 12))
          return error(404, 'Unknown upload URL');
        if (req.body.length !== part.lastByte - part.firstByte + 1)
          return error(400, `Part ${index} must be ${part.lastByte - part.firstByte + 1} bytes`);
        part.data = req.body;
        part.etag = `/ambry-video/${createHash('md5').update(req.body).digest('hex')}`;
        return { status: 200, headers: { etag: part.etag } };
      }

      // Sign In with LinkedIn (OpenID Connect): unversioned, the member behind the token.
      if (req.method === 'GET' && req.path === '/v2/userinfo')
        return {
          status: 200,
          body: { sub: memberSub, name: memberName, given_name: 'Ada', family_name: 'Roaster', locale: 'en-US' },
        };

      if (!/^\d{6}$/.test(String(req.headers['linkedin-version'] ?? '')))
        return { status: 426, body: { status: 426, code: 'VERSION_MISSING', message: 'A version must be present' } };
      if (req.headers['x-restli-protocol-version'] !== '2.0.0')
        return error(400, 'X-Restli-Protocol-Version must be 2.0.0');

      if (req.method === 'POST' && req.path === '/rest/images' && req.query.action === 'initializeUpload') {
        const body = jsonOf(req).initializeUploadRequest ?? {};
        if (body.owner !== authorUrn) return error(403, `Not enough permissions to post as ${body.owner}`);
        const id = `D4${randomId().slice(0, 14)}`;
        images.set(`urn:li:image:${id}`, { urn: `urn:li:image:${id}` });
        return {
          status: 200,
          body: {
            value: {
              uploadUrlExpiresAt: Date.now() + 3_600_000,
              uploadUrl: `${base}/dms-uploads/image/${id}`,
              image: `urn:li:image:${id}`,
            },
          },
        };
      }

      if (req.method === 'POST' && req.path === '/rest/videos' && req.query.action === 'initializeUpload') {
        const body = jsonOf(req).initializeUploadRequest ?? {};
        if (body.owner !== authorUrn) return error(403, `Not enough permissions to post as ${body.owner}`);
        const size = Number(body.fileSizeBytes);
        if (!Number.isInteger(size) || size <= 0) return error(422, 'fileSizeBytes must be a positive integer');
        const id = `D4${randomId().slice(0, 14)}`;
        const upload: Upload = {
          urn: `urn:li:video:${id}`,
          owner: body.owner,
          size,
          uploadToken: randomId(),
          parts: [],
          status: 'WAITING_UPLOAD',
          polls: 0,
        };
        for (let first = 0; first < size; first += partBytes)
          upload.parts.push({ firstByte: first, lastByte: Math.min(size, first + partBytes) - 1 });
        uploads.set(upload.urn, upload);
        return {
          status: 200,
          body: {
            value: {
              uploadUrlsExpireAt: Date.now() + 3_600_000,
              video: upload.urn,
              uploadInstructions: upload.parts.map((p, i) => ({
                uploadUrl: `${base}/dms-uploads/${id}/${i}?token=${upload.uploadToken.slice(0, 12)}`,
                firstByte: p.firstByte,
                lastByte: p.lastByte,
              })),
              uploadToken: upload.uploadToken,
            },
          },
        };
      }

      if (req.method === 'POST' && req.path === '/rest/videos' && req.query.action === 'finalizeUpload') {
        const body = jsonOf(req).finalizeUploadRequest ?? {};
        const upload = uploads.get(body.video);
        if (!upload) return error(404, `Video ${body.video} not found`);
        if (body.uploadToken !== upload.uploadToken) return error(400, 'uploadToken does not match');
        const etags = upload.parts.map((p) => p.etag);
        if (JSON.stringify(body.uploadedPartIds) !== JSON.stringify(etags))
          return error(400, 'uploadedPartIds do not match the uploaded parts');
        upload.data = Buffer.concat(upload.parts.map((p) => p.data!));
        upload.status = 'PROCESSING';
        return { status: 200, body: {} };
      }

      const videoMatch = /^\/rest\/videos\/(.+)$/.exec(req.path);
      if (req.method === 'GET' && videoMatch) {
        const upload = uploads.get(videoMatch[1]);
        if (!upload) return error(404, `Video ${videoMatch[1]} not found`);
        if (upload.status === 'PROCESSING' && ++upload.polls > processingPolls) upload.status = 'AVAILABLE';
        return { status: 200, body: { id: upload.urn, owner: upload.owner, status: upload.status, duration: 2000 } };
      }

      if (req.method === 'POST' && req.path === '/rest/posts') {
        const body = jsonOf(req);
        if (body.author !== authorUrn) return error(403, `Not enough permissions to post as ${body.author}`);
        const multi: unknown = body.content?.multiImage?.images;
        if (multi !== undefined) {
          if (body.content.media) return error(422, 'content holds both media and multiImage');
          if (!Array.isArray(multi) || multi.length < 2 || multi.length > 20)
            return error(422, 'content.multiImage.images must hold 2 to 20 images');
          const urns = multi.map((m: { id?: unknown }) => String(m?.id));
          const missing = urns.find((urn) => !images.get(urn)?.data);
          if (missing) return error(422, `Image ${missing} is not an uploaded image`);
          if (new Set(urns).size !== urns.length) return error(422, 'content.multiImage.images repeats an image');
          if (typeof body.commentary !== 'string') return error(422, 'commentary is required');
          const urn = `urn:li:share:${randomDigits(19)}`;
          posts.set(urn, {
            urn,
            author: body.author,
            commentary: body.commentary,
            videoUrn: urns[0],
            imageUrns: urns,
            stats: { views: 0, likes: 0, comments: 0 },
          });
          return { status: 201, headers: { 'x-restli-id': urn } };
        }
        const videoUrn = body.content?.media?.id;
        const upload = uploads.get(videoUrn);
        const image = images.get(videoUrn);
        if (image && !image.data) return error(422, `Image ${videoUrn} was never uploaded`);
        if (!upload && !image) return error(422, `content.media.id ${videoUrn} is not an uploaded video or image`);
        if (upload && upload.status !== 'AVAILABLE') return error(422, `Video ${videoUrn} is not available yet`);
        if (typeof body.commentary !== 'string') return error(422, 'commentary is required');
        const urn = `urn:li:share:${randomDigits(19)}`;
        posts.set(urn, {
          urn,
          author: body.author,
          commentary: body.commentary,
          videoUrn,
          title: body.content.media.title,
          stats: { views: 0, likes: 0, comments: 0 },
        });
        return { status: 201, headers: { 'x-restli-id': urn } };
      }

      const actions = /^\/rest\/socialActions\/(.+)$/.exec(req.path);
      if (req.method === 'GET' && actions) {
        const post = posts.get(actions[1]);
        if (!post) return error(404, `Entity ${actions[1]} not found`);
        return {
          status: 200,
          body: {
            target: post.urn,
            likesSummary: { totalLikes: post.stats.likes, likedByCurrentUser: false },
            commentsSummary: {
              aggregatedTotalComments: post.stats.comments,
              totalFirstLevelComments: post.stats.comments,
            },
          },
        };
      }

      if (req.method === 'GET' && req.path === '/rest/videoAnalytics') {
        if (req.query.q !== 'entity' || req.query.type !== 'VIDEO_VIEW') return error(400, 'q=entity&type=VIDEO_VIEW');
        const post = posts.get(req.query.entity ?? '');
        if (!post) return error(404, `Entity ${req.query.entity} not found`);
        // As LinkedIn: video analytics of a post that is not a video are refused.
        if (!post.videoUrn?.startsWith('urn:li:video:')) return error(400, `${post.urn} is not a video post`);
        return {
          status: 200,
          body: { elements: [{ entity: post.urn, type: 'VIDEO_VIEW', value: post.stats.views, timeRange: {} }] },
        };
      }
      return error(404, `No route ${req.method} ${req.path}`);
    },
  });

  return {
    ...server,
    token,
    authorUrn,
    memberSub,
    memberName,
    uploads,
    posts,
    images,
    setStats(postUrn, stats) {
      const post = posts.get(postUrn);
      if (!post) throw new Error(`No post ${postUrn}`);
      post.stats = stats;
    },
  };
}
