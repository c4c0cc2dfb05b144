import type { SeriesPoint } from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import type { BucketedRange } from '../TimeRange';
import { iso, num } from '../rowValues';
import { bucketStart, DAY_MS } from '../../time';
import { bigint } from './bigint';
import { ErrorCountSpan, threeErrorCountSpans } from './errorCountSpans';
import { joinSql, readRows, sql, trusted } from './statement';

/**
 * Error events per bucket across the entity's groups, every bucket of the range present (zero
 * where nothing was recorded). The counts are summed into the range's buckets in SQL, so at
 * most one row per bucket leaves the database; a series of whole days reads the daily rollup
 * for its whole days (one row per group and day) and the hourly buckets only at its edges. One
 * statement, of the same text for every entity and window of a bucket size.
 */
export async function errorSeries(
  knex: Knex,
  entityRef: string,
  range: BucketedRange,
): Promise<SeriesPoint[]> {
  const first = bucketStart(range.from, range.bucketMs);
  // A day lies inside one bucket only when buckets are whole days.
  const spans: ErrorCountSpan[] =
    range.bucketMs % DAY_MS === 0
      ? threeErrorCountSpans(first, range.to)
      : [
          {
            table: 'error_buckets',
            start: 'bucket_start',
            from: first,
            to: range.to,
          },
        ];
  const size = bigint(range.bucketMs);
  const parts = spans.map((span, i) => {
    const start = trusted(`c.${span.start}`);
    return sql`SELECT * FROM (SELECT ${start} - ${start} % ${size} AS bucket, SUM(c.count) AS value
      FROM ${trusted(span.table)} c JOIN error_groups g ON g.id = c.group_id
      WHERE g.entity_ref = ${entityRef} AND ${start} >= ${
      span.from
    } AND ${start} < ${span.to}
      GROUP BY bucket) ${trusted(`part_${i}`)}`;
  });
  const rows = await readRows(
    knex,
    sql`SELECT bucket, SUM(value) AS value FROM (${joinSql(
      parts,
      ' UNION ALL ',
    )}) parts GROUP BY bucket`,
  );
  const sums = new Map<number, number>();
  for (const row of rows) sums.set(num(row.bucket), num(row.value));
  const points: SeriesPoint[] = [];
  for (let start = first; start < range.to; start += range.bucketMs) {
    points.push({ time: iso(start), value: sums.get(start) ?? 0 });
  }
  return points;
}
