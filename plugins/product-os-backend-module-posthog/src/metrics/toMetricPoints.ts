import type { MetricPointInput } from '@internal/plugin-product-os-node';
import type { CapturedEvent } from '../capture/normalizeEvents';

const HOUR_MS = 3_600_000;

/**
 * PostHog's bookkeeping events, which say nothing about how a product is used: identities,
 * person and group properties, feature flag evaluations, session recordings and heatmaps.
 * `$exception` is kept as error groups instead.
 */
const NOT_METRICS = new Set([
  '$identify',
  '$create_alias',
  '$merge_dangerously',
  '$groupidentify',
  '$set',
  '$feature_flag_called',
  '$feature_view',
  '$feature_interaction',
  '$snapshot',
  '$exception',
]);

/** Whether an event is counted as a metric (named by the event). */
export function isMetricEvent(event: CapturedEvent): boolean {
  return !NOT_METRICS.has(event.name) && !event.name.startsWith('$$');
}

/**
 * Counts events per event name and hour, with the (hashed) users seen in each hour, so the store
 * can count distinct users. No property or raw distinct id is kept.
 */
export function toMetricPoints(
  events: CapturedEvent[],
  entityRef: string,
  userKeyOf: (event: CapturedEvent) => string | undefined,
): MetricPointInput[] {
  // A Set per point: a batch may carry tens of thousands of distinct users, and a lookup in an
  // array per event made that quadratic (seconds of a blocked event loop for one request).
  const points = new Map<
    string,
    { point: MetricPointInput; users: Set<string> }
  >();
  for (const event of events) {
    if (!isMetricEvent(event)) continue;
    const bucketStart = Math.floor(event.timestamp / HOUR_MS) * HOUR_MS;
    const id = `${bucketStart}\u0000${event.name}`;
    let entry = points.get(id);
    if (!entry) {
      entry = {
        point: { entityRef, metric: event.name, bucketStart, count: 0 },
        users: new Set(),
      };
      points.set(id, entry);
    }
    entry.point.count += 1;
    const userKey = userKeyOf(event);
    if (userKey) entry.users.add(userKey);
  }
  return [...points.values()].map(({ point, users }) => ({
    ...point,
    userKeys: [...users],
  }));
}
