import type {
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import fs from 'fs';
import knexFactory, { Knex } from 'knex';
import os from 'os';
import path from 'path';
import { postgresServer } from '../postgres';

/** A real database for the benchmark: a SQLite file, or a fresh PostgreSQL database. */
export interface BenchDatabase {
  engine: 'sqlite' | 'postgres';
  service: DatabaseService;
  knex: Knex;
  close(): Promise<void>;
}

export async function openBenchDatabase(
  engine: 'sqlite' | 'postgres',
): Promise<BenchDatabase> {
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'product-os-bench-'));
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'bench.sqlite') },
      useNullAsDefault: true,
    });
    return {
      engine,
      knex,
      service: { getClient: async () => knex },
      close: async () => {
        await knex.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = postgresServer();
  const name = `product_os_bench_${process.pid}_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: `${url}/postgres` });
  await admin.raw(`CREATE DATABASE ${name}`);
  const knex = knexFactory({
    client: 'pg',
    connection: `${url}/${name}`,
    pool: { min: 0, max: 5 },
  });
  return {
    engine,
    knex,
    service: { getClient: async () => knex },
    close: async () => {
      await knex.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS ${name}`);
      await admin.destroy();
    },
  };
}

/** A logger that only speaks when asked to. */
export function benchLogger(verbose: boolean): LoggerService {
  const logger: LoggerService = {
    error: (message, meta) => console.error(message, meta ?? ''),
    warn: (message, meta) => verbose && console.warn(message, meta ?? ''),
    info: (message, meta) => verbose && console.info(message, meta ?? ''),
    debug: () => {},
    child: () => logger,
  };
  return logger;
}
