import type { SeriesPoint } from '@internal/plugin-product-os-common';
import { bucketStart } from '../time';
import { iso } from './rowValues';

/** A time range in epoch milliseconds, `from` inclusive and `to` exclusive. */
export interface TimeRange {
  from: number;
  to: number;
}

/** A range cut into equal buckets (an hour or a day, in ms). */
export interface BucketedRange extends TimeRange {
  bucketMs: number;
}

/** Sums `[time, value]` pairs into the range's buckets, zero where nothing was recorded. */
export function fillSeries(
  values: [number, number][],
  range: BucketedRange,
): SeriesPoint[] {
  const first = bucketStart(range.from, range.bucketMs);
  const sums = new Map<number, number>();
  for (const [time, value] of values) {
    const start = bucketStart(time, range.bucketMs);
    sums.set(start, (sums.get(start) ?? 0) + value);
  }
  const points: SeriesPoint[] = [];
  for (let start = first; start < range.to; start += range.bucketMs) {
    points.push({ time: iso(start), value: sums.get(start) ?? 0 });
  }
  return points;
}
