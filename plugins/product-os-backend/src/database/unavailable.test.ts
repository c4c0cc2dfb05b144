import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { StoreUnavailableError } from '@internal/plugin-product-os-node';
import { knex as createKnex, Knex } from 'knex';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { proxiedKnex, TcpProxy } from '../__testUtils__/tcpProxy';
import {
  createProductOsStores,
  ProductOsStores,
} from './createProductOsStores';
import { DEFAULT_RETRY_AFTER_SECONDS } from './ingest/OutageGuard';
import { isDatabaseUnavailable } from './unavailable';

jest.setTimeout(60_000);

/*
 * A database that cannot be reached is a 503 with Retry-After for the sender (it retries and
 * nothing is lost), logged once when the outage begins and once when it ends; a write that is
 * wrong stays what it was.
 */

const T0 = Date.UTC(2026, 10, 20, 10);

function delivery(stores: ProductOsStores, id: string) {
  return stores.ingest.ingest({ source: 'pagerduty', deliveryId: id }, w =>
    w.upsertIncident({
      entityRef: 'component:default/checkout-api',
      source: 'pagerduty',
      externalId: id,
      title: 'Checkout down',
      status: 'triggered',
      createdAt: T0,
    }),
  );
}

async function expectUnavailable(write: Promise<unknown>) {
  const error = await write.then(
    () => undefined,
    e => e,
  );
  expect(error).toBeInstanceOf(StoreUnavailableError);
  expect(error).toMatchObject({
    name: 'ServiceUnavailableError',
    statusCode: 503,
    retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
  });
}

describe('a database that cannot be reached', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let proxied: Knex;
    let proxy: TcpProxy;

    afterEach(async () => {
      await proxy?.cut();
      await proxied?.destroy();
    });

    it('answers 503 while PostgreSQL is gone, and logs it once each way', async () => {
      ({ knex: proxied, proxy } = await proxiedKnex(
        await databases.init(databaseId),
      ));
      const logger = mockServices.logger.mock();
      const stores = await createProductOsStores({
        database: mockServices.database({ knex: proxied }),
        logger,
      });
      expect(await delivery(stores, 'before')).toEqual({
        duplicate: false,
        result: undefined,
      });

      await proxy.cut();
      for (const id of ['during-1', 'during-2', 'during-3'])
        await expectUnavailable(delivery(stores, id));
      await expectUnavailable(
        stores.ingest.recordUnmapped('pagerduty', 'k', T0),
      );
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn.mock.calls[0][0]).toMatch(
        /^Product OS database unreachable; vendor deliveries answer 503 until it is back: .*(Connection terminated|ECONNREFUSED)/,
      );

      await proxy.start();
      expect(await delivery(stores, 'during-1')).toEqual({
        duplicate: false,
        result: undefined,
      });
      await delivery(stores, 'after');
      expect(logger.info).toHaveBeenCalledWith(
        'Product OS database reachable again',
      );
      expect(
        logger.info.mock.calls.filter(([m]) => /reachable again/.test(m)),
      ).toHaveLength(1);
      expect(logger.warn).toHaveBeenCalledTimes(1);
    });
  });
});

describe('a SQLite file another process holds locked', () => {
  let dir: string;
  let knex: Knex;
  let holder: Knex | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'product-os-busy-'));
  });
  afterEach(async () => {
    await holder?.destroy();
    await knex?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 while busy, and stores once the lock is gone', async () => {
    const filename = path.join(dir, 'product-os.sqlite');
    knex = createKnex({
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      // Fail at once instead of waiting out the default busy timeout.
      pool: {
        afterCreate: (db: any, done: (e?: Error) => void) => {
          db.pragma('busy_timeout = 0');
          done();
        },
      },
    });
    const logger = mockServices.logger.mock();
    const stores = await createProductOsStores({
      database: mockServices.database({ knex }),
      logger,
    });
    // Another connection to the file (as another process would be) in the middle of a write.
    holder = createKnex({
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
    });
    const lock = await holder.transaction();
    await lock('agent_entities').insert({ entity_ref: 'x', evaluated_at: 0 });

    await expectUnavailable(delivery(stores, 'busy-1'));
    await expectUnavailable(delivery(stores, 'busy-2'));
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toMatch(/SQLITE_BUSY/);

    await lock.rollback();
    await delivery(stores, 'busy-1');
    expect(await knex('incidents').pluck('external_id')).toEqual(['busy-1']);
  });

  it('keeps a wrong write a wrong write (not a 503)', async () => {
    knex = createKnex({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    const stores = await createProductOsStores({
      database: mockServices.database({ knex }),
    });
    const wrong = await knex.raw('SELECT * FROM no_such_table').catch(e => e);
    expect(wrong.message).toMatch(/no such table/);
    expect(isDatabaseUnavailable(wrong)).toBe(false);
    await expect(
      stores.ingest.ingest({ source: 'sentry' }, async () => {
        throw wrong;
      }),
    ).rejects.toBe(wrong);
  });
});
