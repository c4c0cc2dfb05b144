import type { MetricPointRecord } from '../../database/metrics/MetricStore';
import { DAY_MS, HOUR_MS } from '../../time';

/** Key metrics this many times their usual level are a surge of traffic. */
const SURGE_RATIO = 1.5;
/** Complete hours after the onset's hour that are compared, at most. */
const HOURS = 3;
const BASELINE_DAYS = 7;

/**
 * How much of an error rise the traffic explains, 0 to 1: the entity's key metrics (its own
 * measure of use) rose together with its errors. Errors rising 4× while sign-ups rose 4× are a
 * surge of users, not a change going wrong; rising 30× while use rose 2× are mostly not. The
 * value is log(traffic rise) / log(error rise), over the complete hours after the onset's hour
 * (a metric's hour arrives after it ends) against the same hours of the previous days.
 */
export function trafficExplained(options: {
  points: MetricPointRecord[];
  onsetAt: number;
  now: number;
  errorRatio: number;
}): { share: number; trafficRatio: number } {
  const { points, onsetAt, now, errorRatio } = options;
  const none = { share: 0, trafficRatio: 1 };
  if (!points.length || errorRatio <= 1) return none;
  const byMetric = new Map<string, Map<number, number>>();
  for (const p of points) {
    const counts = byMetric.get(p.metric) ?? new Map<number, number>();
    counts.set(p.bucketStart, p.count);
    byMetric.set(p.metric, counts);
  }
  const onsetHour = Math.floor(onsetAt / HOUR_MS) * HOUR_MS;
  let best = 1;
  for (const counts of byMetric.values()) {
    let observed = 0;
    let usual = 0;
    for (let h = 1; h <= HOURS; h++) {
      const hour = onsetHour + h * HOUR_MS;
      if (hour + HOUR_MS > now || !counts.has(hour)) break;
      const previous = Array.from({ length: BASELINE_DAYS }, (_, d) =>
        counts.get(hour - (d + 1) * DAY_MS),
      ).filter((c): c is number => c !== undefined);
      if (previous.length < 3) continue;
      previous.sort((a, b) => a - b);
      observed += counts.get(hour)!;
      usual += previous[Math.floor(previous.length / 2)];
    }
    if (usual > 0) best = Math.max(best, observed / usual);
  }
  if (best < SURGE_RATIO) return { share: 0, trafficRatio: best };
  const share = Math.min(
    1,
    Math.log(best) / Math.log(Math.max(errorRatio, best)),
  );
  return { share: Math.round(share * 1000) / 1000, trafficRatio: best };
}

/** The range of metric points `trafficExplained` reads. */
export function trafficRange(onsetAt: number, now: number) {
  const onsetHour = Math.floor(onsetAt / HOUR_MS) * HOUR_MS;
  return { from: onsetHour - BASELINE_DAYS * DAY_MS, to: now };
}
