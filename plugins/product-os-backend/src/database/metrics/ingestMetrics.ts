import { Knex } from 'knex';
import type {
  IngestWriter,
  MetricPointInput,
  PulledMetricPointInput,
} from '@internal/plugin-product-os-node';
import { bucketStart, HOUR_MS } from '../../time';
import { fitMetricPoint, fitPulledMetricPoint } from '../fitInputs';
import { num } from '../rowValues';
import { chunk, SqlDialect } from '../sql';

/*
 * An hour keeps what was pushed (`pushed_count`, `pushed_users`: sums of the events that
 * arrived) apart from what a pull set (`pulled_count`, `pulled_users`: the vendor's totals), and
 * `count` / `users`, which every read reads, are kept the larger of the two by both writes. So an
 * event that reached Product OS both ways counts once, a second pull of the hour replaces the
 * first instead of adding to it, and pushes after a pull add to the pushed sum only.
 */

/** The metric writes of one delivery, inside the transaction `tx`. */
export class MetricIngest
  implements Pick<IngestWriter, 'recordMetricPoints' | 'setPulledMetricPoints'>
{
  constructor(
    private readonly tx: Knex.Transaction,
    private readonly sql: SqlDialect,
  ) {}

  async recordMetricPoints(input: MetricPointInput[]): Promise<void> {
    const merged = new Map<string, MetricPointInput>();
    for (const point of input.map(fitMetricPoint)) {
      const start = bucketStart(point.bucketStart, HOUR_MS);
      const key = JSON.stringify([point.entityRef, point.metric, start]);
      const existing = merged.get(key);
      merged.set(key, {
        ...point,
        bucketStart: start,
        count: (existing?.count ?? 0) + point.count,
        userKeys: [...(existing?.userKeys ?? []), ...(point.userKeys ?? [])],
      });
    }
    for (const point of merged.values()) {
      const users = [...new Set(point.userKeys)].map(userKey => ({
        entity_ref: point.entityRef,
        metric: point.metric,
        bucket_start: point.bucketStart,
        user_key: userKey,
      }));
      const newUsers = await this.insertNew('metric_users', users, [
        'entity_ref',
        'metric',
        'bucket_start',
        'user_key',
      ]);
      const pushedUsers = newUsers.get(point.bucketStart) ?? 0;
      await this.tx('metric_points')
        .insert({
          entity_ref: point.entityRef,
          metric: point.metric,
          bucket_start: point.bucketStart,
          count: point.count,
          users: pushedUsers,
          pushed_count: point.count,
          pushed_users: pushedUsers,
        })
        .onConflict(['entity_ref', 'metric', 'bucket_start'])
        .merge({
          pushed_count: this.tx.raw(
            'metric_points.pushed_count + excluded.pushed_count',
          ),
          pushed_users: this.tx.raw(
            'metric_points.pushed_users + excluded.pushed_users',
          ),
          count: this.sql.greatest(
            'metric_points.pushed_count + excluded.pushed_count',
            'COALESCE(metric_points.pulled_count, 0)',
          ),
          users: this.sql.greatest(
            'metric_points.pushed_users + excluded.pushed_users',
            'COALESCE(metric_points.pulled_users, 0)',
          ),
        });
    }
  }

  async setPulledMetricPoints(input: PulledMetricPointInput[]): Promise<void> {
    // One row per hour: a statement may not update a row twice (PostgreSQL refuses it).
    const hours = new Map<string, PulledMetricPointInput>();
    for (const point of input.map(fitPulledMetricPoint)) {
      const start = bucketStart(point.bucketStart, HOUR_MS);
      hours.set(JSON.stringify([point.entityRef, point.metric, start]), {
        ...point,
        bucketStart: start,
      });
    }
    const rows = [...hours.values()].map(point => ({
      entity_ref: point.entityRef,
      metric: point.metric,
      bucket_start: point.bucketStart,
      count: point.count,
      users: point.users,
      pushed_count: 0,
      pushed_users: 0,
      pulled_count: point.count,
      pulled_users: point.users,
    }));
    for (const part of chunk(rows, 9)) {
      await this.tx('metric_points')
        .insert(part)
        .onConflict(['entity_ref', 'metric', 'bucket_start'])
        .merge({
          pulled_count: this.tx.raw('excluded.pulled_count'),
          pulled_users: this.tx.raw('excluded.pulled_users'),
          count: this.sql.greatest(
            'metric_points.pushed_count',
            'excluded.pulled_count',
          ),
          users: this.sql.greatest(
            'metric_points.pushed_users',
            'excluded.pulled_users',
          ),
        });
    }
  }

  /**
   * Inserts rows that are not there yet and returns how many were new per `bucket_start`, which
   * is how distinct users are counted without keeping a row per request.
   */
  private async insertNew(
    table: string,
    rows: Record<string, string | number>[],
    key: string[],
  ): Promise<Map<number, number>> {
    const added = new Map<number, number>();
    for (const part of chunk(rows, key.length)) {
      const inserted: { bucket_start: unknown }[] = await this.tx(table)
        .insert(part)
        .onConflict(key)
        .ignore()
        .returning(['bucket_start']);
      for (const row of inserted) {
        const start = num(row.bucket_start);
        added.set(start, (added.get(start) ?? 0) + 1);
      }
    }
    return added;
  }
}
