import type { Knex } from 'knex';
import type { BucketedRange } from '../TimeRange';
import { num, Row } from '../rowValues';
import { bucketStart } from '../../time';
import { chunk } from '../sql';

/** Error events of an entity in a window and in the window of the same length just before. */
export interface ErrorTotals {
  events: number;
  previousEvents: number;
}

/**
 * Error totals of many entities at once, summed from the hourly buckets in SQL: one statement
 * per 500 entities, whatever the number of groups or buckets they have. An entity without
 * buckets in either window is absent from the map.
 *
 * The windows are those of the bucketed series: `[bucketStart(from), to)` and
 * `[bucketStart(from - span), from)`. The query's rows are (`entity_ref`, `events`,
 * `previous_events`), for at most 500 entities.
 */
export function errorTotalsQuery(
  knex: Knex,
  entityRefs: string[],
  range: BucketedRange,
): Knex.QueryBuilder {
  const span = range.to - range.from;
  const currentFrom = bucketStart(range.from, range.bucketMs);
  const previousFrom = bucketStart(range.from - span, range.bucketMs);
  return knex('error_groups as g')
    .join('error_buckets as b', 'b.group_id', 'g.id')
    .whereIn('g.entity_ref', entityRefs)
    .where('b.bucket_start', '>=', previousFrom)
    .where('b.bucket_start', '<', range.to)
    .groupBy('g.entity_ref')
    .select(
      'g.entity_ref',
      knex.raw(
        'SUM(CASE WHEN b.bucket_start >= ? THEN b.count ELSE 0 END) AS events',
        [currentFrom],
      ),
      knex.raw(
        'SUM(CASE WHEN b.bucket_start < ? THEN b.count ELSE 0 END) AS previous_events',
        [range.from],
      ),
    );
}

export function toErrorTotals(row: Row | undefined): ErrorTotals {
  return {
    events: num(row?.events ?? 0),
    previousEvents: num(row?.previous_events ?? 0),
  };
}

export async function errorTotals(
  knex: Knex,
  entityRefs: string[],
  range: BucketedRange,
): Promise<Map<string, ErrorTotals>> {
  const totals = new Map<string, ErrorTotals>();
  for (const refs of chunk(entityRefs, 1)) {
    for (const row of await errorTotalsQuery(knex, refs, range)) {
      totals.set(row.entity_ref, toErrorTotals(row));
    }
  }
  return totals;
}
