import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  DoraReport,
  HealthDay,
  HealthInput,
  HealthInputName,
  keyMetricsOf,
  rankByHealth,
  Rollup,
  RollupMember,
} from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import type { EntityAccess, TrackedEntity } from '../entities/EntityAccess';
import { DAY_MS, HOUR_MS } from '../time';
import { deploymentFacts } from './dora/deploymentFacts';
import { DORA_REACH_MS, doraReport } from './dora/doraReport';
import { loadDoraRows } from './dora/loadDoraRows';
import { computeHealth, HealthSettings } from './health/computeHealth';
import type {
  HealthSnapshot,
  MemberSnapshot,
  SnapshotStore,
} from './snapshots/SnapshotStore';
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

  /**
   * Today's figures come from the snapshot task's latest run (hourly by default) when it has
   * them, in a fixed number of statements whatever the number of members: the members it counted
   * joined with their rows of today, and the roll-up's own rows of the last 90 days. A member the
   * caller sees without a row of today (a new service, no run yet since midnight) is computed for
   * the request; so is the roll-up's DORA, and its history is rebuilt from its members' rows, when
   * the caller sees other services than the run counted, so a hidden service's figures never
   * show through the pooled ones. `asOf` says when the figures are from.
   */
  async rollup(
    kind: RollupKind,
    subjectRef: string,
    credentials: BackstageCredentials,
    now = Date.now(),
  ): Promise<Rollup> {
    const { snapshots } = this.options;
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    const [{ members: tracked, groups }, stored, own] = await Promise.all([
      this.membersOf(kind, subjectRef, credentials),
      snapshots.membersOn(subjectRef, today),
      snapshots.history([subjectRef], firstHistoryDay(now)),
    ]);
    const refs = tracked.map(t => t.entityRef);
    const figures = new Map<string, MemberSnapshot>();
    const missing: TrackedEntity[] = [];
    for (const t of tracked) {
      const snapshot = stored.get(t.entityRef);
      // A row computed after `now` would count what happened since.
      if (snapshot && snapshot.computedAt <= now)
        figures.set(t.entityRef, snapshot);
      else missing.push(t);
    }
    const ownToday = own.find(s => s.dayStart === today);
    const sameMembers =
      ownToday !== undefined &&
      tracked.length > 0 &&
      missing.length === 0 &&
      ownToday.computedAt <= now &&
      ownToday.members === tracked.length &&
      stored.size === tracked.length;
    const [live, dora, history] = await Promise.all([
      this.liveFigures(missing, now),
      sameMembers
        ? { subjectRef, windows: ownToday.dora }
        : this.doraOf(subjectRef, refs, now),
      sameMembers
        ? this.storedHistory(subjectRef, own, tracked.length)
        : this.history(refs, own, firstHistoryDay(now)),
    ]);
    for (const [ref, f] of live) figures.set(ref, f);

    const valueOf = (inputs: HealthInput[], name: HealthInputName) =>
      inputs.find(i => i.name === name)?.value ?? 0;
    const members: Omit<RollupMember, 'rank'>[] = tracked.map(t => {
      const f = figures.get(t.entityRef)!;
      return {
        entityRef: t.entityRef,
        ...(t.entity.metadata.title && { title: t.entity.metadata.title }),
        kind: t.entity.kind,
        ...(t.ownerRef && { owner: t.ownerRef }),
        ...(t.systemRef && { system: t.systemRef }),
        score: f.score,
        inputs: f.inputs,
        openIncidents: valueOf(f.inputs, 'openIncidents'),
        diagnosesNeedingHuman: valueOf(f.inputs, 'diagnosesNeedingHuman'),
        deployments: f.deployments,
        incidents: f.incidents,
      };
    });
    const sum = (name: HealthInputName) =>
      members.reduce((total, m) => total + valueOf(m.inputs, name), 0);
    let asOf = sameMembers ? ownToday.computedAt : now;
    for (const f of figures.values()) asOf = Math.min(asOf, f.computedAt);
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
      members: rankByHealth(members, this.options.tieMargin),
      dora,
      openDiagnoses: sum('openDiagnoses') + sum('diagnosesNeedingHuman'),
      diagnosesNeedingHuman: sum('diagnosesNeedingHuman'),
      openIncidents: sum('openIncidents'),
      asOf: new Date(asOf).toISOString(),
      history,
    };
  }

  /** The 7-day health of members without a snapshot of today, computed as of `now`. */
  private async liveFigures(
    members: TrackedEntity[],
    now: number,
  ): Promise<Map<string, MemberSnapshot>> {
    if (members.length === 0) return new Map();
    const health = await computeHealth(
      this.options.knex,
      members.map(t => ({
        entityRef: t.entityRef,
        keyMetrics: keyMetricsOf(t.entity.metadata.annotations),
      })),
      { from: now - HEALTH_WINDOW_MS, to: now, bucketMs: HOUR_MS },
      this.options.health,
    );
    return new Map(
      [...health].map(([ref, r]) => [
        ref,
        {
          score: r.score,
          inputs: r.inputs,
          deployments: r.deployments,
          incidents: r.incidents,
          computedAt: now,
        },
      ]),
    );
  }

  /**
   * A roll-up's days when the caller sees exactly the services the last snapshot run counted:
   * its own rows, except on the days a row counted another number of services (the team has
   * changed since), which are rebuilt from the current members' rows of those days (one
   * statement), without DORA windows, as `history` does.
   */
  private async storedHistory(
    subjectRef: string,
    own: HealthSnapshot[],
    memberCount: number,
  ): Promise<HealthDay[]> {
    const differing = own
      .filter(row => row.members !== memberCount)
      .map(row => row.dayStart);
    const memberDays = await this.options.snapshots.memberDays(
      subjectRef,
      differing,
    );
    return own.flatMap(row => {
      const day = new Date(row.dayStart).toISOString();
      if (row.members === memberCount) {
        return [
          { day, score: row.score ?? 100, inputs: row.inputs, dora: row.dora },
        ];
      }
      const members = memberDays.get(row.dayStart) ?? [];
      if (members.length === 0) return [];
      const total = members.reduce((t, m) => t + (m.score ?? 100), 0);
      return [
        {
          day,
          score: Math.round((total / members.length) * 10) / 10,
          inputs: sumInputs(members.map(m => m.inputs)),
          dora: [],
        },
      ];
    });
  }

  /**
   * A roll-up's days when the caller sees other services than the last snapshot run counted (or
   * it has not run today): each is the stored roll-up's row (score, inputs, DORA) when that day was
   * computed from exactly the members the caller sees, which is the common case and reads 90 rows.
   * Otherwise (the caller sees fewer services, or the members changed) the day is recomputed from
   * the snapshots of the members the caller sees: the mean of their scores (summed in SQL) and the
   * sums of their inputs, without DORA windows, so figures of hidden services never show through.
   */
  private async history(
    memberRefs: string[],
    own: HealthSnapshot[],
    fromDay: number,
  ): Promise<HealthDay[]> {
    const { snapshots } = this.options;
    const scores = await snapshots.dailyScores(memberRefs, fromDay);
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
