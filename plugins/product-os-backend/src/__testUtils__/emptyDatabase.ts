import type { Knex } from 'knex';

/**
 * Empties every table of a migrated test database and restarts its id sequences, so a suite can
 * share one database per engine and still give each test the state of a new one. Creating a
 * database per test made PostgreSQL drop dozens of them at the end of a suite (each drop forces a
 * checkpoint), which on a busy machine ran past the teardown's time limit.
 */
export async function emptyDatabase(knex: Knex): Promise<void> {
  const client = String(knex.client.config.client);
  if (client === 'pg') {
    const { rows } = await knex.raw<{ rows: { tablename: string }[] }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT LIKE 'knex_migrations%'`,
    );
    if (rows.length === 0) return;
    await knex.raw(
      `TRUNCATE TABLE ${rows
        .map(() => '??')
        .join(', ')} RESTART IDENTITY CASCADE`,
      rows.map(row => row.tablename),
    );
    return;
  }
  const tables: { name: string }[] = await knex.raw(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'knex_migrations%' AND name NOT LIKE 'sqlite_%'`,
  );
  await knex.raw('PRAGMA foreign_keys = OFF');
  try {
    for (const { name } of tables) await knex(name).delete();
    const sequences: unknown[] = await knex.raw(
      `SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'`,
    );
    if (sequences.length > 0) await knex('sqlite_sequence').delete();
  } finally {
    await knex.raw('PRAGMA foreign_keys = ON');
  }
}
