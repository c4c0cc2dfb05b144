import { Knex } from 'knex';
import type {
  ErrorGroup,
  SeriesPoint,
} from '@internal/plugin-product-os-common';
import { bucketStart, HOUR_MS } from '../../time';
import { num, Row } from '../rowValues';
import { BucketedRange, fillSeries, TimeRange } from '../TimeRange';
import type {
  ErrorBucketRecord,
  ErrorGroupRecord,
  ErrorSampleRecord,
  ErrorStore,
} from './ErrorStore';
import {
  toErrorBucketRecord,
  toErrorGroup,
  toErrorGroupRecord,
  toErrorSampleRecord,
} from './errorRows';

const SPARKLINE_SLICES = 24;

/** {@link ErrorStore} on the plugin's knex database. */
export class DatabaseErrorStore implements ErrorStore {
  constructor(private readonly knex: Knex) {}

  async getErrorGroups(
    entityRef: string,
    range: TimeRange & { limit?: number },
  ): Promise<ErrorGroup[]> {
    const counted = this.knex('error_buckets')
      .select('group_id')
      .sum({ count: 'count' })
      .where('bucket_start', '>=', bucketStart(range.from, HOUR_MS))
      .where('bucket_start', '<', range.to)
      .groupBy('group_id')
      .as('counted');
    const rows: Row[] = await this.knex('error_groups')
      .join(counted, 'counted.group_id', 'error_groups.id')
      .select('error_groups.*', 'counted.count as window_count')
      .where('error_groups.entity_ref', entityRef)
      .orderBy([
        { column: 'window_count', order: 'desc' },
        { column: 'error_groups.id', order: 'asc' },
      ])
      .limit(range.limit ?? 50);
    const sparklines = await this.sparklines(
      rows.map(row => num(row.id)),
      range,
    );
    return rows.map(row => {
      const group = toErrorGroupRecord(row);
      return toErrorGroup(group, {
        from: range.from,
        count: num(row.window_count),
        sparkline:
          sparklines.get(group.id) ?? new Array(SPARKLINE_SLICES).fill(0),
      });
    });
  }

  private async sparklines(groupIds: number[], range: TimeRange) {
    const result = new Map<number, number[]>();
    if (groupIds.length === 0) return result;
    const slice = (range.to - range.from) / SPARKLINE_SLICES;
    const rows = await this.knex('error_buckets')
      .select('group_id', 'bucket_start', 'count')
      .whereIn('group_id', groupIds)
      .where('bucket_start', '>=', bucketStart(range.from, HOUR_MS))
      .where('bucket_start', '<', range.to);
    for (const row of rows) {
      const id = num(row.group_id);
      const series = result.get(id) ?? new Array(SPARKLINE_SLICES).fill(0);
      const index = Math.min(
        SPARKLINE_SLICES - 1,
        Math.max(0, Math.floor((num(row.bucket_start) - range.from) / slice)),
      );
      series[index] += num(row.count);
      result.set(id, series);
    }
    return result;
  }

  async getErrorSeries(
    entityRef: string,
    range: BucketedRange,
  ): Promise<SeriesPoint[]> {
    const rows = await this.knex('error_buckets')
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

  async getErrorGroupRecords(
    entityRef: string,
    filter: { lastSeenFrom?: number; ids?: number[] },
  ): Promise<ErrorGroupRecord[]> {
    if (filter.ids && filter.ids.length === 0) return [];
    const builder = this.knex('error_groups')
      .where('entity_ref', entityRef)
      .orderBy('id');
    if (filter.lastSeenFrom !== undefined)
      builder.where('last_seen', '>=', filter.lastSeenFrom);
    if (filter.ids) builder.whereIn('id', filter.ids);
    const rows: Row[] = await builder;
    return rows.map(toErrorGroupRecord);
  }

  async getErrorBuckets(
    entityRef: string,
    range: TimeRange,
  ): Promise<ErrorBucketRecord[]> {
    const rows: Row[] = await this.knex('error_buckets')
      .join('error_groups', 'error_groups.id', 'error_buckets.group_id')
      .where('error_groups.entity_ref', entityRef)
      .where('error_buckets.bucket_start', '>=', range.from)
      .where('error_buckets.bucket_start', '<', range.to)
      .select(
        'error_buckets.group_id',
        'error_buckets.bucket_start',
        'error_buckets.count',
        'error_buckets.users',
      )
      .orderBy([
        { column: 'error_buckets.bucket_start', order: 'asc' },
        { column: 'error_buckets.group_id', order: 'asc' },
      ]);
    return rows.map(toErrorBucketRecord);
  }

  async getErrorSamples(
    groupIds: number[],
    range: TimeRange,
  ): Promise<ErrorSampleRecord[]> {
    if (groupIds.length === 0) return [];
    const rows: Row[] = await this.knex('error_events')
      .whereIn('group_id', groupIds)
      .where('timestamp', '>=', range.from)
      .where('timestamp', '<', range.to)
      .select('group_id', 'timestamp', 'release')
      .orderBy([
        { column: 'timestamp', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    return rows.map(toErrorSampleRecord);
  }

  async listActiveEntities(since: number): Promise<string[]> {
    const rows: Row[] = await this.knex('error_groups')
      .distinct('entity_ref')
      .where('last_seen', '>=', since);
    return rows.map(row => row.entity_ref);
  }
}
