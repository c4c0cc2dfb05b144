import type {
  ChangeKind,
  TimelineItem,
} from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import type { TimeRange } from '../TimeRange';
import { iso, num, opt, Row } from '../rowValues';

/** Kinds of change the timeline shows; commits are too many to be items of their own. */
export const TIMELINE_CHANGE_KINDS: ChangeKind[] = [
  'deployment',
  'pull_request',
  'release',
  'change',
];

/** The entity's changes in the window as timeline items, newest first. */
export async function timelineChanges(
  knex: Knex,
  entityRef: string,
  range: TimeRange,
): Promise<TimelineItem[]> {
  const rows: Row[] = await knex('change_events')
    .where('entity_ref', entityRef)
    .whereIn('kind', TIMELINE_CHANGE_KINDS)
    .where('occurred_at', '>=', range.from)
    .where('occurred_at', '<', range.to)
    .select('id', 'kind', 'occurred_at', 'title', 'url')
    .orderBy([
      { column: 'occurred_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
  return rows.map(row => ({
    type: row.kind,
    id: num(row.id),
    time: iso(row.occurred_at),
    title: row.title,
    url: opt(row.url),
  }));
}
