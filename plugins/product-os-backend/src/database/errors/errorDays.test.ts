import { Knex } from 'knex';
import { emptyDatabase } from '../../__testUtils__/emptyDatabase';
import { DAY_MS, HOUR_MS } from '../../time';
import {
  at,
  eventId,
  OTHER_ENTITY,
  sentryEvent,
  storeTestDatabases,
  testStores,
} from '../__testUtils__/storeFixtures';
import type { ProductOsStores } from '../createProductOsStores';
import { recountErrorDays } from './errorDays';

jest.setTimeout(60_000);

/** `group_id:day_start` → count, as the daily rollup holds it. */
async function storedDays(knex: Knex): Promise<Map<string, number>> {
  const rows = await knex('error_days').select(
    'group_id',
    'day_start',
    'count',
  );
  return new Map(
    rows.map(r => [`${r.group_id}:${Number(r.day_start)}`, Number(r.count)]),
  );
}

/** The same, summed from the hourly buckets in JavaScript: what the rollup must equal. */
async function daysOfHours(knex: Knex): Promise<Map<string, number>> {
  const rows = await knex('error_buckets').select(
    'group_id',
    'bucket_start',
    'count',
  );
  const days = new Map<string, number>();
  for (const r of rows) {
    const day = Math.floor(Number(r.bucket_start) / DAY_MS) * DAY_MS;
    const key = `${r.group_id}:${day}`;
    days.set(key, (days.get(key) ?? 0) + Number(r.count));
  }
  return days;
}

describe('error_days, the daily rollup of the hourly buckets', () => {
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

    const record = (events: ReturnType<typeof sentryEvent>[]) =>
      stores.ingest.ingest({ source: 'sentry' }, w =>
        w.recordErrorEvents(events),
      );

    it('holds each group’s day as the sum of its hours, over deliveries, days and redeliveries', async () => {
      // Two groups of two entities, over three days, the first day's edges included.
      const first = [0, 1, 2, 23, 24, 30, 47, 48].map((hour, i) =>
        sentryEvent({ eventId: eventId(i), timestamp: at(hour, 10) }),
      );
      await record(first);
      await record([
        ...[1, 5, 25].map((hour, i) =>
          sentryEvent({
            eventId: eventId(100 + i),
            timestamp: at(hour, 59),
            entityRef: OTHER_ENTITY,
          }),
        ),
        // One resent event (not counted again) and one new, into days already rolled up.
        first[0],
        sentryEvent({ eventId: eventId(200), timestamp: at(23, 59) }),
      ]);

      const expected = await daysOfHours(knex);
      expect(await storedDays(knex)).toEqual(expected);
      // Three days of one group, two of the other; the first group's first day has 5 events.
      expect(expected.size).toBe(5);
      expect([...expected.values()].sort((a, b) => a - b)).toEqual([
        1, 1, 2, 3, 5,
      ]);
    });

    it('recounts a day from its hours when an hour is set rather than added to', async () => {
      await record([sentryEvent({ eventId: eventId(1), timestamp: at(3) })]);
      const [{ group_id: groupId }] = await knex('error_buckets').select(
        'group_id',
      );
      // An hour raised to what a source counted, and a new hour of the same day.
      await knex('error_buckets')
        .where({ group_id: groupId })
        .update({ count: 40 });
      await knex('error_buckets').insert({
        group_id: groupId,
        bucket_start: at(7),
        count: 2,
        users: 0,
      });
      await recountErrorDays(knex, [
        [Number(groupId), at(3)],
        [Number(groupId), at(7, 30)],
      ]);

      expect(await storedDays(knex)).toEqual(
        new Map([[`${groupId}:${at(0)}`, 42]]),
      );
    });

    it('follows retention: the days before the cut go, the day it cuts keeps the hours left', async () => {
      const now = Date.now();
      const policy = {
        rawMaxAgeMs: 7 * DAY_MS,
        aggregateMaxAgeMs: 30 * DAY_MS,
      };
      const cut =
        Math.floor((now - policy.aggregateMaxAgeMs) / HOUR_MS) * HOUR_MS;
      const times = [
        cut - 2 * DAY_MS,
        cut - HOUR_MS,
        cut,
        cut + HOUR_MS,
        cut + DAY_MS,
      ];
      await record(
        times.map((timestamp, i) =>
          sentryEvent({ eventId: eventId(i), timestamp }),
        ),
      );

      await stores.retention.prune(now, policy);

      const expected = await daysOfHours(knex);
      expect(await storedDays(knex)).toEqual(expected);
      expect([...expected.values()].reduce((a, b) => a + b, 0)).toBe(3);
    });

    it('leaves no day behind when retention removes every hour of it', async () => {
      const now = Date.now();
      const policy = {
        rawMaxAgeMs: 7 * DAY_MS,
        aggregateMaxAgeMs: 30 * DAY_MS,
      };
      const cut =
        Math.floor((now - policy.aggregateMaxAgeMs) / HOUR_MS) * HOUR_MS;
      const cutDay = Math.floor(cut / DAY_MS) * DAY_MS;
      await record([
        sentryEvent({ eventId: eventId(1), timestamp: cutDay }),
        sentryEvent({ eventId: eventId(2), timestamp: cut + 2 * DAY_MS }),
      ]);

      await stores.retention.prune(now, policy);

      const stored = await storedDays(knex);
      expect(stored).toEqual(await daysOfHours(knex));
      // The cut day goes unless the cut is exactly at midnight, where its hour is kept.
      expect(stored.size).toBe(cut === cutDay ? 2 : 1);
    });
  });
});
