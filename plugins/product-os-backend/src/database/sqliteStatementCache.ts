import type { Knex } from 'knex';

/*
 * knex's better-sqlite3 dialect prepares every statement it runs anew (`connection.prepare(sql)`
 * on each query). SQLite then parses and plans the SQL again, on the event loop: profiled at a
 * quarter of an entity overview's CPU (its one statement joins five derived tables) and a tenth
 * of ingestion's. The SQL of a given read or write is the same text on every call (values are
 * bound as `?`), so each connection keeps the statements it prepared, the most recently used
 * `size` of them, and answers the same statement for the same SQL. SQLite re-prepares a cached
 * statement itself when the schema changes (a migration), so a kept one never runs stale.
 */

/** What of a better-sqlite3 statement the cache needs to know. */
interface Statement {
  /** Whether it is being iterated (then it cannot run again until that ends). */
  readonly busy: boolean;
}

/** What of a better-sqlite3 connection the cache replaces. */
interface Connection {
  prepare(sql: string): Statement;
}

const CACHED = Symbol('product-os.statementCache');

/** Statements kept per connection by default: the plugin's reads and writes, with room. */
export const DEFAULT_STATEMENTS_PER_CONNECTION = 500;

/**
 * Makes the connection's `prepare` answer a statement it prepared before for the same SQL, and
 * keep the `size` most recently used. A statement that is busy (being iterated) is not handed
 * out again: a fresh one is prepared for that call. Calling it twice on a connection is a no-op.
 */
export function cacheStatements(
  connection: Connection,
  size = DEFAULT_STATEMENTS_PER_CONNECTION,
): void {
  const target = connection as Connection & { [CACHED]?: true };
  if (target[CACHED]) return;
  const prepare = connection.prepare.bind(connection);
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const statements = new Map<string, Statement>();
  target.prepare = (sql: string) => {
    const kept = statements.get(sql);
    if (kept && !kept.busy) {
      statements.delete(sql);
      statements.set(sql, kept);
      return kept;
    }
    const statement = prepare(sql);
    if (!kept) {
      statements.set(sql, statement);
      if (statements.size > size) {
        statements.delete(statements.keys().next().value!);
      }
    }
    return statement;
  };
  target[CACHED] = true;
}

/**
 * Caches the statements of every connection of a better-sqlite3 knex: those its pool holds now
 * and those it creates later. A no-op for other clients.
 */
export async function cacheSqliteStatements(
  knex: Knex,
  size = DEFAULT_STATEMENTS_PER_CONNECTION,
): Promise<void> {
  if (!String(knex.client.config.client).includes('sqlite')) return;
  const pool = knex.client.pool;
  pool.on('createSuccess', (_eventId: unknown, connection: Connection) =>
    cacheStatements(connection, size),
  );
  // The connections made before (migrations ran on one): SQLite's pool holds one.
  const connection: Connection = await knex.client.acquireConnection();
  try {
    cacheStatements(connection, size);
  } finally {
    await knex.client.releaseConnection(connection);
  }
}
