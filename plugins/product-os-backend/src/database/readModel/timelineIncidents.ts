import type { Knex } from 'knex';
import type { TimeRange } from '../TimeRange';

/** The entity's incidents created in the window, as timeline rows (see `timelineItems`). */
export function timelineIncidentsQuery(
  knex: Knex,
  entityRef: string,
  range: TimeRange,
): Knex.QueryBuilder {
  return knex('incidents')
    .where('entity_ref', entityRef)
    .where('created_at', '>=', range.from)
    .where('created_at', '<', range.to)
    .select(
      knex.raw("'incident' AS type"),
      'id',
      'created_at as time',
      'title',
      'url',
      knex.raw('NULL AS kinds'),
    );
}
