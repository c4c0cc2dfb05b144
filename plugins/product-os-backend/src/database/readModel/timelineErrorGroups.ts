import type { TimeRange } from '../TimeRange';
import { bucketStart, HOUR_MS } from '../../time';
import { groupHasCountsIn } from './errorCountSpans';
import { Sql, sql } from './statement';

/**
 * The entity's error groups that belong on the timeline of a window, as timeline rows (see
 * `timelineItems`): those first seen in it (at their first event) and those regressed in it (at
 * their last event). Older groups are background. Like every error read, a group counts only
 * with an hourly bucket in the window (found in the daily rollup for the window's whole days).
 */
export function timelineErrorGroupsSql(
  entityRef: string,
  range: TimeRange,
): Sql {
  const { from, to } = range;
  return sql`SELECT 'error_group' AS type, g.id,
      CASE WHEN g.first_seen >= ${from} THEN g.first_seen ELSE g.last_seen END AS time,
      CASE WHEN g.first_seen >= ${from} THEN 'New: ' || g.title ELSE 'Regressed: ' || g.title END AS title,
      g.permalink AS url, NULL AS kinds
    FROM error_groups g
    WHERE g.entity_ref = ${entityRef}
      AND ((g.first_seen >= ${from} AND g.first_seen < ${to})
        OR (g.first_seen < ${from} AND g.regressed_at >= ${from}
          AND g.last_seen >= ${from} AND g.last_seen < ${to}))
      AND ${groupHasCountsIn(bucketStart(from, HOUR_MS), to)}`;
}
