import type { ErrorGroup } from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import type { TimeRange } from '../TimeRange';
import { iso, num, opt, parseJson, Row } from '../rowValues';
import { bucketStart, HOUR_MS } from '../../time';
import { bigint } from './bigint';
import { errorCountSpans, spanRows } from './errorCountSpans';
import { unionAll } from './unionAll';

/** How many equal slices of the window an error group's sparkline has. */
export const SPARKLINE_SLICES = 24;

/**
 * The entity's error groups with events in the window, most events first, each with its count
 * and sparkline. The window counts sum only the entity's own groups' counts (not every
 * entity's, filtered afterwards), from the daily rollup for the window's whole days; the
 * sparklines are summed from the hourly buckets into their slices in SQL.
 */
export async function errorGroupPage(
  knex: Knex,
  entityRef: string,
  range: TimeRange & { limit?: number },
): Promise<ErrorGroup[]> {
  const hourFrom = bucketStart(range.from, HOUR_MS);
  const parts = errorCountSpans(hourFrom, range.to).map(span =>
    spanRows(knex, span)
      .join('error_groups as cg', 'cg.id', 'c.group_id')
      .where('cg.entity_ref', entityRef)
      .groupBy('c.group_id')
      .select('c.group_id', knex.raw('SUM(c.count) AS window_count')),
  );
  const counted = knex
    .from(unionAll(knex, parts, 'parts'))
    .groupBy('group_id')
    .select('group_id', knex.raw('SUM(window_count) AS window_count'))
    .as('counted');
  const rows: Row[] = await knex('error_groups')
    .join(counted, 'counted.group_id', 'error_groups.id')
    .select('error_groups.*', 'counted.window_count')
    .orderBy([
      { column: 'counted.window_count', order: 'desc' },
      { column: 'error_groups.id', order: 'asc' },
    ])
    .limit(range.limit ?? 50);
  const sparklines = await sparklinesOf(
    knex,
    rows.map(row => num(row.id)),
    range,
  );
  return rows.map(row => ({
    id: num(row.id),
    entityRef: row.entity_ref,
    source: row.source,
    fingerprint: row.fingerprint,
    title: row.title,
    culprit: opt(row.culprit),
    level: row.level,
    status: row.status,
    firstSeen: iso(row.first_seen),
    lastSeen: iso(row.last_seen),
    firstRelease: opt(row.first_release),
    topFrames: parseJson(row.top_frames, []),
    permalink: opt(row.permalink),
    count: num(row.window_count),
    isNew: num(row.first_seen) >= range.from,
    isRegressed:
      row.regressed_at !== null && num(row.regressed_at) >= range.from,
    sparkline:
      sparklines.get(num(row.id)) ?? new Array(SPARKLINE_SLICES).fill(0),
  }));
}

/**
 * Event counts of the groups per slice of the window. The slice of a bucket is
 * `floor((start - from) × slices / span)`, in integers on both engines; a bucket starting before
 * `from` (a window not on the hour) belongs to the first slice.
 */
async function sparklinesOf(
  knex: Knex,
  groupIds: number[],
  range: TimeRange,
): Promise<Map<number, number[]>> {
  const result = new Map<number, number[]>();
  if (groupIds.length === 0) return result;
  const rows: Row[] = await knex('error_buckets as b')
    .whereIn('b.group_id', groupIds)
    .where('b.bucket_start', '>=', bucketStart(range.from, HOUR_MS))
    .where('b.bucket_start', '<', range.to)
    .groupBy('b.group_id', 'slice')
    .select(
      'b.group_id',
      knex.raw('(b.bucket_start - ?) * ? / ? AS slice', [
        bigint(knex, range.from),
        bigint(knex, SPARKLINE_SLICES),
        bigint(knex, range.to - range.from),
      ]),
      knex.raw('SUM(b.count) AS value'),
    );
  for (const row of rows) {
    const id = num(row.group_id);
    const series = result.get(id) ?? new Array(SPARKLINE_SLICES).fill(0);
    const index = Math.min(SPARKLINE_SLICES - 1, Math.max(0, num(row.slice)));
    series[index] += num(row.value);
    result.set(id, series);
  }
  return result;
}
