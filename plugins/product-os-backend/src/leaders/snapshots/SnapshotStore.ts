import type {
  DoraWindow,
  HealthInput,
} from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import { num, optNum, parseJson, Row } from '../../database/rowValues';
import { chunk } from '../../database/sql';

/** A subject's day as stored in `health_snapshots`. */
export interface HealthSnapshot {
  subjectRef: string;
  /** Epoch ms of the UTC day's start. */
  dayStart: number;
  score: number | null;
  inputs: HealthInput[];
  dora: DoraWindow[];
  /** Services a roll-up was computed from; 1 for an entity. */
  members: number;
  /** Production deployments finished in the 7 days the score covers (a roll-up: its members' sum). */
  deployments: number;
  /** Incidents created in those 7 days (a roll-up: its members' sum). */
  incidents: number;
  computedAt: number;
}

/** A member's figures of a day, as a roll-up read takes them from the snapshots. */
export interface MemberSnapshot {
  score: number;
  inputs: HealthInput[];
  deployments: number;
  incidents: number;
  computedAt: number;
}

/** The daily snapshots of health and DORA (`health_snapshots`). */
export class SnapshotStore {
  constructor(private readonly knex: Knex) {}

  /** Writes the rows, replacing any of the same subject and day: rerunning a day is harmless. */
  async upsert(snapshots: HealthSnapshot[]): Promise<void> {
    const rows = snapshots.map(s => ({
      subject_ref: s.subjectRef,
      day_start: s.dayStart,
      score: s.score,
      inputs: JSON.stringify(s.inputs),
      dora: JSON.stringify(s.dora),
      members: s.members,
      deployments: s.deployments,
      incidents: s.incidents,
      computed_at: s.computedAt,
    }));
    for (const part of chunk(rows, 9)) {
      await this.knex('health_snapshots')
        .insert(part)
        .onConflict(['subject_ref', 'day_start'])
        .merge([
          'score',
          'inputs',
          'dora',
          'members',
          'deployments',
          'incidents',
          'computed_at',
        ]);
    }
  }

  /**
   * Makes `rollup_members` hold exactly these members per roll-up subject, writing only what
   * changed: on most runs nothing. Two runs at once write the same pairs (inserts ignore a pair
   * already there), and a read between the deletes and the inserts sees a set that differs from
   * the caller's and computes instead of serving the stored roll-up.
   */
  async replaceMembers(rollups: Map<string, string[]>): Promise<void> {
    const stored = new Map<string, Set<string>>();
    for (const r of (await this.knex('rollup_members').select(
      'subject_ref',
      'member_ref',
    )) as Row[]) {
      const set = stored.get(r.subject_ref) ?? new Set<string>();
      set.add(r.member_ref);
      stored.set(r.subject_ref, set);
    }
    const added: { subject_ref: string; member_ref: string }[] = [];
    const removed = new Map<string, string[]>();
    for (const [subject, members] of rollups) {
      const before = stored.get(subject) ?? new Set<string>();
      const now = new Set(members);
      for (const m of now)
        if (!before.has(m)) added.push({ subject_ref: subject, member_ref: m });
      const gone = [...before].filter(m => !now.has(m));
      if (gone.length) removed.set(subject, gone);
    }
    const goneSubjects = [...stored.keys()].filter(s => !rollups.has(s));
    await this.knex.transaction(async tx => {
      for (const subjects of chunk(goneSubjects, 1))
        await tx('rollup_members').whereIn('subject_ref', subjects).delete();
      for (const [subject, members] of removed)
        for (const part of chunk(members, 1))
          await tx('rollup_members')
            .where('subject_ref', subject)
            .whereIn('member_ref', part)
            .delete();
      for (const part of chunk(added, 2))
        await tx('rollup_members')
          .insert(part)
          .onConflict(['subject_ref', 'member_ref'])
          .ignore();
    });
  }

  /**
   * The members the last run counted for a roll-up, each with its snapshot of the day (undefined
   * when it has none, or one written before the day's counts were kept): one statement, whatever
   * the number of members.
   */
  async membersOn(
    subjectRef: string,
    dayStart: number,
  ): Promise<Map<string, MemberSnapshot | undefined>> {
    const rows: Row[] = await this.knex('rollup_members as m')
      .leftJoin('health_snapshots as s', join =>
        join
          .on('s.subject_ref', '=', 'm.member_ref')
          .andOnVal('s.day_start', '=', dayStart),
      )
      .where('m.subject_ref', subjectRef)
      .select(
        'm.member_ref',
        's.score',
        's.inputs',
        's.deployments',
        's.incidents',
        's.computed_at',
      );
    return new Map(
      rows.map(r => [
        r.member_ref,
        r.computed_at === null || r.deployments === null || r.incidents === null
          ? undefined
          : {
              score: r.score === null ? 100 : num(r.score),
              inputs: parseJson<HealthInput[]>(r.inputs, []),
              deployments: num(r.deployments),
              incidents: num(r.incidents),
              computedAt: num(r.computed_at),
            },
      ]),
    );
  }

  /**
   * The inputs and scores of a roll-up's current members (`rollup_members`) on the given days,
   * by day: one statement, for the days of a history whose stored row counted other members.
   */
  async memberDays(
    subjectRef: string,
    days: number[],
  ): Promise<Map<number, HealthSnapshot[]>> {
    const byDay = new Map<number, HealthSnapshot[]>();
    if (days.length === 0) return byDay;
    const rows: Row[] = await this.knex('rollup_members as m')
      .join('health_snapshots as s', 's.subject_ref', 'm.member_ref')
      .where('m.subject_ref', subjectRef)
      .whereIn('s.day_start', days)
      .select(
        's.subject_ref',
        's.day_start',
        's.score',
        's.inputs',
        's.members',
        's.deployments',
        's.incidents',
        's.computed_at',
      );
    for (const r of rows) {
      const snapshot = toSnapshot(r);
      const list = byDay.get(snapshot.dayStart);
      if (list) list.push(snapshot);
      else byDay.set(snapshot.dayStart, [snapshot]);
    }
    return byDay;
  }

  /** The days from `fromDay` (inclusive) that have a row, by subject. */
  async daysWritten(fromDay: number): Promise<Map<string, Set<number>>> {
    const rows: Row[] = await this.knex('health_snapshots')
      .where('day_start', '>=', fromDay)
      .select('subject_ref', 'day_start');
    const days = new Map<string, Set<number>>();
    for (const r of rows) {
      const set = days.get(r.subject_ref) ?? new Set<number>();
      set.add(num(r.day_start));
      days.set(r.subject_ref, set);
    }
    return days;
  }

  /**
   * The sum and count of the subjects' scores per day from `fromDay`, summed in SQL (one statement
   * per 500 subjects): a roll-up's daily mean without reading its members' rows.
   */
  async dailyScores(
    subjectRefs: string[],
    fromDay: number,
  ): Promise<Map<number, { sum: number; count: number }>> {
    const days = new Map<number, { sum: number; count: number }>();
    for (const refs of chunk(subjectRefs, 1)) {
      const rows: Row[] = await this.knex('health_snapshots')
        .whereIn('subject_ref', refs)
        .where('day_start', '>=', fromDay)
        .groupBy('day_start')
        .select(
          'day_start',
          this.knex.raw('SUM(COALESCE(score, 100)) AS score_sum'),
          this.knex.raw('COUNT(*) AS score_count'),
        );
      for (const r of rows) {
        const day = days.get(num(r.day_start)) ?? { sum: 0, count: 0 };
        day.sum += num(r.score_sum);
        day.count += num(r.score_count);
        days.set(num(r.day_start), day);
      }
    }
    return days;
  }

  /**
   * The subjects' days from `fromDay`, oldest first; with `withDora: false` the DORA windows are
   * not read (they are most of a row's size), only the score and its inputs.
   */
  async history(
    subjectRefs: string[],
    fromDay: number,
    options: { withDora?: boolean; days?: number[] } = {},
  ): Promise<HealthSnapshot[]> {
    const withDora = options.withDora ?? true;
    const snapshots: HealthSnapshot[] = [];
    for (const refs of chunk(subjectRefs, 1)) {
      const rows: Row[] = await this.knex('health_snapshots')
        .whereIn('subject_ref', refs)
        .where('day_start', '>=', fromDay)
        .modify(q => {
          if (options.days) q.whereIn('day_start', options.days);
        })
        .select(
          'subject_ref',
          'day_start',
          'score',
          'inputs',
          'members',
          'deployments',
          'incidents',
          'computed_at',
          ...(withDora ? ['dora'] : []),
        )
        .orderBy('day_start');
      snapshots.push(...rows.map(toSnapshot));
    }
    return snapshots.sort((a, b) => a.dayStart - b.dayStart);
  }
}

function toSnapshot(r: Row): HealthSnapshot {
  return {
    subjectRef: r.subject_ref,
    dayStart: num(r.day_start),
    score: r.score === null ? null : num(r.score),
    inputs: parseJson<HealthInput[]>(r.inputs, []),
    dora: parseJson<DoraWindow[]>(r.dora, []),
    members: num(r.members),
    deployments: optNum(r.deployments) ?? 0,
    incidents: optNum(r.incidents) ?? 0,
    computedAt: num(r.computed_at),
  };
}
