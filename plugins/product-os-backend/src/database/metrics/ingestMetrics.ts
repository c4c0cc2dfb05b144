import { Knex } from 'knex';
import type {
  IngestWriter,
  MetricPointInput,
} from '@internal/plugin-product-os-node';
import { bucketStart, HOUR_MS } from '../../time';
import { fitMetricPoint } from '../fitInputs';
import { num } from '../rowValues';
import { chunk } from '../sql';

/** The metric writes of one delivery, inside the transaction `tx`. */
export class MetricIngest implements Pick<IngestWriter, 'recordMetricPoints'> {
  constructor(private readonly tx: Knex.Transaction) {}

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
      await this.tx('metric_points')
        .insert({
          entity_ref: point.entityRef,
          metric: point.metric,
          bucket_start: point.bucketStart,
          count: point.count,
          users: newUsers.get(point.bucketStart) ?? 0,
        })
        .onConflict(['entity_ref', 'metric', 'bucket_start'])
        .merge({
          count: this.tx.raw('metric_points.count + excluded.count'),
          users: this.tx.raw('metric_points.users + excluded.users'),
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
