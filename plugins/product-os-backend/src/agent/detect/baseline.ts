import { DAY_MS } from '../../time';

/** What an hour usually looks like: the same hour of previous days. */
export interface Baseline {
  /** Median of the same hour on previous days. */
  median: number;
  /** Median absolute deviation from it. */
  mad: number;
  /**
   * The spread a deviation is measured in: the MAD scaled to a standard deviation (x 1.4826),
   * but never below Poisson noise (the square root of the median), so a series that happened
   * to be flat for a week does not make every wiggle an outlier.
   */
  scale: number;
  /** How many previous days the baseline rests on. */
  days: number;
}

/** The median of the values (0 for none). */
export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The seasonality-aware baseline of the hour starting at `bucket`: median and MAD of the same
 * hour on up to `days` previous days, counting only days since `historyStart` (before it the
 * entity sent nothing, so a zero there says nothing about what is normal). Hours without a
 * count are zero.
 */
export function sameHourBaseline(
  counts: Map<number, number>,
  bucket: number,
  days: number,
  historyStart: number,
): Baseline {
  const values: number[] = [];
  for (let day = 1; day <= days; day++) {
    const start = bucket - day * DAY_MS;
    if (start < historyStart) break;
    values.push(counts.get(start) ?? 0);
  }
  const middle = median(values);
  const mad = median(values.map(v => Math.abs(v - middle)));
  return {
    median: middle,
    mad,
    scale: Math.max(1.4826 * mad, Math.sqrt(Math.max(middle, 1))),
    days: values.length,
  };
}

/**
 * How many baseline spreads `observed` lies from the median, for an hour of which `fraction`
 * has elapsed (the expectation and its noise shrink with the part of the hour seen).
 */
export function robustZ(
  observed: number,
  baseline: Baseline,
  fraction = 1,
): number {
  const expected = baseline.median * fraction;
  const scale = Math.max(
    1.4826 * baseline.mad * fraction,
    Math.sqrt(Math.max(expected, 1)),
  );
  return (observed - expected) / scale;
}

/** Sums `[bucket, count]` pairs into a map. */
export function toCounts(
  entries: Iterable<[number, number]>,
): Map<number, number> {
  const counts = new Map<number, number>();
  for (const [bucket, count] of entries)
    counts.set(bucket, (counts.get(bucket) ?? 0) + count);
  return counts;
}
