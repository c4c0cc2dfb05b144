import type { ErrorGroup } from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import type { TimeRange } from '../TimeRange';
import { iso, num, opt, parseJson } from '../rowValues';
import { bucketStart, HOUR_MS } from '../../time';
import { groupSpanSums, threeErrorCountSpans } from './errorCountSpans';
import { bigint } from './bigint';
import { idTable, readRows, sql } from './statement';

/** How many equal slices of the window an error group's sparkline has. */
export const SPARKLINE_SLICES = 24;

/**
 * The entity's error groups with events in the window, most events first, each with its count
 * and sparkline. Each of the entity's groups sums its own counts of the window (from the daily
 * rollup for the window's whole days, `groupSpanSums`), once, before the ranking; the
 * sparklines are summed from the hourly buckets into their slices in SQL. Two statements, each
 * of the same text for every entity and window.
 */
export async function errorGroupPage(
  knex: Knex,
  entityRef: string,
  range: TimeRange & { limit?: number },
): Promise<ErrorGroup[]> {
  const [a, b, c] = groupSpanSums(
    threeErrorCountSpans(bucketStart(range.from, HOUR_MS), range.to),
  );
  // Materialized, so that each group's sum is computed once, not again where it is compared
  // and ordered by (every stored count is at least 1: a group with none in the window sums 0).
  const rows = await readRows(
    knex,
    sql`WITH counted AS MATERIALIZED (
        SELECT g.id, COALESCE(${a}, 0) + COALESCE(${b}, 0) + COALESCE(${c}, 0) AS window_count
        FROM error_groups g WHERE g.entity_ref = ${entityRef})
      SELECT error_groups.*, counted.window_count
      FROM counted JOIN error_groups ON error_groups.id = counted.id
      WHERE counted.window_count > 0
      ORDER BY counted.window_count DESC, error_groups.id ASC
      LIMIT ${range.limit ?? 50}`,
  );
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
  // Driven from the ids, each reading its own range of the primary key: compared as rows,
  // `(group_id, bucket_start)`, the range is one of that index only. Given as a group list and
  // a time range, PostgreSQL read the window of every group through `bucket_start` instead.
  const from = bucketStart(range.from, HOUR_MS);
  const rows = await readRows(
    knex,
    sql`SELECT g.id AS group_id,
        (b.bucket_start - ${bigint(range.from)}) * ${bigint(
      SPARKLINE_SLICES,
    )} / ${bigint(range.to - range.from)} AS slice,
        SUM(b.count) AS value
      FROM ${idTable(knex, groupIds, 'g')}
        JOIN error_buckets b ON (b.group_id, b.bucket_start) >= (g.id, ${from})
          AND (b.group_id, b.bucket_start) < (g.id, ${range.to})
      GROUP BY g.id, slice`,
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
