import { mockServices } from '@backstage/backend-test-utils';
import fs from 'fs';
import knexFactory, { Knex } from 'knex';
import os from 'os';
import path from 'path';
import { createProductOsStores } from './createProductOsStores';
import {
  CheckpointResult,
  checkpointInBackground,
  SqliteCheckpointer,
} from './sqliteCheckpoints';

jest.setTimeout(60_000);

describe('checkpointInBackground', () => {
  let directory: string;
  let knex: Knex;
  let checkpointer: SqliteCheckpointer | undefined;

  beforeEach(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'product-os-wal-'));
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(directory, 'store.sqlite') },
      useNullAsDefault: true,
    });
    await knex.raw('PRAGMA journal_mode = WAL');
    await knex.schema.createTable('samples', table => {
      table.increments('id');
      table.text('payload');
    });
  });

  afterEach(async () => {
    await checkpointer?.close();
    checkpointer = undefined;
    await knex.destroy();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it("takes the checkpoints off the store's connection, so a large commit does not copy the log back", async () => {
    // By default the connection that commits checkpoints once the log passes 1,000 pages, inside
    // its COMMIT, holding the event loop (the driver is synchronous).
    const [before] = await knex.raw('PRAGMA wal_autocheckpoint');
    expect(before.wal_autocheckpoint).toBe(1000);

    checkpointer = await checkpointInBackground(knex, { intervalMs: 60_000 });
    expect(checkpointer).toBeDefined();
    const [after] = await knex.raw('PRAGMA wal_autocheckpoint');
    expect(after.wal_autocheckpoint).toBe(0);

    // Some 6 MB in one transaction, like a Sentry envelope of 1,000 events: the commit leaves
    // every page in the log.
    await knex.transaction(async tx => {
      for (let i = 0; i < 60; i++)
        await tx('samples').insert(
          Array.from({ length: 20 }, () => ({ payload: 'x'.repeat(5000) })),
        );
    });
    // The commit did not copy them into the database file...
    const file = path.join(directory, 'store.sqlite');
    expect(fs.statSync(file).size).toBeLessThan(1_000_000);
    // ...the worker's connection does, with the data intact.
    const result = await checkpointer!.checkpoint();
    expect(fs.statSync(file).size).toBeGreaterThan(6_000_000);
    expect(result.log).toBeGreaterThan(1000);
    expect(result.checkpointed).toBe(result.log);
    const [{ count }] = await knex('samples').count({ count: '*' });
    expect(Number(count)).toBe(1200);
  });

  it('lets a steady stream of writes start the log again once it is long', async () => {
    checkpointer = await checkpointInBackground(knex, {
      intervalMs: 60_000,
      logPagesBeforeReset: 30,
    });
    /**
     * What a steady ingest does: each transaction begins as the previous one commits, so the
     * timer's checkpoint always runs while one is open. Answers what the last checkpoint found.
     */
    async function steadyWrites(gate: boolean) {
      let found: CheckpointResult | undefined;
      for (let i = 0; i < 3; i++) {
        if (gate) await checkpointer!.beforeWrite();
        const tx = await knex.transaction();
        await tx('samples').insert(
          Array.from({ length: 20 }, () => ({ payload: 'x'.repeat(5000) })),
        );
        found = await checkpointer!.checkpoint();
        await tx.commit();
      }
      return found!;
    }

    const grown = await steadyWrites(false);
    expect(grown.log).toBeGreaterThan(30);
    const longer = await steadyWrites(false);
    // Copied every time, yet longer: no write since began the log again.
    expect(longer.checkpointed).toBe(longer.log);
    expect(longer.log).toBeGreaterThan(grown.log);

    // The first of these waits for a checkpoint with no transaction open, and begins the log
    // again: it holds what was written since, less than before.
    const after = await steadyWrites(true);
    expect(after.log).toBeLessThan(longer.log);
    expect(after.log).toBeLessThan(grown.log);
    const [{ count }] = await knex('samples').count({ count: '*' });
    expect(Number(count)).toBe(9 * 20);
  });

  it('resolves writes at once while the log is short', async () => {
    checkpointer = await checkpointInBackground(knex, {
      intervalMs: 60_000,
      logPagesBeforeReset: 100_000,
    });
    await knex('samples').insert({ payload: 'x' });
    await checkpointer!.checkpoint();
    let resolved = false;
    const waiting = checkpointer!.beforeWrite().then(() => {
      resolved = true;
    });
    // Settled within the same turn of microtasks: no round trip to the worker.
    await Promise.resolve();
    expect(resolved).toBe(true);
    await waiting;
  });

  it('is how the store runs on a SQLite file', async () => {
    await createProductOsStores({
      database: mockServices.database({ knex }),
    });
    const [setting] = await knex.raw('PRAGMA wal_autocheckpoint');
    expect(setting.wal_autocheckpoint).toBe(0);
  });

  it('stops its worker when the backend shuts down', async () => {
    const lifecycle = mockServices.lifecycle.mock();
    await createProductOsStores({
      database: mockServices.database({ knex }),
      lifecycle,
    });
    expect(lifecycle.addShutdownHook).toHaveBeenCalledTimes(1);
    const [hook] = lifecycle.addShutdownHook.mock.calls[0];
    // Resolves once the worker thread has exited, its connection closed.
    await expect(hook()).resolves.toBeUndefined();
  });

  it('leaves in-memory databases alone', async () => {
    const memory = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    try {
      expect(await checkpointInBackground(memory)).toBeUndefined();
      const [setting] = await memory.raw('PRAGMA wal_autocheckpoint');
      expect(setting.wal_autocheckpoint).toBe(1000);
    } finally {
      await memory.destroy();
    }
  });
});
