import type { MetricSeries } from '@internal/plugin-product-os-common';
import type { BucketedRange, TimeRange } from '../TimeRange';

/** A metric's count in one hour. */
export interface MetricPointRecord {
  metric: string;
  bucketStart: number;
  count: number;
  users: number;
}

/** Hourly product-analytics points per metric (written by `ingestMetrics`). */
export interface MetricStore {
  /** Each metric of the entity in the range, with its total over the range just before it. */
  getMetricSeries(
    entityRef: string,
    range: BucketedRange,
  ): Promise<MetricSeries[]>;
  /** Hourly points of the entity's metrics (all of them when `metrics` is omitted). */
  getMetricPoints(
    entityRef: string,
    range: TimeRange,
    metrics?: string[],
  ): Promise<MetricPointRecord[]>;
  /** Entities with a metric point since `since`. */
  listActiveEntities(since: number): Promise<string[]>;
}
