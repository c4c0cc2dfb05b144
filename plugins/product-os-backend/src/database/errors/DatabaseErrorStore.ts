import { Knex } from 'knex';
import { Row } from '../rowValues';
import type { TimeRange } from '../TimeRange';
import type {
  ErrorBucketRecord,
  ErrorGroupRecord,
  ErrorSampleRecord,
  ErrorStore,
} from './ErrorStore';
import {
  toErrorBucketRecord,
  toErrorGroupRecord,
  toErrorSampleRecord,
} from './errorRows';

/** {@link ErrorStore} on the plugin's knex database. */
export class DatabaseErrorStore implements ErrorStore {
  constructor(private readonly knex: Knex) {}

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
