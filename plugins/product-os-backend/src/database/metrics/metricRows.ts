import { num, Row } from '../rowValues';
import type { MetricPointRecord } from './MetricStore';

export function toMetricPointRecord(row: Row): MetricPointRecord {
  return {
    metric: row.metric,
    bucketStart: num(row.bucket_start),
    count: num(row.count),
    users: num(row.users),
  };
}
