import knexFactory from 'knex';

/**
 * The PostgreSQL server the benchmarks create their databases on: `BENCH_PG_CONNECTION`, else
 * the one the tests use (`BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING`), else the local
 * server. A connection string without a database name, so one can be appended.
 */
export function postgresServer(): string {
  return (
    process.env.BENCH_PG_CONNECTION ??
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
    'postgresql://postgres@127.0.0.1:5432'
  );
}

/** Drops a benchmark's database, closing whatever connections are left on it. */
export async function dropPostgresDatabase(name: string): Promise<void> {
  const admin = knexFactory({
    client: 'pg',
    connection: `${postgresServer()}/postgres`,
  });
  try {
    await admin.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.destroy();
  }
}
