import type { TimelineItem } from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import type { TimeRange } from '../TimeRange';
import { iso, num, opt, Row } from '../rowValues';
import { bucketStart, HOUR_MS } from '../../time';

/**
 * The entity's error groups that belong on the timeline of a window: those first seen in it (at
 * their first event) and those regressed in it (at their last event). Older groups are
 * background. Like every error read, a group counts only with an hourly bucket in the window.
 */
export async function timelineErrorGroups(
  knex: Knex,
  entityRef: string,
  range: TimeRange,
): Promise<TimelineItem[]> {
  const rows: Row[] = await knex('error_groups as g')
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
    .whereExists(q =>
      q
        .select(knex.raw('1'))
        .from('error_buckets as b')
        .whereRaw('b.group_id = g.id')
        .where('b.bucket_start', '>=', bucketStart(range.from, HOUR_MS))
        .where('b.bucket_start', '<', range.to),
    )
    .select('g.id', 'g.title', 'g.permalink', 'g.first_seen', 'g.last_seen')
    .orderBy('g.id');
  return rows.map(row => {
    const isNew = num(row.first_seen) >= range.from;
    return {
      type: 'error_group' as const,
      id: num(row.id),
      time: iso(isNew ? row.first_seen : row.last_seen),
      title: `${isNew ? 'New' : 'Regressed'}: ${row.title}`,
      url: opt(row.permalink),
    };
  });
}
