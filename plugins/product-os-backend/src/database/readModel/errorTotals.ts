import type { Knex } from 'knex';
import type { BucketedRange } from '../TimeRange';
import { num, Row } from '../rowValues';
import { bucketStart } from '../../time';
import { chunk } from '../sql';
import { errorCountSpans, spanRows } from './errorCountSpans';
import { unionAll } from './unionAll';

/** Error events of an entity in a window and in the window of the same length just before. */
export interface ErrorTotals {
  events: number;
  previousEvents: number;
}

/**
 * Error totals of many entities at once, summed in SQL: one statement per 500 entities, whatever
 * the number of groups or buckets they have. An entity without buckets in either window is
 * absent from the map.
 *
 * The windows are those of the bucketed series: `[bucketStart(from), to)` and
 * `[bucketStart(from - span), from)`, each read from the daily rollup for its whole days and from
 * the hourly buckets at its edges (`errorCountSpans`), a few dozen rows per group and window
 * rather than one per hour. The query's rows are (`entity_ref`, `events`, `previous_events`),
 * for at most 500 entities.
 */
export function errorTotalsQuery(
  knex: Knex,
  entityRefs: string[],
  range: BucketedRange,
): Knex.QueryBuilder {
  const span = range.to - range.from;
  const windows: Array<[column: string, from: number, to: number]> = [
    ['events', bucketStart(range.from, range.bucketMs), range.to],
    [
      'previous_events',
      bucketStart(range.from - span, range.bucketMs),
      range.from,
    ],
  ];
  // Each part joins its own groups, so that every part reads only these entities' rows.
  const parts = windows.flatMap(([column, from, to]) =>
    errorCountSpans(from, to).map(countSpan =>
      spanRows(knex, countSpan)
        .join('error_groups as g', 'g.id', 'c.group_id')
        .whereIn('g.entity_ref', entityRefs)
        .groupBy('g.entity_ref')
        .select(
          'g.entity_ref',
          ...windows.map(([other]) =>
            other === column
              ? knex.raw('SUM(c.count) AS ??', [other])
              : knex.raw('0 AS ??', [other]),
          ),
        ),
    ),
  );
  return knex
    .from(unionAll(knex, parts, 'parts'))
    .groupBy('entity_ref')
    .select(
      'entity_ref',
      knex.raw('SUM(events) AS events'),
      knex.raw('SUM(previous_events) AS previous_events'),
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
