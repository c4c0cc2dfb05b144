import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { ErrorEventInput } from '@internal/plugin-product-os-node';
import { readProductOsConfig } from '../config';
import { createProductOsStores } from '../database/createProductOsStores';
import { ReadModel } from '../database/readModel/ReadModel';
import { scheduleRetention } from './scheduleRetention';

jest.setTimeout(60_000);

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-21T08:30:00.000Z');
const ENTITY = 'component:default/checkout-api';

function event(n: number, timestamp: number): ErrorEventInput {
  return {
    entityRef: ENTITY,
    source: 'sentry',
    fingerprint: 'fp-total',
    eventId: `event-${n}`,
    title: 'TypeError',
    level: 'error',
    timestamp,
    topFrames: [],
    userKey: `user-${n}`,
  };
}

describe('scheduleRetention', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('schedules the prune from config and keeps aggregates inside their window', async () => {
      const knex = await databases.init(databaseId);
      const stores = await createProductOsStores({
        database: mockServices.database({ knex }),
      });
      const dateNow = jest.spyOn(Date, 'now');
      try {
        // A delivery received 20 days ago, and events 200, 20 and 1 days old.
        dateNow.mockReturnValue(NOW - 20 * DAY);
        await stores.ingest.ingest({ source: 'sentry', deliveryId: 'old' }, w =>
          w.recordErrorEvents([
            event(1, NOW - 200 * DAY),
            event(2, NOW - 20 * DAY),
          ]),
        );
        dateNow.mockReturnValue(NOW);
        await stores.ingest.ingest(
          { source: 'sentry', deliveryId: 'new' },
          async w => {
            await w.recordErrorEvents([event(3, NOW - DAY)]);
            await w.recordMetricPoints([
              {
                entityRef: ENTITY,
                metric: 'signup',
                bucketStart: NOW - 200 * DAY,
                count: 4,
                userKeys: ['a'],
              },
              {
                entityRef: ENTITY,
                metric: 'signup',
                bucketStart: NOW - 20 * DAY,
                count: 6,
                userKeys: ['b'],
              },
            ]);
          },
        );
      } finally {
        dateNow.mockRestore();
      }

      const scheduler = mockServices.scheduler();
      const scheduleTask = jest.spyOn(scheduler, 'scheduleTask');
      const logger = mockServices.logger.mock();
      const config = readProductOsConfig(
        new ConfigReader({
          productOs: {
            retention: {
              rawDays: 14,
              aggregateDays: 180,
              schedule: { frequency: { minutes: 30 }, timeout: { minutes: 5 } },
            },
          },
        }),
      );
      await scheduleRetention({
        store: stores.retention,
        scheduler,
        logger,
        retention: config.retention,
        now: () => NOW,
      });

      expect(scheduleTask).toHaveBeenCalledTimes(1);
      expect(scheduleTask.mock.calls[0][0]).toMatchObject({
        id: 'product-os.retention',
        frequency: { minutes: 30 },
        timeout: { minutes: 5 },
      });

      await scheduler.triggerTask('product-os.retention');

      expect(logger.info).toHaveBeenCalledWith(
        'Pruned aged-out Product OS data',
        {
          // Raw: the events and user keys of the 200- and 20-day-old hours (2 + 2), the metric
          // user keys of those hours (2), and the 20-day-old delivery id (1).
          rawRowsDeleted: 7,
          // Aggregates: the error bucket and the metric point of 200 days ago.
          aggregateRowsDeleted: 2,
        },
      );
      // The 20-day-old hour still counts: only its raw samples went.
      const series = await new ReadModel(knex).errorSeries(ENTITY, {
        from: NOW - 30 * DAY,
        to: NOW,
        bucketMs: DAY,
      });
      expect(series.reduce((sum, p) => sum + p.value, 0)).toBe(2);
      const [signup] = await stores.metrics.getMetricSeries(ENTITY, {
        from: NOW - 30 * DAY,
        to: NOW,
        bucketMs: DAY,
      });
      expect(signup.total).toBe(6);
      expect(Number((await knex('error_events').count({ n: '*' }))[0].n)).toBe(
        1,
      );
      // The delivery received now is still remembered: resending it is still a duplicate.
      const resent = await stores.ingest.ingest(
        { source: 'sentry', deliveryId: 'new' },
        async () => 1,
      );
      expect(resent.duplicate).toBe(true);
      const old = await stores.ingest.ingest(
        { source: 'sentry', deliveryId: 'old' },
        async () => 1,
      );
      expect(old.duplicate).toBe(false);
    });
  });
});
