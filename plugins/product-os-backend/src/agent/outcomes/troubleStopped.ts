import { bucketStart, HOUR_MS } from '../../time';

/** What an anomaly's trouble is read from, to tell when it stopped. */
export type TroubleSignal = 'errors' | 'metrics' | 'incident';

/** When an anomaly's errors were back to their usual level, and the level that counted. */
export interface Quieting {
  /** Start of the first of two complete quiet hours after the trouble. */
  stoppedAt: number;
  /** That hour was quiet with at most this many events. */
  quietLevel: number;
  /** The busiest hour since the onset. */
  peak: number;
}

/** Quiet hours in a row that say the trouble is over, not a lull. */
const QUIET_HOURS = 2;
/** Of the busiest hour since the onset, what an hour may still have and be quiet. */
const PEAK_SHARE = 0.1;
/** Below this many events an hour is quiet whatever came before (a trickle after a fix). */
const MIN_QUIET = 2;
const DAY_HOURS = 24;

/**
 * When the errors of an anomaly's groups stopped (`hourly`: their events per hour, by the hour's
 * start), from the hour of the onset to `now`. An hour is quiet with no more events than the
 * busiest of the same hour and the hours either side of it on the day before the onset, nor than
 * a tenth of the busiest hour since (and at most 2 events always is): back to what the service
 * has at that time of day, or nearly gone. (Against the busiest of the whole day before, a new
 * error still firing at night, at a third of its daytime rate, would pass for stopped beside a
 * group of the anomaly that is busy in the day.) The trouble stopped at the first of two
 * complete quiet hours after an hour that was not quiet; undefined while that has not happened
 * (or nothing since the onset was loud).
 */
export function errorsStopped(
  hourly: ReadonlyMap<number, number>,
  onsetAt: number,
  now: number,
): Quieting | undefined {
  const first = bucketStart(onsetAt, HOUR_MS);
  const count = (hour: number) => hourly.get(hour) ?? 0;
  const day = DAY_HOURS * HOUR_MS;
  /** The busiest of the same time of day, an hour either side, in the 24 hours before the onset. */
  const usual = (hour: number) =>
    Math.max(
      ...[-1, 0, 1].map(k => {
        const offset = (((hour - first + k * HOUR_MS) % day) + day) % day;
        return count(first - day + offset);
      }),
    );
  let peak = 0;
  for (let hour = first; hour <= now; hour += HOUR_MS)
    peak = Math.max(peak, count(hour));
  const quietLevel = (hour: number) =>
    Math.max(MIN_QUIET, usual(hour), PEAK_SHARE * peak);
  let loud = false;
  let quietSince: number | undefined;
  let quietRun = 0;
  // Complete hours only: the current one may still fill up.
  for (let hour = first; hour + HOUR_MS <= now; hour += HOUR_MS) {
    if (count(hour) > quietLevel(hour)) {
      loud = true;
      quietRun = 0;
      continue;
    }
    if (!loud) continue;
    if (quietRun === 0) quietSince = hour;
    quietRun += 1;
    if (quietRun === QUIET_HOURS)
      return {
        stoppedAt: quietSince!,
        quietLevel: quietLevel(quietSince!),
        peak,
      };
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
