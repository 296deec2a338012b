/**
 * Issue 12, carousels: a post on the brand's channel may show several images in order. `slide_keys` lists them (the
 * first is `image_key`, kept for feeds and for posts with one image); NULL for a post of one image or a video.
 */
import type { QueryInterface } from 'sequelize';

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.sequelize.query(`ALTER TABLE posts ADD COLUMN slide_keys VARCHAR(300)[]`);
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.sequelize.query(`ALTER TABLE posts DROP COLUMN IF EXISTS slide_keys`);
}
