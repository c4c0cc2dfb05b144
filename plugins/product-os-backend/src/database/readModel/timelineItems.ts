import {
  ANOMALY_KIND_LABELS,
  type AnomalyKind,
  type TimelineItem,
} from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import type { TimeRange } from '../TimeRange';
import { iso, num, opt, parseJson, Row } from '../rowValues';
import { timelineAnomaliesQuery } from './timelineAnomalies';
import { timelineChangesQuery } from './timelineChanges';
import { timelineErrorGroupsQuery } from './timelineErrorGroups';
import { timelineIncidentsQuery } from './timelineIncidents';

/**
 * The timeline's changes, incidents, new and regressed error groups and anomalies of a window in
 * one statement: each kind's query gives rows of the same shape (`type`, `id`, `time`, `title`,
 * `url`, `kinds`), newest first; within one time and kind, highest id first.
 */
export async function timelineItems(
  knex: Knex,
  entityRef: string,
  range: TimeRange,
): Promise<TimelineItem[]> {
  const [first, ...rest] = [
    timelineChangesQuery,
    timelineIncidentsQuery,
    timelineErrorGroupsQuery,
    timelineAnomaliesQuery,
  ].map(query => query(knex, entityRef, range));
  const rows: Row[] = await knex
    .select('*')
    .from(first.unionAll(rest).as('timeline'))
    .orderBy([
      { column: 'time', order: 'desc' },
      { column: 'type', order: 'asc' },
      { column: 'id', order: 'desc' },
    ]);
  return rows.map(toTimelineItem);
}

/** A row of the timeline's queries as an item. */
export function toTimelineItem(row: Row): TimelineItem {
  return {
    type: row.type,
    id: num(row.id),
    time: iso(row.time),
    title:
      row.type === 'anomaly'
        ? `Anomaly: ${parseJson<AnomalyKind[]>(row.kinds, [])
            .map(kind => ANOMALY_KIND_LABELS[kind] ?? kind)
            .join(', ')}`
        : row.title,
    ...(row.type !== 'anomaly' && { url: opt(row.url) }),
  };
}
