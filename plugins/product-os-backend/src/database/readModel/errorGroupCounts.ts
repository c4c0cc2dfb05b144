import type { Knex } from 'knex';
import type { TimeRange } from '../TimeRange';
import { num } from '../rowValues';
import { bucketStart, HOUR_MS } from '../../time';

/** How many of an entity's error groups had events in a window, and how many of them are new. */
export interface ErrorGroupCounts {
  groups: number;
  /** First seen inside the window. */
  newGroups: number;
}

/** Counted in SQL: a group counts when it has an hourly bucket in the window. */
export async function errorGroupCounts(
  knex: Knex,
  entityRef: string,
  range: TimeRange,
): Promise<ErrorGroupCounts> {
  const [row] = await knex('error_groups as g')
    .where('g.entity_ref', entityRef)
    .whereExists(q =>
      q
        .select(knex.raw('1'))
        .from('error_buckets as b')
        .whereRaw('b.group_id = g.id')
        .where('b.bucket_start', '>=', bucketStart(range.from, HOUR_MS))
        .where('b.bucket_start', '<', range.to),
    )
    .select(
      knex.raw('COUNT(*) AS group_count'),
      knex.raw(
        'COALESCE(SUM(CASE WHEN g.first_seen >= ? THEN 1 ELSE 0 END), 0) AS new_groups',
        [range.from],
      ),
    );
  return { groups: num(row.group_count), newGroups: num(row.new_groups) };
}
