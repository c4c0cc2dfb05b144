import type { Knex } from 'knex';
import { Worker } from 'worker_threads';

/*
 * SQLite in WAL mode copies the log back into the database (a checkpoint) once it passes 1,000
 * pages, on the connection that committed, inside that COMMIT: with the synchronous driver a
 * large ingest transaction (a Sentry envelope of 1,000 events, some 6 MB) held the event loop for
 * 50-70 ms in its commit alone, every other request waiting. A checkpoint may run on any
 * connection, concurrently with writers, so the store's connection does not checkpoint and a
 * worker thread with a connection of its own checkpoints the log every `intervalMs`.
 */

/** Runs in the worker: checkpoints on a timer, and when asked (the reply is SQLite's answer). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { fileMustExist: true });
function checkpoint() {
  try {
    return db.pragma('wal_checkpoint(PASSIVE)')[0];
  } catch (error) {
    return { error: String(error) };
  }
}
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', message => {
  if (message === 'checkpoint') parentPort.postMessage(checkpoint());
  if (message === 'close') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

/** What a checkpoint did: pages in the log, and pages copied to the database. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface SqliteCheckpointer {
  /** Checkpoints now, in the worker. */
  checkpoint(): Promise<CheckpointResult>;
  close(): Promise<void>;
}

/** The database file of a better-sqlite3 knex, unless it is in memory (no log to checkpoint). */
function databaseFile(knex: Knex): string | undefined {
  const config = knex.client.config;
  if (!String(config.client).includes('sqlite')) return undefined;
  const connection = config.connection;
  const filename =
    typeof connection === 'string' ? connection : connection?.filename;
  if (typeof filename !== 'string' || filename === '') return undefined;
  if (filename === ':memory:' || filename.startsWith('file::memory:'))
    return undefined;
  return filename;
}

/**
 * Moves the WAL checkpoints of a file SQLite database off the store's connection to a worker
 * thread. Call after `journal_mode = WAL`. Undefined for PostgreSQL and in-memory SQLite.
 */
export async function checkpointInBackground(
  knex: Knex,
  options: { intervalMs?: number } = {},
): Promise<SqliteCheckpointer | undefined> {
  const filename = databaseFile(knex);
  if (!filename) return undefined;
  const [{ journal_mode: mode }] = await knex.raw('PRAGMA journal_mode');
  if (String(mode).toLowerCase() !== 'wal') return undefined;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driver: require.resolve('better-sqlite3'),
      filename,
      intervalMs: options.intervalMs ?? 1000,
    },
  });
  // Checkpoints are housekeeping: they never keep the process alive.
  worker.unref();
  // Should the worker fail, the store's connection checkpoints again, as SQLite does by default.
  worker.on('error', () => {
    knex.raw('PRAGMA wal_autocheckpoint = 1000').catch(() => {});
  });
  await knex.raw('PRAGMA wal_autocheckpoint = 0');
  return {
    checkpoint() {
      return new Promise((resolve, reject) => {
        worker.once('message', result =>
          result.error ? reject(new Error(result.error)) : resolve(result),
        );
        worker.postMessage('checkpoint');
      });
    },
    async close() {
      const exited = new Promise<void>(resolve =>
        worker.once('exit', () => resolve()),
      );
      worker.postMessage('close');
      await exited;
    },
  };
}
