import type { AgentConfig } from '../../config';
import type { ChangeEvent } from '@internal/plugin-product-os-common';
import type { AnomalyInput } from '../../database/anomalies/AnomalyStore';
import type {
  ErrorBucketRecord,
  ErrorStore,
} from '../../database/errors/ErrorStore';
import type { MetricPointRecord } from '../../database/metrics/MetricStore';
import { bucketStart, DAY_MS, HOUR_MS } from '../../time';
import type { AgentStores } from '../AgentStores';
import type { EntityContext, Signal } from '../types';
import { sameHourBaseline, toCounts } from './baseline';
import { detectErrorSpikes } from './detectErrorSpikes';
import { detectHeartbeatDrops } from './detectHeartbeatDrops';
import { detectIncidents } from './detectIncidents';
import { detectMetricDrops } from './detectMetricDrops';
import {
  awaitingEarlyEvidence,
  detectNewErrorGroups,
} from './detectNewErrorGroups';
import { detectRegressions } from './detectRegressions';
import { mergeSignals } from './mergeSignals';
import { refineOnset, refineOnsetFromNewest } from './refineOnset';

/** Hours a spike may have lasted before the detect window (see detectErrorSpikes). */
const RUN_MARGIN_MS = DAY_MS;
/** How long a deployment may have taken: one that began this much before the window finished in it. */
const ROLLOUT_MARGIN_MS = 6 * HOUR_MS;

/** The stores the detectors read. */
export type SignalStores = Pick<
  AgentStores,
  'errors' | 'metrics' | 'incidents' | 'changes'
>;

/** Every signal the detectors find for the entity at `now`, before merging. */
export async function detectSignals(
  stores: SignalStores,
  entity: EntityContext,
  now: number,
  config: AgentConfig,
): Promise<Signal[]> {
  const windowStart = now - config.detectWindowMs;
  const from = bucketStart(
    windowStart - RUN_MARGIN_MS - config.baselineDays * DAY_MS,
    HOUR_MS,
  );
  const to = bucketStart(now, HOUR_MS) + HOUR_MS;
  const [buckets, groups, points, incidents, deployments] = await Promise.all([
    stores.errors.getErrorBuckets(entity.entityRef, { from, to }),
    stores.errors.getErrorGroupRecords(entity.entityRef, {
      lastSeenFrom: windowStart - RUN_MARGIN_MS,
    }),
    entity.keyMetrics.length
      ? stores.metrics.getMetricPoints(
          entity.entityRef,
          { from, to },
          entity.keyMetrics,
        )
      : Promise.resolve([]),
    stores.incidents.getIncidents(entity.entityRef, {
      from: windowStart,
      to: now + 1,
    }),
    // Only an entity with key metrics has a heartbeat to watch after its deployments.
    entity.keyMetrics.length
      ? stores.changes.getChangeEvents(entity.entityRef, {
          from: now - config.heartbeat.withinMs - ROLLOUT_MARGIN_MS,
          to: now + 1,
          kinds: ['deployment'],
        })
      : Promise.resolve([]),
  ]);
  // Rows of the future (a replay, or a clock behind the database) are not there yet.
  const seen = buckets.filter(b => b.bucketStart <= now);
  const known = groups.filter(g => g.firstSeen <= now);
  const historyStart = seen.length ? seen[0].bucketStart : to;
  const usualPerHour = usualHourlyErrors(seen, now, config.baselineDays);

  const spikes = detectErrorSpikes({
    buckets: seen,
    now,
    historyStart,
    titles: new Map(known.map(g => [g.id, g.title])),
    config,
  });
  for (const spike of spikes) {
    Object.assign(
      spike,
      await refineSpikeOnset(
        stores.errors,
        spike,
        seen,
        historyStart,
        now,
        config,
      ),
    );
  }
  // A young group short of the events it needs may count by how fast they came (one read, and
  // only when there is such a group).
  const young = awaitingEarlyEvidence({
    groups: known,
    buckets: seen,
    now,
    config,
  });
  const youngSamples = young.length
    ? await stores.errors.getErrorSamples(
        young.map(g => g.id),
        {
          from: Math.min(...young.map(g => g.firstSeen)),
          to: Math.min(
            now + 1,
            Math.max(...young.map(g => g.firstSeen)) +
              config.newGroupEarly.withinMs +
              1,
          ),
        },
      )
    : [];
  return [
    ...spikes,
    ...detectNewErrorGroups({
      groups: known,
      buckets: seen,
      samples: youngSamples,
      now,
      usualPerHour,
      config,
    }),
    ...detectRegressions({
      groups: known,
      buckets: seen,
      now,
      usualPerHour,
      config,
    }),
    ...metricSignals(
      points.filter(p => p.bucketStart + HOUR_MS <= now),
      deployments,
      entity,
      now,
      config,
    ),
    ...detectIncidents({ incidents, now, config }),
  ];
}

/**
 * Key metrics that fell: for `minHours`, or for the first hour after a deployment (a
 * heartbeat). Once a heartbeat drop has lasted long enough to be a metric drop too, it is one
 * signal, the metric drop's, still saying which deployment it followed.
 */
function metricSignals(
  points: MetricPointRecord[],
  deployments: ChangeEvent[],
  entity: EntityContext,
  now: number,
  config: AgentConfig,
): Signal[] {
  const drops = detectMetricDrops({
    points,
    metrics: entity.keyMetrics,
    now,
    config,
  });
  const heartbeats = detectHeartbeatDrops({
    points,
    metrics: entity.keyMetrics,
    deployments,
    now,
    config,
  });
  const overlaps = (a: Signal, b: Signal) =>
    a.metric?.key === b.metric?.key &&
    a.onsetAt <= b.onsetAt + b.onsetUncertaintyMs &&
    b.onsetAt <= a.onsetAt + a.onsetUncertaintyMs;
  const alone = heartbeats.filter(heartbeat => {
    const drop = drops.find(d => overlaps(d, heartbeat));
    if (drop) drop.afterDeployment = heartbeat.afterDeployment;
    return !drop;
  });
  return [...drops, ...alone];
}

/** The entity's anomalies at `now`: its signals, overlapping ones merged. */
export async function detectAnomalies(
  stores: SignalStores,
  entity: EntityContext,
  now: number,
  config: AgentConfig,
): Promise<AnomalyInput[]> {
  const signals = await detectSignals(stores, entity, now, config);
  return mergeSignals(entity.entityRef, signals, {
    mergeWindowMs: config.mergeWindowMs,
    detectedAt: now,
  });
}

/** Mean errors an hour over the baseline days, to put a new group's volume in proportion. */
function usualHourlyErrors(
  buckets: ErrorBucketRecord[],
  now: number,
  days: number,
): number {
  const since = now - days * DAY_MS;
  const total = buckets
    .filter(b => b.bucketStart >= since && b.bucketStart < now - HOUR_MS)
    .reduce((sum, b) => sum + b.count, 0);
  return total / (days * 24);
}

/**
 * A spike's onset to the minute, from the sampled events of its onset hour, when the sample
 * still holds every event of that hour for the groups behind it.
 */
async function refineSpikeOnset(
  errors: Pick<ErrorStore, 'getErrorSamples'>,
  spike: Signal,
  buckets: ErrorBucketRecord[],
  historyStart: number,
  now: number,
  config: AgentConfig,
): Promise<Partial<Signal>> {
  const hour = spike.onsetAt;
  const groupIds = (spike.groups ?? []).map(g => g.id);
  if (groupIds.length === 0) return {};
  const end = Math.min(hour + HOUR_MS, now);
  const samples = await errors.getErrorSamples(groupIds, {
    from: hour,
    to: hour + HOUR_MS,
  });
  const perGroup = groupIds.map(id => {
    const counts = toCounts(
      buckets.filter(b => b.groupId === id).map(b => [b.bucketStart, b.count]),
    );
    return {
      id,
      count: counts.get(hour) ?? 0,
      times: samples.filter(s => s.groupId === id).map(s => s.timestamp),
      expected: sameHourBaseline(
        counts,
        hour,
        config.baselineDays,
        historyStart,
      ).median,
    };
  });
  if (perGroup.every(g => g.times.length >= g.count)) {
    return (
      refineOnset(
        samples.map(s => s.timestamp),
        hour,
        end,
        perGroup.reduce((sum, g) => sum + g.expected, 0),
      ) ?? {}
    );
  }
  // The sample has moved on: estimate from the group that contributes most.
  const lead = perGroup[0];
  return (
    refineOnsetFromNewest(lead.times, lead.count, hour, end, lead.expected) ??
    {}
  );
}
