import type { ChangeEvent } from '@internal/plugin-product-os-common';
import type { AgentConfig } from '../../config';
import type { MetricPointRecord } from '../../database/metrics/MetricStore';
import { bucketStart, HOUR_MS } from '../../time';
import { liveAtOf, liveDeploymentTest, liveUntilOf } from '../liveDeployments';
import type { Signal } from '../types';
import { judgeMetricHour, metricSeries } from './detectMetricDrops';
import { clockTime } from './hourly';

/** A deployment that finished this early in an hour leaves that hour to the new version. */
const OWNS_HOUR_WITHIN_MS = 15 * 60_000;

export interface HeartbeatInput {
  /** Hourly points of the key metrics, complete hours only, reaching back `baselineDays`. */
  points: MetricPointRecord[];
  metrics: string[];
  /** The entity's own deployments that finished in the heartbeat window, any order. */
  deployments: ChangeEvent[];
  now: number;
  config: Pick<
    AgentConfig,
    'baselineDays' | 'metricDrop' | 'environments' | 'heartbeat'
  >;
}

/**
 * Key metrics that fell below their baseline in the first hour after a production deployment,
 * when the hour before it began was normal: the heartbeat of a product ("stop monitoring
 * systems, monitor outcomes"). A drop that lasts `metricDrop.minHours` is found anyway; a
 * deployment just before is the reason to believe one hour, and to say so within the hour, when
 * rolling back still saves most of the day. The thresholds are the metric drop's own.
 */
export function detectHeartbeatDrops(input: HeartbeatInput): Signal[] {
  const { now, config } = input;
  const since = now - config.heartbeat.withinMs;
  const deployments = input.deployments
    .filter(liveDeploymentTest(config.environments))
    .map(d => ({ change: d, liveAt: liveAtOf(d), liveUntil: liveUntilOf(d) }))
    .filter(d => d.liveUntil >= since && d.liveUntil < now)
    // The earliest first: a drop after two deployments began after the first of them.
    .sort((a, b) => a.liveUntil - b.liveUntil);
  const signals: Signal[] = [];
  for (const metric of input.metrics) {
    const series = metricSeries(input.points, metric);
    if (!series) continue;
    const { counts, historyStart, newest } = series;
    const hourOf = (bucket: number) =>
      judgeMetricHour(counts, bucket, historyStart, config);
    for (const deployment of deployments) {
      const finishedHour = bucketStart(deployment.liveUntil, HOUR_MS);
      const judged =
        deployment.liveUntil - finishedHour <= OWNS_HOUR_WITHIN_MS
          ? finishedHour
          : finishedHour + HOUR_MS;
      // Not complete yet, or its counts not arrived: a missing hour is not a drop to zero.
      if (judged + HOUR_MS > now || judged > newest) continue;
      const startedHour = bucketStart(deployment.liveAt, HOUR_MS);
      const before = hourOf(startedHour - HOUR_MS);
      const after = hourOf(judged);
      if (!before || before.dropped || !after?.dropped) continue;
      const change = (after.observed - after.expected) / after.expected;
      const sha = deployment.change.sha?.slice(0, 7);
      signals.push({
        kind: 'metric_drop',
        // Some time after the last normal hour and by the end of the first hour after it.
        onsetAt: startedHour,
        onsetUncertaintyMs: judged + HOUR_MS - startedHour,
        magnitude: change,
        score: Math.min(1, 0.45 + Math.abs(change) * 0.5),
        description: `${metric} fell ${Math.round(
          -change * 100,
        )}% in the first hour after deployment ${
          sha ?? deployment.change.title
        } went live at ${clockTime(deployment.liveUntil)} (${Math.round(
          after.observed,
        )} events, usually ${Math.round(after.expected)})`,
        metric: {
          key: metric,
          observed: after.observed,
          expected: after.expected,
        },
        afterDeployment: {
          changeId: deployment.change.id,
          ...(sha && { sha }),
          liveUntil: deployment.liveUntil,
        },
      });
      break;
    }
  }
  return signals;
}
