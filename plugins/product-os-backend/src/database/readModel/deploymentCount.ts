import type { Knex } from 'knex';
import type { TimeRange } from '../TimeRange';

/** One row (`deployments`): how many deployments of the entity started in the window. */
export function deploymentCountQuery(
  knex: Knex,
  entityRef: string,
  range: TimeRange,
): Knex.QueryBuilder {
  return knex('change_events')
    .where({ entity_ref: entityRef, kind: 'deployment' })
    .where('occurred_at', '>=', range.from)
    .where('occurred_at', '<', range.to)
    .count({ deployments: '*' });
}
