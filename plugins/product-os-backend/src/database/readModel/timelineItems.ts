import {
  ANOMALY_KIND_LABELS,
  type AnomalyKind,
  type TimelineItem,
} from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import type { TimeRange } from '../TimeRange';
import { iso, num, opt, parseJson, Row } from '../rowValues';
import { joinSql, readRows, sql } from './statement';
import { timelineAnomaliesSql } from './timelineAnomalies';
import { timelineChangesSql } from './timelineChanges';
import { timelineErrorGroupsSql } from './timelineErrorGroups';
import { timelineIncidentsSql } from './timelineIncidents';

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
  const parts = [
    timelineChangesSql,
    timelineIncidentsSql,
    timelineErrorGroupsSql,
    timelineAnomaliesSql,
  ].map(part => part(entityRef, range));
  const rows = await readRows(
    knex,
    sql`SELECT * FROM (${joinSql(parts, ' UNION ALL ')}) timeline
      ORDER BY time DESC, type ASC, id DESC`,
  );
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
