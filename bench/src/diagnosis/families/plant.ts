import { DAY_MS, HOUR_MS } from '@internal/plugin-product-os-backend/src/time';
import type { Delivery, Expectation } from '../model';
import { Random } from '@internal/product-os-demo/src/product/random';
import {
  clientFileOf,
  remoteFailureTitle,
  ServiceProfile,
  SERVICES,
} from '../services';
import {
  DeploySlot,
  EntitySim,
  EntityStyle,
  ErrorLevel,
  season,
} from '../world';
import { WorldDraw } from '../worldStyles';

/*
 * What every family builds with: the labelled entity's world, times on the evaluated day, a
 * planted bug and the deployment carrying it, the rates of the errors it causes.
 */
export const MINUTE = 60_000;
/** Monday 2 November 2026, 00:00 UTC: the first day of every timeline. */
export const TIMELINE_START = Date.UTC(2026, 10, 2);
/** Days of history before the evaluated day. */
export const HISTORY_DAYS = 7;
export const EVAL_DAY = TIMELINE_START + HISTORY_DAYS * DAY_MS;

export const byName = (name: string) => SERVICES.find(s => s.name === name)!;

/** What a family builds: the entities (labelled one first) and the expectation. */
export interface Built {
  sims: EntitySim[];
  expected: Expectation;
  description: string;
  extra?: Delivery[];
}

export interface FamilyContext {
  rng: Random;
  id: string;
  variant: number;
  /** How this scenario's world differs from the first one (languages, layout, cadences). */
  draw: WorldDraw;
}

/** A labelled entity with background life, and its dependencies. */
export function world(
  context: FamilyContext,
  options: {
    main?: ServiceProfile;
    dependencies?: ServiceProfile[];
    level?: ErrorLevel;
    days?: number;
    /** How the labelled entity's deployments roll out, whatever its world drew. */
    rollout?: EntityStyle['rollout'];
  } = {},
): { main: EntitySim; deps: EntitySim[] } {
  const { rng, id } = context;
  const days = options.days ?? HISTORY_DAYS + 1;
  const mainProfile = options.main ?? rng.pick(SERVICES);
  const depProfiles =
    options.dependencies ??
    rng.sample(
      SERVICES.filter(s => s !== mainProfile && s.kind === 'service'),
      rng.integer(0, 2),
    );
  const counters = { pr: 700 + rng.integer(0, 200) };
  const { draw } = context;
  const deps = depProfiles.map(
    p =>
      new EntitySim(
        rng,
        id,
        draw.profile(p),
        [],
        TIMELINE_START,
        days,
        counters,
        draw.entityStyle(),
      ),
  );
  // The world's draws in the order they always were: the profile (its language), then the style.
  const profile = draw.profile(mainProfile);
  const style = draw.entityStyle();
  const main = new EntitySim(
    rng,
    id,
    profile,
    deps.map(d => d.entityRef),
    TIMELINE_START,
    days,
    counters,
    options.rollout ? { ...style, rollout: options.rollout } : style,
  );
  for (const sim of [main, ...deps]) {
    const level =
      sim === main
        ? options.level ??
          rng.pick(['medium', 'medium', 'busy', 'quiet'] as const)
        : rng.pick(['quiet', 'medium'] as const);
    sim.planErrors(draw.level(level));
    sim.planDeploys();
    sim.planOperationalChanges();
    sim.planMetrics();
  }
  return { main, deps };
}

/** A business-hours time on the evaluated day. */
export function workTime(rng: Random, from = 9, to = 16): number {
  return EVAL_DAY + rng.uniform(from, to) * HOUR_MS;
}

/** Files a culprit changes in a module, and the frames of the error it causes. */
export function plantBug(
  sim: EntitySim,
  module: string,
): { changed: string[]; frames: string[] } {
  const { rng } = sim;
  const files = sim.filesOf(module);
  const code = files.slice(0, files.length - 1);
  const changed = rng.sample(code, rng.integer(1, 2));
  const unchanged = code.filter(f => !changed.includes(f));
  const route = files[files.length - 1];
  // Mostly the changed file throws; sometimes it hands bad data to an unchanged one that does.
  const frames = rng.chance(0.75)
    ? [changed[0], ...rng.sample(unchanged, 1), route]
    : [...rng.sample(unchanged, 1), changed[0], route];
  const extra = rng.chance(0.5) ? sim.randomFiles(module).slice(0, 2) : [];
  return {
    changed: [
      ...new Set([
        ...changed,
        ...extra,
        ...rng
          .sample(unchanged, rng.chance(0.3) ? 1 : 0)
          .filter(f => !frames.includes(f)),
      ]),
    ],
    frames,
  };
}

/** A deployment carrying the planted pull request; background ones near it are moved away. */
export function plantDeploy(
  sim: EntitySim,
  at: number,
  files: string[],
  title?: string,
): DeploySlot {
  sim.clearDeploysNear(at, 45 * MINUTE);
  const slot: DeploySlot = {
    at,
    planted: {
      files,
      title:
        title ??
        `${sim.rng.pick(['Rework', 'Speed up', 'Simplify', 'Extend'])} ${
          files[0].split('/').slice(-2, -1)[0]
        } flow`,
    },
  };
  sim.slots.push(slot);
  return slot;
}

export function latentDelay(rng: Random): number {
  return (rng.chance(0.7) ? rng.uniform(1, 15) : rng.uniform(15, 90)) * MINUTE;
}

/** Peak rate that gives `perHour` events an hour at time `at`. */
export function peakFor(perHour: number, at: number): number {
  return perHour / season(at);
}

export function clientFile(sim: EntitySim, upstream: ServiceProfile): string {
  return clientFileOf(sim.profile, upstream.name);
}

export function removeChangesBefore(sim: EntitySim, at: number, span: number) {
  for (let i = sim.deliveries.length - 1; i >= 0; i--) {
    const d = sim.deliveries[i];
    if (
      d.type === 'change' &&
      d.change.occurredAt > at - span &&
      d.change.occurredAt <= at
    )
      sim.deliveries.splice(i, 1);
  }
}

/** How a remote failure of a call to a dependency reads in the caller's language. */
export function upstreamFailure(
  sim: EntitySim,
  dependency: string,
  draw: WorldDraw,
): string {
  if (draw.rng.chance(0.3))
    return `UpstreamError: ${dependency} responded 502 Bad Gateway`;
  return remoteFailureTitle(
    sim.profile,
    draw.rng.pick(['timeout', 'gateway', 'unavailable', 'refused'] as const),
    dependency,
    draw.rng,
  );
}

/**
 * Removes an entity's operational change events (PagerDuty: flags, config, scaling) within
 * `marginMs` of `at`, so a change the family plants there, or its absence, stands alone.
 */
export function removeOperationalChangesNear(
  sim: EntitySim,
  at: number,
  marginMs: number,
): void {
  for (let i = sim.deliveries.length - 1; i >= 0; i--) {
    const d = sim.deliveries[i];
    if (
      d.type === 'change' &&
      d.change.kind === 'change' &&
      Math.abs(d.change.occurredAt - at) < marginMs
    )
      sim.deliveries.splice(i, 1);
  }
}
