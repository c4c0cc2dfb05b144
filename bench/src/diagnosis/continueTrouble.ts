import type { IncidentInput } from '@internal/plugin-product-os-node';
import {
  bucketStart,
  DAY_MS,
  HOUR_MS,
} from '@internal/plugin-product-os-backend/src/time';
import type { Random } from '@internal/product-os-demo/src/product/random';
import type { Delivery, GroupSpec, Scenario } from './model';
import { median } from '@internal/plugin-product-os-backend/src/agent/detect/baseline';
import { season } from './world';

const MINUTE = 60_000;
/** A group that starts, or an effect that begins, this close to the labelled onset is the trouble. */
const NEAR_ONSET_MS = 20 * MINUTE;

/** The error groups of a scenario's labelled trouble: new near the onset, or rising from it. */
export function troubleGroups(scenario: Scenario): GroupSpec[] {
  return scenario.groups.filter(
    g => nearOnset(scenario, g.start) || troubleEffects(scenario, g).length > 0,
  );
}

/**
 * A scenario carried on after its replay (from `from` to `until`): its trouble still going until
 * `stoppedAt` (or on past `until`) in its error groups, key metrics and incidents, its own later
 * changes held back (a freeze while the trouble is looked at) and `changes` (what people did)
 * delivered instead.
 */
export function continueTrouble(
  scenario: Scenario,
  options: {
    from: number;
    until: number;
    stoppedAt?: number;
    changes: Delivery[];
    releases: Scenario['releases'];
    rng: Random;
  },
): Scenario {
  const { from, until, stoppedAt, rng } = options;
  const end = stoppedAt ?? until + DAY_MS;
  const groups = scenario.groups.map(g => {
    const fresh = nearOnset(scenario, g.start) && g.end === undefined;
    const effects = g.effects.map(e =>
      troubleEffects(scenario, g).includes(e) && e.to > from
        ? { ...e, to: end }
        : e,
    );
    return { ...g, effects, end: fresh && stoppedAt ? stoppedAt : g.end };
  });
  const entities = new Set(scenario.entities.map(e => e.entityRef));
  const kept = scenario.deliveries.filter(
    d =>
      d.at < from ||
      (d.type === 'change' && !entities.has(d.change.entityRef)) ||
      (d.type === 'metric' &&
        d.point.bucketStart < bucketStart(from, HOUR_MS)) ||
      d.type === 'status',
  );
  const resolved: Delivery[] =
    stoppedAt === undefined
      ? []
      : openIncidents(scenario, from).map(incident => {
          const at = Math.round(stoppedAt + rng.uniform(5, 30) * MINUTE);
          return {
            at,
            type: 'incident' as const,
            incident: {
              ...incident,
              status: 'resolved' as const,
              resolvedAt: at,
            },
            timeline: [],
          };
        });
  const deliveries = [
    ...kept,
    ...options.changes,
    ...resolved,
    ...metricsAfter(scenario, from, until, end, rng),
  ].sort((a, b) => a.at - b.at);
  return { ...scenario, groups, deliveries, releases: options.releases };
}

/** The incidents of the trouble, as last reported before `from`. */
function openIncidents(scenario: Scenario, from: number): IncidentInput[] {
  const latest = new Map<string, IncidentInput>();
  for (const d of scenario.deliveries)
    if (
      d.type === 'incident' &&
      d.at < from &&
      nearOnset(scenario, d.incident.createdAt)
    )
      latest.set(d.incident.externalId, d.incident);
  return [...latest.values()].filter(i => i.status !== 'resolved');
}

/**
 * Key-metric points from `from` to `until`, drawn as the scenario draws them (a peak, the daily
 * shape, a factor a day, a little noise an hour), at the level of the hours just before until
 * `end`, then back to the usual. The peak is read back from the days before the onset.
 */
function metricsAfter(
  scenario: Scenario,
  from: number,
  until: number,
  end: number,
  rng: Random,
): Delivery[] {
  const onset = (scenario.expected as { onsetAt: number }).onsetAt;
  const series = new Map<
    string,
    { entityRef: string; metric: string; points: Map<number, number> }
  >();
  for (const d of scenario.deliveries) {
    if (d.type !== 'metric') continue;
    const key = `${d.point.entityRef} ${d.point.metric}`;
    if (!series.has(key))
      series.set(key, {
        entityRef: d.point.entityRef,
        metric: d.point.metric,
        points: new Map(),
      });
    series.get(key)!.points.set(d.point.bucketStart, d.point.count);
  }
  const first = bucketStart(from, HOUR_MS);
  const dayNoise = new Map<string, number>();
  const out: Delivery[] = [];
  for (const s of series.values()) {
    const { dayFactors } = scenario.traffic.get(s.entityRef) ?? {
      dayFactors: [],
    };
    const dayOf = (hour: number) =>
      Math.floor((hour - scenario.start) / DAY_MS);
    const factorOf = (day: number) => {
      if (dayFactors[day] !== undefined) return dayFactors[day];
      const key = `${s.entityRef} ${day}`;
      if (!dayNoise.has(key)) dayNoise.set(key, rng.lognormal(0.12));
      return dayNoise.get(key)!;
    };
    const shape = (hour: number) =>
      season(hour + HOUR_MS / 2) * factorOf(dayOf(hour));
    const ratios = (fromHour: number, toHour: number) => {
      const list: number[] = [];
      for (let h = fromHour; h < toHour; h += HOUR_MS) {
        const count = s.points.get(h);
        if (count !== undefined) list.push(count / shape(h));
      }
      return list;
    };
    const onsetHour = bucketStart(onset, HOUR_MS);
    const peak = median(ratios(onsetHour - 3 * DAY_MS, onsetHour - HOUR_MS));
    if (!(peak > 0)) continue;
    // The level of the last three hours before the aftermath lasts until the trouble stops:
    // a drop goes on, a surge already over goes on no more.
    const trouble = median(ratios(first - 3 * HOUR_MS, first)) / peak;
    for (let h = first; h < until; h += HOUR_MS) {
      const factor = h + HOUR_MS / 2 < end ? trouble : 1;
      out.push({
        at: h + HOUR_MS + 5 * MINUTE,
        type: 'metric',
        point: {
          entityRef: s.entityRef,
          metric: s.metric,
          bucketStart: h,
          count: rng.poisson(peak * shape(h) * rng.lognormal(0.07) * factor),
        },
      });
    }
  }
  return out;
}

function nearOnset(scenario: Scenario, at: number): boolean {
  const { expected } = scenario;
  return (
    expected.type !== 'quiet' &&
    Math.abs(at - expected.onsetAt) <= NEAR_ONSET_MS
  );
}

/** The effects of a group that are the labelled trouble: a rise from about the onset. */
function troubleEffects(scenario: Scenario, group: GroupSpec) {
  return group.effects.filter(e => e.factor > 1 && nearOnset(scenario, e.from));
}
