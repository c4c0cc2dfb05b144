import { createHash } from 'crypto';
import { Knex } from 'knex';
import { isPostgres } from './sql';

/*
 * PostgreSQL parses, analyses and plans an unnamed statement anew every time it runs, which is
 * how knex sends every query. A statement that `pg` is given a `name` for is parsed once per
 * connection, and later runs on that connection only bind values and execute (the server keeps
 * it until the connection closes). Ingestion runs the same few statements for every delivery,
 * so those are named; the name is a hash of the SQL, so one name is always one text (`pg`
 * refuses a name used for two). Only SQL from a bounded set may be named, since a connection
 * keeps every statement it named: ingestion's are one per step and row count (a few hundred
 * rows at most).
 * SQLite needs none of this: its connections keep their prepared statements already
 * (`sqliteStatementCache.ts`).
 */

/** Names computed so far, by SQL: a hash of a few KB of SQL is not free at every statement. */
const names = new Map<string, string>();
/** Past this many, the names are computed again (the same ones): the map only saves time. */
const NAMES_KEPT = 2_000;

/** The statement's name on PostgreSQL: `pos_` and 40 hex digits of its SQL's SHA-1. */
export function statementName(sql: string): string {
  let name = names.get(sql);
  if (name === undefined) {
    if (names.size >= NAMES_KEPT) names.clear();
    name = `pos_${createHash('sha1').update(sql).digest('hex')}`;
    names.set(sql, name);
  }
  return name;
}

/**
 * `knex.raw(sql, bindings)`, named after its SQL on PostgreSQL. For SQL from a bounded set only
 * (see above); values always go in `bindings`.
 */
export function namedRaw(
  knex: Knex | Knex.Transaction,
  sql: string,
  bindings: readonly unknown[],
): Knex.Raw {
  const raw = knex.raw(sql, bindings as Knex.RawBinding[]);
  return isPostgres(knex) ? raw.options({ name: statementName(sql) }) : raw;
}
