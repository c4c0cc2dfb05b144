import type { IngestWriter } from '@internal/plugin-product-os-node';
import { Knex } from 'knex';
import { emptyDatabase } from '../../__testUtils__/emptyDatabase';
import {
  at,
  CART_TOTAL,
  COUPON_RANGE,
  deployment,
  ENTITY,
  errorTables,
  eventId,
  GATEWAY_TIMEOUT,
  isoAt,
  sentryEvent,
  storeTestDatabases,
  testStores,
} from '../__testUtils__/storeFixtures';
import type { ProductOsStores } from '../createProductOsStores';
import { ReadModel } from '../readModel/ReadModel';

jest.setTimeout(60_000);

describe('ingestErrors', () => {
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

    const { recordErrors, bucketsOf, groupRow, sampleOf } = errorTables(() => ({
      knex,
      stores,
    }));

    describe('error events', () => {
      it('groups events by fingerprint, counts them per hour and keeps the first release', async () => {
        const first = await recordErrors([
          sentryEvent({
            eventId: eventId(2),
            timestamp: at(10, 40),
            release: 'checkout-api@2.14.1',
          }),
          sentryEvent({
            eventId: eventId(1),
            timestamp: at(10, 5),
            release: 'checkout-api@2.14.0',
          }),
          sentryEvent({
            eventId: eventId(3),
            timestamp: at(10, 20),
            fingerprint: GATEWAY_TIMEOUT,
            title:
              'TimeoutError: payment gateway did not answer within 10000ms',
            culprit: 'authorize(src/payments/gateway.ts)',
            level: 'fatal',
          }),
        ]);
        expect(first.stored).toBe(3);
        expect(first.duplicates).toBe(0);
        expect(first.newGroups).toEqual([
          { entityRef: ENTITY, source: 'sentry', fingerprint: CART_TOTAL },
          { entityRef: ENTITY, source: 'sentry', fingerprint: GATEWAY_TIMEOUT },
        ]);

        const second = await recordErrors([
          sentryEvent({
            eventId: eventId(4),
            timestamp: at(11, 15),
            release: 'checkout-api@2.15.0',
            title:
              "TypeError: Cannot read properties of undefined (reading 'currency')",
            topFrames: [
              {
                filename: 'src/cart/currency.ts',
                function: 'format',
                lineno: 7,
                inApp: true,
              },
            ],
          }),
        ]);
        expect(second).toEqual({ stored: 1, duplicates: 0, newGroups: [] });

        const cart = await groupRow(CART_TOTAL);
        expect(Number(cart.event_count)).toBe(3);
        expect(Number(cart.first_seen)).toBe(at(10, 5));
        expect(Number(cart.last_seen)).toBe(at(11, 15));
        expect(cart.first_release).toBe('checkout-api@2.14.0');
        expect(cart.status).toBe('unresolved');
        expect(await bucketsOf(CART_TOTAL)).toEqual([
          { start: isoAt(10), count: 2, users: 0 },
          { start: isoAt(11), count: 1, users: 0 },
        ]);
        expect(await bucketsOf(GATEWAY_TIMEOUT)).toEqual([
          { start: isoAt(10), count: 1, users: 0 },
        ]);

        const groups = await readModel.errorGroupPage(ENTITY, {
          from: at(0),
          to: at(24),
        });
        expect(groups.map(g => [g.fingerprint, g.count])).toEqual([
          [CART_TOTAL, 3],
          [GATEWAY_TIMEOUT, 1],
        ]);
        expect(groups[0]).toMatchObject({
          entityRef: ENTITY,
          source: 'sentry',
          title:
            "TypeError: Cannot read properties of undefined (reading 'currency')",
          culprit: 'computeTotal(src/cart/total.ts)',
          level: 'error',
          status: 'unresolved',
          firstSeen: isoAt(10, 5),
          lastSeen: isoAt(11, 15),
          firstRelease: 'checkout-api@2.14.0',
          topFrames: [
            {
              filename: 'src/cart/currency.ts',
              function: 'format',
              lineno: 7,
              inApp: true,
            },
          ],
          permalink: 'https://acme.sentry.io/issues/4511234/',
          isNew: true,
          isRegressed: false,
        });
        expect(groups[1]).toMatchObject({
          level: 'fatal',
          firstRelease: 'checkout-api@2.14.0',
        });
      });

      it('takes first seen and first release from the earliest event, even when it arrives late', async () => {
        const newestFrames = [
          {
            filename: 'src/cart/lineItems.ts',
            function: 'sum',
            lineno: 12,
            inApp: true,
          },
        ];
        await recordErrors([
          sentryEvent({
            eventId: eventId(1),
            timestamp: at(12),
            release: 'checkout-api@2.15.0',
            title:
              "TypeError: Cannot read properties of undefined (reading 'lineItems')",
            topFrames: newestFrames,
          }),
        ]);
        // An offline client flushes events from before: they count, and they move first seen
        // and first release, but the group still reads as its newest event.
        await recordErrors([
          sentryEvent({
            eventId: eventId(2),
            timestamp: at(9, 30),
            release: 'checkout-api@2.14.0',
          }),
          sentryEvent({
            eventId: eventId(3),
            timestamp: at(11),
            release: 'checkout-api@2.14.0',
          }),
        ]);

        const cart = await groupRow(CART_TOTAL);
        expect(Number(cart.first_seen)).toBe(at(9, 30));
        expect(Number(cart.last_seen)).toBe(at(12));
        expect(Number(cart.event_count)).toBe(3);
        expect(cart.first_release).toBe('checkout-api@2.14.0');
        expect(cart.title).toBe(
          "TypeError: Cannot read properties of undefined (reading 'lineItems')",
        );
        expect(JSON.parse(cart.top_frames)).toEqual(newestFrames);

        // A late event without a release does not erase the known first release.
        await recordErrors([
          sentryEvent({
            eventId: eventId(4),
            timestamp: at(9),
            release: undefined,
          }),
        ]);
        expect((await groupRow(CART_TOTAL)).first_release).toBe(
          'checkout-api@2.14.0',
        );
        expect(await bucketsOf(CART_TOTAL)).toEqual([
          { start: isoAt(9), count: 2, users: 0 },
          { start: isoAt(11), count: 1, users: 0 },
          { start: isoAt(12), count: 1, users: 0 },
        ]);
      });

      it('counts an event id once, whether it is resent later or twice in one batch', async () => {
        const first = await recordErrors([
          sentryEvent({ eventId: eventId(1), timestamp: at(10, 5) }),
          sentryEvent({ eventId: eventId(2), timestamp: at(10, 6) }),
        ]);
        expect(first).toMatchObject({ stored: 2, duplicates: 0 });

        const resent = await recordErrors([
          sentryEvent({ eventId: eventId(2), timestamp: at(10, 6) }),
          sentryEvent({ eventId: eventId(3), timestamp: at(10, 7) }),
          sentryEvent({ eventId: eventId(3), timestamp: at(10, 7) }),
        ]);
        expect(resent).toMatchObject({ stored: 1, duplicates: 2 });

        const allSeen = await recordErrors([
          sentryEvent({ eventId: eventId(1), timestamp: at(10, 5) }),
        ]);
        expect(allSeen).toMatchObject({ stored: 0, duplicates: 1 });

        expect(Number((await groupRow(CART_TOTAL)).event_count)).toBe(3);
        expect(await bucketsOf(CART_TOTAL)).toEqual([
          { start: isoAt(10), count: 3, users: 0 },
        ]);
      });

      it('treats the same event id from another source as another event', async () => {
        await recordErrors([
          sentryEvent({ eventId: 'evt-1', timestamp: at(10) }),
        ]);
        const result = await recordErrors([
          sentryEvent({
            eventId: 'evt-1',
            timestamp: at(10),
            source: 'posthog',
          }),
        ]);
        expect(result).toMatchObject({ stored: 1, duplicates: 0 });
        expect(
          await knex('error_groups').select('source').orderBy('source'),
        ).toEqual([{ source: 'posthog' }, { source: 'sentry' }]);
      });

      it('does not process a delivery twice', async () => {
        const write = jest.fn(async (writer: IngestWriter) =>
          writer.recordErrorEvents([
            sentryEvent({ eventId: eventId(1), timestamp: at(10) }),
          ]),
        );

        const first = await stores.ingest.ingest(
          {
            source: 'sentry',
            deliveryId: 'c0a8012e-1f4b-4c8e-9d1a-7f6e5d4c3b2a',
          },
          write,
        );
        expect(first).toEqual({
          duplicate: false,
          result: { stored: 1, duplicates: 0, newGroups: [expect.anything()] },
        });

        const again = await stores.ingest.ingest(
          {
            source: 'sentry',
            deliveryId: 'c0a8012e-1f4b-4c8e-9d1a-7f6e5d4c3b2a',
          },
          write,
        );
        expect(again).toEqual({ duplicate: true });
        expect(write).toHaveBeenCalledTimes(1);
        expect(Number((await groupRow(CART_TOTAL)).event_count)).toBe(1);

        // Delivery ids are per source.
        const github = await stores.ingest.ingest(
          {
            source: 'github',
            deliveryId: 'c0a8012e-1f4b-4c8e-9d1a-7f6e5d4c3b2a',
          },
          async writer => {
            await writer.upsertChangeEvents([deployment()]);
            return 'written';
          },
        );
        expect(github).toEqual({ duplicate: false, result: 'written' });
        expect(
          await knex('deliveries').orderBy('source').select('source'),
        ).toEqual([{ source: 'github' }, { source: 'sentry' }]);
      });

      it('stores nothing of a delivery whose writer throws, and keeps what was there', async () => {
        await recordErrors([
          sentryEvent({ eventId: eventId(1), timestamp: at(10) }),
        ]);

        const failure = new Error('Sentry envelope item truncated');
        const events = [
          sentryEvent({ eventId: eventId(2), timestamp: at(10, 30) }),
          sentryEvent({
            eventId: eventId(3),
            timestamp: at(11),
            fingerprint: COUPON_RANGE,
          }),
        ];
        await expect(
          stores.ingest.ingest(
            { source: 'sentry', deliveryId: 'delivery-2' },
            async writer => {
              await writer.recordErrorEvents(events);
              await writer.upsertChangeEvents([deployment()]);
              await writer.recordMetricPoints([
                {
                  entityRef: ENTITY,
                  metric: 'checkout_completed',
                  bucketStart: at(10),
                  count: 9,
                },
              ]);
              throw failure;
            },
          ),
        ).rejects.toThrow(failure);

        expect(await knex('error_groups').select('fingerprint')).toEqual([
          { fingerprint: CART_TOTAL },
        ]);
        expect(Number((await groupRow(CART_TOTAL)).event_count)).toBe(1);
        expect(await bucketsOf(CART_TOTAL)).toEqual([
          { start: isoAt(10), count: 1, users: 0 },
        ]);
        expect(await sampleOf(CART_TOTAL)).toEqual([eventId(1)]);
        expect(await knex('change_events')).toEqual([]);
        expect(await knex('metric_points')).toEqual([]);

        // Neither the delivery nor its event ids were claimed, so a retry stores them.
        const retry = await stores.ingest.ingest(
          { source: 'sentry', deliveryId: 'delivery-2' },
          writer => writer.recordErrorEvents(events),
        );
        expect(retry).toEqual({
          duplicate: false,
          result: { stored: 2, duplicates: 0, newGroups: [expect.anything()] },
        });
        expect(Number((await groupRow(CART_TOTAL)).event_count)).toBe(2);
      });

      it('keeps only the newest events of each group in the sample', async () => {
        await recordErrors([
          sentryEvent({ eventId: eventId(1), timestamp: at(10, 0) }),
          sentryEvent({ eventId: eventId(5), timestamp: at(10, 40) }),
          sentryEvent({ eventId: eventId(3), timestamp: at(10, 20) }),
          sentryEvent({ eventId: eventId(2), timestamp: at(10, 10) }),
          sentryEvent({ eventId: eventId(4), timestamp: at(10, 30) }),
          sentryEvent({
            eventId: eventId(20),
            timestamp: at(9),
            fingerprint: COUPON_RANGE,
          }),
          sentryEvent({
            eventId: eventId(21),
            timestamp: at(9, 5),
            fingerprint: COUPON_RANGE,
          }),
        ]);
        expect(await sampleOf(CART_TOTAL)).toEqual([
          eventId(3),
          eventId(4),
          eventId(5),
        ]);

        // Older events count but do not displace newer samples.
        await recordErrors([
          sentryEvent({ eventId: eventId(6), timestamp: at(9, 0) }),
          sentryEvent({ eventId: eventId(7), timestamp: at(9, 30) }),
        ]);
        expect(await sampleOf(CART_TOTAL)).toEqual([
          eventId(3),
          eventId(4),
          eventId(5),
        ]);

        await recordErrors([
          sentryEvent({ eventId: eventId(8), timestamp: at(11) }),
        ]);
        expect(await sampleOf(CART_TOTAL)).toEqual([
          eventId(4),
          eventId(5),
          eventId(8),
        ]);
        expect(await sampleOf(COUPON_RANGE)).toEqual([
          eventId(20),
          eventId(21),
        ]);
        expect(Number((await groupRow(CART_TOTAL)).event_count)).toBe(8);

        const newest = await knex('error_events')
          .where({ event_id: eventId(8) })
          .first();
        expect(Number(newest.timestamp)).toBe(at(11));
        expect(newest.release).toBe('checkout-api@2.14.0');
        expect(newest.environment).toBe('production');
        expect(JSON.parse(newest.payload)).toEqual({
          event_id: eventId(8),
          platform: 'node',
        });
      });

      it('counts affected users once per hour', async () => {
        await recordErrors([
          sentryEvent({
            eventId: eventId(1),
            timestamp: at(10, 1),
            userKey: 'u-7f3a',
          }),
          sentryEvent({
            eventId: eventId(2),
            timestamp: at(10, 2),
            userKey: 'u-91bc',
          }),
          sentryEvent({
            eventId: eventId(3),
            timestamp: at(10, 3),
            userKey: 'u-7f3a',
          }),
          sentryEvent({ eventId: eventId(4), timestamp: at(10, 4) }),
          sentryEvent({
            eventId: eventId(5),
            timestamp: at(11, 1),
            userKey: 'u-7f3a',
          }),
        ]);
        expect(await bucketsOf(CART_TOTAL)).toEqual([
          { start: isoAt(10), count: 4, users: 2 },
          { start: isoAt(11), count: 1, users: 1 },
        ]);

        await recordErrors([
          sentryEvent({
            eventId: eventId(6),
            timestamp: at(10, 50),
            userKey: 'u-91bc',
          }),
          sentryEvent({
            eventId: eventId(7),
            timestamp: at(10, 55),
            userKey: 'u-c0de',
          }),
          // The same user in another group is that group's affected user too.
          sentryEvent({
            eventId: eventId(8),
            timestamp: at(10, 56),
            userKey: 'u-7f3a',
            fingerprint: GATEWAY_TIMEOUT,
          }),
        ]);
        expect(await bucketsOf(CART_TOTAL)).toEqual([
          { start: isoAt(10), count: 6, users: 3 },
          { start: isoAt(11), count: 1, users: 1 },
        ]);
        expect(await bucketsOf(GATEWAY_TIMEOUT)).toEqual([
          { start: isoAt(10), count: 1, users: 1 },
        ]);
      });

      it('stores a burst of a thousand events from a thousand users in one delivery', async () => {
        const events = Array.from({ length: 1000 }, (_, i) =>
          sentryEvent({
            eventId: eventId(i + 1),
            timestamp: at(10, i % 60),
            userKey: `u-${i}`,
          }),
        );
        expect(await recordErrors(events)).toMatchObject({
          stored: 1000,
          duplicates: 0,
        });
        expect(await bucketsOf(CART_TOTAL)).toEqual([
          { start: isoAt(10), count: 1000, users: 1000 },
        ]);
        expect(await recordErrors(events)).toMatchObject({
          stored: 0,
          duplicates: 1000,
        });
      });

      it('marks a resolved group regressed when an event after the resolution arrives', async () => {
        await recordErrors([
          sentryEvent({ eventId: eventId(1), timestamp: at(10) }),
        ]);

        const resolved = await stores.ingest.ingest(
          { source: 'sentry' },
          writer =>
            writer.updateErrorGroupStatus({
              entityRef: ENTITY,
              source: 'sentry',
              fingerprint: CART_TOTAL,
              status: 'resolved',
              at: at(12),
            }),
        );
        expect(resolved.result).toBe(true);
        const unknown = await stores.ingest.ingest(
          { source: 'sentry' },
          writer =>
            writer.updateErrorGroupStatus({
              entityRef: ENTITY,
              source: 'sentry',
              fingerprint: 'never-seen',
              status: 'resolved',
              at: at(12),
            }),
        );
        expect(unknown.result).toBe(false);

        let [group] = await readModel.errorGroupPage(ENTITY, {
          from: at(0),
          to: at(24),
        });
        expect(group).toMatchObject({ status: 'resolved', isRegressed: false });

        // An event that happened before the resolution, delivered late, is no regression.
        await recordErrors([
          sentryEvent({ eventId: eventId(2), timestamp: at(11, 30) }),
        ]);
        [group] = await readModel.errorGroupPage(ENTITY, {
          from: at(0),
          to: at(24),
        });
        expect(group).toMatchObject({
          status: 'resolved',
          isRegressed: false,
          count: 2,
        });

        await recordErrors([
          sentryEvent({ eventId: eventId(4), timestamp: at(15) }),
          sentryEvent({ eventId: eventId(3), timestamp: at(14) }),
        ]);
        [group] = await readModel.errorGroupPage(ENTITY, {
          from: at(0),
          to: at(24),
        });
        expect(group).toMatchObject({
          status: 'unresolved',
          isRegressed: true,
          count: 4,
          lastSeen: isoAt(15),
        });
        expect(Number((await groupRow(CART_TOTAL)).regressed_at)).toBe(at(14));

        // A window that starts after the regression does not call the group regressed.
        await recordErrors([
          sentryEvent({ eventId: eventId(5), timestamp: at(20) }),
        ]);
        [group] = await readModel.errorGroupPage(ENTITY, {
          from: at(18),
          to: at(24),
        });
        expect(group).toMatchObject({ isRegressed: false, count: 1 });
      });
    });
  });
});
