import type {
  DoraWindow,
  HealthInput,
} from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import { num, parseJson, Row } from '../../database/rowValues';
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
      computed_at: s.computedAt,
    }));
    for (const part of chunk(rows, 7)) {
      await this.knex('health_snapshots')
        .insert(part)
        .onConflict(['subject_ref', 'day_start'])
        .merge(['score', 'inputs', 'dora', 'members', 'computed_at']);
    }
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
          'computed_at',
          ...(withDora ? ['dora'] : []),
        )
        .orderBy('day_start');
      snapshots.push(
        ...rows.map(r => ({
          subjectRef: r.subject_ref,
          dayStart: num(r.day_start),
          score: r.score === null ? null : num(r.score),
          inputs: parseJson<HealthInput[]>(r.inputs, []),
          dora: parseJson<DoraWindow[]>(r.dora, []),
          members: num(r.members),
          computedAt: num(r.computed_at),
        })),
      );
    }
    return snapshots.sort((a, b) => a.dayStart - b.dayStart);
  }
}
