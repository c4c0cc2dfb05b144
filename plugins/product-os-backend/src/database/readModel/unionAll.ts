import type { Knex } from 'knex';

/**
 * `UNION ALL` of queries that may group or order, as one derived table named `alias`. Each part
 * is wrapped in a derived table of its own: knex writes a union after the first query's `WHERE`,
 * before its `GROUP BY`, and SQLite takes no parentheses around the parts of a compound select.
 */
export function unionAll(
  knex: Knex,
  parts: Knex.QueryBuilder[],
  alias: string,
): Knex.QueryBuilder {
  const [first, ...rest] = parts.map((part, i) =>
    knex.select('*').from(part.as(`${alias}_${i}`)),
  );
  return first.unionAll(rest).as(alias);
}
