import type { Knex } from 'knex';
import type { TimeRange } from '../TimeRange';
import { num } from '../rowValues';

/** How many deployments of the entity started in the window. */
export async function deploymentCount(
  knex: Knex,
  entityRef: string,
  range: TimeRange,
): Promise<number> {
  const [row] = await knex('change_events')
    .where({ entity_ref: entityRef, kind: 'deployment' })
    .where('occurred_at', '>=', range.from)
    .where('occurred_at', '<', range.to)
    .count({ deployments: '*' });
  return num(row.deployments);
}
