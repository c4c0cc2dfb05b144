import type {
  MetricPointInput,
  PulledMetricPointInput,
} from '@internal/plugin-product-os-node';
import { Knex } from 'knex';
import { emptyDatabase } from '../../__testUtils__/emptyDatabase';
import { DAY_MS, HOUR_MS } from '../../time';
import {
  at,
  ENTITY,
  OTHER_ENTITY,
  series,
  storeTestDatabases,
  testStores,
} from '../__testUtils__/storeFixtures';
import { listActiveEntities } from '../../agent/AgentStores';
import {
  API,
  HOUR,
  seedAgentHistory,
  T,
  WEB,
} from '../__testUtils__/agentHistory';
import type { ProductOsStores } from '../createProductOsStores';

jest.setTimeout(60_000);

describe('DatabaseMetricStore', () => {
  const databases = storeTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let stores: ProductOsStores;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
    });

    beforeEach(async () => {
      stores = await testStores(knex, { sampleSize: 3 });
      await emptyDatabase(knex);
    });

    describe('metric points', () => {
      async function record(points: MetricPointInput[]) {
        await stores.ingest.ingest({ source: 'posthog' }, writer =>
          writer.recordMetricPoints(points),
        );
      }
      const point = (
        metric: string,
        bucketStart: number,
        count: number,
        userKeys?: string[],
      ): MetricPointInput => ({
        entityRef: ENTITY,
        metric,
        bucketStart,
        count,
        userKeys,
      });

      it('sums counts per hour and counts distinct users across deliveries', async () => {
        await record([
          point('checkout_completed', at(10), 40, ['u-01', 'u-02', 'u-03']),
          point('checkout_completed', at(11), 10, ['u-01']),
        ]);
        await record([
          point('checkout_completed', at(10), 5, ['u-03', 'u-04']),
          // Not at the start of the hour, and twice in one delivery: both go to 10:00.
          point('checkout_completed', at(10, 30), 2, ['u-05', 'u-04']),
          point('checkout_completed', at(10, 45), 1, ['u-05']),
        ]);

        const rows = await knex('metric_points').orderBy('bucket_start');
        expect(
          rows.map(row => [
            Number(row.bucket_start),
            Number(row.count),
            Number(row.users),
          ]),
        ).toEqual([
          [at(10), 48, 5],
          [at(11), 10, 1],
        ]);
      });

      describe('pulled hours', () => {
        async function pull(points: PulledMetricPointInput[]) {
          await stores.ingest.ingest({ source: 'posthog' }, writer =>
            writer.setPulledMetricPoints(points),
          );
        }
        const pulled = (
          bucketStart: number,
          count: number,
          users: number,
        ): PulledMetricPointInput => ({
          entityRef: ENTITY,
          metric: 'checkout_completed',
          bucketStart,
          count,
          users,
        });
        async function hours() {
          return (
            await stores.metrics.getMetricPoints(ENTITY, {
              from: at(0),
              to: at(24),
            })
          ).map(p => [p.bucketStart, p.count, p.users]);
        }

        it('reads an hour pushed and pulled as the larger of the two, not their sum', async () => {
          await record([
            point('checkout_completed', at(10), 40, ['u-01', 'u-02', 'u-03']),
            point('checkout_completed', at(11), 10, ['u-01']),
          ]);
          // PostHog saw more in 10:00 (events sent only there) and less in 11:00 (not yet in).
          await pull([pulled(at(10), 55, 4), pulled(at(11), 8, 1)]);
          expect(await hours()).toEqual([
            [at(10), 55, 4],
            [at(11), 10, 1],
          ]);
        });

        it('gives the same rows when an hour is pulled twice, and takes the newer total', async () => {
          await pull([pulled(at(10), 30, 3)]);
          await pull([pulled(at(10), 30, 3)]);
          expect(await hours()).toEqual([[at(10), 30, 3]]);
          // Late events reached PostHog: the second pull's total replaces the first.
          await pull([pulled(at(10), 34, 4)]);
          expect(await hours()).toEqual([[at(10), 34, 4]]);
          expect(await knex('metric_points')).toHaveLength(1);
        });

        it('adds events pushed after a pull to the pushed sum only', async () => {
          await pull([pulled(at(10), 30, 3)]);
          await record([point('checkout_completed', at(10), 20, ['u-01'])]);
          expect(await hours()).toEqual([[at(10), 30, 3]]);
          await record([
            point('checkout_completed', at(10), 15, ['u-02', 'u-03', 'u-04']),
          ]);
          // Pushed now 35 events of 4 users: more than the pull saw.
          expect(await hours()).toEqual([[at(10), 35, 4]]);
          // Pulling the hour again does not add to it either.
          await pull([pulled(at(10), 36, 4)]);
          expect(await hours()).toEqual([[at(10), 36, 4]]);
        });

        it('leaves hours a pull does not name as they were, and one point per hour', async () => {
          await record([point('checkout_completed', at(9), 12, ['u-01'])]);
          await pull([
            pulled(at(10), 5, 1),
            // Twice in one pull, once not at the start of the hour: the last one counts.
            { ...pulled(at(10, 30), 7, 2) },
          ]);
          expect(await hours()).toEqual([
            [at(9), 12, 1],
            [at(10), 7, 2],
          ]);
        });
      });

      it('counts the distinct users of a busy hour', async () => {
        const users = Array.from({ length: 1500 }, (_, i) => `u-${i}`);
        await record([point('page_viewed', at(10), 4200, users)]);
        await record([
          point('page_viewed', at(10), 800, [...users.slice(1000), 'u-new']),
        ]);
        const [row] = await knex('metric_points');
        expect([Number(row.count), Number(row.users)]).toEqual([5000, 1501]);
      });

      it('reports totals for the window and the window before', async () => {
        await record([
          point('checkout_completed', at(7), 99),
          point('checkout_completed', at(8), 30, ['u-01']),
          point('checkout_completed', at(9), 20, ['u-01', 'u-02']),
          point('checkout_completed', at(10), 45, ['u-01', 'u-02', 'u-03']),
          point('checkout_completed', at(11), 12, ['u-04']),
          point('checkout_completed', at(12), 500),
          point('add_to_cart', at(11), 80, ['u-01', 'u-02']),
          {
            entityRef: OTHER_ENTITY,
            metric: 'checkout_completed',
            bucketStart: at(10),
            count: 3,
          },
        ]);

        const metrics = await stores.metrics.getMetricSeries(ENTITY, {
          from: at(10),
          to: at(12),
          bucketMs: HOUR_MS,
        });
        expect(metrics).toEqual([
          {
            key: 'add_to_cart',
            points: series(10, [0, 80]),
            users: series(10, [0, 2]),
            total: 80,
            previousTotal: 0,
          },
          {
            key: 'checkout_completed',
            points: series(10, [45, 12]),
            users: series(10, [3, 1]),
            total: 57,
            previousTotal: 50,
          },
        ]);

        const daily = await stores.metrics.getMetricSeries(ENTITY, {
          from: at(0),
          to: at(24),
          bucketMs: DAY_MS,
        });
        expect(daily.find(s => s.key === 'checkout_completed')).toMatchObject({
          points: series(0, [706]),
          total: 706,
          previousTotal: 0,
        });
      });
    });
  });
});

describe("the agent's metric reads", () => {
  const databases = storeTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let stores: ProductOsStores;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      stores = await testStores(knex, { sampleSize: 3 });
      await seedAgentHistory(stores);
    });

    it('reads metric points and the entities active since a time', async () => {
      expect(
        await stores.metrics.getMetricPoints(
          WEB,
          { from: T - HOUR, to: T + HOUR },
          ['checkout_completed'],
        ),
      ).toEqual([
        {
          metric: 'checkout_completed',
          bucketStart: T - HOUR,
          count: 400,
          users: 0,
        },
        { metric: 'checkout_completed', bucketStart: T, count: 150, users: 0 },
      ]);
      expect(
        await stores.metrics.getMetricPoints(WEB, { from: T, to: T + HOUR }),
      ).toHaveLength(2);
      expect(await listActiveEntities(stores, T - HOUR)).toEqual([API, WEB]);
      expect(await listActiveEntities(stores, T + HOUR)).toEqual([]);
    });
  });
});
