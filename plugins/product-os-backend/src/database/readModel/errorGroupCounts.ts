import type { TimeRange } from '../TimeRange';
import { num, Row } from '../rowValues';
import { bucketStart, HOUR_MS } from '../../time';
import { groupHasCountsIn } from './errorCountSpans';
import { Sql, sql } from './statement';

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
export function errorGroupCountsSql(entityRef: string, range: TimeRange): Sql {
  return sql`SELECT COUNT(*) AS group_count,
      COALESCE(SUM(CASE WHEN g.first_seen >= ${
        range.from
      } THEN 1 ELSE 0 END), 0) AS new_groups
    FROM error_groups g
    WHERE g.entity_ref = ${entityRef}
      AND ${groupHasCountsIn(bucketStart(range.from, HOUR_MS), range.to)}`;
}

export function toErrorGroupCounts(row: Row | undefined): ErrorGroupCounts {
  return {
    groups: num(row?.group_count ?? 0),
    newGroups: num(row?.new_groups ?? 0),
  };
}
