import {
  ANOMALY_KIND_LABELS,
  type AnomalyKind,
  type TimelineItem,
} from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import { iso, num, opt, parseJson } from '../../rowValues';
import type { TimeRange } from '../../TimeRange';
import {
  previousAnomalies,
  previousChangeEvents,
  previousErrorGroups,
  previousIncidents,
} from './previousReads';

/*
 * The timeline items the timeline service made of the store's lists before the read model, one
 * list per kind of record, each kept to the items inside the window as the service did.
 */

const inRange = (range: TimeRange) => (item: TimelineItem) => {
  const ms = Date.parse(item.time);
  return ms >= range.from && ms < range.to;
};

export async function previousTimelineChanges(
  knex: Knex,
  entityRef: string,
  range: TimeRange,
): Promise<TimelineItem[]> {
  const rows = await previousChangeEvents(knex, entityRef, {
    ...range,
    kinds: ['deployment', 'pull_request', 'release', 'change'],
  });
  return rows
    .map(row => ({
      type: row.kind,
      id: num(row.id),
      time: iso(row.occurred_at),
      title: row.title,
      url: opt(row.url),
    }))
    .filter(inRange(range));
}

export async function previousTimelineIncidents(
  knex: Knex,
  entityRef: string,
  range: TimeRange,
): Promise<TimelineItem[]> {
  const rows = await previousIncidents(knex, entityRef, range);
  return rows
    .map(row => ({
      type: 'incident' as const,
      id: num(row.id),
      time: iso(row.created_at),
      title: row.title,
      url: opt(row.url),
    }))
    .filter(inRange(range));
}

export async function previousTimelineErrorGroups(
  knex: Knex,
  entityRef: string,
  range: TimeRange,
): Promise<TimelineItem[]> {
  const groups = await previousErrorGroups(knex, entityRef, {
    ...range,
    limit: 500,
  });
  return groups
    .filter(g => g.isNew || g.isRegressed)
    .map(g => ({
      type: 'error_group' as const,
      id: g.id,
      time: g.isNew ? g.firstSeen : g.lastSeen,
      title: `${g.isNew ? 'New' : 'Regressed'}: ${g.title}`,
      url: g.permalink,
    }))
    .filter(inRange(range));
}

export async function previousTimelineAnomalies(
  knex: Knex,
  entityRef: string,
  range: TimeRange,
): Promise<TimelineItem[]> {
  const rows = await previousAnomalies(knex, entityRef, range);
  return rows
    .map(row => ({
      type: 'anomaly' as const,
      id: num(row.id),
      time: iso(row.onset_at),
      title: `Anomaly: ${parseJson<AnomalyKind[]>(row.kinds, [])
        .map(kind => ANOMALY_KIND_LABELS[kind] ?? kind)
        .join(', ')}`,
    }))
    .filter(inRange(range));
}
