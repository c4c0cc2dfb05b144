import type { SeriesPoint } from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import type { BucketedRange } from '../TimeRange';
import { iso, num } from '../rowValues';
import { bucketStart } from '../../time';
import { bigint } from './bigint';

/**
 * Error events per bucket across the entity's groups, every bucket of the range present (zero
 * where nothing was recorded). The hourly buckets are summed into the range's buckets in SQL, so
 * at most one row per bucket leaves the database.
 */
export async function errorSeries(
  knex: Knex,
  entityRef: string,
  range: BucketedRange,
): Promise<SeriesPoint[]> {
  const first = bucketStart(range.from, range.bucketMs);
  const size = bigint(knex, range.bucketMs);
  const rows = await knex('error_groups as g')
    .join('error_buckets as b', 'b.group_id', 'g.id')
    .where('g.entity_ref', entityRef)
    .where('b.bucket_start', '>=', first)
    .where('b.bucket_start', '<', range.to)
    .groupBy('bucket')
    .select(
      knex.raw('b.bucket_start - b.bucket_start % ? AS bucket', [size]),
      knex.raw('SUM(b.count) AS value'),
    );
  const sums = new Map<number, number>();
  for (const row of rows) sums.set(num(row.bucket), num(row.value));
  const points: SeriesPoint[] = [];
  for (let start = first; start < range.to; start += range.bucketMs) {
    points.push({ time: iso(start), value: sums.get(start) ?? 0 });
  }
  return points;
}
