/** Lengths of time in epoch milliseconds, the unit every stored time and range is in. */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Start of the bucket that holds `ms`. */
export function bucketStart(ms: number, bucketMs: number): number {
  return Math.floor(ms / bucketMs) * bucketMs;
}
