import type { ErrorCountsInput } from '@internal/plugin-product-os-node';
import { Knex } from 'knex';
import { emptyDatabase } from '../../__testUtils__/emptyDatabase';
import {
  at,
  CART_TOTAL,
  ENTITY,
  errorTables,
  eventId,
  isoAt,
  sentryEvent,
  storeTestDatabases,
  testStores,
} from '../__testUtils__/storeFixtures';
import type { ProductOsStores } from '../createProductOsStores';

jest.setTimeout(60_000);

describe('recordErrorCounts', () => {
  const databases = storeTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let stores: ProductOsStores;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
    });

    beforeEach(async () => {
      stores = await testStores(knex);
      await emptyDatabase(knex);
    });

    const { recordErrors, bucketsOf, groupRow } = errorTables(() => ({
      knex,
      stores,
    }));

    async function recordCounts(counts: Omit<ErrorCountsInput, 'source'>[]) {
      const { result } = await stores.ingest.ingest(
        { source: 'sentry' },
        writer =>
          writer.recordErrorCounts(
            counts.map(c => ({ ...c, source: 'sentry' as const })),
          ),
      );
      return result!;
    }

    /** Three events pushed at 10:05, 10:20 and 11:30. */
    async function pushThree() {
      await recordErrors([
        sentryEvent({ eventId: eventId(1), timestamp: at(10, 5) }),
        sentryEvent({ eventId: eventId(2), timestamp: at(10, 20) }),
        sentryEvent({ eventId: eventId(3), timestamp: at(11, 30) }),
      ]);
    }

    const counts = (...hours: [hour: number, count: number][]) => ({
      entityRef: ENTITY,
      fingerprint: CART_TOTAL,
      hours: hours.map(([hour, count]) => ({
        bucketStart: at(hour),
        count,
      })),
    });

    it('reads an hour as the larger of the events pushed and the count pulled, pushed first', async () => {
      await pushThree();
      const result = await recordCounts([counts([10, 5], [11, 1])]);
      expect(await bucketsOf(CART_TOTAL)).toEqual([
        { start: isoAt(10), count: 5, users: 0 },
        { start: isoAt(11), count: 1, users: 0 },
      ]);
      expect(result.raised).toEqual([
        { entityRef: ENTITY, source: 'sentry', fingerprint: CART_TOTAL },
      ]);
      expect(result.unknownGroups).toEqual([]);
      // The daily rollup sums the hours as they read.
      const days = await knex('error_days').select('day_start', 'count');
      expect(days.map(d => [Number(d.day_start), Number(d.count)])).toEqual([
        [at(0), 6],
      ]);
    });

    it('does not add events pushed after a pull to the hour the pull counted them in', async () => {
      await recordErrors([
        sentryEvent({ eventId: eventId(9), timestamp: at(9, 10) }),
      ]);
      await recordCounts([counts([10, 5])]);
      // The three events the pull had already counted arrive by webhook afterwards.
      await pushThree();
      expect(await bucketsOf(CART_TOTAL)).toEqual([
        { start: isoAt(9), count: 1, users: 0 },
        { start: isoAt(10), count: 5, users: 0 },
        { start: isoAt(11), count: 1, users: 0 },
      ]);
      // More pushed than pulled: the pushed count shows.
      await recordErrors(
        [4, 5, 6].map(n =>
          sentryEvent({ eventId: eventId(n), timestamp: at(10, 40 + n) }),
        ),
      );
      expect((await bucketsOf(CART_TOTAL))[1].count).toBe(5);
      await recordErrors([
        sentryEvent({ eventId: eventId(7), timestamp: at(10, 50) }),
      ]);
      expect((await bucketsOf(CART_TOTAL))[1].count).toBe(6);
    });

    it('never lowers an hour, and leaves hours a pull did not report as they are', async () => {
      await pushThree();
      await recordCounts([counts([10, 8], [11, 4])]);
      const again = await recordCounts([counts([10, 6], [11, 0])]);
      // An outage's pull that reports only one hour: the others are a gap, not zeros.
      await recordCounts([counts([12, 2])]);
      expect(await bucketsOf(CART_TOTAL)).toEqual([
        { start: isoAt(10), count: 8, users: 0 },
        { start: isoAt(11), count: 4, users: 0 },
        { start: isoAt(12), count: 2, users: 0 },
      ]);
      expect(again.raised).toEqual([]);
    });

    it('gives the same rows when the same counts are recorded twice, and reports no rise the second time', async () => {
      await pushThree();
      const first = await recordCounts([counts([10, 7], [11, 3])]);
      const rows = await knex('error_buckets').orderBy('bucket_start');
      const second = await recordCounts([counts([10, 7], [11, 3])]);
      expect(await knex('error_buckets').orderBy('bucket_start')).toEqual(rows);
      expect(first.raised).toHaveLength(1);
      expect(second.raised).toEqual([]);
    });

    it('raises the total and last seen of the group, never lowers them', async () => {
      await pushThree();
      await recordCounts([{ ...counts(), total: 120, lastSeen: at(13, 15) }]);
      let group = await groupRow(CART_TOTAL);
      expect(Number(group.event_count)).toBe(120);
      expect(Number(group.last_seen)).toBe(at(13, 15));
      await recordCounts([{ ...counts(), total: 2, lastSeen: at(1) }]);
      group = await groupRow(CART_TOTAL);
      expect(Number(group.event_count)).toBe(120);
      expect(Number(group.last_seen)).toBe(at(13, 15));
    });

    it('skips groups that are not stored and names them', async () => {
      const result = await recordCounts([
        { ...counts([10, 4]), fingerprint: 'never-seen' },
      ]);
      expect(result.unknownGroups).toEqual([
        { entityRef: ENTITY, source: 'sentry', fingerprint: 'never-seen' },
      ]);
      expect(await knex('error_buckets')).toEqual([]);
    });
  });
});
