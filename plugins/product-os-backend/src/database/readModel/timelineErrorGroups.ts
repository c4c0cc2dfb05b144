import type { Knex } from 'knex';
import type { TimeRange } from '../TimeRange';
import { bucketStart, HOUR_MS } from '../../time';
import { hasErrorCountsIn } from './errorCountSpans';

/**
 * The entity's error groups that belong on the timeline of a window, as timeline rows (see
 * `timelineItems`): those first seen in it (at their first event) and those regressed in it (at
 * their last event). Older groups are background. Like every error read, a group counts only
 * with an hourly bucket in the window (found in the daily rollup for the window's whole days).
 */
export function timelineErrorGroupsQuery(
  knex: Knex,
  entityRef: string,
  range: TimeRange,
): Knex.QueryBuilder {
  return knex('error_groups as g')
    .where('g.entity_ref', entityRef)
    .where(q =>
      q
        .where(isNew =>
          isNew
            .where('g.first_seen', '>=', range.from)
            .where('g.first_seen', '<', range.to),
        )
        .orWhere(regressed =>
          regressed
            .where('g.first_seen', '<', range.from)
            .where('g.regressed_at', '>=', range.from)
            .where('g.last_seen', '>=', range.from)
            .where('g.last_seen', '<', range.to),
        ),
    )
    .where(hasErrorCountsIn(knex, bucketStart(range.from, HOUR_MS), range.to))
    .select(
      knex.raw("'error_group' AS type"),
      'g.id',
      knex.raw(
        'CASE WHEN g.first_seen >= ? THEN g.first_seen ELSE g.last_seen END AS time',
        [range.from],
      ),
      knex.raw(
        "CASE WHEN g.first_seen >= ? THEN 'New: ' || g.title ELSE 'Regressed: ' || g.title END AS title",
        [range.from],
      ),
      'g.permalink as url',
      knex.raw('NULL AS kinds'),
    );
}
