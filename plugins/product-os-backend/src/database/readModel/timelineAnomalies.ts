import type { Knex } from 'knex';
import type { TimeRange } from '../TimeRange';

/**
 * The entity's anomalies with an onset in the window, as timeline rows (see `timelineItems`);
 * their title is made of `kinds`.
 */
export function timelineAnomaliesQuery(
  knex: Knex,
  entityRef: string,
  range: TimeRange,
): Knex.QueryBuilder {
  return knex('anomalies')
    .where('entity_ref', entityRef)
    .where('onset_at', '>=', range.from)
    .where('onset_at', '<', range.to)
    .select(
      knex.raw("'anomaly' AS type"),
      'id',
      'onset_at as time',
      knex.raw('NULL AS title'),
      knex.raw('NULL AS url'),
      'kinds',
    );
}
