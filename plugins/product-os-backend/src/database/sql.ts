import { Knex } from 'knex';

/** The few SQL spellings that differ between PostgreSQL and SQLite. */
export interface SqlDialect {
  /** The larger of two expressions. */
  greatest(a: string, b: string): Knex.Raw;
  /** The smaller of two expressions. */
  least(a: string, b: string): Knex.Raw;
}

/** Whether the knex talks to PostgreSQL (else SQLite). */
export function isPostgres(knex: Knex | Knex.Transaction): boolean {
  const client = String(knex.client.config.client);
  return client === 'pg' || client === 'postgres' || client === 'postgresql';
}

export function sqlDialect(knex: Knex): SqlDialect {
  const isPg = isPostgres(knex);
  return {
    greatest: (a, b) =>
      knex.raw(isPg ? `GREATEST(${a}, ${b})` : `MAX(${a}, ${b})`),
    least: (a, b) => knex.raw(isPg ? `LEAST(${a}, ${b})` : `MIN(${a}, ${b})`),
  };
}

/**
 * Splits rows into chunks that stay under both engines' bound-parameter limits (SQLite: 32766,
 * PostgreSQL: 65535) and under SQLite's 500 terms of a compound SELECT, which is how knex writes
 * a multi-row insert there.
 */
export function chunk<T>(rows: T[], columnsPerRow: number): T[][] {
  const size = Math.max(1, Math.min(500, Math.floor(30000 / columnsPerRow)));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size)
    chunks.push(rows.slice(i, i + size));
  return chunks;
}
