import { Knex } from 'knex';
import type { ErrorGroupKey } from '@internal/plugin-product-os-node';
import { num, Row } from '../rowValues';
import type { TimeRange } from '../TimeRange';
import {
  ErrorBucketRecord,
  ErrorGroupRecord,
  ErrorSampleRecord,
  ErrorStore,
  errorGroupId,
  HourlyCounts,
  RecentHourlyCounts,
} from './ErrorStore';
import {
  toErrorBucketRecord,
  toErrorGroupRecord,
  toErrorSampleRecord,
} from './errorRows';

/** Group keys or entity refs per query, so that no statement binds thousands of values. */
const KEYS_PER_QUERY = 100;

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

  async hourlyCounts({
    groups,
    entityRefs,
    since,
  }: {
    groups: ErrorGroupKey[];
    entityRefs: string[];
    since: number;
  }): Promise<RecentHourlyCounts> {
    const counts: RecentHourlyCounts = {
      groups: new Map(),
      entities: new Map(),
    };
    for (const part of chunks(groups)) {
      const rows: Row[] = await this.knex('error_groups as g')
        .join('error_buckets as b', 'b.group_id', 'g.id')
        .whereIn(
          ['g.entity_ref', 'g.source', 'g.fingerprint'],
          part.map(group => [group.entityRef, group.source, group.fingerprint]),
        )
        .where('b.bucket_start', '>=', since)
        .select(
          'g.entity_ref',
          'g.source',
          'g.fingerprint',
          'b.bucket_start',
          'b.count',
        );
      for (const row of rows) {
        add(
          counts.groups,
          errorGroupId({
            entityRef: row.entity_ref,
            source: row.source,
            fingerprint: row.fingerprint,
          }),
          row,
        );
      }
    }
    for (const part of chunks(entityRefs)) {
      const rows: Row[] = await this.knex('error_groups as g')
        .join('error_buckets as b', 'b.group_id', 'g.id')
        .whereIn('g.entity_ref', part)
        // A group not seen since the window opened has no bucket in it.
        .where('g.last_seen', '>=', since)
        .where('b.bucket_start', '>=', since)
        .groupBy('g.entity_ref', 'b.bucket_start')
        .select('g.entity_ref', 'b.bucket_start')
        .sum({ count: 'b.count' });
      for (const row of rows) add(counts.entities, row.entity_ref, row);
    }
    return counts;
  }

  async listActiveEntities(since: number): Promise<string[]> {
    const rows: Row[] = await this.knex('error_groups')
      .distinct('entity_ref')
      .where('last_seen', '>=', since);
    return rows.map(row => row.entity_ref);
  }
}

function add(into: Map<string, HourlyCounts>, key: string, row: Row) {
  let hours = into.get(key);
  if (!hours) {
    hours = new Map();
    into.set(key, hours);
  }
  const hour = num(row.bucket_start);
  hours.set(hour, (hours.get(hour) ?? 0) + num(row.count));
}

function chunks<T>(items: T[]): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += KEYS_PER_QUERY)
    parts.push(items.slice(i, i + KEYS_PER_QUERY));
  return parts;
}
