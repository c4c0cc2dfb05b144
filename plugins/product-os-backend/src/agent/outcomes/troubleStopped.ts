import { bucketStart, HOUR_MS } from '../../time';

/** What an anomaly's trouble is read from, to tell when it stopped. */
export type TroubleSignal = 'errors' | 'metrics' | 'incident';

/** When an anomaly's errors were back to their usual level, and the levels that counted. */
export interface Quieting {
  /** Start of the first of two complete quiet hours after the trouble. */
  stoppedAt: number;
  /** Per error group, in the order given: an hour with at most `quietLevel` events is quiet. */
  groups: { quietLevel: number; peak: number }[];
}

/** Quiet hours in a row that say the trouble is over, not a lull. */
const QUIET_HOURS = 2;
/** Of the busiest hour since the onset, what an hour may still have and be quiet. */
const PEAK_SHARE = 0.1;
/** Below this many events an hour is quiet whatever came before (a trickle after a fix). */
const MIN_QUIET = 2;

/**
 * When the errors of an anomaly's groups stopped (`groups`: each group's events per hour, by the
 * hour's start), from the hour of the onset to `now`. A group is quiet in an hour with no more
 * events than its busiest of the 24 hours before the onset, nor than a tenth of its busiest hour
 * since (and at most 2 events always is): back to what it had on an ordinary day, or nearly gone;
 * an hour is quiet when every group is. Each group against its own level: summed, a group the
 * anomaly lists that was busy before (and is busy by day) would hide a new error still firing at
 * night, at a third of its daytime rate. The trouble stopped at the first of two complete quiet
 * hours after an hour that was not quiet; undefined while that has not happened (or nothing since
 * the onset was loud).
 */
export function errorsStopped(
  groups: ReadonlyMap<number, number>[],
  onsetAt: number,
  now: number,
): Quieting | undefined {
  const first = bucketStart(onsetAt, HOUR_MS);
  const levels = groups.map(hourly => {
    const count = (hour: number) => hourly.get(hour) ?? 0;
    let before = 0;
    for (let hour = first - 24 * HOUR_MS; hour < first; hour += HOUR_MS)
      before = Math.max(before, count(hour));
    let peak = 0;
    for (let hour = first; hour <= now; hour += HOUR_MS)
      peak = Math.max(peak, count(hour));
    return { quietLevel: Math.max(MIN_QUIET, before, PEAK_SHARE * peak), peak };
  });
  const quiet = (hour: number) =>
    groups.every(
      (hourly, i) => (hourly.get(hour) ?? 0) <= levels[i].quietLevel,
    );
  let loud = false;
  let quietSince: number | undefined;
  let quietRun = 0;
  // Complete hours only: the current one may still fill up.
  for (let hour = first; hour + HOUR_MS <= now; hour += HOUR_MS) {
    if (!quiet(hour)) {
      loud = true;
      quietRun = 0;
      continue;
    }
    if (!loud) continue;
    if (quietRun === 0) quietSince = hour;
    quietRun += 1;
    if (quietRun === QUIET_HOURS)
      return { stoppedAt: quietSince!, groups: levels };
  }
  return undefined;
}

/** A key metric is back when an hour has at least this share of its usual count. */
const METRIC_BACK_SHARE = 0.85;
/** Days before the onset whose same hour makes a metric's usual count. */
const METRIC_BASELINE_DAYS = 3;

/**
 * When the key metrics of a drop (`hourly`: their events per hour, summed) were back: the first of
 * two complete hours after a low one, each with at least 85 % of the median of the same hour on
 * the 3 days before the onset (half of the 30 % a drop needs to be one). Undefined while that has
 * not happened, or no hour since the onset was low.
 */
export function metricsRecovered(
  hourly: ReadonlyMap<number, number>,
  onsetAt: number,
  now: number,
): number | undefined {
  const first = bucketStart(onsetAt, HOUR_MS);
  const count = (hour: number) => hourly.get(hour) ?? 0;
  const usual = (hour: number) => {
    const back = Math.ceil((hour - first + HOUR_MS) / (24 * HOUR_MS));
    const days = Array.from({ length: METRIC_BASELINE_DAYS }, (_, i) =>
      count(hour - (back + i) * 24 * HOUR_MS),
    ).sort((a, b) => a - b);
    return days[Math.floor(days.length / 2)];
  };
  let low = false;
  let backSince: number | undefined;
  let backRun = 0;
  for (let hour = first; hour + HOUR_MS <= now; hour += HOUR_MS) {
    const expected = usual(hour);
    if (expected <= 0) continue;
    if (count(hour) < METRIC_BACK_SHARE * expected) {
      low = true;
      backRun = 0;
      continue;
    }
    if (!low) continue;
    if (backRun === 0) backSince = hour;
    backRun += 1;
    if (backRun === QUIET_HOURS) return backSince;
  }
  return undefined;
}
