import type { SeriesPoint } from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import type { BucketedRange } from '../TimeRange';
import { iso, num, Row } from '../rowValues';
import { bucketStart, DAY_MS } from '../../time';
import { bigint } from './bigint';
import { ErrorCountSpan, errorCountSpans, spanRows } from './errorCountSpans';
import { unionAll } from './unionAll';

/**
 * Error events per bucket across the entity's groups, every bucket of the range present (zero
 * where nothing was recorded). The counts are summed into the range's buckets in SQL, so at
 * most one row per bucket leaves the database; a series of whole days reads the daily rollup
 * for its whole days (one row per group and day) and the hourly buckets only at its edges.
 */
export async function errorSeries(
  knex: Knex,
  entityRef: string,
  range: BucketedRange,
): Promise<SeriesPoint[]> {
  const first = bucketStart(range.from, range.bucketMs);
  const size = bigint(knex, range.bucketMs);
  // A day lies inside one bucket only when buckets are whole days.
  const spans: ErrorCountSpan[] =
    range.bucketMs % DAY_MS === 0
      ? errorCountSpans(first, range.to)
      : [
          {
            table: 'error_buckets',
            start: 'bucket_start',
            from: first,
            to: range.to,
          },
        ];
  const parts = spans.map(span =>
    spanRows(knex, span)
      .join('error_groups as g', 'g.id', 'c.group_id')
      .where('g.entity_ref', entityRef)
      .groupBy('bucket')
      .select(
        knex.raw(`c.${span.start} - c.${span.start} % ? AS bucket`, [size]),
        knex.raw('SUM(c.count) AS value'),
      ),
  );
  const rows: Row[] = await knex
    .from(unionAll(knex, parts, 'parts'))
    .groupBy('bucket')
    .select('bucket', knex.raw('SUM(value) AS value'));
  const sums = new Map<number, number>();
  for (const row of rows) sums.set(num(row.bucket), num(row.value));
  const points: SeriesPoint[] = [];
  for (let start = first; start < range.to; start += range.bucketMs) {
    points.push({ time: iso(start), value: sums.get(start) ?? 0 });
  }
  return points;
}
