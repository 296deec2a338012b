/**
 * A local Meta Graph API (one server plays graph.facebook.com and graph-video.facebook.com), versioned paths
 * `/{version}/…`, token as `Authorization: Bearer` or `access_token`:
 *
 * Facebook Page videos: `POST /{page-id}/videos` (multipart: `source` file, `title`, `description`) → `{ id }`;
 * `GET /{video-id}?fields=likes.summary(true)…,comments.summary(true)…`; `GET /{video-id}/video_insights?metric=
 * total_video_views`.
 *
 * Instagram Reels: `POST /{ig-user-id}/media` (`media_type=REELS`, `video_url`, `caption`) → container `{ id }`;
 * Meta downloads `video_url` itself (this server fetches it, so the URL must really serve the video); `GET
 * /{container-id}?fields=status_code` answers IN_PROGRESS for `processingPolls` reads after the download, then
 * FINISHED (ERROR when the download failed); `POST /{ig-user-id}/media_publish` (`creation_id`) → media `{ id }`
 * (the container becomes PUBLISHED); `GET /{ig-user-id}/media?fields=id,caption`; `GET /{media-id}?fields=permalink|
 * like_count,comments_count`; `GET /{media-id}/insights?metric=views`.
 *
 * Images: `POST /{page-id}/photos` (multipart `source`, `message`) → `{ id, post_id }`; Instagram containers with
 * `image_url` (a feed image) or `media_type=STORIES`, downloaded and processed like reels.
 *
 * Carousels: `POST /{page-id}/photos` with `published=false` → `{ id }` only (an unpublished photo), then `POST
 * /{page-id}/feed` with `message` and `attached_media[i]={"media_fbid":…}` (each an unpublished photo of the page,
 * attached once) → `{ id }`. Instagram item containers (`image_url`, `is_carousel_item=true`; never published on
 * their own), then `media_type=CAROUSEL` with `children` (2–10 FINISHED items of the account, each used once) and the
 * caption, processed and published like any container.
 *
 * Accounts: `GET /me/accounts?fields=…` → the page the user manages, with a page token (accepted from then on) and its
 * `instagram_business_account` (`id`, `username`), as Facebook Login hands them to an app. As on Meta, a page token
 * read with a long-lived user token (`longLivedTokens`) does not expire (`permanentPageTokens`); one read with a
 * short-lived user token expires with it.
 *
 * Errors are `{ error: { message, type, code, error_subcode?, fbtrace_id } }`; a bad token is HTTP 400
 * OAuthException code 190, as on Graph.
 */
import {
  bearerOf,
  formOf,
  randomDigits,
  randomId,
  startFakePlatformServer,
  type FakePlatformControls,
  type FakeReply,
  type RecordedRequest,
} from './fake-platform-server';

export interface FakeMetaStats {
  views: number;
  likes: number;
  comments: number;
}

interface FbVideo {
  kind: 'fbvideo';
  id: string;
  pageId: string;
  title: string;
  description: string;
  data: Buffer;
  stats: FakeMetaStats;
}
interface FbPhoto {
  kind: 'fbphoto';
  id: string;
  /** Absent for an unpublished photo (a carousel's slide until a feed post attaches it). */
  postId?: string;
  message: string;
  data: Buffer;
  published: boolean;
  attachedTo?: string;
}
interface FbPost {
  kind: 'fbpost';
  id: string;
  message: string;
  /** The attached photos, in order. */
  photoIds: string[];
}
interface Container {
  kind: 'container';
  id: string;
  igUserId: string;
  /** REELS, STORIES, IMAGE or CAROUSEL. */
  mediaType: string;
  /** An item of a carousel (`is_carousel_item=true`): a child, never published alone. */
  carouselItem?: boolean;
  /** A CAROUSEL's item containers, in order. */
  children?: string[];
  /** The CAROUSEL that took this item. */
  parent?: string;
  videoUrl: string;
  caption: string;
  state: 'DOWNLOADING' | 'IN_PROGRESS' | 'FINISHED' | 'ERROR' | 'PUBLISHED';
  error?: string;
  polls: number;
  data?: Buffer;
  mediaId?: string;
}
interface IgMedia {
  kind: 'igmedia';
  id: string;
  igUserId: string;
  caption: string;
  containerId: string;
  data: Buffer;
  /** A carousel's images, in order. */
  slides?: Buffer[];
  permalink: string;
  stats: FakeMetaStats;
}
type GraphObject = FbVideo | FbPhoto | FbPost | Container | IgMedia;

export interface FakeMetaServer extends FakePlatformControls {
  token: string;
  version: string;
  pageId: string;
  igUserId: string;
  pageName: string;
  igUsername: string;
  /** Page tokens handed out by `/me/accounts`. */
  pageTokens: Set<string>;
  /** Those of them that do not expire (read with a long-lived user token). */
  permanentPageTokens: Set<string>;
  objects: Map<string, GraphObject>;
  facebookVideos(): FbVideo[];
  facebookPhotos(): FbPhoto[];
  facebookPosts(): FbPost[];
  containers(): Container[];
  instagramMedia(): IgMedia[];
  setStats(id: string, stats: FakeMetaStats): void;
}

const ERRORS: Record<number, { type: string; code: number; message: string }> = {
  400: { type: 'OAuthException', code: 100, message: 'Invalid parameter' },
  401: { type: 'OAuthException', code: 190, message: 'Invalid OAuth access token - Cannot parse access token' },
  403: { type: 'OAuthException', code: 200, message: 'Permissions error' },
  404: { type: 'GraphMethodException', code: 100, message: 'Unsupported get request.' },
  429: { type: 'OAuthException', code: 4, message: 'Application request limit reached' },
  500: { type: 'OAuthException', code: 1, message: 'An unknown error has occurred.' },
  503: { type: 'OAuthException', code: 2, message: 'Service temporarily unavailable' },
};

export async function startFakeMetaServer(
  opts: {
    token?: string;
    version?: string;
    processingPolls?: number;
    /** Tokens another server issues now (the fake OAuth provider's), accepted besides `token`. */
    acceptTokens?: () => Iterable<string>;
    /** Long-lived user tokens (the fake OAuth provider's `longLivedTokens`). */
    longLivedTokens?: () => Iterable<string>;
  } = {},
): Promise<FakeMetaServer> {
  const token = opts.token ?? 'meta-test-token';
  const version = opts.version ?? 'v23.0';
  const pageId = randomDigits(15);
  const igUserId = randomDigits(17);
  const processingPolls = opts.processingPolls ?? 1;
  const objects = new Map<string, GraphObject>();
  const pageName = 'Studioflow Coffee';
  const igUsername = 'studioflow.coffee';
  const pageTokens = new Set<string>();
  const permanentPageTokens = new Set<string>();

  const error = (status: number, message?: string, code?: number): FakeReply => {
    const e = ERRORS[status] ?? ERRORS[500];
    return {
      status,
      body: {
        error: {
          message: message ?? e.message,
          type: e.type,
          code: code ?? e.code,
          fbtrace_id: randomId().slice(0, 11),
        },
      },
    };
  };

  async function fields(req: RecordedRequest): Promise<Record<string, string>> {
    const type = req.headers['content-type'] ?? '';
    const values: Record<string, string> = { ...req.query };
    if (type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded')) {
      (await formOf(req)).forEach((value, name) => {
        if (typeof value === 'string') values[name] = value;
      });
    }
    return values;
  }

  /** Meta downloads the reel from the URL it was given. */
  function download(container: Container): void {
    void fetch(container.videoUrl)
      .then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        container.data = Buffer.from(await res.arrayBuffer());
        container.state = 'IN_PROGRESS';
      })
      .catch((err: unknown) => {
        container.state = 'ERROR';
        container.error = `Media download has failed.: ${String(err)}`;
      });
  }

  const server = await startFakePlatformServer({
    tokens: () => new Set([token, ...pageTokens, ...(opts.acceptTokens?.() ?? [])]),
    error: (status, message) => error(status, message),
    unauthorized: () => error(400, 'Invalid OAuth access token - Cannot parse access token', 190),
    async handle(req) {
      const segments = req.path.split('/').filter(Boolean);
      if (segments[0] !== version) return error(400, `Unknown version ${segments[0]}`, 2635);
      const [, id, edge] = segments;
      const f = await fields(req);

      if (req.method === 'GET' && id === 'me' && edge === 'accounts') {
        const pageToken = `EAAPage${randomId()}`;
        pageTokens.add(pageToken);
        if (new Set(opts.longLivedTokens?.() ?? []).has(bearerOf(req.headers) ?? ''))
          permanentPageTokens.add(pageToken);
        const wanted = f.fields ?? '';
        const page: Record<string, unknown> = { id: pageId, name: pageName, access_token: pageToken };
        if (wanted.includes('instagram_business_account'))
          page.instagram_business_account = { id: igUserId, username: igUsername };
        return { status: 200, body: { data: [page], paging: { cursors: { before: 'MAZDZD', after: 'MAZDZD' } } } };
      }

      if (req.method === 'POST' && id === pageId && edge === 'videos') {
        const form = await formOf(req);
        const source = form.get('source');
        if (!(source instanceof Blob)) return error(400, '(#100) source or file_url is required');
        const video: FbVideo = {
          kind: 'fbvideo',
          id: randomDigits(16),
          pageId,
          title: f.title ?? '',
          description: f.description ?? '',
          data: Buffer.from(await source.arrayBuffer()),
          stats: { views: 0, likes: 0, comments: 0 },
        };
        objects.set(video.id, video);
        return { status: 200, body: { id: video.id } };
      }

      if (req.method === 'POST' && id === pageId && edge === 'photos') {
        const form = await formOf(req);
        const source = form.get('source');
        if (!(source instanceof Blob)) return error(400, '(#100) source or url is required');
        const published = f.published !== 'false';
        const photo: FbPhoto = {
          kind: 'fbphoto',
          id: randomDigits(16),
          ...(published ? { postId: `${pageId}_${randomDigits(16)}` } : {}),
          message: f.message ?? '',
          data: Buffer.from(await source.arrayBuffer()),
          published,
        };
        objects.set(photo.id, photo);
        return { status: 200, body: published ? { id: photo.id, post_id: photo.postId } : { id: photo.id } };
      }

      if (req.method === 'POST' && id === pageId && edge === 'feed') {
        const photoIds: string[] = [];
        for (let i = 0; f[`attached_media[${i}]`] !== undefined; i++) {
          let fbid: unknown;
          try {
            fbid = (JSON.parse(f[`attached_media[${i}]`]) as { media_fbid?: unknown }).media_fbid;
          } catch {
            return error(400, `(#100) attached_media[${i}] must be a JSON object`);
          }
          const photo = objects.get(String(fbid));
          if (photo?.kind !== 'fbphoto' || photo.published || photo.attachedTo)
            return error(400, `(#100) attached_media[${i}]: ${String(fbid)} is not an unpublished photo of this page`);
          photoIds.push(photo.id);
        }
        if (Object.keys(f).filter((k) => k.startsWith('attached_media')).length !== photoIds.length)
          return error(400, '(#100) attached_media must be indexed from 0 without gaps');
        if (!photoIds.length && !f.message) return error(400, '(#100) message or attached_media is required');
        const post: FbPost = {
          kind: 'fbpost',
          id: `${pageId}_${randomDigits(16)}`,
          message: f.message ?? '',
          photoIds,
        };
        for (const photoId of photoIds) (objects.get(photoId) as FbPhoto).attachedTo = post.id;
        objects.set(post.id, post);
        return { status: 200, body: { id: post.id } };
      }

      if (req.method === 'POST' && id === igUserId && edge === 'media') {
        // Reels pull video_url; feed images (no media_type) and stories pull image_url.
        const type = f.media_type ?? 'IMAGE';
        if (!['REELS', 'STORIES', 'IMAGE', 'CAROUSEL'].includes(type))
          return error(400, '(#100) media_type must be REELS, STORIES or CAROUSEL, or absent for an image');
        if (type === 'CAROUSEL') {
          const children = (f.children ?? '').split(',').filter(Boolean);
          if (children.length < 2 || children.length > 10)
            return error(400, '(#100) children must list 2 to 10 carousel item containers');
          for (const child of children) {
            const item = objects.get(child);
            if (item?.kind !== 'container' || !item.carouselItem || item.igUserId !== igUserId || item.parent)
              return error(400, `(#100) ${child} is not an unused carousel item of this account`, 100);
            if (item.state !== 'FINISHED')
              return error(400, `Media ID is not available: carousel item ${child} is not ready`, 9007);
          }
          const container: Container = {
            kind: 'container',
            id: randomDigits(17),
            igUserId,
            mediaType: type,
            videoUrl: '',
            caption: f.caption ?? '',
            state: 'IN_PROGRESS',
            polls: 0,
            children,
          };
          for (const child of children) (objects.get(child) as Container).parent = container.id;
          objects.set(container.id, container);
          return { status: 200, body: { id: container.id } };
        }
        const source = type === 'REELS' ? f.video_url : (f.image_url ?? f.video_url);
        if (!source)
          return error(400, `(#100) The parameter ${type === 'REELS' ? 'video_url' : 'image_url'} is required`);
        const container: Container = {
          kind: 'container',
          id: randomDigits(17),
          igUserId,
          mediaType: type,
          videoUrl: source,
          caption: f.caption ?? '',
          state: 'DOWNLOADING',
          polls: 0,
          ...(f.is_carousel_item === 'true' ? { carouselItem: true } : {}),
        };
        if (container.carouselItem && type !== 'IMAGE')
          return error(400, '(#100) a carousel item here is an image (image_url, no media_type)');
        objects.set(container.id, container);
        download(container);
        return { status: 200, body: { id: container.id } };
      }

      if (req.method === 'POST' && id === igUserId && edge === 'media_publish') {
        const container = objects.get(f.creation_id ?? '');
        if (container?.kind !== 'container') return error(400, '(#100) Invalid creation_id', 100);
        if (container.carouselItem)
          return error(400, '(#100) A carousel item cannot be published on its own; publish its CAROUSEL', 100);
        if (container.state !== 'FINISHED')
          return error(400, 'Media ID is not available: the media is not ready for publishing', 9007);
        const slides = container.children?.map((child) => (objects.get(child) as Container).data!);
        const media: IgMedia = {
          kind: 'igmedia',
          id: randomDigits(17),
          igUserId,
          caption: container.caption,
          containerId: container.id,
          data: slides ? slides[0] : container.data!,
          ...(slides ? { slides } : {}),
          permalink: `https://www.instagram.com/reel/${randomId().slice(0, 11)}/`,
          stats: { views: 0, likes: 0, comments: 0 },
        };
        objects.set(media.id, media);
        container.state = 'PUBLISHED';
        container.mediaId = media.id;
        return { status: 200, body: { id: media.id } };
      }

      if (req.method === 'GET' && id === igUserId && edge === 'media') {
        const data = [...objects.values()]
          .filter((o): o is IgMedia => o.kind === 'igmedia')
          .reverse()
          .slice(0, Number(f.limit ?? 25))
          .map((m) => ({ id: m.id, caption: m.caption }));
        return { status: 200, body: { data } };
      }

      const object = objects.get(id ?? '');
      if (req.method !== 'GET' || !object)
        return error(404, `Unsupported ${req.method} request. Object ${id} does not exist`);
      const wanted = (f.fields ?? '').split(',').map((s) => s.split('.')[0]);

      if (edge === 'video_insights' && object.kind === 'fbvideo') {
        const value = object.stats.views;
        return {
          status: 200,
          body: { data: [{ name: 'total_video_views', period: 'lifetime', values: [{ value }] }] },
        };
      }
      if (edge === 'insights' && object.kind === 'igmedia') {
        if (f.metric !== 'views') return error(400, `(#100) metric[0] must be one of: views, reach, likes…`);
        const value = object.stats.views;
        return {
          status: 200,
          body: { data: [{ name: 'views', period: 'lifetime', values: [{ value }], id: object.id }] },
        };
      }
      if (edge) return error(404, `Unknown edge ${edge}`);

      switch (object.kind) {
        case 'container': {
          if (object.state === 'IN_PROGRESS' && ++object.polls > processingPolls) object.state = 'FINISHED';
          const code = object.state === 'DOWNLOADING' ? 'IN_PROGRESS' : object.state;
          return {
            status: 200,
            body: { id: object.id, status_code: code, status: object.error ? `Error: ${object.error}` : code },
          };
        }
        case 'fbphoto':
          return { status: 200, body: { id: object.id, post_id: object.postId } };
        case 'fbpost':
          return { status: 200, body: { id: object.id, message: object.message } };
        case 'fbvideo':
          return {
            status: 200,
            body: {
              id: object.id,
              likes: { data: [], summary: { total_count: object.stats.likes, can_like: true, has_liked: false } },
              comments: {
                data: [],
                summary: { order: 'ranked', total_count: object.stats.comments, can_comment: true },
              },
            },
          };
        case 'igmedia': {
          const body: Record<string, unknown> = { id: object.id };
          if (wanted.includes('permalink')) body.permalink = object.permalink;
          if (wanted.includes('like_count')) body.like_count = object.stats.likes;
          if (wanted.includes('comments_count')) body.comments_count = object.stats.comments;
          if (wanted.includes('caption')) body.caption = object.caption;
          return { status: 200, body };
        }
      }
    },
  });

  const ofKind = <K extends GraphObject['kind']>(kind: K) =>
    [...objects.values()].filter((o): o is Extract<GraphObject, { kind: K }> => o.kind === kind);

  return {
    ...server,
    token,
    version,
    pageId,
    igUserId,
    pageName,
    igUsername,
    pageTokens,
    permanentPageTokens,
    objects,
    facebookVideos: () => ofKind('fbvideo'),
    facebookPhotos: () => ofKind('fbphoto'),
    facebookPosts: () => ofKind('fbpost'),
    containers: () => ofKind('container'),
    instagramMedia: () => ofKind('igmedia'),
    setStats(id, stats) {
      const object = objects.get(id);
      if (!object || object.kind === 'container' || object.kind === 'fbphoto' || object.kind === 'fbpost')
        throw new Error(`No video or media ${id}`);
      object.stats = stats;
    },
  };
}
