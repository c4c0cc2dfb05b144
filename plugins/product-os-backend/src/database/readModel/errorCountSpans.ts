import { DAY_MS } from '../../time';
import { Sql, sql, trusted } from './statement';

/**
 * Part of a range of hourly buckets, read from the table that holds it in the fewest rows: the
 * whole UTC days inside the range from the daily rollup (`error_days`), the hours at its edges
 * from the hourly buckets (`error_buckets`). Both tables have `group_id` and `count`.
 */
export interface ErrorCountSpan {
  table: 'error_days' | 'error_buckets';
  /** The table's time column. */
  start: 'day_start' | 'bucket_start';
  from: number;
  to: number;
}

/**
 * Where the counts of the hourly buckets with `from <= bucket_start < to` are read from: a day
 * is read from its rollup only when every hour of it lies inside (`from <= day` and
 * `day + 1 day <= to`), so the spans sum to exactly what the hourly buckets sum to, for any
 * bounds, on the hour or not.
 */
export function errorCountSpans(from: number, to: number): ErrorCountSpan[] {
  const firstDay = Math.ceil(from / DAY_MS) * DAY_MS;
  const endDay = Math.floor(to / DAY_MS) * DAY_MS;
  const hours = (a: number, b: number): ErrorCountSpan => ({
    table: 'error_buckets',
    start: 'bucket_start',
    from: a,
    to: b,
  });
  if (firstDay >= endDay) return [hours(from, to)];
  const spans: ErrorCountSpan[] = [];
  if (from < firstDay) spans.push(hours(from, firstDay));
  spans.push({
    table: 'error_days',
    start: 'day_start',
    from: firstDay,
    to: endDay,
  });
  if (endDay < to) spans.push(hours(endDay, to));
  return spans;
}

/**
 * The spans of {@link errorCountSpans} as always three, hours, days, hours (a missing one empty:
 * `from = to`), so that a statement reading them has the same text for every window.
 */
export function threeErrorCountSpans(
  from: number,
  to: number,
): [ErrorCountSpan, ErrorCountSpan, ErrorCountSpan] {
  const spans = errorCountSpans(from, to);
  const days = spans.find(s => s.table === 'error_days');
  const at = days ? days.from : to;
  const until = days ? days.to : to;
  const hours = (a: number, b: number): ErrorCountSpan => ({
    table: 'error_buckets',
    start: 'bucket_start',
    from: a,
    to: b,
  });
  return [
    hours(from, at),
    days ?? { table: 'error_days', start: 'day_start', from: to, to },
    hours(until, to),
  ];
}

/**
 * The sum of the counts of group `g` in a window, one correlated subquery per span (NULL when the
 * group has no row in it): each an index range of that group's rows (`(group_id, bucket_start)`,
 * `(group_id, day_start)`), so what it reads is bounded by the entity's groups and the window,
 * not by how much is stored, on both engines.
 */
export function groupSpanSums(spans: ErrorCountSpan[]): Sql[] {
  return spans.map(
    span =>
      sql`(SELECT SUM(c.count) FROM ${trusted(
        span.table,
      )} c WHERE c.group_id = g.id AND c.${trusted(span.start)} >= ${
        span.from
      } AND c.${trusted(span.start)} < ${span.to})`,
  );
}

/**
 * Whether group `g` has an hourly bucket with `from <= bucket_start < to`: one `EXISTS` per span
 * of {@link threeErrorCountSpans}, each an index lookup of the group's rows.
 */
export function groupHasCountsIn(from: number, to: number): Sql {
  const [a, b, c] = threeErrorCountSpans(from, to).map(
    span =>
      sql`EXISTS (SELECT 1 FROM ${trusted(
        span.table,
      )} c WHERE c.group_id = g.id AND c.${trusted(span.start)} >= ${
        span.from
      } AND c.${trusted(span.start)} < ${span.to})`,
  );
  return sql`(${a} OR ${b} OR ${c})`;
}
