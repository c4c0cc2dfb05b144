import { DAY_MS, HOUR_MS } from '@internal/plugin-product-os-backend/src/time';
import { Random } from '@internal/product-os-demo/src/product/random';

/** The shape of an organisation's error history: who has how many groups, over how long. */
export interface HistoryShape {
  entities: number;
  groupsPerEntity: number;
  days: number;
  events: number;
}

/** Error events in time order: when each happened and which group it belongs to. */
export interface ErrorHistory {
  atMs: Float64Array;
  group: Uint16Array;
  /** The entity (index of its Sentry project) each group belongs to. */
  entityOf: (group: number) => number;
}

/**
 * A seeded, plausible error history ending at `endMs`: some services are much noisier than
 * others (log-normal), within a service a few groups carry most events (Zipf), a third of the
 * groups first appear partway through, traffic follows the day and the week, and a few groups
 * spike for an hour or two, as after a bad deploy.
 */
export function errorHistory(shape: HistoryShape, endMs: number): ErrorHistory {
  const random = new Random(`read-bench:${shape.events}`);
  const groups = shape.entities * shape.groupsPerEntity;
  const startMs = endMs - shape.days * DAY_MS;
  const entityWeight = Array.from({ length: shape.entities }, () =>
    random.lognormal(0.8),
  );
  const firstSeen = new Float64Array(groups);
  const cumulative = new Float64Array(groups);
  let total = 0;
  for (let g = 0; g < groups; g++) {
    const rank = g % shape.groupsPerEntity;
    total += entityWeight[Math.floor(g / shape.groupsPerEntity)] / (rank + 1);
    cumulative[g] = total;
    firstSeen[g] = random.chance(1 / 3)
      ? random.uniform(startMs, endMs - DAY_MS)
      : startMs;
  }
  const spikes = Array.from({ length: 20 }, () => ({
    group: random.integer(0, groups - 1),
    fromMs: random.uniform(endMs - shape.days * DAY_MS, endMs - 2 * HOUR_MS),
    lengthMs: random.uniform(HOUR_MS, 2 * HOUR_MS),
  }));

  const pickGroup = () => {
    const target = random.next() * total;
    let lo = 0;
    let hi = groups - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] <= target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /** Busier in the working day (UTC) and on weekdays; accepted with that probability. */
  const traffic = (ms: number) => {
    const hour = (ms % DAY_MS) / HOUR_MS;
    const weekday = Math.floor(ms / DAY_MS + 4) % 7 < 5;
    return (
      ((1 + 0.6 * Math.sin((2 * Math.PI * (hour - 8)) / 24)) / 1.6) *
      (weekday ? 1 : 0.6)
    );
  };

  const atMs = new Float64Array(shape.events);
  const group = new Uint16Array(shape.events);
  for (let i = 0; i < shape.events; i++) {
    if (random.chance(0.02)) {
      const spike = random.pick(spikes);
      group[i] = spike.group;
      atMs[i] = spike.fromMs + random.next() * spike.lengthMs;
      continue;
    }
    const g = pickGroup();
    let at: number;
    do at = random.uniform(firstSeen[g], endMs);
    while (!random.chance(traffic(at)));
    group[i] = g;
    atMs[i] = at;
  }

  const order = new Uint32Array(shape.events).map((_, i) => i);
  order.sort((a, b) => atMs[a] - atMs[b]);
  return {
    atMs: Float64Array.from(order, i => Math.floor(atMs[i])),
    group: Uint16Array.from(order, i => group[i]),
    entityOf: g => Math.floor(g / shape.groupsPerEntity),
  };
}
