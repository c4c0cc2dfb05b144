import type { ErrorEventInput } from '@internal/plugin-product-os-node';
import { HOUR_MS } from '@internal/plugin-product-os-backend/src/time';
import type { GroupSpec, Scenario } from './model';
import { Random } from '@internal/product-os-demo/src/product/random';
import { season } from './world';

const SLICE_MS = 5 * 60_000;
/** Hour-to-hour wobble of an error rate beyond Poisson noise. */
const HOURLY_SIGMA = 0.25;

/**
 * The error events of a scenario in [from, to). Each five-minute slice of each group is drawn
 * from its own seed (thinning a Poisson process at the slice's highest rate), so a slice is the
 * same whether it is generated in one go or in steps.
 */
export function errorEventsBetween(
  scenario: Scenario,
  from: number,
  to: number,
): ErrorEventInput[] {
  const events: ErrorEventInput[] = [];
  scenario.groups.forEach((group, index) => {
    const firstSlice = Math.floor(
      (Math.max(from, group.start) - scenario.start) / SLICE_MS,
    );
    const lastSlice = Math.ceil((to - scenario.start) / SLICE_MS);
    const dayFactors = scenario.traffic.get(group.entityRef)?.dayFactors ?? [];
    for (let slice = firstSlice; slice < lastSlice; slice++) {
      const sliceStart = scenario.start + slice * SLICE_MS;
      const hour = Math.floor((sliceStart - scenario.start) / HOUR_MS);
      const hourNoise = new Random(
        hash(scenario.seed, index, hour, 1),
      ).lognormal(HOURLY_SIGMA);
      const base =
        group.peakRate * (dayFactors[Math.floor(hour / 24)] ?? 1) * hourNoise;
      const rateAt = (t: number) => base * season(t) * factorAt(group, t);
      const maxRate = Math.max(
        rateAt(sliceStart),
        rateAt(sliceStart + SLICE_MS - 1),
        ...group.effects
          .filter(e => e.from >= sliceStart && e.from < sliceStart + SLICE_MS)
          .map(e => rateAt(e.from)),
      );
      if (maxRate <= 0) continue;
      const rng = new Random(hash(scenario.seed, index, slice, 2));
      const count = rng.poisson((maxRate * SLICE_MS) / HOUR_MS);
      for (let k = 0; k < count; k++) {
        const timestamp = Math.floor(sliceStart + rng.next() * SLICE_MS);
        const accept = rng.next() < rateAt(timestamp) / maxRate;
        if (
          !accept ||
          timestamp < group.start ||
          timestamp < from ||
          timestamp >= to
        )
          continue;
        if (group.end !== undefined && timestamp >= group.end) continue;
        events.push(
          toEvent(
            scenario,
            group,
            `${scenario.id}-${index}-${slice}-${k}`,
            timestamp,
            rng,
          ),
        );
      }
    }
  });
  return events.sort((a, b) => a.timestamp - b.timestamp);
}

function factorAt(group: GroupSpec, t: number): number {
  let factor = 1;
  for (const effect of group.effects)
    if (t >= effect.from && t < effect.to) factor *= effect.factor;
  return factor;
}

function toEvent(
  scenario: Scenario,
  group: GroupSpec,
  eventId: string,
  timestamp: number,
  rng: Random,
): ErrorEventInput {
  const releases = scenario.releases.get(group.entityRef) ?? [];
  let release = `${group.entityRef.split('/').pop()}@initial`;
  for (const r of releases) if (r.at <= timestamp) release = r.sha;
  if (group.release) release = group.release;
  return {
    entityRef: group.entityRef,
    source: 'sentry',
    fingerprint: group.fingerprint,
    eventId,
    title: group.title,
    culprit: group.culprit,
    level: 'error',
    timestamp,
    release,
    environment: 'production',
    topFrames: group.frames,
    userKey: `u${rng.integer(1, 400)}`,
  };
}

function hash(...parts: number[]): number {
  let h = 2166136261;
  for (const part of parts) {
    h ^= part;
    h = Math.imul(h, 16777619);
    h ^= h >>> 13;
  }
  return h >>> 0;
}
