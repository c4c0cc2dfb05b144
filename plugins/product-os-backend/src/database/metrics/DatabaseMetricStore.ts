import { Knex } from 'knex';
import type { MetricSeries } from '@internal/plugin-product-os-common';
import { bucketStart } from '../../time';
import { Row } from '../rowValues';
import { BucketedRange, fillSeries, TimeRange } from '../TimeRange';
import type { MetricPointRecord, MetricStore } from './MetricStore';
import { toMetricPointRecord } from './metricRows';

/** {@link MetricStore} on the plugin's knex database. */
export class DatabaseMetricStore implements MetricStore {
  constructor(private readonly knex: Knex) {}

  async getMetricSeries(
    entityRef: string,
    range: BucketedRange,
  ): Promise<MetricSeries[]> {
    const span = range.to - range.from;
    const rows: Row[] = await this.knex('metric_points')
      .where('entity_ref', entityRef)
      .where(
        'bucket_start',
        '>=',
        bucketStart(range.from - span, range.bucketMs),
      )
      .where('bucket_start', '<', range.to)
      .orderBy('bucket_start');
    const byMetric = new Map<string, MetricPointRecord[]>();
    for (const point of rows.map(toMetricPointRecord)) {
      const list = byMetric.get(point.metric) ?? [];
      list.push(point);
      byMetric.set(point.metric, list);
    }
    return [...byMetric.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, points]) => {
        const inWindow = points.filter(p => p.bucketStart >= range.from);
        const before = points.filter(p => p.bucketStart < range.from);
        return {
          key,
          points: fillSeries(
            inWindow.map(p => [p.bucketStart, p.count]),
            range,
          ),
          users: fillSeries(
            inWindow.map(p => [p.bucketStart, p.users]),
            range,
          ),
          total: inWindow.reduce((sum, p) => sum + p.count, 0),
          previousTotal: before.reduce((sum, p) => sum + p.count, 0),
        };
      });
  }

  async getMetricPoints(
    entityRef: string,
    range: TimeRange,
    metrics?: string[],
  ): Promise<MetricPointRecord[]> {
    if (metrics && metrics.length === 0) return [];
    const builder = this.knex('metric_points')
      .where('entity_ref', entityRef)
      .where('bucket_start', '>=', range.from)
      .where('bucket_start', '<', range.to)
      .orderBy([
        { column: 'metric', order: 'asc' },
        { column: 'bucket_start', order: 'asc' },
      ]);
    if (metrics) builder.whereIn('metric', metrics);
    const rows: Row[] = await builder;
    return rows.map(toMetricPointRecord);
  }

  async listActiveEntities(since: number): Promise<string[]> {
    const rows: Row[] = await this.knex('metric_points')
      .distinct('entity_ref')
      .where('bucket_start', '>=', since);
    return rows.map(row => row.entity_ref);
  }
}
