import { Sql, sql } from './statement';

/**
 * A bound integer the SQL does integer arithmetic with. better-sqlite3 binds every JavaScript
 * number as a REAL, so `bucket_start / ?` would divide in floating point on SQLite and in
 * integers on PostgreSQL; the cast makes both engines floor alike.
 */
export function bigint(value: number): Sql {
  if (!Number.isSafeInteger(value)) {
    throw new Error(`Expected a safe integer, got ${value}`);
  }
  return sql`CAST(${value} AS BIGINT)`;
}
