import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  DoraReport,
  HealthDay,
  keyMetricsOf,
  Rollup,
  RollupMember,
} from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import type { EntityAccess, TrackedEntity } from '../entities/EntityAccess';
import { DAY_MS } from '../time';
import { deploymentFacts } from './dora/deploymentFacts';
import { DORA_REACH_MS, doraReport } from './dora/doraReport';
import { loadDoraRows } from './dora/loadDoraRows';
import { computeHealth, HealthSettings } from './health/computeHealth';
import { rankMembers } from './rankMembers';
import type { HealthSnapshot, SnapshotStore } from './snapshots/SnapshotStore';
import { firstHistoryDay } from './snapshots/historyDays';
import { sumInputs } from './snapshots/SnapshotWriter';

/** The kinds a roll-up is of. */
export type RollupKind = 'group' | 'system' | 'domain';

/** The window the health score of a roll-up's members is computed over: the last 7 days, by hour. */
const HEALTH_WINDOW_MS = 7 * DAY_MS;

/**
 * What engineering leaders read, for routes, agent tools and scorecards alike. Every method that
 * takes credentials answers as the caller: an entity they may not see is as absent as one that
 * does not exist. `entityDora` and `entityHistory` take a ref the caller has already been allowed
 * to read (the routes resolve it with `EntityAccess.getReadable`).
 */
export interface LeadersReads {
  /** DORA of one entity over 7, 30 and 90 days. */
  entityDora(entityRef: string, now?: number): Promise<DoraReport>;
  /** An entity's daily snapshots, oldest first, up to 90 days. */
  entityHistory(entityRef: string, now?: number): Promise<HealthDay[]>;
  /** A team (with all its sub-groups), a system or a domain: members ranked, DORA, what is open, history. */
  rollup(
    kind: RollupKind,
    subjectRef: string,
    credentials: BackstageCredentials,
    now?: number,
  ): Promise<Rollup>;
}

export interface LeadersServiceOptions {
  knex: Knex;
  entities: Pick<
    EntityAccess,
    'listTracked' | 'groupsBelow' | 'systemsOfDomain'
  >;
  snapshots: SnapshotStore;
  health: HealthSettings;
  tieMargin: number;
}

export class LeadersService implements LeadersReads {
  constructor(private readonly options: LeadersServiceOptions) {}

  async entityDora(entityRef: string, now = Date.now()): Promise<DoraReport> {
    return this.doraOf(entityRef, [entityRef], now);
  }

  async entityHistory(
    entityRef: string,
    now = Date.now(),
  ): Promise<HealthDay[]> {
    const snapshots = await this.options.snapshots.history(
      [entityRef],
      firstHistoryDay(now),
    );
    return snapshots.map(s => ({
      day: new Date(s.dayStart).toISOString(),
      score: s.score ?? 100,
      inputs: s.inputs,
      dora: s.dora,
    }));
  }

  async rollup(
    kind: RollupKind,
    subjectRef: string,
    credentials: BackstageCredentials,
    now = Date.now(),
  ): Promise<Rollup> {
    const { members: tracked, groups } = await this.membersOf(
      kind,
      subjectRef,
      credentials,
    );
    const refs = tracked.map(t => t.entityRef);
    const [health, dora, snapshots] = await Promise.all([
      computeHealth(
        this.options.knex,
        tracked.map(t => ({
          entityRef: t.entityRef,
          keyMetrics: keyMetricsOf(t.entity.metadata.annotations),
        })),
        { from: now - HEALTH_WINDOW_MS, to: now, bucketMs: 3_600_000 },
        this.options.health,
      ),
      this.doraOf(subjectRef, refs, now),
      this.history(subjectRef, refs, firstHistoryDay(now)),
    ]);
    const members: Omit<RollupMember, 'rank'>[] = tracked.map(t => {
      const result = health.get(t.entityRef)!;
      return {
        entityRef: t.entityRef,
        ...(t.entity.metadata.title && { title: t.entity.metadata.title }),
        kind: t.entity.kind,
        ...(t.ownerRef && { owner: t.ownerRef }),
        ...(t.systemRef && { system: t.systemRef }),
        score: result.score,
        inputs: result.inputs,
      };
    });
    const signals = [...health.values()].map(r => r.signals);
    const sum = (pick: (s: (typeof signals)[number]) => number) =>
      signals.reduce((total, s) => total + pick(s), 0);
    return {
      subjectRef,
      kind,
      ...(groups && { groups }),
      tieMargin: this.options.tieMargin,
      score: members.length
        ? Math.round(
            (members.reduce((total, m) => total + m.score, 0) /
              members.length) *
              10,
          ) / 10
        : null,
      members: rankMembers(members, this.options.tieMargin),
      dora,
      openDiagnoses: sum(s => s.openDiagnoses + s.diagnosesNeedingHuman),
      diagnosesNeedingHuman: sum(s => s.diagnosesNeedingHuman),
      openIncidents: sum(s => s.openIncidents),
      history: snapshots,
    };
  }

  /**
   * A roll-up's days: each is the stored roll-up's row (score, inputs, DORA) when that day was
   * computed from exactly the members the caller sees, which is the common case and reads 90 rows.
   * Otherwise (the caller sees fewer services, or the members changed) the day is recomputed from
   * the snapshots of the members the caller sees: the mean of their scores (summed in SQL) and the
   * sums of their inputs, without DORA windows, so figures of hidden services never show through.
   */
  private async history(
    subjectRef: string,
    memberRefs: string[],
    fromDay: number,
  ): Promise<HealthDay[]> {
    const { snapshots } = this.options;
    const [own, scores] = await Promise.all([
      snapshots.history([subjectRef], fromDay),
      snapshots.dailyScores(memberRefs, fromDay),
    ]);
    const stored = new Map(own.map(s => [s.dayStart, s]));
    const differing = [...scores]
      .filter(([day, { count }]) => {
        const row = stored.get(day);
        return (
          !row ||
          row.members !== memberRefs.length ||
          count !== memberRefs.length
        );
      })
      .map(([day]) => day);
    const inputs = new Map<number, HealthSnapshot[]>();
    if (differing.length) {
      for (const s of await snapshots.history(memberRefs, fromDay, {
        withDora: false,
        days: differing,
      })) {
        const day = inputs.get(s.dayStart);
        if (day) day.push(s);
        else inputs.set(s.dayStart, [s]);
      }
    }
    return [...scores.keys()]
      .sort((a, b) => a - b)
      .map(dayStart => {
        const day = new Date(dayStart).toISOString();
        const members = inputs.get(dayStart);
        const row = stored.get(dayStart);
        if (!members && row) {
          return {
            day,
            score: row.score ?? 100,
            inputs: row.inputs,
            dora: row.dora,
          };
        }
        const { sum, count } = scores.get(dayStart)!;
        return {
          day,
          score: Math.round((sum / count) * 10) / 10,
          inputs: sumInputs((members ?? []).map(s => s.inputs)),
          dora: [],
        };
      });
  }

  /** The services a roll-up counts, as the caller sees them. */
  async membersOf(
    kind: RollupKind,
    subjectRef: string,
    credentials: BackstageCredentials,
  ): Promise<{ members: TrackedEntity[]; groups?: string[] }> {
    const { entities } = this.options;
    if (kind === 'group') {
      const [members, groups] = await Promise.all([
        entities.listTracked(
          { owner: subjectRef, kinds: ['component'] },
          credentials,
        ),
        entities.groupsBelow(subjectRef, credentials),
      ]);
      return { members, groups: [...groups].sort() };
    }
    if (kind === 'system') {
      return {
        members: await entities.listTracked(
          { system: subjectRef, kinds: ['component'] },
          credentials,
        ),
      };
    }
    const [systems, all] = await Promise.all([
      entities.systemsOfDomain(subjectRef, credentials),
      entities.listTracked({ kinds: ['component'] }, credentials),
    ]);
    return {
      members: all.filter(t => t.systemRef && systems.has(t.systemRef)),
    };
  }

  private async doraOf(
    subjectRef: string,
    refs: string[],
    now: number,
  ): Promise<DoraReport> {
    const rows = await loadDoraRows(
      this.options.knex,
      refs,
      { from: now - DORA_REACH_MS, to: now },
      this.options.health.environments,
    );
    return doraReport(subjectRef, deploymentFacts(rows), now);
  }
}
