import type {
  ErrorGroup,
  SeriesPoint,
} from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import { bucketStart, HOUR_MS } from '../../../time';
import {
  fillSeries,
  type BucketedRange,
  type TimeRange,
} from '../../TimeRange';
import { iso, num, opt, parseJson, Row } from '../../rowValues';

/*
 * The reads the read model replaced, as they were before it: the store's queries and what the
 * read services derived from them in JavaScript. Kept only as the reference the read model's
 * tests compare with, so that every query of the read model is shown to return what the page
 * showed before, on both engines.
 */

/** The store's `getErrorGroups`: counts summed over every entity's buckets, then filtered. */
export async function previousErrorGroups(
  knex: Knex,
  entityRef: string,
  range: TimeRange & { limit?: number },
): Promise<ErrorGroup[]> {
  const counted = knex('error_buckets')
    .select('group_id')
    .sum({ count: 'count' })
    .where('bucket_start', '>=', bucketStart(range.from, HOUR_MS))
    .where('bucket_start', '<', range.to)
    .groupBy('group_id')
    .as('counted');
  const rows: Row[] = await knex('error_groups')
    .join(counted, 'counted.group_id', 'error_groups.id')
    .select('error_groups.*', 'counted.count as window_count')
    .where('error_groups.entity_ref', entityRef)
    .orderBy([
      { column: 'window_count', order: 'desc' },
      { column: 'error_groups.id', order: 'asc' },
    ])
    .limit(range.limit ?? 50);
  const slices = 24;
  const sparklines = new Map<number, number[]>();
  if (rows.length) {
    const slice = (range.to - range.from) / slices;
    const buckets = await knex('error_buckets')
      .select('group_id', 'bucket_start', 'count')
      .whereIn(
        'group_id',
        rows.map(row => num(row.id)),
      )
      .where('bucket_start', '>=', bucketStart(range.from, HOUR_MS))
      .where('bucket_start', '<', range.to);
    for (const row of buckets) {
      const id = num(row.group_id);
      const series = sparklines.get(id) ?? new Array(slices).fill(0);
      const index = Math.min(
        slices - 1,
        Math.max(0, Math.floor((num(row.bucket_start) - range.from) / slice)),
      );
      series[index] += num(row.count);
      sparklines.set(id, series);
    }
  }
  return rows.map(row => ({
    id: num(row.id),
    entityRef: row.entity_ref,
    source: row.source,
    fingerprint: row.fingerprint,
    title: row.title,
    culprit: opt(row.culprit),
    level: row.level,
    status: row.status,
    firstSeen: iso(row.first_seen),
    lastSeen: iso(row.last_seen),
    firstRelease: opt(row.first_release),
    topFrames: parseJson(row.top_frames, []),
    permalink: opt(row.permalink),
    count: num(row.window_count),
    isNew: num(row.first_seen) >= range.from,
    isRegressed:
      row.regressed_at !== null && num(row.regressed_at) >= range.from,
    sparkline: sparklines.get(num(row.id)) ?? new Array(slices).fill(0),
  }));
}

/** The store's `getErrorSeries`: every hourly bucket fetched and summed in JavaScript. */
export async function previousErrorSeries(
  knex: Knex,
  entityRef: string,
  range: BucketedRange,
): Promise<SeriesPoint[]> {
  const rows = await knex('error_buckets')
    .join('error_groups', 'error_groups.id', 'error_buckets.group_id')
    .where('error_groups.entity_ref', entityRef)
    .where(
      'error_buckets.bucket_start',
      '>=',
      bucketStart(range.from, range.bucketMs),
    )
    .where('error_buckets.bucket_start', '<', range.to)
    .select('error_buckets.bucket_start', 'error_buckets.count');
  return fillSeries(
    rows.map(row => [num(row.bucket_start), num(row.count)]),
    range,
  );
}

/** The services' error totals: the sum of the series of the window and of the one before. */
export async function previousErrorTotals(
  knex: Knex,
  entityRef: string,
  range: BucketedRange,
): Promise<{ events: number; previousEvents: number }> {
  const span = range.to - range.from;
  const sum = (points: SeriesPoint[]) =>
    points.reduce((total, p) => total + p.value, 0);
  return {
    events: sum(await previousErrorSeries(knex, entityRef, range)),
    previousEvents: sum(
      await previousErrorSeries(knex, entityRef, {
        ...range,
        from: range.from - span,
        to: range.from,
      }),
    ),
  };
}

/** The store's `getIncidents` rows (without their timelines), newest first. */
export async function previousIncidents(
  knex: Knex,
  entityRef: string,
  range: TimeRange,
): Promise<Row[]> {
  return knex('incidents')
    .where('entity_ref', entityRef)
    .where('created_at', '<', range.to)
    .where(q =>
      q
        .where('created_at', '>=', range.from)
        .orWhereNot('status', 'resolved')
        .orWhereNull('resolved_at')
        .orWhere('resolved_at', '>=', range.from),
    )
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
}

/** The store's `getChangeEvents` rows, newest first. */
export async function previousChangeEvents(
  knex: Knex,
  entityRef: string,
  query: TimeRange & { kinds?: string[] },
): Promise<Row[]> {
  const builder = knex('change_events')
    .where('entity_ref', entityRef)
    .where('occurred_at', '>=', query.from)
    .where('occurred_at', '<', query.to)
    .orderBy([
      { column: 'occurred_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
  if (query.kinds?.length) builder.whereIn('kind', query.kinds);
  return builder;
}

/** The store's `getAnomalies` rows, latest onset first. */
export async function previousAnomalies(
  knex: Knex,
  entityRef: string,
  range: TimeRange,
): Promise<Row[]> {
  return knex('anomalies')
    .where('entity_ref', entityRef)
    .where('onset_at', '>=', range.from)
    .where('onset_at', '<', range.to)
    .orderBy('onset_at', 'desc');
}

/** The store's `listDiagnoses` rows (without suspects and evidence), newest first. */
export async function previousDiagnoses(
  knex: Knex,
  query: {
    entityRefs: string[];
    statuses?: string[];
    actionability?: string[];
    limit: number;
  },
): Promise<Row[]> {
  const builder = knex('diagnoses')
    .whereIn('entity_ref', query.entityRefs)
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(query.limit);
  if (query.statuses?.length) builder.whereIn('status', query.statuses);
  if (query.actionability?.length)
    builder.whereIn('actionability', query.actionability);
  return builder;
}
