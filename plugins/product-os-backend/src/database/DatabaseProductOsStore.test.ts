import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type {
  ChangeEventInput,
  ErrorEventInput,
  IncidentInput,
  IncidentTimelineInput,
  IngestWriter,
  MetricPointInput,
} from '@internal/plugin-product-os-node';
import { Knex } from 'knex';
import { emptyDatabase } from '../__testUtils__/emptyDatabase';
import { DatabaseProductOsStore } from './DatabaseProductOsStore';
import type { DiagnosisInput } from './ProductOsStore';
import { DAY_MS, HOUR_MS } from './rows';

jest.setTimeout(60_000);

const MINUTE_MS = 60_000;
/** 2026-11-20T00:00:00Z, the day the fixtures happen. */
const T0 = Date.UTC(2026, 10, 20);
const ENTITY = 'component:default/checkout-api';
const OTHER_ENTITY = 'component:default/payments-api';

/** Epoch ms `hour` hours and `minute` minutes after T0 (negative hours are before it). */
function at(hour: number, minute = 0): number {
  return T0 + hour * HOUR_MS + minute * MINUTE_MS;
}

function isoAt(hour: number, minute = 0): string {
  return new Date(at(hour, minute)).toISOString();
}

/** The points of a series from `fromHour`, one bucket of `stepHours` per value. */
function series(fromHour: number, values: number[], stepHours = 1) {
  return values.map((value, i) => ({
    time: isoAt(fromHour + i * stepHours),
    value,
  }));
}

/** A Sentry-style 32-hex event id. */
function eventId(n: number): string {
  return `8d2f0c6b4a1e4f3b9c7d${n.toString(16).padStart(12, '0')}`;
}

const CART_TOTAL = 'cart-total-type-error';
const GATEWAY_TIMEOUT = 'payment-gateway-timeout';
const COUPON_RANGE = 'coupon-range-error';

function sentryEvent(
  overrides: Partial<ErrorEventInput> & { eventId: string; timestamp: number },
): ErrorEventInput {
  return {
    entityRef: ENTITY,
    source: 'sentry',
    fingerprint: CART_TOTAL,
    title: "TypeError: Cannot read properties of undefined (reading 'amount')",
    culprit: 'computeTotal(src/cart/total.ts)',
    level: 'error',
    release: 'checkout-api@2.14.0',
    environment: 'production',
    topFrames: [
      {
        filename: 'src/cart/total.ts',
        function: 'computeTotal',
        lineno: 42,
        inApp: true,
      },
      {
        filename: 'src/cart/CartService.ts',
        function: 'checkout',
        lineno: 118,
        inApp: true,
      },
    ],
    permalink: 'https://acme.sentry.io/issues/4511234/',
    payload: { event_id: overrides.eventId, platform: 'node' },
    ...overrides,
  };
}

function deployment(
  overrides: Partial<ChangeEventInput> = {},
): ChangeEventInput {
  return {
    entityRef: ENTITY,
    source: 'github',
    kind: 'deployment',
    externalId: '1874523901',
    title: 'Deploy 9f2c1e7 to production',
    author: 'mona',
    sha: '9f2c1e7d5b3a48c0e6f1a2b3c4d5e6f708192a3b',
    environment: 'production',
    status: 'in_progress',
    url: 'https://github.com/acme/checkout-api/deployments/1874523901',
    occurredAt: at(14, 2),
    files: ['src/cart/total.ts', 'src/cart/CartService.ts'],
    ...overrides,
  };
}

function pullRequest(
  overrides: Partial<ChangeEventInput> = {},
): ChangeEventInput {
  return {
    entityRef: ENTITY,
    source: 'github',
    kind: 'pull_request',
    externalId: 'acme/checkout-api#512',
    title: 'Compute cart totals from line items',
    author: 'hubot',
    sha: '4c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d',
    number: 512,
    status: 'merged',
    url: 'https://github.com/acme/checkout-api/pull/512',
    occurredAt: at(13, 40),
    files: ['src/cart/total.ts'],
    ...overrides,
  };
}

function pagerDutyIncident(
  overrides: Partial<IncidentInput> = {},
): IncidentInput {
  return {
    entityRef: ENTITY,
    source: 'pagerduty',
    externalId: 'Q2K7XG0JQZ4P8A',
    title: 'Checkout API error rate above 5%',
    urgency: 'high',
    priority: 'P1',
    status: 'triggered',
    createdAt: at(14, 20),
    assignees: ['PXPGF42'],
    url: 'https://acme.pagerduty.com/incidents/Q2K7XG0JQZ4P8A',
    ...overrides,
  };
}

function timelineEntry(
  externalId: string,
  type: string,
  occurredAt: number,
  actor?: string,
): IncidentTimelineInput {
  return {
    externalId,
    type,
    message: `Incident ${type.replace('incident.', '')}`,
    actor,
    occurredAt,
  };
}

describe('DatabaseProductOsStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let store: DatabaseProductOsStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
    });

    beforeEach(async () => {
      store = await DatabaseProductOsStore.create({
        database: mockServices.database({ knex }),
        sampleSize: 3,
      });
      await emptyDatabase(knex);
    });

    async function recordErrors(events: ErrorEventInput[]) {
      const { duplicate, result } = await store.ingest(
        { source: 'sentry' },
        writer => writer.recordErrorEvents(events),
      );
      expect(duplicate).toBe(false);
      return result!;
    }

    /** The hourly buckets of a group, oldest first. */
    async function bucketsOf(fingerprint: string, entityRef = ENTITY) {
      const rows = await knex('error_buckets')
        .join('error_groups', 'error_groups.id', 'error_buckets.group_id')
        .where({
          'error_groups.fingerprint': fingerprint,
          'error_groups.entity_ref': entityRef,
        })
        .orderBy('error_buckets.bucket_start')
        .select(
          'error_buckets.bucket_start',
          'error_buckets.count',
          'error_buckets.users',
        );
      return rows.map(row => ({
        start: new Date(Number(row.bucket_start)).toISOString(),
        count: Number(row.count),
        users: Number(row.users),
      }));
    }

    async function groupRow(fingerprint: string, entityRef = ENTITY) {
      return knex('error_groups')
        .where({ fingerprint, entity_ref: entityRef })
        .first();
    }

    /** Event ids in a group's bounded sample, oldest first. */
    async function sampleOf(fingerprint: string) {
      const rows = await knex('error_events')
        .join('error_groups', 'error_groups.id', 'error_events.group_id')
        .where('error_groups.fingerprint', fingerprint)
        .orderBy('error_events.timestamp')
        .select('error_events.event_id');
      return rows.map(row => row.event_id);
    }

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

        const groups = await store.getErrorGroups(ENTITY, {
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

        const first = await store.ingest(
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

        const again = await store.ingest(
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
        const github = await store.ingest(
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
          store.ingest(
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
        const retry = await store.ingest(
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

        const resolved = await store.ingest({ source: 'sentry' }, writer =>
          writer.updateErrorGroupStatus({
            entityRef: ENTITY,
            source: 'sentry',
            fingerprint: CART_TOTAL,
            status: 'resolved',
            at: at(12),
          }),
        );
        expect(resolved.result).toBe(true);
        const unknown = await store.ingest({ source: 'sentry' }, writer =>
          writer.updateErrorGroupStatus({
            entityRef: ENTITY,
            source: 'sentry',
            fingerprint: 'never-seen',
            status: 'resolved',
            at: at(12),
          }),
        );
        expect(unknown.result).toBe(false);

        let [group] = await store.getErrorGroups(ENTITY, {
          from: at(0),
          to: at(24),
        });
        expect(group).toMatchObject({ status: 'resolved', isRegressed: false });

        // An event that happened before the resolution, delivered late, is no regression.
        await recordErrors([
          sentryEvent({ eventId: eventId(2), timestamp: at(11, 30) }),
        ]);
        [group] = await store.getErrorGroups(ENTITY, {
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
        [group] = await store.getErrorGroups(ENTITY, {
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
        [group] = await store.getErrorGroups(ENTITY, {
          from: at(18),
          to: at(24),
        });
        expect(group).toMatchObject({ isRegressed: false, count: 1 });
      });
    });

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
        const groups = await store.getErrorGroups(ENTITY, {
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

        const top = await store.getErrorGroups(ENTITY, {
          from: at(0),
          to: at(24),
          limit: 2,
        });
        expect(top.map(g => g.fingerprint)).toEqual([
          CART_TOTAL,
          GATEWAY_TIMEOUT,
        ]);

        const payments = await store.getErrorGroups(OTHER_ENTITY, {
          from: at(0),
          to: at(24),
        });
        expect(payments.map(g => [g.fingerprint, g.count])).toEqual([
          [CART_TOTAL, 6],
        ]);
        expect(
          await store.getErrorGroups(ENTITY, { from: at(24), to: at(48) }),
        ).toEqual([]);
      });

      it('spreads a week over 24 slices of seven hours', async () => {
        await seedErrors();
        const from = at(-144);
        const groups = await store.getErrorGroups(ENTITY, { from, to: at(24) });

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
        const groups = await store.getErrorGroups(ENTITY, {
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
        const hourly = await store.getErrorSeries(ENTITY, {
          from: at(0),
          to: at(7),
          bucketMs: HOUR_MS,
        });
        expect(hourly).toEqual(series(0, [0, 2, 0, 1, 0, 1, 1]));

        const daily = await store.getErrorSeries(ENTITY, {
          from: at(-72),
          to: at(24),
          bucketMs: DAY_MS,
        });
        expect(daily).toEqual(series(-72, [0, 4, 0, 9], 24));

        expect(
          await store.getErrorSeries('component:default/unknown', {
            from: at(0),
            to: at(3),
            bucketMs: HOUR_MS,
          }),
        ).toEqual(series(0, [0, 0, 0]));
      });
    });

    describe('change events', () => {
      async function upsert(changes: ChangeEventInput[]) {
        await store.ingest({ source: 'github' }, writer =>
          writer.upsertChangeEvents(changes),
        );
      }

      it('completes a deployment with its later status, keeping what the later report omits', async () => {
        await upsert([deployment()]);
        await upsert([
          {
            entityRef: ENTITY,
            source: 'github',
            kind: 'deployment',
            externalId: '1874523901',
            title: 'Deploy 9f2c1e7 to production',
            status: 'success',
            occurredAt: at(14, 2),
            finishedAt: at(14, 9),
          },
        ]);

        const changes = await store.getChangeEvents(ENTITY, {
          from: at(0),
          to: at(24),
        });
        expect(changes).toEqual([
          {
            id: expect.any(Number),
            entityRef: ENTITY,
            source: 'github',
            kind: 'deployment',
            externalId: '1874523901',
            title: 'Deploy 9f2c1e7 to production',
            author: 'mona',
            sha: '9f2c1e7d5b3a48c0e6f1a2b3c4d5e6f708192a3b',
            number: undefined,
            environment: 'production',
            status: 'success',
            url: 'https://github.com/acme/checkout-api/deployments/1874523901',
            occurredAt: isoAt(14, 2),
            finishedAt: isoAt(14, 9),
            files: ['src/cart/total.ts', 'src/cart/CartService.ts'],
          },
        ]);

        // A later report may change what it carries.
        await upsert([
          pullRequest({ status: 'open', files: ['src/cart/total.ts'] }),
        ]);
        await upsert([
          pullRequest({
            title: 'Compute cart totals from line items (#512)',
            status: 'merged',
            files: ['src/cart/total.ts', 'src/cart/lineItems.ts'],
            author: undefined,
          }),
        ]);
        const [pr] = await store.getChangeEvents(ENTITY, {
          from: at(0),
          to: at(24),
          kinds: ['pull_request'],
        });
        expect(pr).toMatchObject({
          title: 'Compute cart totals from line items (#512)',
          status: 'merged',
          author: 'hubot',
          number: 512,
          files: ['src/cart/total.ts', 'src/cart/lineItems.ts'],
        });
        expect(await knex('change_events').select('id')).toHaveLength(2);
      });

      it('filters by kind and range, newest first, across entities', async () => {
        await upsert([
          deployment({
            externalId: 'd-1',
            occurredAt: at(8),
            title: 'Deploy a1',
          }),
          deployment({
            externalId: 'd-2',
            occurredAt: at(14),
            title: 'Deploy b2',
          }),
          pullRequest({
            externalId: 'acme/checkout-api#510',
            number: 510,
            occurredAt: at(12),
          }),
          {
            entityRef: ENTITY,
            source: 'github',
            kind: 'commit',
            externalId: '0b1c2d3',
            title: 'Fix rounding in cart totals',
            sha: '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c',
            occurredAt: at(11),
          },
          {
            entityRef: ENTITY,
            source: 'pagerduty',
            kind: 'change',
            externalId: '01DEN2BSRH8JDAA1HF9DZCBJHH',
            title: 'Feature flag new-cart enabled',
            occurredAt: at(13),
          },
          deployment({
            externalId: 'd-0',
            occurredAt: at(-2),
            title: 'Deploy yesterday',
          }),
          deployment({
            externalId: 'd-3',
            occurredAt: at(24),
            title: 'Deploy tomorrow',
          }),
          deployment({
            entityRef: OTHER_ENTITY,
            externalId: 'p-1',
            occurredAt: at(9),
          }),
        ]);

        const day = { from: at(0), to: at(24) };
        const all = await store.getChangeEvents(ENTITY, day);
        expect(all.map(c => [c.kind, c.externalId])).toEqual([
          ['deployment', 'd-2'],
          ['change', '01DEN2BSRH8JDAA1HF9DZCBJHH'],
          ['pull_request', 'acme/checkout-api#510'],
          ['commit', '0b1c2d3'],
          ['deployment', 'd-1'],
        ]);
        expect(all[3]).toMatchObject({
          kind: 'commit',
          sha: '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c',
          files: [],
        });
        expect(all[3].author).toBeUndefined();
        expect(all[3].finishedAt).toBeUndefined();

        const deploys = await store.getChangeEvents(ENTITY, {
          ...day,
          kinds: ['deployment'],
        });
        expect(deploys.map(c => c.externalId)).toEqual(['d-2', 'd-1']);
        const prsAndCommits = await store.getChangeEvents(ENTITY, {
          ...day,
          kinds: ['pull_request', 'commit'],
          limit: 1,
        });
        expect(prsAndCommits.map(c => c.externalId)).toEqual([
          'acme/checkout-api#510',
        ]);

        const both = await store.getChangeEventsForEntities(
          [ENTITY, OTHER_ENTITY],
          {
            ...day,
            kinds: ['deployment'],
          },
        );
        expect(both.map(c => [c.entityRef, c.externalId])).toEqual([
          [ENTITY, 'd-2'],
          [OTHER_ENTITY, 'p-1'],
          [ENTITY, 'd-1'],
        ]);
        expect(await store.getChangeEventsForEntities([], day)).toEqual([]);
      });
    });

    describe('incidents', () => {
      async function upsertIncident(
        incident: IncidentInput,
        timeline?: IncidentTimelineInput[],
      ) {
        await store.ingest({ source: 'pagerduty' }, writer =>
          writer.upsertIncident(incident, timeline),
        );
      }

      it('follows an incident from triggered to resolved in one row', async () => {
        const triggered = timelineEntry('R1', 'incident.triggered', at(14, 20));
        await upsertIncident(pagerDutyIncident(), [triggered]);
        await upsertIncident(
          pagerDutyIncident({
            status: 'acknowledged',
            acknowledgedAt: at(14, 24),
            assignees: ['PXPGF42', 'P4TLZ0B'],
          }),
          [
            triggered,
            timelineEntry(
              'R2',
              'incident.acknowledged',
              at(14, 24),
              'Mona Lisa',
            ),
          ],
        );
        await upsertIncident(
          {
            entityRef: ENTITY,
            source: 'pagerduty',
            externalId: 'Q2K7XG0JQZ4P8A',
            title: 'Checkout API error rate above 5%',
            status: 'resolved',
            createdAt: at(14, 20),
            resolvedAt: at(15, 5),
          },
          [timelineEntry('R3', 'incident.resolved', at(15, 5), 'Mona Lisa')],
        );
        // A redelivered acknowledgement adds nothing to the timeline.
        await upsertIncident(
          {
            entityRef: ENTITY,
            source: 'pagerduty',
            externalId: 'Q2K7XG0JQZ4P8A',
            title: 'Checkout API error rate above 5%',
            status: 'resolved',
            createdAt: at(14, 20),
          },
          [
            timelineEntry(
              'R2',
              'incident.acknowledged',
              at(14, 24),
              'Mona Lisa',
            ),
          ],
        );

        const incidents = await store.getIncidents(ENTITY, {
          from: at(0),
          to: at(24),
        });
        expect(incidents).toEqual([
          {
            id: expect.any(Number),
            entityRef: ENTITY,
            source: 'pagerduty',
            externalId: 'Q2K7XG0JQZ4P8A',
            title: 'Checkout API error rate above 5%',
            urgency: 'high',
            priority: 'P1',
            status: 'resolved',
            createdAt: isoAt(14, 20),
            acknowledgedAt: isoAt(14, 24),
            resolvedAt: isoAt(15, 5),
            assignees: ['PXPGF42', 'P4TLZ0B'],
            url: 'https://acme.pagerduty.com/incidents/Q2K7XG0JQZ4P8A',
            timeline: [
              {
                type: 'incident.triggered',
                message: 'Incident triggered',
                actor: undefined,
                occurredAt: isoAt(14, 20),
              },
              {
                type: 'incident.acknowledged',
                message: 'Incident acknowledged',
                actor: 'Mona Lisa',
                occurredAt: isoAt(14, 24),
              },
              {
                type: 'incident.resolved',
                message: 'Incident resolved',
                actor: 'Mona Lisa',
                occurredAt: isoAt(15, 5),
              },
            ],
          },
        ]);
        expect(await knex('incidents').select('id')).toHaveLength(1);
        expect(await knex('incident_events').select('id')).toHaveLength(3);
      });

      it('keeps the same incident apart per entity', async () => {
        await upsertIncident(pagerDutyIncident(), [
          timelineEntry('R1', 'incident.triggered', at(14, 20)),
        ]);
        await upsertIncident(pagerDutyIncident({ entityRef: OTHER_ENTITY }), [
          timelineEntry('R1', 'incident.triggered', at(14, 20)),
        ]);
        const mine = await store.getIncidents(ENTITY, {
          from: at(0),
          to: at(24),
        });
        const theirs = await store.getIncidents(OTHER_ENTITY, {
          from: at(0),
          to: at(24),
        });
        expect(mine).toHaveLength(1);
        expect(theirs).toHaveLength(1);
        expect(mine[0].id).not.toBe(theirs[0].id);
        expect(theirs[0].timeline).toHaveLength(1);
      });

      it('includes incidents that overlap the window', async () => {
        const window = { from: at(0), to: at(24) };
        await upsertIncident(
          pagerDutyIncident({
            externalId: 'OPEN-SINCE-YESTERDAY',
            createdAt: at(-20),
          }),
        );
        await upsertIncident(
          pagerDutyIncident({
            externalId: 'RESOLVED-INSIDE',
            createdAt: at(-3),
            status: 'resolved',
            resolvedAt: at(2),
          }),
        );
        await upsertIncident(
          pagerDutyIncident({
            externalId: 'RESOLVED-BEFORE',
            createdAt: at(-10),
            status: 'resolved',
            resolvedAt: at(-9),
          }),
        );
        await upsertIncident(
          pagerDutyIncident({ externalId: 'INSIDE', createdAt: at(9) }),
        );
        await upsertIncident(
          pagerDutyIncident({ externalId: 'AFTER', createdAt: at(24) }),
        );
        // Resolved the day before, then reopened: open again, though it keeps its resolution time.
        await upsertIncident(
          pagerDutyIncident({
            externalId: 'REOPENED',
            createdAt: at(-30),
            status: 'resolved',
            resolvedAt: at(-29),
          }),
        );
        await upsertIncident(
          pagerDutyIncident({
            externalId: 'REOPENED',
            createdAt: at(-30),
            status: 'triggered',
          }),
        );

        const incidents = await store.getIncidents(ENTITY, window);
        expect(incidents.map(i => [i.externalId, i.status])).toEqual([
          ['INSIDE', 'triggered'],
          ['RESOLVED-INSIDE', 'resolved'],
          ['OPEN-SINCE-YESTERDAY', 'triggered'],
          ['REOPENED', 'triggered'],
        ]);
      });
    });

    describe('metric points', () => {
      async function record(points: MetricPointInput[]) {
        await store.ingest({ source: 'posthog' }, writer =>
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

        const metrics = await store.getMetricSeries(ENTITY, {
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

        const daily = await store.getMetricSeries(ENTITY, {
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

    describe('anomalies and diagnoses', () => {
      async function seedChanges() {
        await store.ingest({ source: 'github' }, writer =>
          writer.upsertChangeEvents([
            deployment({ status: 'success' }),
            pullRequest(),
          ]),
        );
        const changes = await store.getChangeEvents(ENTITY, {
          from: at(0),
          to: at(24),
        });
        const byKind = Object.fromEntries(changes.map(c => [c.kind, c]));
        return { deploy: byKind.deployment, pr: byKind.pull_request };
      }

      function diagnosisInput(
        overrides: Partial<DiagnosisInput> = {},
      ): DiagnosisInput {
        return {
          entityRef: ENTITY,
          summary: 'The cart-total TypeError started with deployment 9f2c1e7.',
          confidence: 0.82,
          actionability: 'actionable',
          nextStep:
            'Roll back 9f2c1e7 or guard against missing line-item amounts.',
          reviewers: ['user:default/mona'],
          createdAt: at(14, 40),
          suspects: [],
          evidence: [],
          ...overrides,
        };
      }

      it('creates, lists and closes anomalies', async () => {
        const spike = await store.createAnomaly({
          entityRef: ENTITY,
          kinds: ['error_spike', 'new_error_group'],
          onsetAt: at(14, 10),
          detectedAt: at(14, 30),
          magnitude: 14.2,
          score: 0.9371,
          details: { groups: [CART_TOTAL] },
        });
        expect(spike).toEqual({
          id: expect.any(Number),
          entityRef: ENTITY,
          kinds: ['error_spike', 'new_error_group'],
          onsetAt: isoAt(14, 10),
          detectedAt: isoAt(14, 30),
          magnitude: 14.2,
          score: 0.9371,
          status: 'open',
        });
        const drop = await store.createAnomaly({
          entityRef: ENTITY,
          kinds: ['metric_drop'],
          onsetAt: at(16),
          detectedAt: at(17),
          magnitude: -0.4,
          score: 0.61,
        });
        await store.createAnomaly({
          entityRef: ENTITY,
          kinds: ['incident'],
          onsetAt: at(-5),
          detectedAt: at(-5),
          magnitude: 1,
          score: 0.5,
        });
        await store.createAnomaly({
          entityRef: OTHER_ENTITY,
          kinds: ['error_spike'],
          onsetAt: at(15),
          detectedAt: at(15),
          magnitude: 3,
          score: 0.4,
        });

        await store.closeAnomaly(spike.id);
        const anomalies = await store.getAnomalies(ENTITY, {
          from: at(0),
          to: at(24),
        });
        expect(anomalies.map(a => [a.id, a.status, a.magnitude])).toEqual([
          [drop.id, 'open', -0.4],
          [spike.id, 'closed', 14.2],
        ]);
      });

      it('stores a diagnosis with ranked suspects and their evidence', async () => {
        const { deploy, pr } = await seedChanges();
        const anomaly = await store.createAnomaly({
          entityRef: ENTITY,
          kinds: ['error_spike'],
          onsetAt: at(14, 10),
          detectedAt: at(14, 30),
          magnitude: 14.2,
          score: 0.93,
        });

        const diagnosis = await store.createDiagnosis(
          diagnosisInput({
            anomalyId: anomaly.id,
            suspects: [
              {
                changeEventId: deploy.id,
                score: 0.82,
                confidence: 0.77,
                evidence: [
                  {
                    kind: 'timing',
                    description: 'Deployed 8 minutes before the errors began',
                    weight: 0.4,
                  },
                  {
                    kind: 'stack_overlap',
                    description:
                      'src/cart/total.ts is in the stack and in the diff',
                    weight: 0.55,
                    url: 'https://github.com/acme/checkout-api/commit/9f2c1e7',
                  },
                ],
              },
              {
                changeEventId: pr.id,
                score: 0.41,
                confidence: 0.3,
                evidence: [
                  {
                    kind: 'timing',
                    description: 'Merged 30 minutes before',
                    weight: 0.2,
                  },
                ],
              },
            ],
            evidence: [
              {
                kind: 'error_spike',
                description: 'TypeError rose from 2 to 28 events per hour',
                weight: 0.7,
                url: 'https://acme.sentry.io/issues/4511234/',
              },
            ],
          }),
        );

        expect(diagnosis).toMatchObject({
          id: expect.any(Number),
          entityRef: ENTITY,
          anomalyId: anomaly.id,
          summary: 'The cart-total TypeError started with deployment 9f2c1e7.',
          confidence: 0.82,
          status: 'open',
          actionability: 'actionable',
          nextStep:
            'Roll back 9f2c1e7 or guard against missing line-item amounts.',
          reviewers: ['user:default/mona'],
          createdAt: isoAt(14, 40),
          updatedAt: isoAt(14, 40),
        });
        expect(diagnosis.evidence).toEqual([
          expect.objectContaining({
            suspectId: undefined,
            kind: 'error_spike',
            description: 'TypeError rose from 2 to 28 events per hour',
            weight: 0.7,
            url: 'https://acme.sentry.io/issues/4511234/',
          }),
        ]);
        expect(
          diagnosis.suspects.map(s => [
            s.rank,
            s.change.externalId,
            s.score,
            s.confidence,
          ]),
        ).toEqual([
          [1, '1874523901', 0.82, 0.77],
          [2, 'acme/checkout-api#512', 0.41, 0.3],
        ]);
        const [first, second] = diagnosis.suspects;
        expect(first.change).toEqual(deploy);
        // Heaviest evidence first, each on its own suspect.
        expect(
          first.evidence.map(e => [e.suspectId, e.kind, e.weight]),
        ).toEqual([
          [first.id, 'stack_overlap', 0.55],
          [first.id, 'timing', 0.4],
        ]);
        expect(second.evidence.map(e => [e.suspectId, e.description])).toEqual([
          [second.id, 'Merged 30 minutes before'],
        ]);

        expect(await store.getDiagnosis(diagnosis.id)).toEqual(diagnosis);
        expect(await store.getDiagnosis(diagnosis.id + 1000)).toBeUndefined();
      });

      it('lists diagnoses by entity, status and actionability, newest first', async () => {
        const a = await store.createDiagnosis(
          diagnosisInput({ createdAt: at(10) }),
        );
        const b = await store.createDiagnosis(
          diagnosisInput({ createdAt: at(12), actionability: 'needs_human' }),
        );
        const c = await store.createDiagnosis(
          diagnosisInput({
            entityRef: OTHER_ENTITY,
            createdAt: at(11),
            actionability: 'collecting',
          }),
        );
        await store.updateDiagnosisStatus(a.id, {
          status: 'acknowledged',
          by: 'user:default/mona',
          at: at(13),
        });

        const ids = (list: { id: number }[]) => list.map(d => d.id);
        expect(ids(await store.listDiagnoses({}))).toEqual([b.id, c.id, a.id]);
        expect(
          ids(await store.listDiagnoses({ entityRefs: [ENTITY] })),
        ).toEqual([b.id, a.id]);
        expect(ids(await store.listDiagnoses({ entityRefs: [] }))).toEqual([]);
        expect(ids(await store.listDiagnoses({ statuses: ['open'] }))).toEqual([
          b.id,
          c.id,
        ]);
        expect(
          ids(
            await store.listDiagnoses({
              actionability: ['needs_human', 'collecting'],
            }),
          ),
        ).toEqual([b.id, c.id]);
        expect(
          ids(
            await store.listDiagnoses({
              entityRefs: [ENTITY],
              statuses: ['open', 'acknowledged'],
              actionability: ['actionable'],
            }),
          ),
        ).toEqual([a.id]);
        expect(ids(await store.listDiagnoses({ limit: 1 }))).toEqual([b.id]);
      });

      it('updates a diagnosis status with feedback', async () => {
        const created = await store.createDiagnosis(diagnosisInput());
        const rejected = await store.updateDiagnosisStatus(created.id, {
          status: 'rejected',
          feedback: 'The deployment only touched the README.',
          by: 'user:default/mona',
          at: at(15),
        });
        expect(rejected).toMatchObject({
          id: created.id,
          status: 'rejected',
          feedback: 'The deployment only touched the README.',
          createdAt: isoAt(14, 40),
          updatedAt: isoAt(15),
        });
        const row = await knex('diagnoses').where({ id: created.id }).first();
        expect(row.feedback_by).toBe('user:default/mona');

        // Without feedback the earlier feedback stays.
        const reopened = await store.updateDiagnosisStatus(created.id, {
          status: 'open',
          by: 'user:default/hubot',
          at: at(16),
        });
        expect(reopened).toMatchObject({
          status: 'open',
          feedback: 'The deployment only touched the README.',
          updatedAt: isoAt(16),
        });

        expect(
          await store.updateDiagnosisStatus(created.id + 1000, {
            status: 'resolved',
            by: 'user:default/mona',
            at: at(16),
          }),
        ).toBeUndefined();
      });
    });

    describe('audit log', () => {
      it('appends entries and lists the newest first', async () => {
        const created = await store.appendAudit({
          at: at(15),
          actor: 'user:default/mona',
          action: 'github-issue',
          target: 'acme/checkout-api',
          diagnosisId: 7,
          request: {
            title: 'Cart total TypeError after 9f2c1e7',
            labels: ['product-os'],
          },
          outcome: 'succeeded',
          result: { url: 'https://github.com/acme/checkout-api/issues/913' },
        });
        expect(created).toEqual({
          id: expect.any(Number),
          at: isoAt(15),
          actor: 'user:default/mona',
          action: 'github-issue',
          target: 'acme/checkout-api',
          diagnosisId: 7,
          request: {
            title: 'Cart total TypeError after 9f2c1e7',
            labels: ['product-os'],
          },
          outcome: 'succeeded',
          result: { url: 'https://github.com/acme/checkout-api/issues/913' },
        });
        const failed = await store.appendAudit({
          at: at(16),
          actor: 'user:default/hubot',
          action: 'pr-comment',
          target: 'acme/checkout-api#512',
          request: { body: 'Product OS suspects this PR' },
          outcome: 'failed',
        });
        expect(failed).toMatchObject({
          diagnosisId: undefined,
          result: undefined,
        });
        const older = await store.appendAudit({
          at: at(9),
          actor: 'user:default/mona',
          action: 'pr-comment',
          target: 'acme/checkout-api#510',
          request: {},
          outcome: 'succeeded',
        });

        expect((await store.listAudit(10)).map(e => e.id)).toEqual([
          failed.id,
          created.id,
          older.id,
        ]);
        expect((await store.listAudit(1)).map(e => e.id)).toEqual([failed.id]);
      });
    });

    describe('unmapped deliveries', () => {
      it('counts deliveries per source key with first and last seen', async () => {
        await store.recordUnmapped('sentry', 'acme/legacy-api', at(10));
        await store.recordUnmapped('sentry', 'acme/legacy-api', at(12));
        // Delivered out of order.
        await store.recordUnmapped('sentry', 'acme/legacy-api', at(9));
        await store.recordUnmapped('github', 'acme/docs-site', at(11));
        await store.recordUnmapped('pagerduty', 'acme/legacy-api', at(8));

        expect(await store.listUnmapped()).toEqual([
          {
            source: 'sentry',
            key: 'acme/legacy-api',
            count: 3,
            firstSeen: isoAt(9),
            lastSeen: isoAt(12),
          },
          {
            source: 'github',
            key: 'acme/docs-site',
            count: 1,
            firstSeen: isoAt(11),
            lastSeen: isoAt(11),
          },
          {
            source: 'pagerduty',
            key: 'acme/legacy-api',
            count: 1,
            firstSeen: isoAt(8),
            lastSeen: isoAt(8),
          },
        ]);
      });
    });

    describe('sync state', () => {
      it('moves the cursor on success and keeps it on failure', async () => {
        expect(
          await store.getSyncState('posthog', 'project:4211'),
        ).toBeUndefined();

        await store.saveSyncState({
          source: 'posthog',
          scope: 'project:4211',
          at: at(10),
          cursor: '2026-11-20T09:59:58Z',
        });
        expect(await store.getSyncState('posthog', 'project:4211')).toEqual({
          source: 'posthog',
          scope: 'project:4211',
          cursor: '2026-11-20T09:59:58Z',
          lastSuccessAt: at(10),
          lastError: undefined,
          lastErrorAt: undefined,
        });

        await store.saveSyncState({
          source: 'posthog',
          scope: 'project:4211',
          at: at(11),
          error: 'HogQL query timed out after 30s',
        });
        expect(
          await store.getSyncState('posthog', 'project:4211'),
        ).toMatchObject({
          cursor: '2026-11-20T09:59:58Z',
          lastSuccessAt: at(10),
          lastError: 'HogQL query timed out after 30s',
          lastErrorAt: at(11),
        });

        // A success without a new cursor keeps the old one and clears the error.
        await store.saveSyncState({
          source: 'posthog',
          scope: 'project:4211',
          at: at(12),
        });
        const recovered = await store.getSyncState('posthog', 'project:4211');
        expect(recovered).toMatchObject({
          cursor: '2026-11-20T09:59:58Z',
          lastSuccessAt: at(12),
          lastError: undefined,
        });

        await store.saveSyncState({
          source: 'posthog',
          scope: 'project:4211',
          at: at(13),
          cursor: '2026-11-20T12:59:59Z',
        });
        expect(
          await store.getSyncState('posthog', 'project:4211'),
        ).toMatchObject({
          cursor: '2026-11-20T12:59:59Z',
          lastSuccessAt: at(13),
        });

        // Scopes are apart, and a first run may fail.
        await store.saveSyncState({
          source: 'posthog',
          scope: 'project:5000',
          at: at(13),
          error: '401 Unauthorized',
        });
        expect(await store.getSyncState('posthog', 'project:5000')).toEqual({
          source: 'posthog',
          scope: 'project:5000',
          cursor: undefined,
          lastSuccessAt: undefined,
          lastError: '401 Unauthorized',
          lastErrorAt: at(13),
        });
        expect(
          await store.getSyncState('github', 'project:4211'),
        ).toBeUndefined();
      });
    });

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

        await store.ingest(
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
        await store.ingest({ source: 'posthog' }, writer =>
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

        const result = await store.prune(now, policy);
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
        const resent = await store.ingest({ source: 'sentry' }, writer =>
          writer.recordErrorEvents([
            sentryEvent({
              eventId: eventId(3),
              timestamp: ago(10),
              userKey: 'u-1',
            }),
          ]),
        );
        expect(resent.result).toMatchObject({ stored: 0, duplicates: 1 });

        const groups = await store.getErrorGroups(ENTITY, {
          from: ago(30),
          to: now,
        });
        expect(groups.map(g => g.count)).toEqual([2]);
      });
    });
  });
});
