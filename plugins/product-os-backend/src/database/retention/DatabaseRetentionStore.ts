import { Knex } from 'knex';
import { bucketStart, HOUR_MS } from '../../time';
import { pruneErrorDays } from '../errors/errorDays';
import type {
  RetentionPolicy,
  RetentionResult,
  RetentionStore,
} from './RetentionStore';

/** {@link RetentionStore} on the plugin's knex database. */
export class DatabaseRetentionStore implements RetentionStore {
  constructor(private readonly knex: Knex) {}

  async prune(now: number, policy: RetentionPolicy): Promise<RetentionResult> {
    const rawBefore = now - policy.rawMaxAgeMs;
    const aggregateBefore = now - policy.aggregateMaxAgeMs;
    const hourBefore = bucketStart(aggregateBefore, HOUR_MS);
    // [table, time column, delete rows older than]
    const raw: Array<[string, string, number]> = [
      ['error_events', 'timestamp', rawBefore],
      ['error_users', 'bucket_start', rawBefore],
      ['metric_users', 'bucket_start', rawBefore],
      ['deliveries', 'received_at', rawBefore],
      // A key nobody has sent from for as long as raw samples are kept.
      ['unmapped_deliveries', 'last_seen', rawBefore],
      // Event ids are kept as long as the buckets they were counted into, so that a resent old
      // event cannot be counted twice.
      ['error_event_ids', 'received_at', aggregateBefore],
    ];
    const aggregates: Array<[string, string, number]> = [
      ['error_buckets', 'bucket_start', hourBefore],
      ['metric_points', 'bucket_start', hourBefore],
    ];
    return this.knex.transaction(async tx => {
      const deleteOlder = async (tables: Array<[string, string, number]>) => {
        let deleted = 0;
        for (const [table, column, before] of tables) {
          deleted += await tx(table).where(column, '<', before).delete();
        }
        return deleted;
      };
      const rawRowsDeleted = await deleteOlder(raw);
      const aggregateRowsDeleted = await deleteOlder(aggregates);
      // The daily rollup follows its hours; derived rows are not counted as deleted data.
      await pruneErrorDays(tx, hourBefore);
      return { rawRowsDeleted, aggregateRowsDeleted };
    });
  }
}
