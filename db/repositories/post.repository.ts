/** Published posts. Publication is keyed by an idempotency key, so a retried publish finds the first one. */
import { Post } from '../models/brand.model';

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
  status: string;
  workflowId: string | null;
  publishedAt: string | null;
  createdAt: string;
}

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
  status: p.status,
  workflowId: p.workflowId,
  publishedAt: p.publishedAt ? p.publishedAt.toISOString() : null,
  createdAt: p.createdAt.toISOString(),
});

export type NewPost = Omit<PostRecord, 'id' | 'createdAt' | 'publishedAt' | 'status'> & { idempotencyKey: string };

export function createPostRepository() {
  return {
    /** Inserts the post once per idempotency key; `created` is false when it was already there. */
    async publishOnce(post: NewPost): Promise<{ post: PostRecord; created: boolean }> {
      const [row, created] = await Post.findOrCreate({
        where: { idempotencyKey: post.idempotencyKey },
        defaults: { ...post, status: 'published', publishedAt: new Date() },
      });
      return { post: toRecord(row), created };
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

    async countByWorkflow(workflowId: string): Promise<number> {
      return Post.count({ where: { workflowId } });
    },
  };
}

export type PostRepository = ReturnType<typeof createPostRepository>;
