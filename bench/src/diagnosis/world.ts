import type { ChangeEventInput } from '@internal/plugin-product-os-node';
import { DAY_MS, HOUR_MS } from '@internal/plugin-product-os-backend/src/time';
import type { EntityContext } from '@internal/plugin-product-os-backend/src/agent/types';
import type { Delivery, GroupSpec } from './model';
import { Random } from '@internal/product-os-demo/src/product/random';
import {
  AUTHORS,
  callFrame,
  errorTitleOf,
  manifestsOf,
  moduleFiles,
  ServiceProfile,
  sharedFiles,
  stackThrough,
} from './services';

const MINUTE = 60_000;

/** A production deployment to make, and the pull request planted in it, if any. */
export interface DeploySlot {
  at: number;
  /** A pull request the scenario needs in this deployment (the culprit, or a decoy). */
  planted?: { files: string[]; title: string; author?: string };
  /** Set on the deployment once built. */
  built?: BuiltDeploy;
}

export interface BuiltDeploy {
  externalId: string;
  sha: string;
  start: number;
  finish: number;
  pullRequests: ChangeEventInput[];
}

export interface MetricSpec {
  key: string;
  peak: number;
  effects: { from: number; to: number; factor: number }[];
}

/** How busy a service's errors are. */
export type ErrorLevel = 'quiet' | 'medium' | 'busy' | 'noisy';

const LEVELS: Record<
  ErrorLevel,
  { groups: [number, number]; peak: [number, number]; bursts: number }
> = {
  quiet: { groups: [2, 4], peak: [2, 5], bursts: 0.06 },
  medium: { groups: [4, 7], peak: [12, 30], bursts: 0.06 },
  busy: { groups: [6, 9], peak: [40, 70], bursts: 0.06 },
  // Many groups, a high rate and a burst most days: a service nobody has tidied up.
  noisy: { groups: [9, 13], peak: [60, 120], bursts: 0.5 },
};

/** How a service ships: how often, and how long a deployment takes to reach every instance. */
export interface EntityStyle {
  /** Deployments a weekday: hourly (about 9), daily (about 3), weekly (one day a week). */
  cadence: 'hourly' | 'daily' | 'weekly';
  /** One step (3-12 min), rolling (10-25 min) or a canary then the rest (30-75 min). */
  rollout: 'simple' | 'rolling' | 'canary';
  /**
   * The generator's first world (daily business-hours deployments, the first list of
   * operational changes), drawn exactly as before so scenarios the tests name stay the same.
   */
  classic?: boolean;
}

export const CLASSIC_STYLE: EntityStyle = {
  cadence: 'daily',
  rollout: 'simple',
  classic: true,
};

const ROLLOUT_MINUTES: Record<EntityStyle['rollout'], [number, number]> = {
  simple: [3, 12],
  rolling: [10, 25],
  canary: [30, 75],
};

/**
 * One simulated entity: its code, error groups, deployments with their pull requests and
 * commits, operational change events and key metrics, over `days` days from `start`. Families
 * plant what they need (a culprit deployment, a spike) before `build`.
 */
export class EntitySim {
  readonly context: EntityContext;
  readonly files: string[];
  readonly groups: GroupSpec[] = [];
  readonly slots: DeploySlot[] = [];
  readonly deliveries: Delivery[] = [];
  readonly metrics: MetricSpec[] = [];
  readonly dayFactors: number[];
  reportsErrors = true;
  private changeCounter = 0;

  constructor(
    readonly rng: Random,
    readonly scenarioId: string,
    readonly profile: ServiceProfile,
    dependsOn: string[],
    readonly start: number,
    readonly days: number,
    private readonly counters: { pr: number },
    readonly style: EntityStyle = CLASSIC_STYLE,
  ) {
    this.context = {
      entityRef: `component:default/${scenarioId}-${profile.name}`,
      name: `${scenarioId}-${profile.name}`,
      owner: profile.owner,
      dependsOn,
      keyMetrics: profile.keyMetrics,
    };
    const deps = dependsOn.map(ref =>
      ref.replace(/^component:default\/[^-]+-/, ''),
    );
    this.files = [
      ...profile.modules.flatMap(m => moduleFiles(profile, m)),
      ...sharedFiles(profile, deps),
    ];
    this.dayFactors = Array.from({ length: days + 1 }, () =>
      rng.lognormal(0.12),
    );
  }

  get entityRef(): string {
    return this.context.entityRef;
  }

  filesOf(module: string): string[] {
    return moduleFiles(this.profile, module);
  }

  /** Background error groups, bursts of noise, rare slow new errors. */
  planErrors(level: ErrorLevel): void {
    const { rng } = this;
    const spec = LEVELS[level];
    const count = rng.integer(...spec.groups);
    const peak = rng.uniform(...spec.peak);
    const weights = Array.from({ length: count }, () => rng.lognormal(0.9));
    const total = weights.reduce((a, b) => a + b, 0);
    weights.forEach(weight => {
      this.addGroup({ peakRate: (peak * weight) / total, start: this.start });
    });
    for (let day = 0; day < this.days; day++) {
      // Now and then one group bursts for an hour (a retry storm, a bad client).
      if (rng.chance(spec.bursts)) {
        const group = rng.pick(this.groups);
        const from = this.start + day * DAY_MS + rng.integer(0, 23) * HOUR_MS;
        group.effects.push({
          from,
          to: from + HOUR_MS,
          factor: rng.uniform(2, 4),
        });
      }
      // And a rare new error starts to trickle in.
      if (rng.chance(0.12)) {
        this.addGroup({
          peakRate: rng.uniform(0.3, 1.5),
          start:
            this.start +
            day * DAY_MS +
            rng.integer(0, 23) * HOUR_MS +
            rng.integer(0, 59) * MINUTE,
        });
      }
    }
  }

  /** An error group in a module's code; frames run through the given files when set. */
  addGroup(options: {
    peakRate: number;
    start: number;
    module?: string;
    files?: string[];
    title?: string;
    library?: string;
    frames?: GroupSpec['frames'];
  }): GroupSpec {
    const { rng } = this;
    const module = options.module ?? rng.pick(this.profile.modules);
    const moduleFilesList = this.filesOf(module);
    const files =
      options.files ??
      [
        rng.pick(moduleFilesList.slice(0, moduleFilesList.length - 1)),
        moduleFilesList[0],
        moduleFilesList[moduleFilesList.length - 1],
      ].filter((f, i, all) => all.indexOf(f) === i);
    const group: GroupSpec = {
      entityRef: this.entityRef,
      fingerprint: `${this.scenarioId}-${this.profile.name}-${
        this.groups.length
      }-${rng.hex(8)}`,
      title: options.title ?? errorTitleOf(this.profile, module, rng),
      culprit: files[0],
      files,
      frames:
        options.frames ??
        stackThrough(
          this.profile,
          files,
          rng,
          options.library ??
            (rng.chance(0.25) ? callFrame(this.profile, 'data') : undefined),
        ),
      peakRate: options.peakRate,
      start: options.start,
      effects: [],
    };
    this.groups.push(group);
    return group;
  }

  /**
   * Production deployments in business hours, fewer at weekends: about three a weekday, nine
   * for a service that ships hourly (from 07:00 to 21:00), or one day a week for one that
   * ships weekly.
   */
  planDeploys(from = 0, to = this.days): void {
    const { rng } = this;
    const { cadence } = this.style;
    for (let day = from; day < to; day++) {
      const weekday = new Date(this.start + day * DAY_MS).getUTCDay();
      const weekend = weekday === 0 || weekday === 6;
      let mean = weekend ? 0.5 : 3;
      if (cadence === 'hourly') mean = weekend ? 1 : 9;
      if (cadence === 'weekly') mean = weekday === 2 ? 1.5 : 0.05;
      const [firstHour, lastHour] = cadence === 'hourly' ? [7, 21] : [8, 18];
      const count = rng.poisson(mean);
      for (let i = 0; i < count; i++) {
        this.slots.push({
          at:
            this.start +
            day * DAY_MS +
            rng.uniform(firstHour, lastHour) * HOUR_MS,
        });
      }
    }
  }

  /** Operational change events (PagerDuty): scaling, flags, config. */
  planOperationalChanges(): void {
    const { rng } = this;
    for (let day = 0; day < this.days; day++) {
      const count = rng.poisson(0.4);
      for (let i = 0; i < count; i++) {
        this.addChangeEvent(
          this.start + day * DAY_MS + rng.uniform(0, 24) * HOUR_MS,
          rng.pick([
            `Scaled ${this.profile.name} to ${rng.integer(3, 12)} replicas`,
            'Rotated database credentials',
            `Feature flag ${rng.pick([
              'new-header',
              'fast-search',
              'promo-banner',
            ])} enabled for ${rng.pick([5, 10, 50])}% of users`,
            'Updated CDN cache rules',
            `Increased connection pool to ${rng.integer(20, 60)}`,
            ...(this.style.classic
              ? []
              : [
                  `Config push: ${this.profile.name} cache TTL ${rng.integer(
                    30,
                    300,
                  )}s`,
                  `Feature flag ${rng.pick([
                    'new-checkout-flow',
                    'async-emails',
                    'search-v2',
                  ])} rolled back`,
                ]),
          ]),
        );
      }
    }
  }

  addChangeEvent(at: number, title: string): string {
    const externalId = `${this.context.name}-change-${++this
      .changeCounter}-${this.rng.hex(6)}`;
    this.deliveries.push({
      at,
      type: 'change',
      change: {
        entityRef: this.entityRef,
        source: 'pagerduty',
        kind: 'change',
        externalId,
        title,
        occurredAt: at,
      },
    });
    return externalId;
  }

  /** Key metrics with the daily shape of traffic. */
  planMetrics(): void {
    for (const key of this.profile.keyMetrics) {
      this.metrics.push({
        key,
        peak: this.rng.uniform(150, 1200),
        effects: [],
      });
    }
  }

  /** Removes background deployments within `marginMs` of `at`, so a planted one stands alone. */
  clearDeploysNear(at: number, marginMs: number): void {
    for (let i = this.slots.length - 1; i >= 0; i--) {
      if (!this.slots[i].planted && Math.abs(this.slots[i].at - at) < marginMs)
        this.slots.splice(i, 1);
    }
  }

  /**
   * Turns the planned deployments into deliveries: pull requests merged since the previous
   * deployment (with their merge commits) go out with the next one, each deployment reaches
   * staging first, and production reports a start and a finish.
   */
  build(): BuiltDeploy[] {
    const { rng } = this;
    this.slots.sort((a, b) => a.at - b.at);
    const built: BuiltDeploy[] = [];
    let previous = this.start - 6 * HOUR_MS;
    let previousFinish = -Infinity;
    this.slots.forEach((slot, index) => {
      // One deployment at a time: a pipeline waits for the previous rollout to finish.
      if (slot.at < previousFinish + MINUTE) slot.at = previousFinish + MINUTE;
      const prs: ChangeEventInput[] = [];
      const count = rng.integer(1, 3);
      const window = slot.at - previous;
      for (let i = 0; i < count; i++) {
        const mergedAt = previous + window * rng.uniform(0.1, 0.95);
        prs.push(this.pullRequest(mergedAt));
      }
      if (slot.planted) {
        const mergedAt =
          slot.at - Math.min(window * 0.5, rng.uniform(10, 60) * MINUTE);
        prs.push(this.pullRequest(mergedAt, slot.planted));
      }
      const sha = prs.sort((a, b) => a.occurredAt - b.occurredAt)[
        prs.length - 1
      ].sha!;
      const finish =
        slot.at + rng.uniform(...ROLLOUT_MINUTES[this.style.rollout]) * MINUTE;
      const externalId = `${this.context.name}-deploy-${index + 1}`;
      const deployment = {
        entityRef: this.entityRef,
        source: 'github' as const,
        kind: 'deployment' as const,
        externalId,
        title: `Deploy ${sha.slice(0, 7)} to production`,
        author: 'deploy-bot',
        sha,
        environment: 'production',
        url: `https://github.com/${
          this.profile.repo ?? 'acme/webshop'
        }/deployments/${externalId}`,
        occurredAt: slot.at,
      };
      const stagingAt = slot.at - rng.uniform(10, 30) * MINUTE;
      this.deliveries.push(
        {
          at: stagingAt,
          type: 'change',
          change: {
            ...deployment,
            externalId: `${externalId}-staging`,
            environment: 'staging',
            status: 'success',
            occurredAt: stagingAt,
            finishedAt: stagingAt + 4 * MINUTE,
            title: `Deploy ${sha.slice(0, 7)} to staging`,
          },
        },
        {
          at: slot.at,
          type: 'change',
          change: { ...deployment, status: 'in_progress' },
        },
        {
          at: finish,
          type: 'change',
          change: { ...deployment, status: 'success', finishedAt: finish },
        },
      );
      slot.built = {
        externalId,
        sha,
        start: slot.at,
        finish,
        pullRequests: prs,
      };
      built.push(slot.built);
      previous = slot.at;
      previousFinish = finish;
    });
    return built;
  }

  private pullRequest(
    mergedAt: number,
    planted?: { files: string[]; title: string; author?: string },
  ): ChangeEventInput {
    const { rng } = this;
    const number = ++this.counters.pr;
    const sha = rng.hex(40);
    const files = planted?.files ?? this.randomFiles();
    const author = planted?.author ?? rng.pick(AUTHORS);
    const title =
      planted?.title ??
      `${rng.pick([
        'Fix',
        'Refactor',
        'Add',
        'Improve',
        'Update',
        'Tidy',
      ])} ${rng.pick(this.profile.modules)} ${rng.pick([
        'handling',
        'validation',
        'copy',
        'tests',
        'queries',
        'logging',
        'types',
      ])}`;
    const pr: ChangeEventInput = {
      entityRef: this.entityRef,
      source: 'github',
      kind: 'pull_request',
      externalId: `${this.profile.repo ?? 'acme/webshop'}#${number}`,
      title,
      author,
      sha,
      number,
      status: 'merged',
      url: `https://github.com/${
        this.profile.repo ?? 'acme/webshop'
      }/pull/${number}`,
      occurredAt: mergedAt,
      files,
    };
    this.deliveries.push(
      { at: mergedAt, type: 'change', change: pr },
      {
        at: mergedAt,
        type: 'change',
        change: {
          entityRef: this.entityRef,
          source: 'github',
          kind: 'commit',
          externalId: sha,
          title: `${title} (#${number})`,
          author,
          sha,
          url: `https://github.com/${
            this.profile.repo ?? 'acme/webshop'
          }/commit/${sha}`,
          occurredAt: mergedAt,
          files,
        },
      },
    );
    return pr;
  }

  /** Files a routine pull request changes: mostly one module, sometimes dependencies. */
  randomFiles(avoidModule?: string): string[] {
    const { rng } = this;
    const modules = this.profile.modules.filter(m => m !== avoidModule);
    const module = rng.pick(modules);
    const own = rng.sample(this.filesOf(module), rng.integer(1, 4));
    const other = rng.chance(0.3)
      ? rng.sample(this.filesOf(rng.pick(modules)), 1)
      : [];
    const extra = rng.chance(0.1) ? manifestsOf(this.profile) : [];
    return [...new Set([...own, ...other, ...extra])];
  }
}

/** Traffic through the day: lowest at night (0.3 of the peak), highest mid-afternoon UTC. */
export function season(time: number): number {
  const hour = (time % DAY_MS) / HOUR_MS;
  return 0.3 + 0.7 * (0.5 + 0.5 * Math.cos((2 * Math.PI * (hour - 15)) / 24));
}
