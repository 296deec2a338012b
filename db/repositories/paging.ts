/** Keyset pages, newest first, for the lists whose cursor is the last item's `createdAt|id` (brands, documents). */
import { Op, type FindOptions, type WhereAttributeHash } from 'sequelize';

export interface NewestFirstCursor {
  createdAt: string;
  id: string;
}

/** The rows of `scope` after the cursor, newest first, one more than `limit` to tell whether a next page exists. */
export function newestFirst<A extends { createdAt: unknown; id: unknown }>(
  scope: WhereAttributeHash<A>,
  options: { limit: number; cursor?: NewestFirstCursor },
): FindOptions<A> {
  const { cursor } = options;
  const where = cursor
    ? {
        ...scope,
        [Op.or]: [
          { createdAt: { [Op.lt]: cursor.createdAt } },
          { createdAt: cursor.createdAt, id: { [Op.lt]: cursor.id } },
        ],
      }
    : scope;
  return {
    where,
    order: [
      ['createdAt', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: options.limit + 1,
  };
}

/** A page of what `newestFirst` found: at most `limit` items, and whether there were more. */
export function newestFirstPage<R, T>(rows: R[], limit: number, toRecord: (row: R) => T) {
  return { items: rows.slice(0, limit).map(toRecord), hasMore: rows.length > limit };
}
