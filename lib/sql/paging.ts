import type { Knex } from 'knex';

/** The number of rows a query matches. */
export async function countOf(q: Knex.QueryBuilder): Promise<number> {
  const [row] = await q.count<{ count: string }[]>({ count: '*' });
  return Number(row?.count ?? 0);
}

/**
 * One page of a keyset-ordered query and the total its filter matches, read in parallel: `rows`
 * is already ordered and positioned after the cursor, `total` is the same filter unordered.
 */
export async function pageWithTotal<T>(
  rows: Knex.QueryBuilder,
  total: Knex.QueryBuilder,
  limit: number,
): Promise<{ rows: T[]; totalCount: number }> {
  const [page, totalCount] = await Promise.all([rows.limit(limit) as Promise<T[]>, countOf(total)]);
  return { rows: page, totalCount };
}
