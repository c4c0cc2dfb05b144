import type { ChangeKind } from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import type { TimeRange } from '../TimeRange';

/** Kinds of change the timeline shows; commits are too many to be items of their own. */
export const TIMELINE_CHANGE_KINDS: ChangeKind[] = [
  'deployment',
  'pull_request',
  'release',
  'change',
];

/** The entity's changes in the window, as timeline rows (see `timelineItems`). */
export function timelineChangesQuery(
  knex: Knex,
  entityRef: string,
  range: TimeRange,
): Knex.QueryBuilder {
  return knex('change_events')
    .where('entity_ref', entityRef)
    .whereIn('kind', TIMELINE_CHANGE_KINDS)
    .where('occurred_at', '>=', range.from)
    .where('occurred_at', '<', range.to)
    .select(
      'kind as type',
      'id',
      'occurred_at as time',
      'title',
      'url',
      knex.raw('NULL AS kinds'),
    );
}
