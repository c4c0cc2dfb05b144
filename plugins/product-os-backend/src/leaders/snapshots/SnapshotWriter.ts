import type {
  AuthService,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { HealthInput, keyMetricsOf } from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import type { EntityAccess, TrackedEntity } from '../../entities/EntityAccess';
import { DAY_MS, HOUR_MS } from '../../time';
import { DeploymentFacts, deploymentFacts } from '../dora/deploymentFacts';
import { DORA_REACH_MS, doraReport } from '../dora/doraReport';
import { loadDoraRows } from '../dora/loadDoraRows';
import { computeHealth, HealthSettings } from '../health/computeHealth';
import { firstHistoryDay } from './historyDays';
import type { HealthSnapshot, SnapshotStore } from './SnapshotStore';

/** The window each day's health score covers: the 7 days up to the day's end, by hour. */
const HEALTH_WINDOW_MS = 7 * DAY_MS;

export interface SnapshotWriterOptions {
  knex: Knex;
  entities: Pick<EntityAccess, 'listTracked' | 'groupTree' | 'systemDomains'>;
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  snapshots: SnapshotStore;
  health: HealthSettings;
  logger: LoggerService;
}

/** What a run wrote. */
export interface SnapshotRun {
  days: number;
  rows: number;
}

/**
 * Writes the daily snapshots: today's rows on every run (the day so far), and every day of the
 * last 90 that has no row yet for a subject, computed as of that day's end from the stored data,
 * so a new installation (or a new service) gets its 90-day history on the first run. Subjects are
 * every tracked component and system, every group (its services and those of all its sub-groups),
 * every system and every domain, as the plugin itself sees the catalog. Rows are upserts on
 * (subject, day): a rerun, or a second instance running the task at the same time, writes the same
 * rows again. Each run also records which services every roll-up counted (`rollup_members`), so
 * that a roll-up read serves today's figures from these rows (see `LeadersService.rollup`).
 */
export class SnapshotWriter {
  constructor(private readonly options: SnapshotWriterOptions) {}

  async run(now = Date.now()): Promise<SnapshotRun> {
    const { entities, auth, snapshots, knex, health } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const [tracked, groups, domains] = await Promise.all([
      entities.listTracked({ kinds: ['component', 'system'] }, credentials),
      entities.groupTree(credentials),
      entities.systemDomains(credentials),
    ]);
    const rollups = rollupMembers(tracked, groups, domains);
    const subjects = [...tracked.map(t => t.entityRef), ...rollups.keys()];

    const today = Math.floor(now / DAY_MS) * DAY_MS;
    const firstDay = firstHistoryDay(now);
    const written = await snapshots.daysWritten(firstDay);
    const days: number[] = [];
    for (let day = firstDay; day < today; day += DAY_MS) {
      if (subjects.some(s => !written.get(s)?.has(day))) days.push(day);
    }
    days.push(today);

    // The DORA rows of the whole history once: each day's figures keep only what was known by its end.
    const refs = tracked.map(t => t.entityRef);
    const facts = deploymentFacts(
      await loadDoraRows(
        knex,
        refs,
        { from: firstDay - DORA_REACH_MS, to: now },
        health.environments,
      ),
    );
    const factsOf = byEntity(facts);
    const subjectsOf = tracked.map(t => ({
      entityRef: t.entityRef,
      keyMetrics: keyMetricsOf(t.entity.metadata.annotations),
    }));

    let rows = 0;
    for (const dayStart of days) {
      const end = Math.min(now, dayStart + DAY_MS);
      const scores = await computeHealth(
        knex,
        subjectsOf,
        { from: end - HEALTH_WINDOW_MS, to: end, bucketMs: HOUR_MS },
        health,
      );
      const dayRows: HealthSnapshot[] = tracked.map(t => {
        const result = scores.get(t.entityRef)!;
        return {
          subjectRef: t.entityRef,
          dayStart,
          score: result.score,
          inputs: result.inputs,
          dora: doraReport(t.entityRef, factsOf.get(t.entityRef) ?? [], end)
            .windows,
          members: 1,
          deployments: result.deployments,
          incidents: result.incidents,
          computedAt: now,
        };
      });
      for (const [subjectRef, members] of rollups) {
        const results = members.flatMap(m => {
          const r = scores.get(m);
          return r ? [r] : [];
        });
        dayRows.push({
          subjectRef,
          dayStart,
          score: results.length
            ? Math.round(
                (results.reduce((sum, r) => sum + r.score, 0) /
                  results.length) *
                  10,
              ) / 10
            : null,
          inputs: sumInputs(results.map(r => r.inputs)),
          dora: doraReport(
            subjectRef,
            members.flatMap(m => factsOf.get(m) ?? []),
            end,
          ).windows,
          members: members.length,
          deployments: results.reduce((sum, r) => sum + r.deployments, 0),
          incidents: results.reduce((sum, r) => sum + r.incidents, 0),
          computedAt: now,
        });
      }
      await snapshots.upsert(dayRows);
      rows += dayRows.length;
    }
    // After today's rows: until then a read finds the members and the rows of the run before.
    await snapshots.replaceMembers(rollups);
    return { days: days.length, rows };
  }
}

/** Schedules the writer as `product-os.health-snapshots`, one instance at a time across the cluster. */
export async function scheduleSnapshots(options: {
  writer: SnapshotWriter;
  scheduler: SchedulerService;
  schedule: SchedulerServiceTaskScheduleDefinition;
  logger: LoggerService;
}): Promise<void> {
  const { writer, scheduler, schedule, logger } = options;
  await scheduler.scheduleTask({
    id: 'product-os.health-snapshots',
    scope: 'global',
    ...schedule,
    fn: async () => {
      const run = await writer.run();
      logger.info('Health snapshots written', { ...run });
    },
  });
}

/**
 * The component members of each group (with its sub-groups), system and domain. A roll-up counts
 * components only: a system's own row would count its parts twice.
 */
export function rollupMembers(
  tracked: TrackedEntity[],
  groups: Map<string, Set<string>>,
  domains: Map<string, string>,
): Map<string, string[]> {
  const components = tracked.filter(
    t => t.entity.kind.toLowerCase() === 'component',
  );
  const rollups = new Map<string, string[]>();
  const add = (subject: string, member: string) =>
    rollups.set(subject, [...(rollups.get(subject) ?? []), member]);
  for (const [group, below] of groups) {
    rollups.set(group, []);
    for (const c of components)
      if (c.ownerRef && below.has(c.ownerRef)) add(group, c.entityRef);
  }
  for (const c of components) {
    if (!c.systemRef) continue;
    add(c.systemRef, c.entityRef);
    const domain = domains.get(c.systemRef);
    if (domain) add(domain, c.entityRef);
  }
  for (const domain of new Set(domains.values()))
    if (!rollups.has(domain)) rollups.set(domain, []);
  return rollups;
}

function byEntity(facts: DeploymentFacts[]): Map<string, DeploymentFacts[]> {
  const map = new Map<string, DeploymentFacts[]>();
  for (const f of facts) {
    const list = map.get(f.entityRef);
    if (list) list.push(f);
    else map.set(f.entityRef, [f]);
  }
  return map;
}

/** Each input summed over the members: values and penalties alike. */
export function sumInputs(lists: HealthInput[][]): HealthInput[] {
  const sums = new Map<string, HealthInput>();
  for (const list of lists) {
    for (const input of list) {
      const sum = sums.get(input.name);
      sums.set(input.name, {
        ...input,
        value: Math.round(((sum?.value ?? 0) + input.value) * 1000) / 1000,
        penalty: (sum?.penalty ?? 0) + input.penalty,
      });
    }
  }
  return [...sums.values()];
}
