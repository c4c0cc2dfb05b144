import { Knex } from 'knex';
import { emptyDatabase } from '../../__testUtils__/emptyDatabase';
import { DAY_MS, HOUR_MS } from '../../time';
import {
  CART_TOTAL,
  ENTITY,
  errorTables,
  eventId,
  MINUTE_MS,
  sentryEvent,
  storeTestDatabases,
  testStores,
} from '../__testUtils__/storeFixtures';
import type { ProductOsStores } from '../createProductOsStores';
import { ReadModel } from '../readModel/ReadModel';

jest.setTimeout(60_000);

describe('DatabaseRetentionStore', () => {
  const databases = storeTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let stores: ProductOsStores;
    let readModel: ReadModel;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
    });

    beforeEach(async () => {
      stores = await testStores(knex, { sampleSize: 3 });
      readModel = new ReadModel(knex);
      await emptyDatabase(knex);
    });

    const { bucketsOf, sampleOf } = errorTables(() => ({ knex, stores }));

    describe('prune', () => {
      it('removes raw samples and aggregates that aged out, and nothing inside the windows', async () => {
        // Deliveries and event ids are stamped with the wall clock, so the fixture is too.
        const now = Date.now() + 8 * DAY_MS;
        const policy = {
          rawMaxAgeMs: 7 * DAY_MS,
          aggregateMaxAgeMs: 90 * DAY_MS,
        };
        const aggregateBefore = now - policy.aggregateMaxAgeMs;
        const ago = (days: number) => now - days * DAY_MS;

        await stores.ingest.ingest(
          { source: 'sentry', deliveryId: 'delivery-1' },
          writer =>
            writer.recordErrorEvents([
              // Older than the aggregate window.
              sentryEvent({
                eventId: eventId(1),
                timestamp: aggregateBefore - 2 * HOUR_MS,
              }),
              // In the hour the aggregate window starts in: kept.
              sentryEvent({
                eventId: eventId(2),
                timestamp: aggregateBefore + MINUTE_MS,
              }),
              sentryEvent({
                eventId: eventId(3),
                timestamp: ago(10),
                userKey: 'u-1',
              }),
              sentryEvent({
                eventId: eventId(4),
                timestamp: ago(2),
                userKey: 'u-2',
              }),
            ]),
        );
        await stores.ingest.ingest({ source: 'posthog' }, writer =>
          writer.recordMetricPoints([
            {
              entityRef: ENTITY,
              metric: 'checkout_completed',
              bucketStart: ago(100),
              count: 7,
            },
            {
              entityRef: ENTITY,
              metric: 'checkout_completed',
              bucketStart: ago(10),
              count: 11,
              userKeys: ['u-1', 'u-3'],
            },
            {
              entityRef: ENTITY,
              metric: 'checkout_completed',
              bucketStart: ago(1),
              count: 13,
              userKeys: ['u-4'],
            },
          ]),
        );
        const bucketsBefore = await bucketsOf(CART_TOTAL);
        expect(bucketsBefore.map(b => b.count)).toEqual([1, 1, 1, 1]);

        const result = await stores.retention.prune(now, policy);
        // Raw: the samples of events 2 and 3 (event 1 was never in the sample of 3), the user
        // keys of 10 days ago (one of an error, two of a metric) and the delivery, received 8 days
        // before `now`. Aggregates: the bucket of event 1 and the metric point of 100 days ago.
        expect(result).toEqual({
          rawRowsDeleted: 2 + 1 + 2 + 1,
          aggregateRowsDeleted: 1 + 1,
        });

        expect(await sampleOf(CART_TOTAL)).toEqual([eventId(4)]);
        expect(
          (await knex('error_users').select('user_key')).map(
            row => row.user_key,
          ),
        ).toEqual(['u-2']);
        expect(
          (
            await knex('metric_users').orderBy('user_key').select('user_key')
          ).map(row => row.user_key),
        ).toEqual(['u-4']);
        expect((await bucketsOf(CART_TOTAL)).map(b => b.start)).toEqual(
          bucketsBefore.slice(1).map(b => b.start),
        );
        expect(
          (await knex('metric_points').orderBy('bucket_start')).map(row =>
            Number(row.count),
          ),
        ).toEqual([11, 13]);
        expect(await knex('deliveries').select('delivery_id')).toEqual([]);
        // Event ids stay as long as the aggregates, so a resent event still is not counted again.
        const resent = await stores.ingest.ingest(
          { source: 'sentry' },
          writer =>
            writer.recordErrorEvents([
              sentryEvent({
                eventId: eventId(3),
                timestamp: ago(10),
                userKey: 'u-1',
              }),
            ]),
        );
        expect(resent.result).toMatchObject({ stored: 0, duplicates: 1 });

        const groups = await readModel.errorGroupPage(ENTITY, {
          from: ago(30),
          to: now,
        });
        expect(groups.map(g => g.count)).toEqual([2]);
      });
    });
  });
});
