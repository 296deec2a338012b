/**
 * A local X API v2 (OAuth 2 user token as Bearer) for video posts:
 *
 * - `POST /2/media/upload/initialize` (JSON: media_type, total_bytes, media_category) → `{ data: { id, media_key,
 *   expires_after_secs } }`;
 * - `POST /2/media/upload/{id}/append` (multipart: `media`, `segment_index` 0–999) → `{ data: { expires_at } }`;
 * - `POST /2/media/upload/{id}/finalize` → `{ data: { id, size, processing_info: { state: 'pending',
 *   check_after_secs } } }` (a size other than total_bytes is 400);
 * - `GET /2/media/upload?command=STATUS&media_id={id}` → `processing_info` in_progress for `processingPolls` reads,
 *   then succeeded;
 * - `POST /2/tweets` (`text`, `media.media_ids`) → 201 `{ data: { id, text } }` (403 for a duplicate text, as X);
 * - `GET /2/tweets/{id}?tweet.fields=public_metrics` (200 with `errors` for an unknown id);
 * - `GET /2/users/me` → the user a token belongs to (the connect flow reads it).
 *
 * Images (`image/png`, `tweet_image`) take the same upload. A post takes up to 4 images, or one video, each media id
 * once (400 otherwise, as X).
 *
 * Errors are RFC 7807 problems `{ title, detail, type, status }`; 429s carry `x-rate-limit-reset` (epoch seconds).
 */
import {
  formOf,
  jsonOf,
  randomDigits,
  startFakePlatformServer,
  type FakePlatformControls,
  type FakeReply,
} from './fake-platform-server';

interface Media {
  id: string;
  total: number;
  mediaType: string;
  segments: Map<number, Buffer>;
  finalized: boolean;
  polls: number;
  state: 'pending' | 'in_progress' | 'succeeded';
  data?: Buffer;
}

export interface FakeTweet {
  id: string;
  text: string;
  mediaIds: string[];
  metrics: { impression_count: number; like_count: number; reply_count: number; retweet_count: number };
}

export interface FakeXServer extends FakePlatformControls {
  token: string;
  media: Map<string, Media>;
  tweets: Map<string, FakeTweet>;
  setStats(tweetId: string, stats: { views: number; likes: number; comments: number }): void;
}

const TITLES: Record<number, string> = {
  400: 'Invalid Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found Error',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export async function startFakeXServer(
  opts: {
    token?: string;
    processingPolls?: number;
    checkAfterSecs?: number;
    /** Tokens another server issues now (the fake OAuth provider's), accepted besides `token`. */
    acceptTokens?: () => Iterable<string>;
    /** The user `GET /2/users/me` answers. */
    user?: { id: string; username: string };
  } = {},
): Promise<FakeXServer> {
  const token = opts.token ?? 'x-test-token';
  const processingPolls = opts.processingPolls ?? 1;
  const checkAfterSecs = opts.checkAfterSecs ?? 1;
  const media = new Map<string, Media>();
  const tweets = new Map<string, FakeTweet>();

  const error = (status: number, message?: string): FakeReply => ({
    status,
    headers:
      status === 429 ? { 'x-rate-limit-reset': Math.ceil(Date.now() / 1000) + 2, 'x-rate-limit-remaining': 0 } : {},
    body: {
      title: TITLES[status] ?? 'Error',
      detail: message ?? TITLES[status] ?? 'Error',
      type: 'about:blank',
      status,
    },
  });
  const info = (m: Media) => ({
    state: m.state,
    ...(m.state === 'succeeded'
      ? { progress_percent: 100 }
      : { check_after_secs: checkAfterSecs, progress_percent: 50 }),
  });

  const server = await startFakePlatformServer({
    tokens: () => new Set([token, ...(opts.acceptTokens?.() ?? [])]),
    error,
    async handle(req) {
      if (req.method === 'GET' && req.path === '/2/users/me')
        return {
          status: 200,
          body: { data: { ...(opts.user ?? { id: '1234567890', username: 'studioflow' }), name: 'Studioflow' } },
        };
      if (req.method === 'POST' && req.path === '/2/media/upload/initialize') {
        const body = jsonOf(req);
        const kinds: Record<string, string> = {
          'video/mp4': 'tweet_video',
          'image/png': 'tweet_image',
          'image/jpeg': 'tweet_image',
        };
        if (!kinds[body.media_type]) return error(400, 'media_type must be video/mp4, image/png or image/jpeg');
        if (body.media_category !== kinds[body.media_type])
          return error(400, `media_category must be ${kinds[body.media_type]} for ${body.media_type}`);
        if (!(Number(body.total_bytes) > 0)) return error(400, 'total_bytes is required');
        const id = randomDigits(19);
        media.set(id, {
          id,
          total: Number(body.total_bytes),
          mediaType: body.media_type,
          segments: new Map(),
          finalized: false,
          polls: 0,
          state: 'pending',
        });
        return { status: 200, body: { data: { id, media_key: `7_${id}`, expires_after_secs: 86_400 } } };
      }

      const upload = /^\/2\/media\/upload\/(\d+)\/(append|finalize)$/.exec(req.path);
      if (req.method === 'POST' && upload) {
        const m = media.get(upload[1]);
        if (!m) return error(400, `media_id ${upload[1]} is not an upload in progress`);
        if (upload[2] === 'append') {
          if (m.finalized) return error(400, 'The media was already finalized');
          const form = await formOf(req);
          const index = Number(form.get('segment_index'));
          const chunk = form.get('media');
          if (!Number.isInteger(index) || index < 0 || index > 999) return error(400, 'segment_index must be 0-999');
          if (!(chunk instanceof Blob)) return error(400, 'media is required');
          m.segments.set(index, Buffer.from(await chunk.arrayBuffer()));
          return { status: 200, body: { data: { expires_at: Math.floor(Date.now() / 1000) + 86_400 } } };
        }
        if (!m.finalized) {
          const order = [...m.segments.keys()].sort((a, b) => a - b);
          const data = Buffer.concat(order.map((i) => m.segments.get(i)!));
          if (data.length !== m.total)
            return error(400, `File size ${data.length} does not match total_bytes ${m.total}`);
          m.data = data;
          m.finalized = true;
        }
        return {
          status: 200,
          body: {
            data: {
              id: m.id,
              media_key: `7_${m.id}`,
              size: m.total,
              expires_after_secs: 86_400,
              processing_info: info(m),
            },
          },
        };
      }

      if (req.method === 'GET' && req.path === '/2/media/upload') {
        if (req.query.command !== 'STATUS') return error(400, 'command must be STATUS');
        const m = media.get(req.query.media_id ?? '');
        if (!m?.finalized) return error(400, 'media_id is not a finalized upload');
        if (m.state !== 'succeeded' && ++m.polls > processingPolls) m.state = 'succeeded';
        else if (m.state === 'pending') m.state = 'in_progress';
        return { status: 200, body: { data: { id: m.id, media_key: `7_${m.id}`, processing_info: info(m) } } };
      }

      if (req.method === 'POST' && req.path === '/2/tweets') {
        const body = jsonOf(req);
        const ids: string[] = body.media?.media_ids ?? [];
        if (ids.length > 4) return error(400, 'Your media IDs are invalid: a post takes at most 4 media');
        if (new Set(ids).size !== ids.length) return error(400, 'Your media IDs are invalid: duplicate media id');
        if (ids.length > 1 && ids.some((id) => media.get(id)?.mediaType === 'video/mp4'))
          return error(400, 'Your media IDs are invalid: a video cannot be combined with other media');
        for (const id of ids) {
          const m = media.get(id);
          if (!m || m.state !== 'succeeded') return error(400, `Your media IDs are invalid: ${id} is not ready`);
        }
        if ([...tweets.values()].some((t) => t.text === body.text))
          return error(403, 'You are not allowed to create a Tweet with duplicate content.');
        const id = randomDigits(19);
        tweets.set(id, {
          id,
          text: body.text,
          mediaIds: ids,
          metrics: { impression_count: 0, like_count: 0, reply_count: 0, retweet_count: 0 },
        });
        return { status: 201, body: { data: { id, text: body.text, edit_history_tweet_ids: [id] } } };
      }

      const lookup = /^\/2\/tweets\/(\d+)$/.exec(req.path);
      if (req.method === 'GET' && lookup) {
        const tweet = tweets.get(lookup[1]);
        if (!tweet)
          return {
            status: 200,
            body: {
              errors: [
                {
                  value: lookup[1],
                  detail: `Could not find tweet with id: [${lookup[1]}].`,
                  title: 'Not Found Error',
                  resource_type: 'tweet',
                  type: 'https://api.twitter.com/2/problems/resource-not-found',
                },
              ],
            },
          };
        const fields = (req.query['tweet.fields'] ?? '').split(',');
        return {
          status: 200,
          body: {
            data: {
              id: tweet.id,
              text: tweet.text,
              edit_history_tweet_ids: [tweet.id],
              ...(fields.includes('public_metrics')
                ? { public_metrics: { ...tweet.metrics, quote_count: 0, bookmark_count: 0 } }
                : {}),
            },
          },
        };
      }
      return error(404, `No route ${req.method} ${req.path}`);
    },
  });

  return {
    ...server,
    token,
    media,
    tweets,
    setStats(tweetId, s) {
      const tweet = tweets.get(tweetId);
      if (!tweet) throw new Error(`No tweet ${tweetId}`);
      tweet.metrics = { ...tweet.metrics, impression_count: s.views, like_count: s.likes, reply_count: s.comments };
    },
  };
}
