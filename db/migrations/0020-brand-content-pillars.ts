/**
 * Issue 12: a brand's content pillars — the themes its calendar's daily generation takes topics from in turn. Empty
 * for existing brands, which keep drafting from their keywords.
 */
import type { QueryInterface } from 'sequelize';

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.sequelize.query(`ALTER TABLE brands ADD COLUMN content_pillars varchar(80)[] NOT NULL DEFAULT '{}'`);
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.sequelize.query(`ALTER TABLE brands DROP COLUMN IF EXISTS content_pillars`);
}
