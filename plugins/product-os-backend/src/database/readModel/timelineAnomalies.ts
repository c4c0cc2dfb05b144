import type { TimeRange } from '../TimeRange';
import { Sql, sql } from './statement';

/**
 * The entity's anomalies with an onset in the window, as timeline rows (see `timelineItems`);
 * their title is made of `kinds`.
 */
export function timelineAnomaliesSql(entityRef: string, range: TimeRange): Sql {
  return sql`SELECT 'anomaly' AS type, id, onset_at AS time, NULL AS title, NULL AS url, kinds
    FROM anomalies
    WHERE entity_ref = ${entityRef} AND onset_at >= ${range.from} AND onset_at < ${range.to}`;
}
