import { Knex } from 'knex';
import { namedRaw } from '../namedStatements';
import type { Row } from '../rowValues';

/**
 * One multi-row `insert into "table" (…) values (…), (…) <tail>`, written out here rather than
 * by knex's query builder. Ingestion runs a few such statements per delivery, hundreds of times a
 * second: the builder normalised every row again, and on SQLite wrote the rows as a compound
 * `select ? as … union all select …`, which SQLite then parsed and planned anew for every
 * statement. The SQL is the same on both engines; `tail` is what follows the values
 * (`on conflict …`, `returning …`), spelled for both. On PostgreSQL the statement is named
 * (`namedStatements.ts`), so each connection parses and plans it once per row count; `tail`
 * must therefore not hold values.
 *
 * Resolves with the returned rows (none without a `returning` tail).
 */
export async function insertRows(
  tx: Knex.Transaction,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  tail = '',
): Promise<Row[]> {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const bindings: unknown[] = [];
  for (const row of rows) for (const value of row) bindings.push(value);
  const sql = `insert into "${table}" (${columns
    .map(name => `"${name}"`)
    .join(', ')}) values ${rows.map(() => tuple).join(', ')} ${tail}`;
  const result = await namedRaw(tx, sql, bindings);
  // better-sqlite3 answers with the rows, or with the changes when nothing is returned; pg with
  // a result holding them.
  if (Array.isArray(result)) return result;
  return Array.isArray(result?.rows) ? result.rows : [];
}
