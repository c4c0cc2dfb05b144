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

/**
 * Runs in the worker: checkpoints on a timer and when asked, and posts every answer (SQLite's,
 * with the id of the request it answers, none for the timer's).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { fileMustExist: true });
function checkpoint(id) {
  let result;
  try {
    result = db.pragma('wal_checkpoint(PASSIVE)')[0];
  } catch (error) {
    result = { error: String(error) };
  }
  parentPort.postMessage({ id, result });
}
const timer = setInterval(() => checkpoint(undefined), workerData.intervalMs);
parentPort.on('message', message => {
  if (message.cmd === 'checkpoint') checkpoint(message.id);
  if (message.cmd === 'close') {
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
  /**
   * Resolves at once while the log is short; once a checkpoint found it longer than
   * `logPagesBeforeReset`, only after a checkpoint that found it whole, so that the write about
   * to begin can start the log again from its beginning (see `checkpointInBackground`).
   */
  beforeWrite(): Promise<void>;
  close(): Promise<void>;
}

/** Pages of log (4 KiB each) past which writes wait for a checkpoint that lets it restart. */
export const DEFAULT_LOG_PAGES_BEFORE_RESET = 4096;
/** The size SQLite truncates the log file to when it starts it again. */
const LOG_BYTES_KEPT = 64 * 1024 * 1024;

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
 *
 * A checkpoint copies the log's pages into the database, but the log only starts again from its
 * beginning when a write begins after a checkpoint copied all of it. Under a steady ingest a
 * transaction is nearly always open, so that moment never came and the log grew by everything
 * ever written (6 GB beside a 150 MB database after 340,000 events). Writes therefore call
 * `beforeWrite`: once the log is longer than `logPagesBeforeReset`, the next write waits (the
 * event loop free) for a checkpoint on an idle connection, and then restarts the log.
 */
export async function checkpointInBackground(
  knex: Knex,
  options: { intervalMs?: number; logPagesBeforeReset?: number } = {},
): Promise<SqliteCheckpointer | undefined> {
  const filename = databaseFile(knex);
  if (!filename) return undefined;
  const [{ journal_mode: mode }] = await knex.raw('PRAGMA journal_mode');
  if (String(mode).toLowerCase() !== 'wal') return undefined;
  const logPagesBeforeReset =
    options.logPagesBeforeReset ?? DEFAULT_LOG_PAGES_BEFORE_RESET;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driver: require.resolve('better-sqlite3'),
      filename,
      intervalMs: options.intervalMs ?? 1000,
    },
  });
  // Checkpoints are housekeeping, so the thread is unref'd; its message port still holds the
  // process open until `close()`, which the backend's shutdown hook calls (scripts that make a
  // store without a lifecycle must call it themselves).
  worker.unref();
  let failed = false;
  // Should the worker fail, the store's connection checkpoints again, as SQLite does by default.
  worker.on('error', () => {
    failed = true;
    knex.raw('PRAGMA wal_autocheckpoint = 1000').catch(() => {});
  });

  let requests = 0;
  const waiting = new Map<
    number,
    { resolve(r: CheckpointResult): void; reject(e: Error): void }
  >();
  /**
   * Whether the last checkpoint found the log long: one that began again since would be short,
   * so a long one has not, however much of it was copied.
   */
  let logTooLong = false;
  worker.on(
    'message',
    ({
      id,
      result,
    }: {
      id?: number;
      result: CheckpointResult & { error?: string };
    }) => {
      if (!result.error) logTooLong = result.log > logPagesBeforeReset;
      const request = id === undefined ? undefined : waiting.get(id);
      if (!request) return;
      waiting.delete(id!);
      if (result.error) request.reject(new Error(result.error));
      else request.resolve(result);
    },
  );
  const checkpoint = () =>
    new Promise<CheckpointResult>((resolve, reject) => {
      const id = ++requests;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ cmd: 'checkpoint', id });
    });
  /** The checkpoint writes wait for, shared by all that arrive while it runs. */
  let whole: Promise<void> | undefined;

  await knex.raw('PRAGMA wal_autocheckpoint = 0');
  await knex.raw(`PRAGMA journal_size_limit = ${LOG_BYTES_KEPT}`);
  return {
    checkpoint,
    beforeWrite() {
      if (!logTooLong || failed) return Promise.resolve();
      whole ??= checkpoint()
        .then(
          // The write about to begin starts the log again; should another transaction have
          // been open meanwhile, the timer's next checkpoint finds the log still long.
          () => {
            logTooLong = false;
          },
          // A failed checkpoint is no reason to refuse a write; the timer tries again.
          () => undefined,
        )
        .finally(() => {
          whole = undefined;
        });
      return whole;
    },
    async close() {
      const exited = new Promise<void>(resolve =>
        worker.once('exit', () => resolve()),
      );
      worker.postMessage({ cmd: 'close' });
      await exited;
    },
  };
}
