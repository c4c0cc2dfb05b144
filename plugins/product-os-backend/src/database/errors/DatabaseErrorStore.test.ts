import type { ErrorEventInput } from '@internal/plugin-product-os-node';
import { Knex } from 'knex';
import { emptyDatabase } from '../../__testUtils__/emptyDatabase';
import { DAY_MS, HOUR_MS } from '../../time';
import {
  at,
  CART_TOTAL,
  COUPON_RANGE,
  ENTITY,
  errorTables,
  eventId,
  GATEWAY_TIMEOUT,
  isoAt,
  OTHER_ENTITY,
  sentryEvent,
  series,
  storeTestDatabases,
  testStores,
} from '../__testUtils__/storeFixtures';
import {
  API,
  HOUR,
  MINUTE,
  seedAgentHistory,
  T,
} from '../__testUtils__/agentHistory';
import type { ProductOsStores } from '../createProductOsStores';
import { ReadModel } from '../readModel/ReadModel';

jest.setTimeout(60_000);

describe('the read model over stored errors (groups and series pages)', () => {
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

    const { recordErrors } = errorTables(() => ({ knex, stores }));

    describe('error reads', () => {
      /**
       * checkout-api on 2026-11-20: the cart-total error five times, the gateway timeout twice
       * (and three times the day before), the coupon error twice; payments-api has its own
       * errors, and an old checkout-api group was last seen two days before.
       */
      async function seedErrors() {
        let n = 0;
        const event = (
          timestamp: number,
          overrides: Partial<ErrorEventInput> = {},
        ) => sentryEvent({ eventId: eventId(++n), timestamp, ...overrides });
        const gateway = {
          fingerprint: GATEWAY_TIMEOUT,
          title: 'TimeoutError: gateway',
        };
        await recordErrors([
          event(at(-30), gateway),
          event(at(-30, 10), gateway),
          event(at(-30, 20), gateway),
          event(at(-48), {
            fingerprint: 'legacy-null-pointer',
            title: 'NullPointer',
          }),
        ]);
        await recordErrors([
          event(at(1, 10)),
          event(at(1, 50)),
          event(at(3, 5)),
          event(at(23, 10)),
          event(at(23, 40)),
          event(at(5), gateway),
          event(at(6), gateway),
        ]);
        await recordErrors([
          event(at(12), {
            fingerprint: COUPON_RANGE,
            title: 'RangeError: coupon',
          }),
          event(at(12, 30), {
            fingerprint: COUPON_RANGE,
            title: 'RangeError: coupon',
          }),
          ...[2, 2, 2, 2, 2, 2].map((hour, i) =>
            event(at(hour, i), { entityRef: OTHER_ENTITY }),
          ),
        ]);
      }

      it('lists the groups with events in the window, busiest first', async () => {
        await seedErrors();
        const groups = await readModel.errorGroupPage(ENTITY, {
          from: at(0),
          to: at(24),
        });

        expect(
          groups.map(g => ({
            fingerprint: g.fingerprint,
            count: g.count,
            isNew: g.isNew,
            firstSeen: g.firstSeen,
            lastSeen: g.lastSeen,
          })),
        ).toEqual([
          {
            fingerprint: CART_TOTAL,
            count: 5,
            isNew: true,
            firstSeen: isoAt(1, 10),
            lastSeen: isoAt(23, 40),
          },
          // Tied with the coupon error and created earlier.
          {
            fingerprint: GATEWAY_TIMEOUT,
            count: 2,
            isNew: false,
            firstSeen: isoAt(-30),
            lastSeen: isoAt(6),
          },
          {
            fingerprint: COUPON_RANGE,
            count: 2,
            isNew: true,
            firstSeen: isoAt(12),
            lastSeen: isoAt(12, 30),
          },
        ]);

        const expectedCart = new Array(24).fill(0);
        expectedCart[1] = 2;
        expectedCart[3] = 1;
        expectedCart[23] = 2;
        expect(groups[0].sparkline).toEqual(expectedCart);
        for (const group of groups) {
          expect(group.sparkline).toHaveLength(24);
          expect(group.sparkline.reduce((a, b) => a + b, 0)).toBe(group.count);
        }

        const top = await readModel.errorGroupPage(ENTITY, {
          from: at(0),
          to: at(24),
          limit: 2,
        });
        expect(top.map(g => g.fingerprint)).toEqual([
          CART_TOTAL,
          GATEWAY_TIMEOUT,
        ]);

        const payments = await readModel.errorGroupPage(OTHER_ENTITY, {
          from: at(0),
          to: at(24),
        });
        expect(payments.map(g => [g.fingerprint, g.count])).toEqual([
          [CART_TOTAL, 6],
        ]);
        expect(
          await readModel.errorGroupPage(ENTITY, {
            from: at(24),
            to: at(48),
          }),
        ).toEqual([]);
      });

      it('spreads a week over 24 slices of seven hours', async () => {
        await seedErrors();
        const from = at(-144);
        const groups = await readModel.errorGroupPage(ENTITY, {
          from,
          to: at(24),
        });

        // The gateway timeout ties with the cart error and was created first.
        expect(groups.map(g => [g.fingerprint, g.count, g.isNew])).toEqual([
          [GATEWAY_TIMEOUT, 5, true],
          [CART_TOTAL, 5, true],
          [COUPON_RANGE, 2, true],
          ['legacy-null-pointer', 1, true],
        ]);
        const sparkline = (entries: Record<number, number>) =>
          Array.from({ length: 24 }, (_, i) => entries[i] ?? 0);
        // Hours after `from`: 145, 147 and 167 for the cart error; 114, 149 and 150 for the
        // gateway timeout; 156 for the coupon error; 96 for the legacy error.
        expect(groups[0].sparkline).toEqual(sparkline({ 16: 3, 21: 2 }));
        expect(groups[1].sparkline).toEqual(sparkline({ 20: 2, 21: 1, 23: 2 }));
        expect(groups[2].sparkline).toEqual(sparkline({ 22: 2 }));
        expect(groups[3].sparkline).toEqual(sparkline({ 13: 1 }));
      });

      it('counts the hour the window starts in', async () => {
        await seedErrors();
        // 01:30 falls in the 01:00 bucket, which holds both events of that hour.
        const groups = await readModel.errorGroupPage(ENTITY, {
          from: at(1, 30),
          to: at(4),
        });
        expect(groups.map(g => [g.fingerprint, g.count])).toEqual([
          [CART_TOTAL, 3],
        ]);
        expect(groups[0].sparkline.reduce((a, b) => a + b, 0)).toBe(3);
        expect(groups[0].sparkline[0]).toBe(2);
      });

      it('sums error events per hour and per day, zero where there were none', async () => {
        await seedErrors();
        const hourly = await readModel.errorSeries(ENTITY, {
          from: at(0),
          to: at(7),
          bucketMs: HOUR_MS,
        });
        expect(hourly).toEqual(series(0, [0, 2, 0, 1, 0, 1, 1]));

        const daily = await readModel.errorSeries(ENTITY, {
          from: at(-72),
          to: at(24),
          bucketMs: DAY_MS,
        });
        expect(daily).toEqual(series(-72, [0, 4, 0, 9], 24));

        expect(
          await readModel.errorSeries('component:default/unknown', {
            from: at(0),
            to: at(3),
            bucketMs: HOUR_MS,
          }),
        ).toEqual(series(0, [0, 0, 0]));
      });
    });
  });
});

describe("DatabaseErrorStore: the agent's error reads", () => {
  const databases = storeTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let stores: ProductOsStores;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      stores = await testStores(knex, { sampleSize: 3 });
      await seedAgentHistory(stores);
    });

    it('reads hourly buckets per group, the groups with their times, and the bounded sample', async () => {
      const groups = await stores.errors.getErrorGroupRecords(API, {
        lastSeenFrom: T - 3 * HOUR,
      });
      const byPrint = Object.fromEntries(groups.map(g => [g.fingerprint, g]));
      expect(byPrint.new).toMatchObject({
        firstSeen: T + 10 * MINUTE,
        lastSeen: T + 16 * MINUTE,
        firstRelease: 'f00ba47',
        eventCount: 4,
        status: 'unresolved',
        topFrames: [{ filename: '/app/src/cart/total.ts', inApp: true }],
      });
      expect(
        await stores.errors.getErrorGroupRecords(API, {
          lastSeenFrom: T + 15 * MINUTE,
        }),
      ).toEqual([byPrint.new]);
      expect(
        await stores.errors.getErrorGroupRecords(API, {
          ids: [byPrint.old.id],
        }),
      ).toEqual([byPrint.old]);

      const buckets = await stores.errors.getErrorBuckets(API, {
        from: T - 3 * HOUR,
        to: T + HOUR,
      });
      expect(buckets).toEqual(
        [
          {
            groupId: byPrint.old.id,
            bucketStart: T - 2 * HOUR,
            count: 2,
            users: 2,
          },
          { groupId: byPrint.old.id, bucketStart: T, count: 1, users: 1 },
          { groupId: byPrint.new.id, bucketStart: T, count: 4, users: 4 },
        ].sort(
          (a, b) => a.bucketStart - b.bucketStart || a.groupId - b.groupId,
        ),
      );
      // The sample keeps the newest 3 events of each group.
      const samples = await stores.errors.getErrorSamples([byPrint.new.id], {
        from: T,
        to: T + HOUR,
      });
      expect(samples.map(s => s.timestamp)).toEqual([
        T + 12 * MINUTE,
        T + 14 * MINUTE,
        T + 16 * MINUTE,
      ]);
    });
  });
});
