import type { TimeRange } from '../TimeRange';
import { Sql, sql } from './statement';

/** The entity's incidents created in the window, as timeline rows (see `timelineItems`). */
export function timelineIncidentsSql(entityRef: string, range: TimeRange): Sql {
  return sql`SELECT 'incident' AS type, id, created_at AS time, title, url, NULL AS kinds
    FROM incidents
    WHERE entity_ref = ${entityRef} AND created_at >= ${range.from} AND created_at < ${range.to}`;
}
