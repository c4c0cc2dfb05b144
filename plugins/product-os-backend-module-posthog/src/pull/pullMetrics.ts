import {
  keyMetricsOf,
  POSTHOG_PROJECT_ID_ANNOTATION,
} from '@internal/plugin-product-os-common';
import {
  forEachSlice,
  type ProductOsPull,
  type PulledMetricPointInput,
  type PullRequest,
  yieldToEventLoop,
} from '@internal/plugin-product-os-node';
import { MetricsCursor, readMetricsCursor } from './cursors';
import { metricCountsQuery, TimeWindow } from './hogql';
import type { PostHogQueryClient } from './PostHogQueryClient';
import { projectIdOf } from './projects';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Complete hours pulled again on every run: events reach PostHog late (SDKs batch and retry,
 * mobile apps send when they are back online), and an hour's total only grows.
 */
export const LATE_HOURS = 3;

/** Points per transaction: SQLite's driver holds the event loop for a whole transaction. */
const POINTS_PER_WRITE = 2_000;

export interface MetricsPullOptions {
  client: PostHogQueryClient;
  backfillDays: number;
}

/**
 * The metrics pull: for each PostHog project the entities name, the hourly events and distinct
 * users of their key metrics, from PostHog's query API. An entity gets the metrics its own
 * `product-os.io/key-metrics` lists. A project is one scope, whatever the number of entities and
 * metrics, because PostHog's budget is per key and per hour (120 HogQL queries by default): one
 * query per project and run, plus one when a metric is new.
 *
 * The first pull of a metric back-fills `backfillDays`; later pulls fetch the hours since the
 * last one and the {@link LATE_HOURS} before. Only complete hours are pulled. Each hour is set
 * with `setPulledMetricPoints`, so it reads as the larger of what was pushed and what PostHog
 * counted, and pulling it again gives the same row. An hour PostHog has no events for is not
 * written (a gap stays a gap), and a failed pull writes nothing more and keeps its cursor.
 */
export function createMetricsPull(options: MetricsPullOptions): ProductOsPull {
  return {
    id: 'metrics',
    annotations: [POSTHOG_PROJECT_ID_ANNOTATION],
    scopeOf: entity =>
      keyMetricsOf(entity.annotations).length > 0
        ? projectIdOf(entity)
        : undefined,
    schedule: {
      frequency: { hours: 1 },
      timeout: { minutes: 30 },
      initialDelay: { seconds: 30 },
    },
    // A run pulls every project: one query each.
    scopesPerRun: 5_000,
    concurrency: 2,
    pull: request => pullMetrics(options, request),
  };
}

async function pullMetrics(
  options: MetricsPullOptions,
  request: PullRequest,
): Promise<{ cursor: string; items: number }> {
  const { scope: projectId, entities, signal, now } = request;
  const previous = readMetricsCursor(request.cursor);
  const to = Math.floor(now / HOUR_MS) * HOUR_MS;
  const backfillFrom = to - options.backfillDays * DAY_MS;

  // Which entities get each metric.
  const entitiesOf = new Map<string, string[]>();
  for (const entity of entities) {
    for (const metric of keyMetricsOf(entity.annotations))
      entitiesOf.set(metric, [
        ...(entitiesOf.get(metric) ?? []),
        entity.entityRef,
      ]);
  }
  const metrics = [...entitiesOf.keys()].sort();
  const kept = new Set(previous?.metrics ?? []);
  const known = metrics.filter(metric => kept.has(metric));
  const fresh = metrics.filter(metric => !kept.has(metric));

  let items = 0;
  const pullRange = async (names: string[], window: TimeWindow) => {
    if (names.length === 0 || window.from >= window.to) return;
    const wanted = new Set(names);
    let offset = 0;
    for (;;) {
      const page = await options.client.query(
        projectId,
        metricCountsQuery(names, window, offset),
        signal,
      );
      const points = page.results.flatMap(row =>
        pointsOf(row, wanted, entitiesOf),
      );
      await forEachSlice(points, POINTS_PER_WRITE, async slice => {
        await yieldToEventLoop();
        await request.store.ingest({ source: 'posthog' }, writer =>
          writer.setPulledMetricPoints(slice),
        );
      });
      items += points.length;
      if (!page.hasMore || page.results.length === 0) return;
      offset += page.results.length;
      signal.throwIfAborted();
    }
  };

  if (previous) {
    const since = Math.min(previous.through, to) - LATE_HOURS * HOUR_MS;
    await pullRange(known, { from: Math.max(since, backfillFrom), to });
  }
  await pullRange(previous ? fresh : metrics, { from: backfillFrom, to });

  const cursor: MetricsCursor = { through: to, metrics };
  request.logger.debug('Pulled PostHog metric hours', {
    projectId,
    points: items,
    backfilled: (previous ? fresh : metrics).join(','),
  });
  return { cursor: JSON.stringify(cursor), items };
}

/** One row of the counts query as points of the entities that list its metric. */
function pointsOf(
  row: unknown[],
  wanted: Set<string>,
  entitiesOf: Map<string, string[]>,
): PulledMetricPointInput[] {
  const [event, hour, events, users] = row;
  if (typeof event !== 'string' || !wanted.has(event)) return [];
  const bucketStart = countOf(hour) * 1000;
  const count = countOf(events);
  const distinctUsers = countOf(users);
  if ([bucketStart, count, distinctUsers].some(Number.isNaN)) return [];
  return (entitiesOf.get(event) ?? []).map(entityRef => ({
    entityRef,
    metric: event,
    bucketStart,
    count,
    users: distinctUsers,
  }));
}

/** ClickHouse's UInt64 may come as a number or, past 2^53, as a string. */
function countOf(value: unknown): number {
  let n = NaN;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\d+$/.test(value)) n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : NaN;
}
