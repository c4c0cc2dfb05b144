import type { Knex } from 'knex';
import type { BucketedRange } from '../TimeRange';
import { num, Row } from '../rowValues';
import { bucketStart } from '../../time';
import { groupSpanSums, threeErrorCountSpans } from './errorCountSpans';
import { inList, readRows, Sql, sql } from './statement';

/** Error events of an entity in a window and in the window of the same length just before. */
export interface ErrorTotals {
  events: number;
  previousEvents: number;
}

/**
 * Error totals of many entities at once, summed in SQL: one statement of the same text for any
 * number of entities, whatever the number of groups or buckets they have. An entity without
 * events in either window is absent from the map (every stored count is at least 1).
 *
 * The windows are those of the bucketed series: `[bucketStart(from), to)` and
 * `[bucketStart(from - span), from)`, each read from the daily rollup for its whole days and from
 * the hourly buckets at its edges (`errorCountSpans`), per group (`groupSpanSums`): a few dozen
 * index entries per group and window rather than one per hour. The statement's rows are
 * (`entity_ref`, `events`, `previous_events`), one for each entity with a group.
 */
export function errorTotalsSql(
  knex: Knex,
  entityRefs: readonly string[],
  range: BucketedRange,
): Sql {
  const span = range.to - range.from;
  const sum = (from: number, to: number) => {
    const [a, b, c] = groupSpanSums(threeErrorCountSpans(from, to));
    return sql`COALESCE(${a}, 0) + COALESCE(${b}, 0) + COALESCE(${c}, 0)`;
  };
  const events = sum(bucketStart(range.from, range.bucketMs), range.to);
  const previous = sum(
    bucketStart(range.from - span, range.bucketMs),
    range.from,
  );
  // Each group's two sums are computed once, in the derived table, and only added up outside.
  return sql`SELECT w.entity_ref, SUM(w.events) AS events, SUM(w.previous_events) AS previous_events
    FROM (SELECT g.entity_ref, ${events} AS events, ${previous} AS previous_events
      FROM error_groups g WHERE ${inList(knex, 'g.entity_ref', entityRefs)}) w
    GROUP BY w.entity_ref`;
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
  if (entityRefs.length === 0) return totals;
  for (const row of await readRows(
    knex,
    errorTotalsSql(knex, entityRefs, range),
  )) {
    const entityTotals = toErrorTotals(row);
    // Not a `HAVING`: SQLite would compute every group's sums again to test it.
    if (entityTotals.events > 0 || entityTotals.previousEvents > 0) {
      totals.set(row.entity_ref, entityTotals);
    }
  }
  return totals;
}
