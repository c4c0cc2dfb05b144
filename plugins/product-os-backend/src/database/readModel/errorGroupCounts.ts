import type { Knex } from 'knex';
import type { TimeRange } from '../TimeRange';
import { num, Row } from '../rowValues';
import { bucketStart, HOUR_MS } from '../../time';
import { hasErrorCountsIn } from './errorCountSpans';

/** How many of an entity's error groups had events in a window, and how many of them are new. */
export interface ErrorGroupCounts {
  groups: number;
  /** First seen inside the window. */
  newGroups: number;
}

/**
 * One row (`group_count`, `new_groups`), counted in SQL: a group counts when it has an hourly
 * bucket in the window (found in the daily rollup for the window's whole days).
 */
export function errorGroupCountsQuery(
  knex: Knex,
  entityRef: string,
  range: TimeRange,
): Knex.QueryBuilder {
  return knex('error_groups as g')
    .where('g.entity_ref', entityRef)
    .where(hasErrorCountsIn(knex, bucketStart(range.from, HOUR_MS), range.to))
    .select(
      knex.raw('COUNT(*) AS group_count'),
      knex.raw(
        'COALESCE(SUM(CASE WHEN g.first_seen >= ? THEN 1 ELSE 0 END), 0) AS new_groups',
        [range.from],
      ),
    );
}

export function toErrorGroupCounts(row: Row | undefined): ErrorGroupCounts {
  return {
    groups: num(row?.group_count ?? 0),
    newGroups: num(row?.new_groups ?? 0),
  };
}
