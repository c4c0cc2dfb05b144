import type { TimeRange } from '../TimeRange';
import { Sql, sql } from './statement';

/** One row (`deployments`): how many deployments of the entity started in the window. */
export function deploymentCountSql(entityRef: string, range: TimeRange): Sql {
  return sql`SELECT COUNT(*) AS deployments FROM change_events
    WHERE entity_ref = ${entityRef} AND kind = 'deployment'
      AND occurred_at >= ${range.from} AND occurred_at < ${range.to}`;
}
