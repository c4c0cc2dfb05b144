import type { Knex } from 'knex';
import type { BucketedRange } from '../TimeRange';
import { num, Row } from '../rowValues';
import { bucketStart } from '../../time';
import {
  ErrorCountSpan,
  groupSpanSums,
  threeErrorCountSpans,
} from './errorCountSpans';
import { isPostgres } from '../sql';
import { inList, joinSql, readRows, Sql, sql, trusted } from './statement';

/** Error events of an entity in a window and in the window of the same length just before. */
export interface ErrorTotals {
  events: number;
  previousEvents: number;
}

/** The two windows of the totals: the series' window and the one of the same length before it. */
function totalsWindows(range: BucketedRange) {
  const span = range.to - range.from;
  return {
    events: threeErrorCountSpans(
      bucketStart(range.from, range.bucketMs),
      range.to,
    ),
    previous: threeErrorCountSpans(
      bucketStart(range.from - span, range.bucketMs),
      range.from,
    ),
  };
}

/**
 * Error totals of many entities at once, summed in SQL: one statement of the same text for any
 * number of entities, whatever the number of groups or buckets they have. Its rows are
 * (`entity_ref`, `events`, `previous_events`), at most one per entity asked.
 *
 * The windows are those of the bucketed series: `[bucketStart(from), to)` and
 * `[bucketStart(from - span), from)`, each read from the daily rollup for its whole days and from
 * the hourly buckets at its edges (`errorCountSpans`): a few dozen rows per group and window
 * rather than one per hour. How the rows are reached differs by engine, as measured on the
 * leaders' page (500 groups): SQLite sums each group's rows inside its index range
 * ({@link groupSums}), without passing them on (half the CPU of joining and grouping them);
 * PostgreSQL joins the groups to each span's rows, which it may answer with one range of the
 * table for all of them, where a subquery per group and span cost it 7 times the pages.
 */
export function errorTotalsSql(
  knex: Knex,
  entityRefs: readonly string[],
  range: BucketedRange,
): Sql {
  const asked = inList(knex, 'g.entity_ref', entityRefs);
  if (!isPostgres(knex)) {
    const sums = groupSums(range);
    return sql`SELECT w.entity_ref, SUM(w.events) AS events, SUM(w.previous_events) AS previous_events
      FROM (SELECT g.entity_ref, ${sums.events} AS events, ${sums.previous} AS previous_events
        FROM error_groups g WHERE ${asked}) w
      GROUP BY w.entity_ref`;
  }
  const windows = totalsWindows(range);
  const parts = [
    ...windows.events.map(span => [span, 'events'] as const),
    ...windows.previous.map(span => [span, 'previous_events'] as const),
  ].map(([span, column]) => {
    const start = trusted(`c.${span.start}`);
    const value = (name: string) => trusted(name === column ? 'c.count' : '0');
    return sql`SELECT g.entity_ref, ${value('events')} AS events, ${value(
      'previous_events',
    )} AS previous_events
      FROM asked g JOIN ${trusted(span.table)} c ON c.group_id = g.id
      WHERE ${start} >= ${span.from} AND ${start} < ${span.to}`;
  });
  // The groups are found once for the six spans.
  return sql`WITH asked AS MATERIALIZED (SELECT g.id, g.entity_ref FROM error_groups g WHERE ${asked})
    SELECT entity_ref, SUM(events) AS events, SUM(previous_events) AS previous_events
    FROM (${joinSql(parts, ' UNION ALL ')}) parts
    GROUP BY entity_ref`;
}

/**
 * The two sums of group `g` (`events`, `previous_events`), each of its rows of each span
 * (`groupSpanSums`): index ranges of that group, so the cost is bounded by the groups asked and
 * the window, however much the other entities store.
 */
function groupSums(range: BucketedRange): { events: Sql; previous: Sql } {
  const windows = totalsWindows(range);
  const sum = (spans: ErrorCountSpan[]) => {
    const [a, b, c] = groupSpanSums(spans);
    return sql`COALESCE(${a}, 0) + COALESCE(${b}, 0) + COALESCE(${c}, 0)`;
  };
  return { events: sum(windows.events), previous: sum(windows.previous) };
}

/**
 * The totals of one entity (one row, `events` and `previous_events`, zeros without counts), for
 * its overview, from its groups' own sums ({@link groupSums}) on both engines: an entity's few
 * groups are cheapest reached one by one.
 */
export function entityErrorTotalsSql(
  entityRef: string,
  range: BucketedRange,
): Sql {
  const sums = groupSums(range);
  // Each group's two sums are computed once, in the derived table, and only added up outside.
  return sql`SELECT COALESCE(SUM(w.events), 0) AS events,
      COALESCE(SUM(w.previous_events), 0) AS previous_events
    FROM (SELECT ${sums.events} AS events, ${sums.previous} AS previous_events
      FROM error_groups g WHERE g.entity_ref = ${entityRef}) w`;
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
    // Only entities with counts, as on PostgreSQL (every stored count is at least 1); not a
    // `HAVING`, for which SQLite would compute every group's sums again.
    if (entityTotals.events > 0 || entityTotals.previousEvents > 0) {
      totals.set(row.entity_ref, entityTotals);
    }
  }
  return totals;
}
