/**
 * Unique visitors of the local channel's post pages, per post and day (see migration 0008). A view counts once per
 * visitor and day: the first one inserts the visitor's hash and increments `posts.views` in the same statement, so
 * concurrent requests of one visitor count once and those of different visitors all count.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import type { Database } from '..';

export interface Visitor {
  /** The client's address as the API sees it (behind a proxy, with TRUST_PROXY set). */
  address: string;
  userAgent: string;
}

const today = (now: Date) => now.toISOString().slice(0, 10);

export function createPostVisitRepository(db: Database) {
  let cached: { day: string; salt: string } | undefined;

  /** The day's salt, made by the first request of the day (any replica); older salts and visits are deleted. */
  async function saltOf(day: string): Promise<string> {
    if (cached?.day === day) return cached.salt;
    const [row] = await db.sequelize.query<{ salt: string }>(
      `INSERT INTO visitor_salts (day, salt) VALUES (:day, :salt)
       ON CONFLICT (day) DO UPDATE SET day = EXCLUDED.day RETURNING salt`,
      { replacements: { day, salt: randomBytes(32).toString('hex') }, type: QueryTypes.SELECT },
    );
    await db.sequelize.query('DELETE FROM visitor_salts WHERE day < :day', { replacements: { day } });
    await db.sequelize.query('DELETE FROM post_visits WHERE day < :day', { replacements: { day } });
    cached = { day, salt: row.salt };
    return row.salt;
  }

  return {
    /** Records a view; true when it was the visitor's first of the day on this post (and so counted). */
    async record(postId: string, visitor: Visitor, now = new Date()): Promise<boolean> {
      const day = today(now);
      const hash = createHmac('sha256', await saltOf(day))
        .update(`${visitor.address}\n${visitor.userAgent}`)
        .digest('hex');
      const rows = await db.sequelize.query<{ id: string }>(
        `WITH first AS (
           INSERT INTO post_visits (post_id, day, visitor_hash) VALUES (:postId, :day, :hash)
           ON CONFLICT DO NOTHING RETURNING post_id)
         UPDATE posts SET views = views + 1 WHERE id IN (SELECT post_id FROM first) RETURNING id`,
        { replacements: { postId, day, hash }, type: QueryTypes.SELECT },
      );
      return rows.length > 0;
    },
  };
}

export type PostVisitRepository = ReturnType<typeof createPostVisitRepository>;
