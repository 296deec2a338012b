/**
 * Published posts (images, and videos since issue 4). Publication is keyed by an idempotency key, so a retried publish
 * finds the first one. A video post is created as a draft first (its id names the folder its files are copied to) and
 * published once the files are in place, so the channel never lists a video whose files are missing.
 */
import type { Post } from '../models/post.model';
import type { Database } from '../index';

export interface PostRecord {
  id: string;
  workspaceId: string;
  brandId: string;
  channelId: string;
  platform: string;
  postType: string;
  caption: string;
  hashtags: string[];
  callToAction: string;
  altText: string;
  imageKey: string | null;
  /** A carousel's images in order (the first is `imageKey`); null for one image or a video. */
  slideKeys: string[] | null;
  mediaKind: 'image' | 'video';
  /** Video posts: the video's title. */
  title: string | null;
  videoKey: string | null;
  videoBytes: number | null;
  /** WebVTT. */
  subtitlesKey: string | null;
  subtitlesLanguage: string | null;
  thumbnailKey: string | null;
  durationSeconds: number | null;
  status: string;
  workflowId: string | null;
  publishedAt: string | null;
  /** Page views on the local channel. */
  views: number;
  createdAt: string;
}

/** The fields only video posts fill. */
type VideoField =
  | 'mediaKind'
  | 'title'
  | 'videoKey'
  | 'videoBytes'
  | 'subtitlesKey'
  | 'subtitlesLanguage'
  | 'thumbnailKey'
  | 'durationSeconds';

const toRecord = (p: Post): PostRecord => ({
  id: p.id,
  workspaceId: p.workspaceId,
  brandId: p.brandId,
  channelId: p.channelId,
  platform: p.platform,
  postType: p.postType,
  caption: p.caption,
  hashtags: p.hashtags,
  callToAction: p.callToAction,
  altText: p.altText,
  imageKey: p.imageKey,
  slideKeys: p.slideKeys ?? null,
  mediaKind: p.mediaKind ?? 'image',
  title: p.title ?? null,
  videoKey: p.videoKey ?? null,
  videoBytes: p.videoBytes ?? null,
  subtitlesKey: p.subtitlesKey ?? null,
  subtitlesLanguage: p.subtitlesLanguage ?? null,
  thumbnailKey: p.thumbnailKey ?? null,
  durationSeconds: p.durationSeconds ?? null,
  status: p.status,
  workflowId: p.workflowId,
  publishedAt: p.publishedAt ? p.publishedAt.toISOString() : null,
  views: p.views ?? 0,
  createdAt: p.createdAt.toISOString(),
});

/** An image post (the social-post automation). */
export type NewPost = Omit<
  PostRecord,
  'id' | 'createdAt' | 'publishedAt' | 'status' | 'views' | 'slideKeys' | VideoField
> & {
  idempotencyKey: string;
  slideKeys?: string[] | null;
};

/** A video post's text; its files are attached by `publishVideo`. */
export type NewVideoPost = Omit<NewPost, 'imageKey'> & { title: string };

/** Where a video post's files are, once copied under `posts/<postId>/`. */
export interface VideoPostMedia {
  videoKey: string;
  videoBytes: number;
  subtitlesKey: string | null;
  subtitlesLanguage: string | null;
  thumbnailKey: string | null;
  durationSeconds: number;
}

export function createPostRepository(db: Database) {
  const { Post } = db.models;
  return {
    /** Inserts the post once per idempotency key; `created` is false when it was already there. */
    async publishOnce(post: NewPost): Promise<{ post: PostRecord; created: boolean }> {
      const [row, created] = await Post.findOrCreate({
        where: { idempotencyKey: post.idempotencyKey },
        defaults: { ...post, status: 'published', publishedAt: new Date() },
      });
      return { post: toRecord(row), created };
    },

    /** The video post of this key as a draft (created on the first call); `created` is false when it was there. */
    async draftVideoOnce(post: NewVideoPost): Promise<{ post: PostRecord; created: boolean }> {
      const [row, created] = await Post.findOrCreate({
        where: { idempotencyKey: post.idempotencyKey },
        defaults: { ...post, imageKey: null, mediaKind: 'video', status: 'draft', publishedAt: null },
      });
      if (row.mediaKind !== 'video') throw new Error(`Post ${row.id} for key ${post.idempotencyKey} is not a video`);
      return { post: toRecord(row), created };
    },

    /** Attaches the files and publishes the draft; a post already published is returned as it is. */
    async publishVideo(id: string, media: VideoPostMedia): Promise<PostRecord> {
      await Post.update(
        { ...media, status: 'published', publishedAt: new Date() },
        { where: { id, mediaKind: 'video', status: 'draft' } },
      );
      const row = await Post.findByPk(id);
      if (!row) throw new Error(`Post ${id} does not exist`);
      return toRecord(row);
    },

    async get(id: string): Promise<PostRecord | null> {
      const row = await Post.findByPk(id);
      return row ? toRecord(row) : null;
    },

    async listPublished(channelId: string, limit: number): Promise<PostRecord[]> {
      const rows = await Post.findAll({
        where: { channelId, status: 'published' },
        order: [
          ['publishedAt', 'DESC'],
          ['id', 'DESC'],
        ],
        limit,
      });
      return rows.map(toRecord);
    },

    /** Every stored file the brand's posts point at (images, carousel slides, videos, posters, subtitles). */
    async fileKeysOfBrand(brandId: string): Promise<string[]> {
      const rows = await Post.findAll({
        where: { brandId },
        attributes: ['imageKey', 'slideKeys', 'videoKey', 'thumbnailKey', 'subtitlesKey'],
      });
      return rows
        .flatMap((r) => [r.imageKey, ...(r.slideKeys ?? []), r.videoKey, r.thumbnailKey, r.subtitlesKey])
        .filter((k) => !!k) as string[];
    },

    async countByWorkflow(workflowId: string): Promise<number> {
      return Post.count({ where: { workflowId } });
    },
  };
}

export type PostRepository = ReturnType<typeof createPostRepository>;
