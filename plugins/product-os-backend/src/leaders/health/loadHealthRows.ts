import { WAITING_FOR_A_PERSON } from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import type { TimeRange } from '../../database/TimeRange';
import { num, Row } from '../../database/rowValues';
import { chunk } from '../../database/sql';

/** What the health score needs beyond the leaders' page's error totals, incidents and diagnoses. */
export interface HealthRows {
  /** Error groups first seen in the window, by entity. */
  newErrorGroups: Map<string, number>;
  /** Error groups that came back after being resolved, in the window, by entity. */
  regressedErrorGroups: Map<string, number>;
  /**
   * Entities with an error group first seen before the window: only those have a baseline to
   * measure a rise of errors against (an entity whose errors all began inside the window, a
   * newly connected one, has none yet, whatever its previous window counted).
   */
  errorBaseline: Set<string>;
  /** Hours from creation to resolution of each incident resolved in the window, by entity. */
  resolutionHours: Map<string, number[]>;
  /** Events of each metric in the window and in the one before it, by entity then metric. */
  metricTotals: Map<string, Map<string, { current: number; previous: number }>>;
  /** Incidents open at the window's end: created before it and not resolved by then. */
  openIncidents: Map<string, number>;
  /** Incidents created in the window, open or not. */
  createdIncidents: Map<string, number>;
  /** Diagnoses open at the window's end, and how many of those wait for a person. */
  openDiagnoses: Map<string, { open: number; waitingForAPerson: number }>;
}

/**
 * Five statements per 500 entities: error groups new or regressed in the window, incidents
 * resolved in it, metric totals of the window and the one before, the incidents created in it or
 * open at its end, and the diagnoses open at its end. "Open at the end" reads the past as well as the present, so a daily
 * snapshot of an earlier day can be computed later: an incident is open at `to` when it was
 * created before and is not resolved, or was resolved at or after `to`; a diagnosis when it was
 * created before and is open, or it changed at or after `to` and no review moved it away from
 * `open` before `to` (its actionability is the one it has now).
 */
export async function loadHealthRows(
  knex: Knex,
  entityRefs: string[],
  range: TimeRange,
): Promise<HealthRows> {
  const rows: HealthRows = {
    newErrorGroups: new Map(),
    regressedErrorGroups: new Map(),
    errorBaseline: new Set(),
    resolutionHours: new Map(),
    metricTotals: new Map(),
    openIncidents: new Map(),
    createdIncidents: new Map(),
    openDiagnoses: new Map(),
  };
  const waiting = [...WAITING_FOR_A_PERSON];
  const span = range.to - range.from;
  for (const refs of chunk(entityRefs, 1)) {
    const [groups, incidents, metrics, open, diagnoses] = await Promise.all([
      knex('error_groups')
        .whereIn('entity_ref', refs)
        .where('first_seen', '<', range.to)
        .groupBy('entity_ref')
        .select(
          'entity_ref',
          knex.raw(
            'SUM(CASE WHEN first_seen >= ? AND first_seen < ? THEN 1 ELSE 0 END) AS new_count',
            [range.from, range.to],
          ),
          knex.raw(
            'SUM(CASE WHEN regressed_at >= ? AND regressed_at < ? THEN 1 ELSE 0 END) AS regressed_count',
            [range.from, range.to],
          ),
          knex.raw(
            'SUM(CASE WHEN first_seen < ? THEN 1 ELSE 0 END) AS earlier_count',
            [range.from],
          ),
        ),
      knex('incidents')
        .whereIn('entity_ref', refs)
        .where('status', 'resolved')
        .where('resolved_at', '>=', range.from)
        .where('resolved_at', '<', range.to)
        .select('entity_ref', 'created_at', 'resolved_at'),
      knex('metric_points')
        .whereIn('entity_ref', refs)
        .where('bucket_start', '>=', range.from - span)
        .where('bucket_start', '<', range.to)
        .groupBy('entity_ref', 'metric')
        .select(
          'entity_ref',
          'metric',
          knex.raw(
            'SUM(CASE WHEN bucket_start >= ? THEN count ELSE 0 END) AS current_count',
            [range.from],
          ),
          knex.raw(
            'SUM(CASE WHEN bucket_start < ? THEN count ELSE 0 END) AS previous_count',
            [range.from],
          ),
        ),
      knex('incidents')
        .whereIn('entity_ref', refs)
        .where('created_at', '<', range.to)
        .where(q =>
          q
            .where('created_at', '>=', range.from)
            .orWhereNot('status', 'resolved')
            .orWhereNull('resolved_at')
            .orWhere('resolved_at', '>=', range.to),
        )
        .groupBy('entity_ref')
        .select(
          'entity_ref',
          knex.raw(
            `SUM(CASE WHEN status <> 'resolved' OR resolved_at IS NULL OR resolved_at >= ? THEN 1 ELSE 0 END) AS open_count`,
            [range.to],
          ),
          knex.raw(
            'SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END) AS created_count',
            [range.from],
          ),
        ),
      knex('diagnoses as d')
        .whereIn('d.entity_ref', refs)
        .where('d.created_at', '<', range.to)
        .where(q =>
          q
            .where('d.status', 'open')
            .orWhere(closed =>
              closed
                .where('d.updated_at', '>=', range.to)
                .whereNotExists(
                  knex('diagnosis_feedback as f')
                    .whereRaw('f.diagnosis_id = d.id')
                    .where('f.from_status', 'open')
                    .where('f.at', '<', range.to)
                    .select(knex.raw('1')),
                ),
            ),
        )
        .groupBy('d.entity_ref')
        .select(
          'd.entity_ref',
          knex.raw('COUNT(*) AS open_count'),
          knex.raw(
            `SUM(CASE WHEN d.actionability IN (${waiting
              .map(() => '?')
              .join(', ')}) THEN 1 ELSE 0 END) AS waiting_count`,
            waiting,
          ),
        ),
    ]);
    for (const r of open as Row[]) {
      if (num(r.open_count) > 0)
        rows.openIncidents.set(r.entity_ref, num(r.open_count));
      if (num(r.created_count) > 0)
        rows.createdIncidents.set(r.entity_ref, num(r.created_count));
    }
    for (const r of diagnoses as Row[]) {
      rows.openDiagnoses.set(r.entity_ref, {
        open: num(r.open_count),
        waitingForAPerson: num(r.waiting_count),
      });
    }
    for (const r of groups as Row[]) {
      rows.newErrorGroups.set(r.entity_ref, num(r.new_count));
      rows.regressedErrorGroups.set(r.entity_ref, num(r.regressed_count));
      if (num(r.earlier_count) > 0) rows.errorBaseline.add(r.entity_ref);
    }
    for (const r of incidents as Row[]) {
      const hours = (num(r.resolved_at) - num(r.created_at)) / 3_600_000;
      const list = rows.resolutionHours.get(r.entity_ref) ?? [];
      list.push(Math.max(0, hours));
      rows.resolutionHours.set(r.entity_ref, list);
    }
    for (const r of metrics as Row[]) {
      const byMetric = rows.metricTotals.get(r.entity_ref) ?? new Map();
      byMetric.set(r.metric, {
        current: num(r.current_count),
        previous: num(r.previous_count),
      });
      rows.metricTotals.set(r.entity_ref, byMetric);
    }
  }
  return rows;
}
