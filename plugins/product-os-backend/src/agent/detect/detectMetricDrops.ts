import type { AgentConfig } from '../../config';
import type { MetricPointRecord } from '../../database/metrics/MetricStore';
import { DAY_MS, HOUR_MS } from '../../time';
import type { Signal } from '../types';
import { Baseline, median, robustZ } from './baseline';
import { clockTime, hourWindow } from './hourly';

const MAX_RUN_HOURS = 24;
/**
 * Each previous day is scaled to today's level, measured over the hours from `LEVEL_FROM` to
 * `LEVEL_TO` before the judged hour: a metric's level drifts from day to day (a busier Monday), and
 * comparing like with like leaves only the hour's own noise. Three hours of gap keep a drop from
 * lowering the level it is compared with during its first hours.
 */
const LEVEL_FROM = 8;
const LEVEL_TO = 3;

export interface MetricDropInput {
  /** Hourly points of the key metrics, reaching back `baselineDays` before the detect window. */
  points: MetricPointRecord[];
  metrics: string[];
  now: number;
  config: Pick<AgentConfig, 'baselineDays' | 'detectWindowMs' | 'metricDrop'>;
}

interface Hour {
  bucket: number;
  observed: number;
  expected: number;
}

/**
 * Key metrics that fell well below the same hour of previous days for at least `minHours`
 * complete hours in a row. Analytics arrive late and in batches, so the current hour is not
 * judged, nor are the newest hours that have no point yet: a missing hour at the end is data
 * still on its way, not a drop to zero. Too quiet a metric is never judged.
 */
export function detectMetricDrops(input: MetricDropInput): Signal[] {
  const { now, config } = input;
  const window = hourWindow(now, 1.1); // never the current, incomplete hour
  const signals: Signal[] = [];
  for (const metric of input.metrics) {
    const series = metricSeries(input.points, metric);
    if (!series) continue;
    const { counts, historyStart } = series;
    const judge = (bucket: number): Hour | undefined => {
      const hour = judgeMetricHour(counts, bucket, historyStart, config);
      return hour?.dropped
        ? { bucket, observed: hour.observed, expected: hour.expected }
        : undefined;
    };

    let bucket = Math.min(window.newest, series.newest);
    while (bucket + HOUR_MS > now - config.detectWindowMs) {
      const last = judge(bucket);
      if (!last) {
        bucket -= HOUR_MS;
        continue;
      }
      const run = [last];
      let earlier = bucket - HOUR_MS;
      for (let i = 1; i < MAX_RUN_HOURS; i++, earlier -= HOUR_MS) {
        const hour = judge(earlier);
        if (!hour) break;
        run.unshift(hour);
      }
      if (run.length >= config.metricDrop.minHours) {
        const before =
          earlier >= historyStart
            ? {
                bucket: earlier,
                observed: counts.get(earlier) ?? 0,
                expected: levelAdjustedBaseline(
                  counts,
                  earlier,
                  config.baselineDays,
                  historyStart,
                ).median,
              }
            : undefined;
        signals.push(toSignal(metric, run, before));
      }
      bucket = earlier - HOUR_MS;
    }
  }
  return signals;
}

function toSignal(metric: string, run: Hour[], before?: Hour): Signal {
  const observed = run.reduce((s, h) => s + h.observed, 0);
  const expected = run.reduce((s, h) => s + h.expected, 0);
  const change = (observed - expected) / expected;
  const onset = refineMetricOnset(run, before);
  return {
    kind: 'metric_drop',
    onsetAt: onset.onsetAt,
    onsetUncertaintyMs: onset.onsetUncertaintyMs,
    magnitude: change,
    score: Math.min(1, 0.5 + Math.abs(change) * 0.5 + 0.05 * (run.length - 2)),
    description: `${metric} fell ${Math.round(-change * 100)}% from ${clockTime(
      onset.onsetAt,
    )} (${Math.round(observed)} events in ${
      run.length
    } hours, usually ${Math.round(expected)})`,
    metric: { key: metric, observed, expected },
  };
}

/** One metric's hourly counts by hour, its first hour and its newest; none without points. */
export function metricSeries(
  points: MetricPointRecord[],
  metric: string,
):
  | { counts: Map<number, number>; historyStart: number; newest: number }
  | undefined {
  const mine = points.filter(p => p.metric === metric);
  if (mine.length === 0) return undefined;
  const hours = mine.map(p => p.bucketStart);
  return {
    counts: new Map(mine.map(p => [p.bucketStart, p.count])),
    historyStart: Math.min(...hours),
    newest: Math.max(...hours),
  };
}

/**
 * One complete hour of a metric against its level-adjusted baseline: whether it fell by the
 * metric drop's thresholds. Undefined when the baseline cannot judge it (under 3 days of history,
 * or too quiet a metric).
 */
export function judgeMetricHour(
  counts: Map<number, number>,
  bucket: number,
  historyStart: number,
  config: Pick<AgentConfig, 'baselineDays' | 'metricDrop'>,
): { observed: number; expected: number; dropped: boolean } | undefined {
  const baseline = levelAdjustedBaseline(
    counts,
    bucket,
    config.baselineDays,
    historyStart,
  );
  if (baseline.days < 3 || baseline.median < config.metricDrop.minBaseline)
    return undefined;
  const observed = counts.get(bucket) ?? 0;
  const dropped =
    observed <= baseline.median * (1 - config.metricDrop.minDrop) &&
    robustZ(observed, baseline) <= -config.metricDrop.minZ;
  return { observed, expected: baseline.median, dropped };
}

/**
 * The same hour on previous days, each scaled by how today's level compares with that day's
 * over the same earlier hours; median and MAD of the scaled values.
 */
export function levelAdjustedBaseline(
  counts: Map<number, number>,
  bucket: number,
  days: number,
  historyStart: number,
): Baseline {
  const level = (day: number) => {
    let sum = 0;
    for (let h = LEVEL_FROM; h > LEVEL_TO; h--)
      sum += counts.get(bucket - day * DAY_MS - h * HOUR_MS) ?? 0;
    return sum;
  };
  const today = level(0);
  const values: number[] = [];
  for (let day = 1; day <= days; day++) {
    const start = bucket - day * DAY_MS;
    if (start - LEVEL_FROM * HOUR_MS < historyStart) break;
    const then = level(day);
    const ratio = then > 0 && today > 0 ? today / then : 1;
    values.push((counts.get(start) ?? 0) * ratio);
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

/** Hourly noise of a metric relative to its level, after level adjustment. */
const RELATIVE_NOISE = 0.08;

/**
 * Where in its first hour a drop began. After the first hour the metric runs at a steady share
 * `r` of its baseline; an hour in which the drop began a fraction `f` of the way in shows
 * `f + (1 - f) * r` of its baseline, so `f = (share - r) / (1 - r)`, give or take the hour's
 * noise. The hour before the run is looked at too, since a drop that began late in it may not
 * have cleared the thresholds there.
 */
export function refineMetricOnset(
  run: Hour[],
  before?: Hour,
): { onsetAt: number; onsetUncertaintyMs: number } {
  const first = run[0];
  const rest = run.slice(1);
  const hourOnly = { onsetAt: first.bucket, onsetUncertaintyMs: HOUR_MS };
  if (rest.length === 0) return hourOnly;
  const r =
    rest.reduce((s, h) => s + h.observed, 0) /
    Math.max(
      rest.reduce((s, h) => s + h.expected, 0),
      1,
    );
  if (r > 0.85) return hourOnly;
  const fractionIn = (hour: Hour) =>
    Math.min(
      1,
      Math.max(0, (hour.observed / Math.max(hour.expected, 1) - r) / (1 - r)),
    );
  const spread = (2 * RELATIVE_NOISE) / (1 - r);
  const f1 = fractionIn(first);
  const to = first.bucket + Math.min(1, f1 + spread) * HOUR_MS;
  let from = first.bucket + Math.max(0, f1 - spread) * HOUR_MS;
  // A first hour down from its start may have a drop that began late in the hour before.
  if (f1 < spread && before)
    from =
      before.bucket +
      Math.min(1, Math.max(0, fractionIn(before) - spread)) * HOUR_MS;
  return {
    onsetAt: Math.round(from),
    onsetUncertaintyMs: Math.round(Math.max(0, to - from)),
  };
}
