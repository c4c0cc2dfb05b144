import type { TimelineItem } from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import type { TimeRange } from '../TimeRange';
import { iso, num, opt, Row } from '../rowValues';

/** The entity's incidents created in the window as timeline items, newest first. */
export async function timelineIncidents(
  knex: Knex,
  entityRef: string,
  range: TimeRange,
): Promise<TimelineItem[]> {
  const rows: Row[] = await knex('incidents')
    .where('entity_ref', entityRef)
    .where('created_at', '>=', range.from)
    .where('created_at', '<', range.to)
    .select('id', 'created_at', 'title', 'url')
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
  return rows.map(row => ({
    type: 'incident' as const,
    id: num(row.id),
    time: iso(row.created_at),
    title: row.title,
    url: opt(row.url),
  }));
}
