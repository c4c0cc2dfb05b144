import { Knex } from 'knex';
import { yieldToEventLoop } from '@internal/plugin-product-os-node';
import { bucketStart, DAY_MS } from '../../time';
import { namedRaw } from '../namedStatements';

/*
 * The daily rollup of the hourly error counts: `error_days` holds, per group and UTC day, the sum
 * of the `count` of the group's `error_buckets` starting in that day, and has a row exactly when
 * one of them exists. Reads of long windows sum these (see `readModel/errorCountSpans.ts`).
 *
 * A day is recounted from its hours rather than incremented, because not every write adds to an
 * hour: one reads as the larger of the events pushed and a count pulled from the source, and
 * retention cuts a day in two. Whatever writes `error_buckets` recounts the days it touched, in
 * the same transaction.
 */

/** (group, hour start) pairs per recount statement: three parameters each. */
const DAYS_PER_STATEMENT = 100;
/** The start of the UTC day of an hourly bucket, in integers on both engines. */
const DAY_OF_BUCKET = `b.bucket_start - b.bucket_start % ${DAY_MS}`;

/**
 * Recounts, from the hourly buckets, the days of the hours just written (each given as its group
 * and a time within it): a day's row is set to the sum of its hours, or added when it has none
 * yet. A few statements however many hours; call it after writing them.
 */
export async function recountErrorDays(
  tx: Knex.Transaction | Knex,
  written: Iterable<readonly [groupId: number, time: number]>,
): Promise<void> {
  const days = new Map<string, [number, number]>();
  for (const [groupId, time] of written) {
    const day = bucketStart(time, DAY_MS);
    days.set(`${groupId}:${day}`, [groupId, day]);
  }
  const all = [...days.values()];
  for (let i = 0; i < all.length; i += DAYS_PER_STATEMENT) {
    if (i > 0) await yieldToEventLoop();
    const bindings: number[] = [];
    const conditions = all
      .slice(i, i + DAYS_PER_STATEMENT)
      .map(([groupId, day]) => {
        bindings.push(groupId, day, day + DAY_MS);
        return '(b.group_id = ? AND b.bucket_start >= ? AND b.bucket_start < ?)';
      });
    // The day is spelled as a literal: PostgreSQL matches the grouped expression to the selected
    // one only when both are the same text. `WHERE` comes before `ON CONFLICT`, so SQLite does
    // not read the conflict clause as a join's.
    // Named on PostgreSQL (`namedStatements.ts`): one text per count of days, up to 100.
    await namedRaw(
      tx,
      `INSERT INTO error_days (group_id, day_start, count)
       SELECT b.group_id, ${DAY_OF_BUCKET}, SUM(b.count)
       FROM error_buckets b
       WHERE ${conditions.join(' OR ')}
       GROUP BY b.group_id, ${DAY_OF_BUCKET}
       ON CONFLICT (group_id, day_start) DO UPDATE SET count = excluded.count`,
      bindings,
    );
  }
}

/**
 * After the hourly buckets before `hourBefore` were deleted: the days wholly before it go, and
 * the day it cuts into keeps only the hours left (or goes, with none left).
 */
export async function pruneErrorDays(
  tx: Knex.Transaction,
  hourBefore: number,
): Promise<void> {
  const cutDay = bucketStart(hourBefore, DAY_MS);
  await tx('error_days').where('day_start', '<', cutDay).delete();
  if (cutDay === hourBefore) return;
  const hoursOfRow = (q: Knex.QueryBuilder) =>
    q
      .from('error_buckets as b')
      .whereRaw('b.group_id = error_days.group_id')
      .where('b.bucket_start', '>=', cutDay)
      .where('b.bucket_start', '<', cutDay + DAY_MS);
  await tx('error_days')
    .where('day_start', cutDay)
    .whereNotExists(q => hoursOfRow(q.select(tx.raw('1'))))
    .delete();
  await tx('error_days')
    .where('day_start', cutDay)
    .update({ count: hoursOfRow(tx.queryBuilder().sum('b.count')) });
}
